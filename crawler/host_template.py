"""Learn each host's template from its own pages: what repeats on many of them is not content.

Menus, banners, "Các tin khác" headings, footers and the site name in ``<title>`` are the same on
every page of a host, while an article's sentences and headline are its own. Counting on how many
of a host's pages each text block appears therefore finds the template without knowing the site.
This needs the host's other pages, so it runs where extraction runs over a collection (WARC
re-extraction); the per-page extractor stays pure and receives the result as data.

Blocks are read with a regular expression, not a parser: the count must be cheap beside the
extraction itself, and a block it splits differently is merely not recognised.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.extract_text import BLOCK_TAGS, clean_text

MIN_PAGES = 5  # fewer pages of a host cannot show what repeats
REPEAT_SHARE = 0.3  # a block on this share of a host's pages is template
MIN_REPEATS = 3
MAX_BLOCK_CHARS = 300  # longer blocks are text, even when quoted on several pages
# Inside the article only short repeated lines are dropped ("Các tin khác", a standing credit):
# a longer one may be this story's own lead, shown as a teaser on every page of the host.
MAX_DROPPED_IN_BODY = 100

# Link text is left out: links are judged by link density, and a story linked from every page
# (a most-read list) must stay that story's headline on its own page.
_NOISE = re.compile(r"<(script|style|noscript|template|a)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(BLOCK_TAGS)) + r")\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_SEPARATORS = re.compile(r"\s+(?:[|–—»]|-{1,2}|::)\s+")


@dataclass(frozen=True)
class HostTemplate:
    """Text blocks and ``<title>`` segments that repeat across one host's pages."""

    texts: frozenset[str] = frozenset()
    site_names: frozenset[str] = frozenset()
    pages: int = 0


@dataclass
class TemplateLearner:
    """Feed it every page of a collection, then ask for each host's template."""

    _urls: set[str] = field(default_factory=set)
    _pages: Counter = field(default_factory=Counter)
    _blocks: dict[str, Counter] = field(default_factory=dict)
    _segments: dict[str, Counter] = field(default_factory=dict)

    def add(self, url: str, html: str) -> None:
        if url in self._urls:  # a re-crawl's second capture is not a second page
            return
        self._urls.add(url)
        host = host_of(url)
        self._pages[host] += 1
        self._blocks.setdefault(host, Counter()).update(set(text_blocks(html)))
        self._segments.setdefault(host, Counter()).update(set(title_segments(html)))

    def template(self, url: str) -> HostTemplate:
        host = host_of(url)
        pages = self._pages[host]
        if pages < MIN_PAGES:
            return HostTemplate(pages=pages)
        least = max(MIN_REPEATS, REPEAT_SHARE * pages)
        texts = frozenset(t for t, n in self._blocks[host].items() if n >= least)
        names = frozenset(s for s, n in self._segments[host].items() if n >= least)
        return HostTemplate(texts, names, pages)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def text_blocks(html: str) -> list[str]:
    """The page's text cut at block tags, as the extractor's paragraphs are."""
    body = _NOISE.sub(" ", html)
    blocks = []
    for chunk in _BLOCK_TAG.split(body):
        text = clean_text(html_lib.unescape(_ANY_TAG.sub("", chunk)))
        if text and len(text) <= MAX_BLOCK_CHARS:
            blocks.append(text)
    return blocks


def title_segments(html: str) -> list[str]:
    """The first and last " - " / " | " segments of ``<title>``, where a site's name goes."""
    match = _TITLE.search(html)
    if not match:
        return []
    title = clean_text(html_lib.unescape(_ANY_TAG.sub("", match.group(1))))
    parts = _SEPARATORS.split(title)
    return [title] if len(parts) == 1 else [parts[0], parts[-1]]
