"""One captured response in, ``Article | Failure`` out: the extraction step the crawl
(crawler.crawl) and re-extraction from WARC files (crawler.warc) share.

Decode the bytes, extract, then stamp what the capture knows better than the page: its URL,
when it was fetched, the source's label.

Failure policy, the same for both callers: a capture that yields no Article is *recorded and
skipped*, never lost silently and never the end of the run.

- ``ExtractionError`` (the page holds no article) → ``Failure(reason, detail)``.
- Any other exception is an extractor (or decoder) bug: it is logged with its traceback on the
  "tracuu.extract" logger and becomes ``Failure("crash: Type: message", crashed=True)``. The crawl
  records it in the frontier as "extraction_failed" (the run report lists it under errors);
  re-extraction lists it in its report's errors. One bad page must not cost the other pages of a
  100 MB WARC file or of a crawl. ``KeyboardInterrupt``/``SystemExit`` still stop the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crawler.article import Article
from crawler.failures import CRASH_PREFIX, ExtractionError, Failure
from crawler.host_template import HostTemplate
from crawler.sources import Source

log = logging.getLogger("tracuu.extract")

Extractor = Callable[..., Article]
Decoder = Callable[[bytes, "str | None"], str]


@dataclass(frozen=True)
class Capture:
    """One HTTP response worth extracting, with what is known about it besides its bytes."""

    url: str
    body: bytes
    content_type: str | None
    fetched_at: datetime | None
    source: Source | None = None  # gives selectors and the label; None: found generically
    template: HostTemplate | None = None  # what the host's pages share (re-extraction learns it)


def default_extractor() -> Extractor:
    from crawler.extract import extract_article  # bs4 + lxml: loaded when first needed

    return extract_article


def default_decoder() -> Decoder:
    from crawler.encoding import decode_html

    return decode_html


def extract_capture(
    capture: Capture, *, extractor: Extractor | None = None, decoder: Decoder | None = None
) -> Article | Failure:
    """The Article in ``capture``, or the Failure saying why there is none (see module doc)."""
    extractor = extractor or default_extractor()
    decoder = decoder or default_decoder()
    selectors = capture.source.extract_selectors() if capture.source else None
    # Only the real extractor takes a template; test doubles and plug-ins need not.
    extra = {"template": capture.template} if capture.template is not None else {}
    try:
        html = decoder(capture.body, capture.content_type or None)
        article = extractor(html, capture.url, selectors=selectors, **extra)
    except ExtractionError as exc:
        return Failure(capture.url, exc.reason, exc.detail)
    except Exception as exc:
        log.exception("extractor crashed on %s", capture.url)
        what = f"{type(exc).__name__}: {exc}"
        return Failure(capture.url, CRASH_PREFIX + what, what, crashed=True)
    changes: dict[str, object] = {"url": capture.url, "fetched_at": capture.fetched_at}
    if capture.source is not None:
        changes["source"] = capture.source.label
    return article.with_changes(**changes)
