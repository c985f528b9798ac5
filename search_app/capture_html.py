"""A stored page made safe to show inside tracuu: pure functions, no I/O.

What the capture view frames is the page as fetched, minus everything that would run or
reach outside tracuu: scripts, event handlers, javascript: URLs, frames, objects, <base>,
meta refresh and form targets go; every image, stylesheet and CSS url() is rewritten to the
archive's own capture of it (``resolve``) or removed when the archive has none; a link to a
page the archive holds leads to that capture (``link``), any other link loses its address.
The frame's sandbox and Content-Security-Policy enforce the same again (see
search_app.captures): this rewriting is what makes the page look as captured.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from bs4 import BeautifulSoup

Resolve = Callable[[str], str | None]  # absolute URL -> local URL of its capture, or None

_DROP_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base")
_RESOURCE_ATTRS = {
    "img": ("src",),
    "source": ("src",),
    "input": ("src",),
    "video": ("poster",),
    "audio": ("src",),
    "track": ("src",),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
}
_LINK_TAGS = ("a", "area")
_STYLE_LINK_RELS = {"stylesheet", "icon", "shortcut"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]*)\1""", re.IGNORECASE)
BLOCKED = "data:,"  # what a CSS url() with no capture becomes: empty, nothing is fetched


def rewrite_html(html: str, page_url: str, resolve: Resolve, link: Resolve) -> str:
    """The page with its resources pointing into the archive (see module doc)."""
    soup = BeautifulSoup(html, "lxml")
    base_url = _base_url(soup, page_url)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for meta in soup.find_all("meta"):
        if (meta.get("http-equiv") or "").lower() in ("refresh", "set-cookie"):
            meta.decompose()
    for tag in soup.find_all(True):
        _strip_active_attributes(tag)
        _rewrite_tag(tag, base_url, resolve, link)
    return str(soup)


def rewrite_css(css: str, css_url: str, resolve: Resolve) -> str:
    """A stylesheet's url() and @import references, into the archive or to nothing."""

    def url_ref(match: re.Match) -> str:
        target = match.group(2).strip()
        if target.startswith("data:"):
            return match.group(0)
        local = resolve(urljoin(css_url, target)) if target else None
        return f'url("{local or BLOCKED}")'

    def import_ref(match: re.Match) -> str:
        local = resolve(urljoin(css_url, match.group(2).strip()))
        return f'@import "{local or BLOCKED}"'

    return _CSS_URL.sub(url_ref, _CSS_IMPORT.sub(import_ref, css))


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    """Where relative URLs of the page resolve from (its own <base href>, if any)."""
    base = soup.find("base", href=True)
    return urljoin(page_url, base["href"]) if base else page_url


def _strip_active_attributes(tag) -> None:  # noqa: ANN001 - a bs4 Tag
    for name in list(tag.attrs):
        value = tag.attrs[name]
        text = " ".join(value) if isinstance(value, list) else str(value)
        lowered = name.lower()
        active = lowered.startswith("on") or lowered in ("formaction", "action", "ping", "srcdoc")
        squeezed = re.sub(r"[\s\x00-\x1f]", "", text).lower()
        if active or squeezed.startswith(("javascript:", "vbscript:")):
            del tag.attrs[name]


def _rewrite_tag(tag, base_url: str, resolve: Resolve, link: Resolve) -> None:  # noqa: ANN001
    name = tag.name
    for attr in _RESOURCE_ATTRS.get(name, ()):
        _rewrite_attr(tag, attr, base_url, resolve)
    if tag.has_attr("srcset"):
        _rewrite_srcset(tag, base_url, resolve)
    if tag.has_attr("style"):
        tag["style"] = rewrite_css(tag["style"], base_url, resolve)
    if name == "style" and tag.string:
        tag.string.replace_with(rewrite_css(tag.string, base_url, resolve))
    if name == "link":
        _rewrite_link_element(tag, base_url, resolve)
    if name in _LINK_TAGS and tag.has_attr("href"):
        _rewrite_anchor(tag, base_url, link)


def _rewrite_attr(tag, attr: str, base_url: str, resolve: Resolve) -> None:  # noqa: ANN001
    value = (tag.get(attr) or "").strip()
    if not value or value.startswith("data:"):
        return
    original = urljoin(base_url, value)
    local = resolve(original)
    if local is None:
        del tag[attr]
        tag["data-ban-goc"] = original  # blocked: not captured; the reader sees what it was
    else:
        tag[attr] = local


def _rewrite_srcset(tag, base_url: str, resolve: Resolve) -> None:  # noqa: ANN001
    kept = []
    for candidate in str(tag["srcset"]).split(","):
        parts = candidate.split()
        if not parts:
            continue
        local = resolve(urljoin(base_url, parts[0]))
        if local is not None:
            kept.append(" ".join([local, *parts[1:]]))
    if kept:
        tag["srcset"] = ", ".join(kept)
    else:
        del tag["srcset"]


def _rewrite_link_element(tag, base_url: str, resolve: Resolve) -> None:  # noqa: ANN001
    rels = {r.lower() for r in (tag.get("rel") or [])}
    if not rels & _STYLE_LINK_RELS or not tag.has_attr("href"):
        tag.decompose()  # preload, prefetch, manifest, alternate…: nothing to fetch from here
        return
    _rewrite_attr(tag, "href", base_url, resolve)


def _rewrite_anchor(tag, base_url: str, link: Resolve) -> None:  # noqa: ANN001
    href = str(tag["href"]).strip()
    if href.startswith("#"):
        return
    original = urljoin(base_url, href)
    local = link(original)
    if local is None:
        del tag["href"]
        tag["title"] = f"Chưa lưu: {original}"
    else:
        tag["href"] = local
        tag["target"] = "_top"  # the capture view of that page, banner and all
