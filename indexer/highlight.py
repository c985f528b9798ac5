"""Snippets and highlighting on stored text, engine-neutral.

Matching is done on folded tokens from the same analyzer the index uses, so a word matched
without diacritics ("nong thon" → "nông thôn") is highlighted like any other. Output is HTML:
the article text is escaped first, then matches are wrapped in <mark>.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from indexer.analysis import Token, has_diacritics, tokenize
from indexer.place_marks import merged
from indexer.snippet_locate import best_anchor, best_window, has_marks, matches, token_spans

SNIPPET_TOKENS = 36
MAX_SCAN_CHARS = 20_000  # long bodies: look for the snippet in the first part only
CHUNK_CHARS = 3_500  # tokenized at a time while looking for the first match
TAIL_CHARS = 400  # read past the matching chunk: room for a window that starts near its end
REGION_BEFORE = 48  # characters tokenized before the best match: the window's lead-in
REGION_CHARS = 320  # characters tokenized after it (doubled while the window would be short)
REGION_SPARE_TOKENS = 8  # tokens beyond a full window, so later matches can still count
_SPACE_RE = re.compile(r"\s")


def query_keys(terms: Iterable[str], exact_accents: bool = True) -> frozenset[str]:
    """What a matched token is, per query syllable (the matching contract): its exact form
    where the user typed diacritics ("bão" marks "bão", never "báo"), its folded form where
    they typed none ("bao" marks every form)."""
    keys: set[str] = set()
    for term in terms:
        for tok in tokenize(term):
            keys.add(tok.text if exact_accents and has_diacritics(tok.text) else tok.folded)
    return frozenset(keys)


def _is_match(tok: Token, keys: frozenset[str]) -> bool:
    # An exact key has diacritics, so it never equals a folded form, and vice versa.
    return tok.folded in keys or tok.text in keys


def _matched(tokens: list[Token], keys: frozenset[str]) -> list[bool]:
    return [_is_match(tok, keys) for tok in tokens]


def mark_text(text: str, keys: frozenset[str], places: list | tuple = ()) -> str:
    """The whole text, escaped, with every matching token wrapped in <mark>; ``places``:
    tokens of place mentions to mark too (``place_marks.place_matches``)."""
    if not keys and not places:
        return escape(text)
    found = matches(text, keys) if keys else []
    if found is None or (not found and has_marks(text)):
        tokens = tokenize(text)  # place tokens are spans of a text without combining marks
        return _render(text, tokens, _matched(tokens, keys), 0, len(text))
    found = merged(found, list(places))
    return _render_marks(text, [(start, end) for start, end, _ in found], 0, len(text))


def snippet(
    text: str, keys: frozenset[str], size: int = SNIPPET_TOKENS, places: list | tuple = ()
) -> str:
    """The window of ``size`` tokens covering the most distinct query words (and places:
    the tokens of place mentions in the first MAX_SCAN_CHARS, ``place_marks``), as HTML.

    The matches are located without tokenizing (``snippet_locate``: one regular expression
    over the lowercased first MAX_SCAN_CHARS), and only the token boundaries of a region of
    about REGION_CHARS around the best place are read: the work per hit no longer grows with
    the article, and no Token object is built.
    """
    scan_end = min(len(text), MAX_SCAN_CHARS)
    found = matches(text[:scan_end], keys) if keys else []
    if found is None or (not found and has_marks(text, 0, scan_end)):
        return _chunked_snippet(text, keys, size)
    found = merged(found, list(places))
    if not found:  # no match: the start of the text
        return _region_snippet(text, 0, [], size) if text else ""
    return _region_snippet(text, best_anchor(found, size), found, size)


def _region_snippet(text: str, anchor: int, found: list, size: int) -> str:
    """The best window among the tokens of a region around ``anchor``, widened until it
    holds a full window after the anchor (or the text ends), as HTML with ellipses."""
    start = _cut_before(text, anchor - REGION_BEFORE)
    after = REGION_CHARS
    while True:
        end = _cut_after(text, anchor + after, len(text))
        spans = token_spans(text, start, end)
        first = next((i for i, (s, _) in enumerate(spans) if s >= anchor), len(spans))
        if end >= len(text) or len(spans) - first >= size + REGION_SPARE_TOKENS:
            break
        after *= 2
    if not spans:
        return ""
    keys_at = {s: key for s, _, key in found if start <= s < end}
    best = best_window(spans, keys_at, size)
    window = spans[best : best + size]
    low, high = window[0][0], window[-1][1]
    marks = [(s, e) for s, e in window if s in keys_at]
    html = _render_marks(text, marks, low, high)
    return ("… " if low > 0 else "") + html + (" …" if high < len(text) else "")


def _render_marks(text: str, marks: list[tuple[int, int]], start: int, end: int) -> str:
    """``text[start:end]`` escaped, each (start, end) span of ``marks`` (in order) marked."""
    parts: list[str] = []
    cursor = start
    for low, high in marks:
        if low < start or high > end:
            continue
        parts.append(escape(text[cursor:low]))
        parts.append("<mark>" + escape(text[low:high]) + "</mark>")
        cursor = high
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def _cut_before(text: str, at: int) -> int:
    """The position just after the last whitespace before ``at`` (0 at the text's start):
    a region starts between words, never inside one."""
    if at <= 0:
        return 0
    found = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at))
    return found + 1 if found >= 0 else 0


def _chunked_snippet(text: str, keys: frozenset[str], size: int) -> str:
    """The snippet found by tokenizing chunk by chunk (``CHUNK_CHARS``) up to the first chunk
    holding a match: for the rare text whose offsets folding would shift."""
    scan_end = min(len(text), MAX_SCAN_CHARS)
    start, first_chunk = 0, None
    while start < scan_end:
        end = _cut_after(text, start + CHUNK_CHARS, scan_end)
        tokens = tokenize(text[start:end])
        if first_chunk is None:
            first_chunk = (end, tokens)
        if keys and any(_is_match(tok, keys) for tok in tokens):
            # Read a little further so a window near the chunk's end is not cut short.
            tail_end = _cut_after(text, end + TAIL_CHARS, len(text))
            tokens += _shifted(tokenize(text[end:tail_end]), end - start)
            return _window_html(text, start, tail_end, tokens, keys, size)
        start = end
    if first_chunk is None:
        return ""
    end, tokens = first_chunk
    return _window_html(text, 0, end, tokens, frozenset(), size)


def _cut_after(text: str, at: int, limit: int) -> int:
    """The first whitespace position at or after ``at`` (at most ``limit``): chunks end
    between words, never inside one."""
    if at >= limit:
        return limit
    found = _SPACE_RE.search(text, at, limit)
    return found.start() if found else limit


def _shifted(tokens: list[Token], by: int) -> list[Token]:
    return [Token(t.text, t.folded, t.pos, t.start + by, t.end + by, t.gap) for t in tokens]


def _window_html(
    text: str, offset: int, end: int, tokens: list[Token], keys: frozenset[str], size: int
) -> str:
    """The best window of ``text[offset:end]`` (its ``tokens``) as HTML, with ellipses
    where the text is cut."""
    if not tokens:
        return ""
    part = text[offset:end]
    hits = _matched(tokens, keys) if keys else [False] * len(tokens)
    best = _best_window(tokens, hits, size)
    window = tokens[best : best + size]
    start, stop = window[0].start, window[-1].end
    html = _render(part, tokens, hits, start, stop)
    prefix = "… " if offset + start > 0 else ""
    suffix = " …" if offset + stop < len(text) else ""
    return prefix + html + suffix


def _best_window(tokens: list[Token], hits: list[bool], size: int) -> int:
    """Start of the window with the most distinct matched words (then most matches)."""
    keys_at = {tok.start: tok.folded for tok, hit in zip(tokens, hits, strict=True) if hit}
    return best_window([(tok.start, tok.end) for tok in tokens], keys_at, size)


def _render(text: str, tokens: list[Token], hits: list[bool], start: int, end: int) -> str:
    parts: list[str] = []
    cursor = start
    for tok, hit in zip(tokens, hits, strict=True):
        if not hit or tok.start < start or tok.end > end:
            continue
        parts.append(escape(text[cursor : tok.start]))
        parts.append("<mark>" + escape(text[tok.start : tok.end]) + "</mark>")
        cursor = tok.end
    parts.append(escape(text[cursor:end]))
    return "".join(parts)
