"""Structured metadata a page states about itself: JSON-LD (schema.org NewsArticle) fields.

Read from the HTML text before it is parsed, because scripts are dropped as noise. Only the
fields extraction cross-checks are kept: the headline, the publication date and the author.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script\s*>", re.I | re.S)
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage")


@dataclass
class PageMetadata:
    headline: str = ""
    date_published: str = ""
    author: str = ""


def read_json_ld(html: str) -> PageMetadata:
    """The first article-like JSON-LD object's headline, datePublished and author name."""
    found = PageMetadata()
    if "ld+json" not in html:
        return found
    for block in _JSON_LD.findall(html):
        try:
            data = json.loads(block.strip())
        except ValueError:
            continue  # hand-written JSON-LD is often invalid; the page text still has the fields
        for item in _objects(data):
            kind = item.get("@type")
            kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
            if not any(str(k).lower() in _ARTICLE_TYPES for k in kinds):
                continue
            found.headline = found.headline or _text(item.get("headline"))
            found.date_published = found.date_published or _text(item.get("datePublished"))
            found.author = found.author or _author_name(item.get("author"))
    return found


def _objects(data: object):
    """Every JSON object in the document, including those inside @graph lists."""
    if isinstance(data, list):
        for value in data:
            yield from _objects(value)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph", []))


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _author_name(value: object) -> str:
    if isinstance(value, list):
        names = [_author_name(v) for v in value]
        return ", ".join(n for n in names if n)
    if isinstance(value, dict):
        return _text(value.get("name"))
    name = _text(value)
    return "" if name.startswith(("http://", "https://")) else name
