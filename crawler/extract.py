"""HTML text in, Article out: generic article extraction for Vietnamese news and portal pages.

Without selectors, the main block is found from the page's own structure: text is cut into
paragraph units (the nearest block ancestor of each text node), units that sit in boilerplate
(menus, sidebars, footers, related-news and share blocks, by tag or class/id hint) or are mostly
links do not count, and the main block is the deepest element that holds most of the remaining
text. Title, date, sapo, byline and category are then read around it (crawler.extract_fields).

A page whose "main block" is mostly links or a teaser list (a homepage, a category listing) is
not an article: ``ExtractionError("not an article page")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from crawler.article import Article
from crawler.dates import parse_vietnamese_date
from crawler.extract_fields import (
    author_elements,
    byline_name,
    find_category,
    find_date,
    find_sapo,
    find_title,
    has_author_hint,
    is_boilerplate,
    is_strong_byline,
    looks_like_byline,
)
from crawler.extract_text import (
    BLOCK_TAGS,
    TextStats,
    clean_text,
    paragraphs,
    remove_noise,
    text_of,
)

MAIN_SHARE = 0.6  # the main block holds at least this share of the page's good text
MIN_UNIT_CHARS = 20  # shorter units (labels, dates, buttons) do not vote for a block
MIN_BODY_CHARS = 80
_SHARE_WORDS = re.compile(
    r"^(?:gửi cho bạn bè|in bài viết|in bài|chia sẻ|lưu bài|gửi bài|bản in|phản hồi|bình luận"
    r"|quay lại|về đầu trang|lên đầu trang|chia sẻ bài viết|gửi email)"
    r"(?:\s*[|/]\s*(?:gửi cho bạn bè|in bài viết|in bài|chia sẻ|lưu bài|bản in|phản hồi))*$",
    re.I,
)


class ExtractionError(Exception):
    """The page holds no article; ``reason`` says why (e.g. "not an article page")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Selectors:
    """Site-specific CSS selectors; a field left None is found generically."""

    title: str | None = None
    date: str | None = None
    body: str | None = None
    byline: str | None = None
    category: str | None = None
    drop: list[str] = field(default_factory=list)


def extract_article(html: str, url: str, *, selectors: Selectors | None = None) -> Article:
    """Extract one article; raises ExtractionError when the page is not an article."""
    selectors = selectors or Selectors()
    soup = BeautifulSoup(html, "lxml")
    remove_noise(soup)
    for css in selectors.drop:
        for tag in soup.select(css):
            tag.decompose()
    root = soup.body or soup
    position = {id(tag): i for i, tag in enumerate(root.find_all(True))}
    stats = TextStats(root)

    mains = soup.select(selectors.body) if selectors.body else []
    main = mains[0] if mains else find_main_block(root, stats)
    if main is None:
        raise ExtractionError("no body text")

    title, title_tag = _title(soup, main, position, selectors)
    if not title:
        raise ExtractionError("no title")
    published, date_tag = _date(soup, title_tag or main, position, stats, selectors)
    sapo_tag = find_sapo(soup, title_tag or main, position)
    sapo = text_of(sapo_tag) if sapo_tag is not None else ""
    author, byline_tag = _byline(soup, main, mains, selectors)

    skip = {id(t) for t in (title_tag, date_tag, sapo_tag, byline_tag) if t is not None}
    skip |= _boilerplate_inside(main, stats)
    body_parts: list[str] = []
    for block in mains or [main]:
        body_parts += paragraphs(block, skip)
    body_parts = _clean_paragraphs(body_parts, title, sapo, author)
    if not sapo and body_parts and _bold_lead(main, body_parts[0]):
        sapo, body_parts = body_parts[0], body_parts[1:]
    body = "\n\n".join(body_parts)
    if not mains and _looks_like_listing(main, stats):
        raise ExtractionError("not an article page")
    if len(body) < MIN_BODY_CHARS:
        raise ExtractionError("no body text")
    return Article(
        url=url,
        title=title,
        sapo=sapo,
        body=body,
        published=published,
        author=author,
        category=_category(soup, title, selectors),
    )


def find_main_block(root: Tag, stats: TextStats) -> Tag | None:
    """The deepest element holding MAIN_SHARE of the page's good paragraph text."""
    good: dict[int, int] = {}
    elements: dict[int, Tag] = {}
    depth: dict[int, int] = {}
    wrapper_chars = MAIN_SHARE * stats.chars.get(id(root), 0)
    for unit, chars in _units(root):
        if chars < MIN_UNIT_CHARS or stats.link_density(unit) > 0.5:
            continue
        if _in_boilerplate(unit, root, stats, wrapper_chars):
            continue
        node: Tag | None = unit
        level = 0
        while node is not None:
            good[id(node)] = good.get(id(node), 0) + chars
            elements[id(node)] = node
            node = node.parent if node is not root else None
            level += 1
    total = good.get(id(root), 0)
    if total == 0:
        return None
    for key, tag in elements.items():
        depth[key] = len(list(tag.parents))
    winners = [k for k, g in good.items() if g >= MAIN_SHARE * total]
    return elements[max(winners, key=lambda k: (depth[k], -good[k]))]


def _units(root: Tag) -> list[tuple[Tag, int]]:
    """Text length owned by each nearest block ancestor of a text node."""
    owned: dict[int, int] = {}
    blocks: dict[int, Tag] = {}
    for text in root.find_all(string=True):
        if not isinstance(text, NavigableString) or not text.strip():
            continue
        block = text.parent
        while block is not None and block.name not in BLOCK_TAGS and block is not root:
            block = block.parent
        if block is not None:
            # Keyed by id(): bs4 hashes a Tag by rendering it, which is quadratic here.
            owned[id(block)] = owned.get(id(block), 0) + len(text.strip())
            blocks[id(block)] = block
    return [(blocks[key], chars) for key, chars in owned.items()]


def _in_boilerplate(tag: Tag, root: Tag, stats: TextStats, wrapper_chars: float) -> bool:
    """Inside a hinted block, unless that block wraps most of the page (VnExpress's main
    column is "sidebar-1": a name cannot overrule where the text is)."""
    node: Tag | None = tag
    while node is not None and node is not root and node.name not in ("body", "html"):
        if is_boilerplate(node) and stats.chars.get(id(node), 0) < wrapper_chars:
            return True
        node = node.parent
    return False


def _boilerplate_inside(main: Tag, stats: TextStats) -> set[int]:
    """Blocks inside the main block that are not article text: hinted, link lists, captions."""
    skip: set[int] = set()
    for tag in main.find_all(True):
        link_list = tag.name in ("ul", "ol", "div", "table") and stats.link_density(tag) > 0.6
        if link_list or is_boilerplate(tag) or tag.name in ("figcaption", "h1"):
            skip.add(id(tag))
    return skip


def _looks_like_listing(main: Tag, stats: TextStats) -> bool:
    """A homepage or category page: mostly links, or a run of headline links with teasers."""
    headline_links = sum(1 for h in main.find_all(["h2", "h3", "h4"]) if h.find("a"))
    long_links = sum(1 for a in main.find_all("a") if len(text_of(a)) >= 20)
    density = stats.link_density(main)
    return density > 0.4 or headline_links >= 5 or (long_links >= 5 and density > 0.1)


def _title(soup: BeautifulSoup, main: Tag, position: dict[int, int], selectors: Selectors):
    if selectors.title and (tag := soup.select_one(selectors.title)) and text_of(tag):
        return text_of(tag), tag
    return find_title(soup, main, position)


def _date(
    soup: BeautifulSoup, near: Tag, position: dict[int, int], stats: TextStats, selectors: Selectors
):
    if selectors.date and (tag := soup.select_one(selectors.date)):
        parsed = parse_vietnamese_date(
            str(tag.get("datetime") or tag.get("content") or "") or text_of(tag)
        )
        if parsed:
            return parsed, tag
    return find_date(soup, near, position, stats.chars)


def _byline(soup: BeautifulSoup, main: Tag, mains: list[Tag], selectors: Selectors):
    if selectors.byline and (tag := soup.select_one(selectors.byline)) and text_of(tag):
        return byline_name(text_of(tag)), tag
    near = _last_blocks(main) + _following_blocks(main)
    # An explicit author line beats a photo credit ("Ảnh: X") or a bare right-aligned name.
    ranked = (
        [t for t in near if has_author_hint(t) and looks_like_byline(t)]
        + [t for t in near if is_strong_byline(t)]
        + [t for t in near if looks_like_byline(t)]
    )
    if ranked:
        return byline_name(text_of(ranked[0])), ranked[0]
    for tag in author_elements(soup):
        return byline_name(text_of(tag)), tag
    return "", None


def _last_blocks(main: Tag, count: int = 3) -> list[Tag]:
    """The last few non-empty leaf blocks of the main block, last first."""
    leaves = [
        t
        for t in main.find_all(["p", "div", "td"])
        if text_of(t) and not t.find(["p", "div", "td"])
    ]
    return leaves[::-1][:count]


def _following_blocks(main: Tag, count: int = 3) -> list[Tag]:
    found: list[Tag] = []
    for sibling in main.find_next_siblings(True):
        if is_boilerplate(sibling) and not looks_like_byline(sibling):
            continue
        found += [sibling] if not sibling.find(["p", "div"]) else sibling.find_all(["p", "div"])[:2]
        if len(found) >= count:
            break
    return [t for t in found if text_of(t)][:count]


def _category(soup: BeautifulSoup, title: str, selectors: Selectors) -> str:
    if selectors.category and (tag := soup.select_one(selectors.category)) and text_of(tag):
        return text_of(tag)
    return find_category(soup, title)


def _clean_paragraphs(parts: list[str], title: str, sapo: str, author: str) -> list[str]:
    kept = []
    for text in parts:
        if text in (title, sapo) or _SHARE_WORDS.match(text):
            continue
        if (
            len(text) <= 60
            and parse_vietnamese_date(text)
            and not re.search(r"[a-zà-ỹ]{3,}\s+[a-zà-ỹ]{3,}\s+[a-zà-ỹ]{3,}", text)
        ):
            continue  # a date line, not a sentence
        kept.append(clean_text(text))
    return kept


def _bold_lead(main: Tag, first: str) -> bool:
    """A first paragraph that is wholly bold and long is the sapo on many CMSs."""
    if len(first) < 60:
        return False
    for tag in main.find_all(["p", "div", "h2"], limit=5):
        if text_of(tag) == first:
            bold = clean_text(" ".join(b.get_text(" ") for b in tag.find_all(["strong", "b"])))
            return bold == first
    return False
