"""Link discovery: which URLs a listing page, sitemap or RSS feed points to, and what they are."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from lxml import etree

from crawler.sources import Source
from crawler.urls import host_of, path_of, try_canonicalize

Link = tuple[str, str, "str | None"]  # (canonical url, kind, lastmod)


def classify(url: str, source: Source) -> str | None:
    """'article', 'listing' or None (not ours to follow) for a canonical URL."""
    if host_of(url) not in source.allowed_hosts:
        return None
    path = path_of(url)
    if source.is_article(path):
        return "article"
    if source.is_listing(path):
        return "listing"
    return None


def links_from_html(html: str, base_url: str, source: Source) -> list[Link]:
    """Article and listing links on a page, in page order, without duplicates."""
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = try_canonicalize(base_tag["href"], base_url) if base_tag else None
    found: dict[str, str] = {}
    for anchor in soup.find_all("a", href=True):
        url = try_canonicalize(anchor["href"], base or base_url)
        if url is None or url in found:
            continue
        kind = classify(url, source)
        if kind:
            found[url] = kind
    return [(url, kind, None) for url, kind in found.items()]


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _parse_xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data.strip(), parser)
    except etree.XMLSyntaxError:
        return None


def links_from_sitemap(data: bytes, source: Source) -> list[Link]:
    """URLs of a sitemap (articles/listings, with lastmod) or of a sitemap index (sitemaps)."""
    root = _parse_xml(data)
    if root is None:
        return []
    is_index = _local(root.tag) == "sitemapindex"
    links: list[Link] = []
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        url = try_canonicalize(fields.get("loc", ""))
        if url is None or host_of(url) not in source.allowed_hosts:
            continue
        if is_index:
            links.append((url, "sitemap", None))
            continue
        # A sitemap lists pages the site wants found: unmatched ones count as articles only
        # when the source has no article pattern to say otherwise.
        kind = classify(url, source) or (None if source.article_pattern else "article")
        if kind:
            links.append((url, kind, fields.get("lastmod") or None))
    return links


def links_from_feed(data: bytes, source: Source) -> list[Link]:
    """Article links of an RSS 2.0 or Atom feed."""
    root = _parse_xml(data)
    if root is None:
        return []
    links: list[Link] = []
    for element in root.iter():
        name = _local(element.tag)
        href = None
        if name == "link" and element.get("href"):
            href = element.get("href")
        elif name == "link" and element.text and re.match(r"\s*https?://", element.text):
            href = element.text
        url = try_canonicalize(href) if href else None
        if url and classify(url, source) == "article":
            links.append((url, "article", None))
    return list(dict.fromkeys(links))
