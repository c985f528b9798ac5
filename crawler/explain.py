"""Why one captured page became the Article it did, or was rejected: ``tracuu extract --explain``.

Runs exactly what re-extraction runs (the host's template learned from the same WARC files,
the same decoder and extractor) on the latest capture of one URL, and reports what was found
for each field and why, with the encoding chosen and the listing evidence measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crawler.encoding import decode_html_explained
from crawler.extract import ExtractionError, extract_article
from crawler.warc import learn_templates
from crawler.warc_read import iter_warc_responses


def explain_capture(paths: Iterable[str | Path], url: str) -> dict:
    """A JSON-ready account of extracting the latest capture of ``url`` from ``paths``."""
    paths = list(paths)
    latest = None
    for captured in iter_warc_responses(paths, on_damaged=lambda damaged: None):
        if captured.url == url:
            latest = captured
    if latest is None:
        return {"url": url, "found": False, "why": "no response for this URL in the WARC files"}
    template = learn_templates(paths).template(url)
    html, encoding = decode_html_explained(latest.body, latest.content_type or None)
    account: dict = {
        "url": url,
        "found": True,
        "fetched_at": latest.fetched_at.isoformat() if latest.fetched_at else None,
        "status": latest.status,
        "content_type": latest.content_type,
        "encoding": encoding,
        "host_template": {
            "pages_of_host": template.pages,
            "repeated_blocks": len(template.texts),
            "site_names": sorted(template.site_names),
        },
    }
    trace: dict = {}
    try:
        article = extract_article(html, url, template=template, trace=trace)
    except ExtractionError as exc:
        account.update(outcome="rejected", reason=exc.reason, detail=exc.detail, fields=trace)
        return account
    trace["sapo"] = {"value": article.sapo}
    trace["category"] = {"value": article.category}
    trace["body"]["start"] = article.body[:200]
    account.update(outcome="article", fields=trace)
    return account
