"""Where in a long text a snippet should be cut: found without tokenizing the text.

A results page shows ten snippets, each a window of a few dozen syllables; tokenizing
thousands of characters per hit to find that window was 83% of the tantivy engine's query
time (38k articles, the query mix, cProfile). Here the text is lowercased once and one
regular expression, holding every spelling of every query syllable, finds the places a
query syllable may stand. The caller then tokenizes only a bounded region
around the best place, and marks there what tokenizing the whole text would mark.

The search is a superset: an exact key ("bão") is looked for by every spelling of its
folded form ("bao"), so tone placement ("hoà"/"hòa") and case never hide a match; each place found is
then checked as the analyzer checks a token (its exact and folded forms against the keys),
so "bảo" never passes for "bão", nor the "1" of "1.000" for "1".
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.analysis import MAX_TOKEN_CHARS, fold, token_forms

# Characters of text per syllable, on average: a 36-token window covers about 180 characters.
CHARS_PER_TOKEN = 5


def _spellings() -> dict[str, str]:
    """Each folded letter → every lowercase letter that folds to it (itself first)."""
    found: dict[str, list[str]] = {}
    for code in range(0xC0, 0x1F00):
        letter = chr(code)
        base = fold(letter)
        if len(base) == 1 and base != letter and letter == letter.lower():
            found.setdefault(base, [base]).append(letter)
    return {base: "".join(letters) for base, letters in found.items()}


_SPELLINGS = _spellings()
_MARKS_RE = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=1024)
def key_pattern(keys: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for every spelling of every key, over lowercased text ("dien" →
    ``[dđ][iíìỉĩị][eéè…]n``): a scan at C speed, where folding the text first cost ~20×
    more (``str.translate`` looks up every character)."""
    folded = sorted({fold(k) for k in keys if k}, key=lambda k: (-len(k), k))
    if not folded:
        return None
    return re.compile("|".join(_any_spelling(k) for k in folded))


def _any_spelling(folded: str) -> str:
    return "".join(f"[{_SPELLINGS[c]}]" if c in _SPELLINGS else re.escape(c) for c in folded)


def matches(text: str, keys: frozenset[str]) -> list[tuple[int, int, str]] | None:
    """(start, end, folded form) of every token of ``text`` that a key matches, in order — the
    tokens ``highlight`` would mark — or None when offsets of the lowercased text would not
    line up with the text's tokens (a combining mark NFC could not compose, a letter whose
    lowercase is longer): the caller must tokenize instead."""
    pattern = key_pattern(keys)
    if pattern is None:
        return []
    lowered = text.lower()
    if len(lowered) != len(text) or _MARKS_RE.search(text):
        return None
    found = []
    for m in pattern.finditer(lowered):
        start, end = m.span()
        if not token_edges(lowered, start, end):
            continue
        exact, plain = token_forms(text[start:end])
        if plain in keys or exact in keys:  # the analyzer's own test (highlight._is_match)
            found.append((start, end, plain))
    return found


def token_edges(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole token: no letter or digit on either side, and
    not part of a number such as "1.000" (a '.' or ',' between two digits joins them)."""
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or (
            before in ".," and start > 1 and text[start - 2].isdigit() and text[start].isdigit()
        ):
            return False
    if end < len(text):
        after = text[end]
        if after.isalnum() or (
            after in ".,"
            and end + 1 < len(text)
            and text[end + 1].isdigit()
            and text[end - 1].isdigit()
        ):
            return False
    return True


def best_anchor(found: list[tuple[int, int, str]], size: int) -> int:
    """Offset of the match whose following ~``size`` tokens hold the most distinct keys
    (then the most matches); the first match on ties."""
    span = size * CHARS_PER_TOKEN
    best_at, best_score = found[0][0], (0, 0)
    end = 0
    for i, (start, _, _) in enumerate(found):
        end = max(end, i)
        while end + 1 < len(found) and found[end + 1][0] < start + span:
            end += 1
        inside = found[i : end + 1]
        score = (len({key for _, _, key in inside}), len(inside))
        if score > best_score:
            best_at, best_score = start, score
    return best_at


# Tokens as ``analysis.tokenize`` cuts them, hyphenated runs already in parts; valid where
# the text holds no combining mark (``has_marks``), which tokenize would keep in a token.
_TOKEN_SPAN_RE = re.compile(r"[^\W_](?:[^\W_]+|(?<=\d)[.,](?=\d))*")


def has_marks(text: str, start: int = 0, end: int | None = None) -> bool:
    return _MARKS_RE.search(text, start, len(text) if end is None else end) is not None


def token_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of every token of ``text[start:end]``, no Token objects built."""
    return [
        m.span()
        for m in _TOKEN_SPAN_RE.finditer(text, start, end)
        if m.end() - m.start() <= MAX_TOKEN_CHARS
    ]


def best_window(spans: list[tuple[int, int]], keys_at: dict[int, str], size: int) -> int:
    """Index of the first token of the ``size``-token window with the most distinct keys
    (then the most matches), four tokens of lead-in before it (``highlight._best_window``
    on token spans; ``keys_at`` maps a matching token's start to its folded form)."""
    hit_positions = [i for i, (start, _) in enumerate(spans) if start in keys_at]
    best_start, best_score = 0, (0, 0)
    end_ptr = 0
    for n, start in enumerate(hit_positions):
        end_ptr = max(end_ptr, n)
        while end_ptr + 1 < len(hit_positions) and hit_positions[end_ptr + 1] < start + size:
            end_ptr += 1
        inside = hit_positions[n : end_ptr + 1]
        score = (len({keys_at[spans[i][0]] for i in inside}), len(inside))
        if score > best_score:
            best_start, best_score = start, score
    return max(0, best_start - 4) if best_score[0] else 0
