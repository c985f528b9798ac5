"""A readable word-level diff between the last two recorded versions of an article.

The store keeps every version; the article page shows what changed between the last two.
Text is escaped before it is wrapped in <ins>/<del>, so a changed article cannot inject HTML.
Long unchanged stretches are shortened to their edges, so a one-word correction in a long
article stays visible.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

CONTEXT_WORDS = 25  # unchanged words kept on each side of a change
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Version:
    recorded_at: datetime
    title: str
    body: str


@dataclass(frozen=True)
class VersionDiff:
    versions: tuple[Version, ...]  # oldest first
    old: Version
    new: Version
    title_html: str  # escaped, with <ins>/<del>
    body_html: str  # escaped, with <ins>/<del>; paragraphs kept as newlines
    changed: bool  # False when the two versions have the same text


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _shorten(words: list[str], *, first: bool, last: bool) -> str:
    """An unchanged run, cut to its edges when long (never the edges facing a change)."""
    count = sum(1 for w in words if not w.isspace())
    if count <= 2 * CONTEXT_WORDS + 5:
        return "".join(words)
    keep = 2 * CONTEXT_WORDS  # words + the whitespace between them
    head = "" if first else "".join(words[:keep])
    tail = "" if last else "".join(words[-keep:])
    return f"{head} […] {tail}".strip() + (" " if tail == "" else "")


def word_diff_html(old: str, new: str, *, shorten: bool = True) -> str:
    """HTML of ``new`` compared with ``old``: removed words in <del>, added ones in <ins>."""
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    parts: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            run = a[i1:i2]
            text = (
                _shorten(run, first=n == 0, last=n == len(opcodes) - 1) if shorten else "".join(run)
            )
            parts.append(escape(text))
            continue
        if i2 > i1:
            parts.append("<del>" + escape("".join(a[i1:i2])) + "</del>")
        if j2 > j1:
            parts.append("<ins>" + escape("".join(b[j1:j2])) + "</ins>")
    return "".join(parts)


def latest_diff(versions: Sequence[tuple[datetime, str, str]]) -> VersionDiff | None:
    """The diff of the last two versions, or None when there are fewer than two."""
    ordered = tuple(sorted((Version(*v) for v in versions), key=lambda v: v.recorded_at))
    if len(ordered) < 2:
        return None
    old, new = ordered[-2], ordered[-1]
    return VersionDiff(
        versions=ordered,
        old=old,
        new=new,
        title_html=word_diff_html(old.title, new.title, shorten=False),
        body_html=word_diff_html(old.body, new.body),
        changed=(old.title, old.body) != (new.title, new.body),
    )


__all__ = ["Version", "VersionDiff", "latest_diff", "word_diff_html"]
