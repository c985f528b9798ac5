"""HTML text in, Article out: generic article extraction for Vietnamese news and portal pages.

Without selectors, the main block is found from the page's own structure: text is cut into
paragraph units (the nearest block ancestor of each text node), units that sit in boilerplate
(menus, sidebars, footers, related-news and share blocks, by tag or class/id hint) or are mostly
links do not count, and the main block is the deepest element that holds most of the remaining
text. Title, date, sapo, byline and category are then read around it (crawler.extract_fields).

A page is rejected as ``ExtractionError("not an article page")`` only on strong evidence
(crawler.extract_listing): when in doubt it is kept. Every error carries a ``detail`` saying
what was measured, and ``trace`` (a dict the caller passes) receives, for each field, what was
found and why: ``tracuu extract --explain URL`` prints it.

``template`` is what the page's host repeats on its other pages (crawler.host_template): those
blocks neither vote for the main block nor enter the body, and its repeated ``<title>``
segments are the site's name.
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
    has_author_hint,
    is_boilerplate,
    is_strong_byline,
    looks_like_byline,
    meta_content,
)
from crawler.extract_listing import listing_evidence
from crawler.extract_meta import PageMetadata, read_json_ld
from crawler.extract_text import (
    BLOCK_TAGS,
    TextStats,
    clean_text,
    paragraphs,
    remove_noise,
    text_of,
)
from crawler.extract_title import find_title
from crawler.failures import ExtractionError
from crawler.host_template import MAX_DROPPED_IN_BODY, HostTemplate

__all__ = ["ExtractionError", "Selectors", "extract_article"]  # ExtractionError: its old home

MAIN_SHARE = 0.6  # the main block holds at least this share of the page's good text
MIN_UNIT_CHARS = 20  # shorter units (labels, dates, buttons) do not vote for a block
MIN_BODY_CHARS = 80
_SHARE_WORDS = re.compile(
    r"^(?:gửi cho bạn bè|in bài viết|in bài|chia sẻ|lưu bài|gửi bài|bản in|phản hồi|bình luận"
    r"|quay lại|về đầu trang|lên đầu trang|chia sẻ bài viết|gửi email)"
    r"(?:\s*[|/]\s*(?:gửi cho bạn bè|in bài viết|in bài|chia sẻ|lưu bài|bản in|phản hồi))*$",
    re.I,
)

# A heading that ends the article: what follows it is other stories ("Các tin khác").
_OTHER_STORIES_LABEL = re.compile(
    r"^(?:các\s+)?(?:tin|bài(?:\s+viết)?)\s+(?:khác|liên\s+quan|cùng\s+chuyên\s+mục|đã\s+đưa"
    r"|mới\s+hơn|cũ\s+hơn|xem\s+nhiều(?:\s+nhất)?)\s*:?$|^(?:related|more)\s+(?:stories|articles|news)$",
    re.I,
)


@dataclass
class Selectors:
    """Site-specific CSS selectors; a field left None is found generically."""

    title: str | None = None
    date: str | None = None
    body: str | None = None
    byline: str | None = None
    category: str | None = None
    drop: list[str] = field(default_factory=list)


def extract_article(
    html: str,
    url: str,
    *,
    selectors: Selectors | None = None,
    template: HostTemplate | None = None,
    trace: dict | None = None,
) -> Article:
    """Extract one article; raises ExtractionError when the page is not an article."""
    selectors = selectors or Selectors()
    template = template or HostTemplate()
    trace = trace if trace is not None else {}
    metadata = read_json_ld(html)
    soup = BeautifulSoup(html, "lxml")
    remove_noise(soup)
    for css in selectors.drop:
        for tag in soup.select(css):
            tag.decompose()
    root = soup.body or soup
    position = {id(tag): i for i, tag in enumerate(root.find_all(True))}
    stats = TextStats(root)

    mains = soup.select(selectors.body) if selectors.body else []
    main = mains[0] if mains else find_main_block(root, stats, template.texts)
    if main is None:
        raise ExtractionError("no body text", "no block holds paragraphs of unlinked text")
    trace["main_block"] = _describe(main)

    title, title_tag = _title(soup, main, position, selectors, template, metadata, trace)
    if not title:
        raise ExtractionError("no title", trace["title"]["why"])
    published, date_tag = _date(soup, title_tag or main, position, stats, selectors, metadata)
    trace["published"] = {
        "value": published.isoformat() if published else None,
        "why": _why_date(date_tag, published),
    }
    sapo_tag = find_sapo(soup, title_tag or main, position)
    sapo = text_of(sapo_tag) if sapo_tag is not None else ""
    author, byline_tag = _byline(soup, main, mains, selectors, metadata)
    trace["author"] = {
        "value": author,
        "why": _describe(byline_tag) if byline_tag else "metadata" if author else "none found",
    }

    skip = {id(t) for t in (title_tag, date_tag, sapo_tag, byline_tag) if t is not None}
    skip |= _boilerplate_inside(main, stats)
    body_parts: list[str] = []
    for block in mains or [main]:
        body_parts += paragraphs(block, skip)
    body_parts = _clean_paragraphs(body_parts, title, sapo, author, template.texts)
    if not sapo and body_parts and _bold_lead(main, body_parts[0]):
        sapo, body_parts = body_parts[0], body_parts[1:]
    body = "\n\n".join(body_parts)
    trace["body"] = {"chars": len(body), "paragraphs": len(body_parts)}
    if not mains:
        evidence = listing_evidence(soup, main, stats, title)
        trace["listing"] = {**vars(evidence), "verdict": evidence.reason() or "an article"}
        if reason := evidence.reason():
            raise ExtractionError("not an article page", reason)
    if len(body) < MIN_BODY_CHARS:
        raise ExtractionError(
            "no body text", f"{len(body)} chars of body text (< {MIN_BODY_CHARS})"
        )
    return Article(
        url=url,
        title=title,
        sapo=sapo,
        body=body,
        published=published,
        author=author,
        category=_category(soup, title, selectors),
    )


def _describe(tag: Tag) -> str:
    """A CSS-like name for an element: div.content#main."""
    classes = tag.get("class") or []
    name = tag.name + "".join(f".{c}" for c in classes if isinstance(classes, list))
    return name + (f"#{tag['id']}" if tag.get("id") else "")


def _why_date(tag: Tag | None, published) -> str:
    if published is None:
        return "no date in metadata or in a short date line"
    if tag is None:
        return "metadata (meta tag or JSON-LD datePublished)"
    return f"date line {text_of(tag)[:80]!r} in {_describe(tag)}"


def find_main_block(
    root: Tag, stats: TextStats, template_texts: frozenset[str] = frozenset()
) -> Tag | None:
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
        if template_texts and text_of(unit) in template_texts:
            continue  # the host repeats it on many pages: template, not this page's text
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


def _title(soup, main, position, selectors, template, metadata, trace):
    if selectors.title and (tag := soup.select_one(selectors.title)) and text_of(tag):
        trace["title"] = {"value": text_of(tag), "why": f"selector {selectors.title!r}"}
        return text_of(tag), tag
    choice = find_title(
        soup,
        main,
        position,
        repeated=template.texts,
        site_names=template.site_names,
        json_ld_headline=metadata.headline,
    )
    trace["title"] = {"value": choice.text, "why": choice.why}
    return choice.text, choice.tag


def _date(soup, near, position, stats, selectors, metadata: PageMetadata):
    if selectors.date and (tag := soup.select_one(selectors.date)):
        parsed = parse_vietnamese_date(
            str(tag.get("datetime") or tag.get("content") or "") or text_of(tag)
        )
        if parsed:
            return parsed, tag
    return find_date(soup, near, position, stats.chars, metadata.date_published)


def _byline(soup, main, mains, selectors, metadata: PageMetadata):
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
    return _metadata_author(soup, metadata), None


def _metadata_author(soup: BeautifulSoup, metadata: PageMetadata) -> str:
    """JSON-LD or <meta name="author">, unless it only names the site."""
    name = byline_name(metadata.author or meta_content(soup, "author", "article:author"))
    site = meta_content(soup, "og:site_name").casefold()
    if not name or name.startswith("http") or (site and name.casefold() == site):
        return ""
    return name


def _last_blocks(main: Tag, count: int = 3) -> list[Tag]:
    """The last few non-empty leaf blocks of the main block, last first."""
    leaves = []
    for tag in main.find_all(["p", "div", "td"]):
        if tag.find(["p", "div", "td"]) or not (text := text_of(tag)):
            continue
        if _OTHER_STORIES_LABEL.match(text):
            break  # the article ended above this heading
        leaves.append(tag)
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


def _clean_paragraphs(
    parts: list[str], title: str, sapo: str, author: str, template_texts: frozenset[str]
) -> list[str]:
    kept = []
    for text in parts:
        if _OTHER_STORIES_LABEL.match(text):
            break  # the rest is other stories
        repeated = len(text) <= MAX_DROPPED_IN_BODY and text in template_texts
        if text in (title, sapo) or _SHARE_WORDS.match(text) or repeated:
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
