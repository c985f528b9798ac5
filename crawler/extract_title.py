"""The article's headline: the visible heading nearest the body, checked against the metadata.

Old portals put the headline in a table cell (``<td class="NewsTitle"><b>…</b></td>``) or a bold
line, and give every page the portal's name as ``<title>``; newer sites repeat the headline in
``<title>`` and ``og:title`` with the site's name added. So the candidates are the visible
headings, title-like classes and bold lines before the body; a candidate that the page's own
metadata repeats is preferred, and a candidate in the banner (header, logo, site name) or one
the host repeats on many pages is never the headline.

The metadata is cut only where the cut part is the site's name (``og:site_name``, a segment the
host repeats, the banner's text, or wording only site names use): " - " inside a headline
("giai đoạn 2022 - 2026", "kinh tế - xã hội") is part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from crawler.extract_fields import hint_text, is_boilerplate, meta_content
from crawler.extract_text import clean_text, elements, text_of

TITLE_CLASS = re.compile(
    r"newstitle|news-?title|title-?detail|detail-?title|article-?title|post-?title|entry-?title"
    r"|headline|tieu-?de|tieude|^title$|\btitle\b",
    re.I,
)
_BANNER_HINT = re.compile(r"logo|brand|site-?(?:name|title)|banner|masthead|header|top-?bar", re.I)
_SEPARATORS = re.compile(r"\s+(?:[|–—»]|-{1,2}|::)\s+")
# Wording that names a site, not a story: "Báo Hà Tĩnh", "Cổng TTĐT tỉnh …", "baohatinh.vn".
_SITE_WORDS = re.compile(
    r"^(?:báo|cổng|trang\s+(?:tin|thông\s+tin)|tạp\s+chí|đài|sở|ubnd|ủy\s+ban|tin\s+tức|portal)\b"
    r"|\.(?:vn|com|net|org|gov|edu)\b|\bonline$|\bnews$|\bnewspaper$",
    re.I,
)
MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 600  # corpus headlines run to ~450 chars
MAX_WEAK_TITLE_CHARS = 200  # a longer bold line or subheading is a lead, not a headline


@dataclass
class TitleChoice:
    text: str
    tag: Tag | None
    why: str


def find_title(
    soup: BeautifulSoup,
    main: Tag | None,
    position: dict[int, int],
    *,
    repeated: frozenset[str] = frozenset(),
    site_names: frozenset[str] = frozenset(),
    json_ld_headline: str = "",
) -> TitleChoice:
    """The headline; ``repeated`` and ``site_names`` are what the host's other pages share."""
    sites = _site_names(soup, site_names)
    references = _references(soup, json_ld_headline, sites)
    anchor = position.get(id(main), 0) if main is not None else 0
    scored = []
    for distance, text, tag, kind in _candidates(soup, main, position, anchor):
        agrees = _agrees(text, references)
        # A story the host links from every page is still the headline of its own page.
        if agrees and _key(text) not in sites or _usable(text, repeated, sites):
            # Agreement with the metadata outweighs a few elements of distance, not the banner's.
            scored.append((distance * (0.3 if agrees else 1.0), text, tag, kind, agrees))
    og_title = _strip_site(
        meta_content(soup, "og:title", "twitter:title") or json_ld_headline, sites
    )
    if scored:
        _, text, tag, kind, agrees = min(scored, key=lambda c: c[0])
        if agrees:
            return TitleChoice(text, tag, f"{kind} nearest the body, repeated by the metadata")
        if kind in ("h1", "title-class") or not _usable(og_title, repeated, sites):
            return TitleChoice(text, tag, f"{kind} nearest the body (metadata does not repeat it)")
    if og_title and _usable(og_title, repeated, sites):
        return TitleChoice(og_title, None, "og:title / JSON-LD headline (no visible headline)")
    page_title = clean_text(soup.title.get_text(" ")) if soup.title else ""
    stripped = _strip_site(page_title, sites)
    if stripped and _usable(stripped, repeated, sites):
        return TitleChoice(stripped, None, "<title> without the site's name")
    return TitleChoice("", None, "no headline: no heading, no metadata, <title> is the site name")


_CANDIDATE_TAGS = frozenset(["h1", "h2", "h3", "td", "div", "p", "strong", "b"])
_WEIGHTS = {"h1": 1.0, "title-class": 1.0, "heading": 3.0, "bold line": 4.0}


def _candidates(soup: BeautifulSoup, main: Tag | None, position: dict[int, int], anchor: int):
    """(distance, text, tag, kind) for each visible headline candidate."""
    found = []
    seen: set[int] = set()
    first = _first_blocks(main)
    for tag in elements(soup, _CANDIDATE_TAGS):
        if id(tag) in seen:
            continue
        at = position.get(id(tag), 0)
        kind = _kind(tag, at <= anchor or id(tag) in first, anchor - at)
        if kind is None:
            continue
        text = text_of(tag)
        if not MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS or _in_banner(tag):
            continue
        if kind in ("heading", "bold line") and (
            len(text) > MAX_WEAK_TITLE_CHARS or text.endswith((".", ":"))
        ):
            continue  # a lead paragraph or a label, not a headline
        seen.update(id(t) for t in tag.descendants)
        found.append((max(_distance(at, anchor), 1) * _WEIGHTS[kind], text, tag, kind))
    return found


def _kind(tag: Tag, before_body: bool, elements_before: int) -> str | None:
    if tag.name == "h1":
        return "h1"
    if tag.get("itemprop") == "headline" or (
        TITLE_CLASS.search(hint_text(tag)) and not tag.find("a")
    ):
        return None if tag.find(["p", "div", "table"]) else "title-class"
    if tag.name in ("h2", "h3") and before_body and not tag.find("a"):
        return "heading"
    if tag.name in ("b", "strong") and before_body and elements_before <= 40:
        parent = tag.parent
        if parent is not None and text_of(parent) == text_of(tag) and not tag.find_parent("a"):
            return "bold line"
    return None


def _first_blocks(main: Tag | None) -> set[int]:
    """The first few blocks of the main block: a headline may sit inside it."""
    if main is None:
        return set()
    blocks = main.find_all(["h1", "h2", "h3", "p", "div", "td", "b", "strong"], limit=4)
    return {id(b) for b in blocks}


def _in_banner(tag: Tag) -> bool:
    for node in [tag, *tag.parents]:
        if node.name in ("body", "html", "[document]"):
            return False
        if node.name in ("header", "nav", "footer", "aside", "a") or (
            node is not tag and is_boilerplate(node)
        ):
            return True
        if _BANNER_HINT.search(hint_text(node)):
            return True
    return False


def _distance(at: int, anchor: int) -> int:
    # A headline sits before its body: prefer a heading just above the main block.
    return anchor - at if at <= anchor else (at - anchor) * 3


def _usable(text: str, repeated: frozenset[str], sites: set[str]) -> bool:
    key = _key(text)
    return bool(key) and key not in sites and text not in repeated


def _key(text: str) -> str:
    return clean_text(text).casefold()


def _site_names(soup: BeautifulSoup, learned: frozenset[str]) -> set[str]:
    names = {_key(n) for n in learned}
    names |= {
        _key(meta_content(soup, "og:site_name", "application-name", "apple-mobile-web-app-title"))
    }
    for tag in elements(soup):
        if tag.name == "img":
            if tag.get("alt") and _BANNER_HINT.search(hint_text(tag) + str(tag.get("src"))):
                names.add(_key(str(tag["alt"])))
        elif tag.get("class") and _BANNER_HINT.search(hint_text(tag)):
            text = text_of(tag)
            names.update([_key(text)] if len(text) <= 120 else [])
    names.discard("")
    return names


def _references(soup: BeautifulSoup, json_ld_headline: str, sites: set[str]) -> list[str]:
    refs = [meta_content(soup, "og:title", "twitter:title"), json_ld_headline]
    if soup.title:
        refs.append(clean_text(soup.title.get_text(" ")))
    return [_key(r) for r in refs if r and _key(r) not in sites]


def _agrees(candidate: str, references: list[str]) -> bool:
    """The candidate is the whole reference, or the reference is it plus a separated segment."""
    key = _key(candidate)
    for ref in references:
        if key == ref:
            return True
        for match in _SEPARATORS.finditer(ref):
            if ref[: match.start()] == key or ref[match.end() :] == key:
                return True
    return False


def strip_site_name(title: str, site_names: set[str] | frozenset[str] = frozenset()) -> str:
    """``title`` without a leading or trailing segment that is the site's name."""
    return _strip_site(title, {_key(n) for n in site_names})


def _strip_site(title: str, sites: set[str]) -> str:
    title = clean_text(title)
    while True:
        parts = list(_SEPARATORS.finditer(title))
        if not parts:
            return title
        head, tail = title[: parts[-1].start()], title[parts[-1].end() :]
        if _is_site(tail, sites, by_wording=True) and len(head) >= MIN_TITLE_CHARS:
            title = head
            continue
        head, tail = title[: parts[0].start()], title[parts[0].end() :]
        if _is_site(head, sites, by_wording=False) and len(tail) >= MIN_TITLE_CHARS:
            title = tail
            continue
        return title


def _is_site(segment: str, sites: set[str], *, by_wording: bool) -> bool:
    """The segment is a known site name, holds one, or (a suffix only) is worded like one."""
    key = _key(segment)
    if key in sites or any(len(s) >= 6 and s in key for s in sites):
        return True
    return by_wording and bool(_SITE_WORDS.search(key))
