"""Find the article's fields around its main block: title, date, sapo, byline, category.

Every finder reads the page's own structure (metadata, class and id hints, position relative to
the title and the main block). None knows any one site's template.
"""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import BeautifulSoup, Tag

from crawler.dates import parse_vietnamese_date
from crawler.extract_text import clean_text, elements, text_of

BOILERPLATE_HINT = re.compile(
    r"menu|(?<!-)\bnav|sidebar|side-bar|footer|breadcrumb|share|social|sharing|related|lien-?quan"
    r"|other|tin-?khac|comment|binh-?luan|banner|advert|quang-?cao|\bads?\b|widget|popular"
    r"|xem-?nhieu|most-|\btags?\b|login|search|pagination|paging|copyright|\brss\b|print|toolbar",
    re.I,
)
BOILERPLATE_TAGS = frozenset({"nav", "aside", "footer", "header"})
_SAPO_HINT = re.compile(
    r"sapo|description|\blead\b|summary|hometext|intro|chapeau|tom-?tat|trich-?dan|excerpt|teaser",
    re.I,
)
_DATE_HINT = re.compile(r"date|time|ngay|publish|post-?info|meta", re.I)
_AUTHOR_HINT = re.compile(r"author|byline|tac-?gia|writer", re.I)
_BREADCRUMB_HINT = re.compile(
    r"breadcrumb|bread-?crumb|\bbread\b|duong-?dan|\bpath\b|vi-?tri", re.I
)
_HOME_WORDS = {"trang chủ", "home", "trang chu", "tin tức"}

# "Tin và ảnh: X", "Bài, ảnh: X", "Theo X", "Nguồn: X", "Tác giả bài viết: X" …
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:tin|bài|ảnh|video|clip)(?:\s*(?:và|,|&|\+)\s*(?:ảnh|bài|video|clip))*\s*:"
    r"|theo\b|nguồn(?:\s+tin)?\s*:|tác\s+giả(?:\s+bài\s+viết)?\s*:|người\s+viết\s*:|pv\s*:|bt?v\s*:"
    r"|(?:written\s+|reporting\s+)?by\b)\s*",
    re.I,
)
_PHOTO_CREDIT = re.compile(r"^(?:ảnh|photo)\s*:", re.I)
_BYLINE_AGENCY = re.compile(r"\s*[(\-–]\s*(?:TTXVN|TTXVN/Vietnam\+|VNA)\s*\)?\s*$")


def hint_text(tag: Tag) -> str:
    classes = tag.get("class") or []
    return (
        " ".join([*classes, str(tag.get("id") or "")])
        if isinstance(classes, list)
        else str(classes)
    )


def is_boilerplate(tag: Tag) -> bool:
    if tag.name in BOILERPLATE_TAGS:
        return True
    hints = hint_text(tag)
    return bool(hints.strip()) and bool(BOILERPLATE_HINT.search(hints))


def meta_content(soup: BeautifulSoup, *keys: str) -> str:
    """The first non-empty <meta> content among ``keys`` (property, name or itemprop)."""
    metas = _meta_index(soup)
    for key in keys:
        if metas.get(key.lower()):
            return metas[key.lower()]
    return ""


def _meta_index(soup: BeautifulSoup) -> dict[str, str]:
    # Built once per document: a find() per key would walk the whole tree each time.
    cached = getattr(soup, "_tracuu_meta_index", None)
    if cached is None:
        cached = {}
        for tag in soup.find_all("meta"):
            content = clean_text(str(tag.get("content") or ""))
            for attr in ("property", "name", "itemprop"):
                key = str(tag.get(attr) or "").lower()
                if key and content and key not in cached:
                    cached[key] = content
        soup._tracuu_meta_index = cached
    return cached


def find_date(
    soup: BeautifulSoup,
    near: Tag | None,
    position: dict[int, int],
    chars: dict[int, int],
    json_ld_date: str = "",
) -> tuple[datetime | None, Tag | None]:
    """Metadata first; else the date-looking short line nearest the title.

    Lines inside links, link lists and boilerplate blocks are other articles' dates ("Các tin
    khác (27/02/2024)"): a wrong date is worse than none, so they never count.
    """
    for value in (json_ld_date, *(meta_content(soup, key) for key in _DATE_META)):
        if value and (parsed := parse_vietnamese_date(value)):
            return parsed, None
    for tag in (t for t in elements(soup) if t.get("itemprop") == "datePublished"):
        parsed = parse_vietnamese_date(
            str(tag.get("datetime") or tag.get("content") or text_of(tag))
        )
        if parsed:
            return parsed, tag
    anchor = position.get(id(near), 0) if near is not None else 0
    # Blocks that hold the title too are the article's own, whatever their class says.
    shared = {id(p) for p in near.parents} if near is not None else set()
    found = [
        (abs(position.get(id(t), 0) - anchor), t, d)
        for t, d in _date_lines(soup, chars)
        if not _belongs_to_other_story(t, shared)
    ]
    if not found:
        return None, None
    _, tag, parsed = min(found, key=lambda item: item[0])
    return parsed, tag


_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
)


_OTHER_STORIES = re.compile(
    r"related|lien-?quan|other|tin-?khac|xem-?nhieu|popular|most-|sidebar|side-bar|menu|footer"
    r"|widget|\bnav",
    re.I,
)


def _belongs_to_other_story(tag: Tag, shared: set[int]) -> bool:
    """In a link, a linked list item, a related/most-read/sidebar block or the site's header
    (which shows today's date), below any block that also holds the title."""
    for node in [tag, *tag.parents]:
        if node.name in ("body", "html", "[document]", "article") or id(node) in shared:
            return False
        if node.name in ("a", "aside", "nav", "footer", "header"):
            return True
        if (node.name == "li" and node.find("a") is not None) or _OTHER_STORIES.search(
            hint_text(node)
        ):
            return True
    return False


_DATE_LINE_TAGS = frozenset(["time", "span", "div", "p", "li", "td", "small", "em", "i"])
_SAPO_TAGS = frozenset(["p", "div", "h2", "span", "section", "td"])


def _date_lines(soup: BeautifulSoup, chars: dict[int, int]):
    for tag in elements(soup, _DATE_LINE_TAGS):
        hinted = tag.name == "time" or bool(_DATE_HINT.search(hint_text(tag)))
        limit = 120 if hinted else 60
        if not 8 <= chars.get(id(tag), 0) <= limit:  # precomputed lengths: no get_text per tag
            continue
        text = text_of(tag)
        if not text or len(text) > limit or tag.find(["p", "div", "li"]):
            continue
        parsed = parse_vietnamese_date(str(tag.get("datetime") or "") or text)
        if parsed:
            yield tag, parsed


def find_sapo(soup: BeautifulSoup, near: Tag | None, position: dict[int, int]) -> Tag | None:
    anchor = position.get(id(near), 0) if near is not None else 0
    candidates = [
        t
        for t in elements(soup, _SAPO_TAGS)
        if _SAPO_HINT.search(hint_text(t)) and 2 <= len(text_of(t)) <= 1500 and not t.find("h1")
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda t: abs(position.get(id(t), 0) - anchor))


def find_category(soup: BeautifulSoup, title: str) -> str:
    for crumbs in soup.find_all(_is_breadcrumb):
        names = [text_of(a) for a in crumbs.find_all("a")]
        names = [n for n in names if n and n.lower() not in _HOME_WORDS and n != title]
        if names:
            return names[-1]
    return meta_content(soup, "article:section")


def _is_breadcrumb(tag: Tag) -> bool:
    label = str(tag.get("aria-label") or "")
    return bool(_BREADCRUMB_HINT.search(hint_text(tag) + " " + label)) and tag.find("a") is not None


def author_elements(soup: BeautifulSoup) -> list[Tag]:
    return [
        t
        for t in elements(soup)
        if (
            _AUTHOR_HINT.search(hint_text(t))
            or t.get("itemprop") == "author"
            or t.get("rel") == ["author"]
        )
        and 0 < len(text_of(t)) <= 80
    ]


def looks_like_byline(tag: Tag) -> bool:
    """A short line that names a writer or a source, by wording or by layout."""
    text = text_of(tag)
    if not text or len(text) > 70 or len(text.split()) > 10 or tag.find("img"):
        return False
    if _BYLINE_PREFIX.match(text) or _BYLINE_AGENCY.search(text):
        return True
    return (
        (_right_aligned(tag) or _all_bold(tag))
        and not text.endswith((".", ":", "?"))
        and _name_like(text)
    )


def has_author_hint(tag: Tag) -> bool:
    return bool(_AUTHOR_HINT.search(hint_text(tag))) or tag.get("itemprop") == "author"


def is_strong_byline(tag: Tag) -> bool:
    """A byline by class ("author") or by wording other than a bare photo credit."""
    if not looks_like_byline(tag):
        return False
    return bool(_AUTHOR_HINT.search(hint_text(tag))) or bool(
        _BYLINE_PREFIX.match(text_of(tag)) and not _PHOTO_CREDIT.match(text_of(tag))
    )


def _right_aligned(tag: Tag) -> bool:
    for node in [tag, *tag.find_all(True)]:
        style = str(node.get("style") or "").replace(" ", "").lower()
        if (
            node.get("align") == "right"
            or "text-align:right" in style
            or "text-right" in hint_text(node)
        ):
            return True
    return False


def _all_bold(tag: Tag) -> bool:
    bold = " ".join(text_of(b) for b in tag.find_all(["strong", "b"]))
    return bool(bold) and clean_text(bold) == text_of(tag)


def _name_like(text: str) -> bool:
    words = clean_text(re.sub(r"[(),/.\-–]", " ", text)).split()
    return 1 <= len(words) <= 8 and all(w[0].isupper() or w[0].isdigit() for w in words)


def byline_name(text: str) -> str:
    """ "Tin và ảnh: Chu Thanh Hoài" -> "Chu Thanh Hoài"; "Nguyễn An (TTXVN)" -> "Nguyễn An"."""
    name = clean_text(text)
    for _ in range(2):
        name = _BYLINE_PREFIX.sub("", name)
    name = _BYLINE_AGENCY.sub("", name)
    if parse_vietnamese_date(name):  # "By Jane Doe, March 5, 2024": the name ends at the date
        name = re.split(r"\s*[,|–]\s*|\s+-\s+", name)[0]
    return name.strip(" .:/-–|,")
