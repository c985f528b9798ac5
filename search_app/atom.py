"""An Atom 1.0 feed (RFC 4287) of a result page, built with ElementTree (always escaped)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from xml.etree import ElementTree as ET

from crawler.article import VN_TZ, is_http_url
from indexer import SearchPage

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids even when escaped; scraped text occasionally carries them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = _text(text)
    return element


def _stamp(value: datetime | None) -> str:
    return (value or datetime(1970, 1, 1, tzinfo=VN_TZ)).isoformat()


def feed_title(page: SearchPage) -> str:
    text = page.query.text.strip()
    return f"tracuu — tin mới cho «{text}»" if text else "tracuu — tin mới"


def atom_feed(
    page: SearchPage,
    *,
    feed_url: str,
    search_url: str,
    article_url: Callable[[str], str],
) -> bytes:
    """The feed document; ``article_url`` maps an article URL to its page on this site."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(root, "id", feed_url)
    _sub(root, "title", feed_title(page))
    newest = max((h.published for h in page.hits if h.published), default=None)
    _sub(root, "updated", _stamp(newest))
    _sub(root, "link", rel="self", href=_text(feed_url))
    _sub(root, "link", rel="alternate", type="text/html", href=_text(search_url))
    _sub(_sub(root, "author"), "name", "tracuu")
    _sub(root, "generator", "tracuu")
    for hit in page.hits:
        entry = _sub(root, "entry")
        # Feed readers open the id or the "via" link: neither may be a javascript:/data:
        # URL that an index built before URLs were checked can still hold.
        original = hit.url if is_http_url(hit.url) else None
        _sub(entry, "id", original or article_url(hit.url))
        _sub(entry, "title", hit.title)
        _sub(entry, "updated", _stamp(hit.published))
        if hit.published:
            _sub(entry, "published", _stamp(hit.published))
        _sub(entry, "link", rel="alternate", type="text/html", href=_text(article_url(hit.url)))
        if original:
            _sub(entry, "link", rel="via", href=_text(original))
        if hit.author or hit.source:
            _sub(_sub(entry, "author"), "name", hit.author or hit.source)
        if hit.category:
            _sub(entry, "category", term=_text(hit.category))
        # The snippet is our own escaped HTML with <mark>: type="html" carries it as text.
        _sub(entry, "summary", hit.snippet, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
