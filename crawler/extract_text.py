"""Turn an HTML subtree into plain paragraphs, and measure text for block scoring.

Block-level tags end a paragraph; inline tags join their text. Whitespace inside a paragraph is
collapsed to single spaces; paragraphs are NFC and joined by a blank line by the caller.
"""

from __future__ import annotations

import re
import unicodedata

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "figure",
        "figcaption",
        "form",
        "center",
        "address",
        "hr",
        "br",
    ]
)
# Never text: code, embedded objects, form controls.
NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "map",
)
_SPACE_RE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFC, non-breaking and zero-width spaces removed, whitespace collapsed, trimmed."""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return unicodedata.normalize("NFC", _SPACE_RE.sub(" ", text)).strip()


def remove_noise(soup: BeautifulSoup) -> None:
    """Drop scripts, styles, embedded objects and HTML comments in place."""
    for tag in soup.find_all(NOISE_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def paragraphs(node: Tag, skip: set[int] | None = None) -> list[str]:
    """The paragraphs under ``node``; subtrees whose id() is in ``skip`` are left out."""
    skip = skip or set()
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean_text("".join(buffer))
        if text:
            out.append(text)
        buffer.clear()

    def walk(tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, Comment):
                    buffer.append(str(child))
            elif isinstance(child, Tag) and id(child) not in skip:
                if child.name in BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(node)
    flush()
    return out


def elements(soup: BeautifulSoup, names: frozenset[str] | None = None) -> list[Tag]:
    """Every element of the document in order (or those named), listed once per document.

    Each bs4 find_all() walks the whole tree through its filter machinery; the finders ask
    for several tag lists per page, so they share this one walk (made after noise removal).
    """
    cached = getattr(soup, "_tracuu_elements", None)
    if cached is None:
        cached = soup.find_all(True)
        soup._tracuu_elements = cached
    return cached if names is None else [t for t in cached if t.name in names]


def text_of(node: Tag) -> str:
    return clean_text(node.get_text(" "))


class TextStats:
    """Text length and linked-text length of every element, computed once bottom-up.

    Scoring blocks by calling get_text() on each would be quadratic on deep pages.
    """

    def __init__(self, root: Tag) -> None:
        self.chars: dict[int, int] = {}
        self.link_chars: dict[int, int] = {}
        self._measure(root, in_link=False)

    def _measure(self, tag: Tag, in_link: bool) -> tuple[int, int]:
        in_link = in_link or tag.name == "a"
        total = linked = 0
        for child in tag.children:
            if isinstance(child, NavigableString):
                if isinstance(child, Comment):
                    continue
                n = len(child.strip())
                total += n
                linked += n if in_link else 0
            elif isinstance(child, Tag):
                t, lk = self._measure(child, in_link)
                total += t
                linked += lk
        self.chars[id(tag)] = total
        self.link_chars[id(tag)] = linked
        return total, linked

    def link_density(self, tag: Tag) -> float:
        total = self.chars.get(id(tag), 0)
        return self.link_chars.get(id(tag), 0) / total if total else 0.0
