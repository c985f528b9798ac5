"""Is a page a list of other pages (home, category, tag, search) rather than one article?

A page is rejected only on strong evidence, because a dropped article is lost while a kept
listing is merely noise. An article's body is one long run of text without a headline link,
however many related links surround it; a listing's text is cut into teasers by headline
links. So the main block (widened to the whole list when it is one teaser of it) must hold many
headline links and no run that is long (≥ 400 chars) or a third of its text, or a headline
that is itself a menu or breadcrumb entry (a category page, even its last page of three
teasers) over two or more headline links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from crawler.extract_text import TextStats, clean_text, elements, text_of

HEADLINE_LINK_CHARS = 20  # a link this long names another story; "tại đây" does not
LONG_RUN_CHARS = 400  # an article's body holds at least this much text between headline links
MANY_HEADLINE_LINKS = 5
TEASER_SHARE = 0.35  # in a teaser list no one teaser holds this share of the text
_CRUMB_HINT = re.compile(r"breadcrumb|duong-?dan", re.I)
_CRUMB_SPLIT = re.compile(r"\s*[»›>/|]\s*")


@dataclass
class ListingEvidence:
    headline_links: int
    longest_run: int
    unlinked_chars: int
    link_density: float
    title_is_section: bool

    def reason(self) -> str | None:
        """Why the page is a listing, or None when the evidence is not strong enough."""
        share = self.longest_run / self.unlinked_chars if self.unlinked_chars else 0.0
        runs = f"longest text run {self.longest_run} chars, {share:.0%} of the unlinked text"
        short = self.longest_run < LONG_RUN_CHARS
        if self.headline_links >= MANY_HEADLINE_LINKS and (short or share < TEASER_SHARE):
            return f"teaser list: {self.headline_links} headline links, {runs}"
        # A headline that names a section, over a list of two or more linked stories, is
        # evidence enough; a single linked story must also not dominate the text.
        if self.title_is_section and (
            self.headline_links >= 2 or (self.headline_links == 1 and (short or share < 0.5))
        ):
            return f"section page: headline is a menu/breadcrumb entry, {self.headline_links} headline link(s), {runs}"
        if self.title_is_section and self.unlinked_chars < LONG_RUN_CHARS:
            return f"section page: headline is a menu/breadcrumb entry, only {self.unlinked_chars} chars of text"
        if self.link_density > 0.6 and self.longest_run < LONG_RUN_CHARS / 2:
            return f"mostly links ({self.link_density:.0%} of the main block's text), {runs}"
        return None


def listing_evidence(
    soup: BeautifulSoup, main: Tag, stats: TextStats, title: str
) -> ListingEvidence:
    main = _whole_list(main)
    links, run, unlinked = _links_and_runs(main)
    section = _is_section_name(soup, main, title)
    return ListingEvidence(links, run, unlinked, stats.link_density(main), section)


def _whole_list(main: Tag) -> Tag:
    """When the main block is one teaser of a list (a long sapo can outweigh the others), the
    list is what must be judged: its items are siblings alike in tag and class, each linked."""
    node = main
    for _ in range(3):  # the main block may sit inside the item
        parent = node.parent
        if parent is None or parent.name in ("body", "html", "[document]"):
            return main
        alike = [
            c
            for c in parent.find_all(node.name, recursive=False)
            if c.get("class") == node.get("class")
        ]
        if len(alike) >= 3 and all(_has_headline_link(c) for c in alike):
            return parent
        node = parent
    return main


def _has_headline_link(tag: Tag) -> bool:
    return any(len(text_of(a)) >= HEADLINE_LINK_CHARS for a in tag.find_all("a"))


def _links_and_runs(main: Tag) -> tuple[int, int, int]:
    """Headline links in the main block, its longest unlinked text between two of them, and
    all its unlinked text."""
    links = longest = run = unlinked = 0
    stack: list[Tag | NavigableString] = [main]
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            run += len(node.strip())
            unlinked += len(node.strip())
            longest = max(longest, run)
        elif node.name == "a":
            if len(text_of(node)) >= HEADLINE_LINK_CHARS:
                links += 1
                run = 0  # a headline link ends one teaser's text
        else:
            stack.extend(reversed(node.contents))
    return links, longest, unlinked


def _is_section_name(soup: BeautifulSoup, main: Tag, title: str) -> bool:
    """The headline is the text of a menu or breadcrumb entry outside the main block."""
    key = clean_text(title).casefold()
    if not key or len(key) > 80:
        return False
    inside = {id(t) for t in main.descendants}
    for tag in elements(soup):
        if id(tag) in inside:
            continue
        if tag.name == "a" and clean_text(tag.get_text(" ")).casefold() == key:
            return True
        crumbs = tag.get("class") and _CRUMB_HINT.search(" ".join(tag.get("class")))
        if crumbs and key in {part.casefold() for part in _CRUMB_SPLIT.split(text_of(tag))}:
            return True
    return False
