"""Diacritic restoration for queries typed without diacritics ("Có phải bạn muốn tìm").

For each folded syllable the index offers its exact forms with document frequencies; a
Viterbi pass picks the sequence whose adjacent pairs occur together most often in the index
("ha tinh" → "hà tĩnh", not the more frequent single syllable "tỉnh"). Engine-neutral: the
engine supplies the two frequency look-ups.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from indexer.analysis import fold, normalize, tokenize

Candidates = Callable[[str], list[tuple[str, int]]]  # folded syllable → [(exact form, df)]
PairFrequency = Callable[[str, str], int]  # (exact, exact) → documents with the pair

# Every tone of a folded syllable must stay a candidate: "tinh" has six exact forms and the
# right one ("Hà Tĩnh") is often not among the most frequent alone. Measured on 38k articles:
# 4 candidates gave "hà tỉnh", 12 give "hà tĩnh", at about 10 ms per query more.
MAX_CANDIDATES = 12
PAIR_WEIGHT = 2.0


def suggest_accents(text: str, candidates: Candidates, pair_freq: PairFrequency) -> str | None:
    """The accented form of a diacritic-free query, or None when there is nothing to add."""
    text = normalize(text)
    if not text.strip() or fold(text) != text:
        return None  # the user typed diacritics: they know what they want
    tokens = tokenize(text)
    if not tokens:
        return None
    options = [_options(tok.folded, candidates) for tok in tokens]
    best = _viterbi(options, pair_freq)
    out, cursor = [], 0
    for tok, word in zip(tokens, best, strict=True):
        out.append(text[cursor : tok.start])
        out.append(_match_case(text[tok.start : tok.end], word))
        cursor = tok.end
    out.append(text[cursor:])
    suggestion = "".join(out)
    return suggestion if suggestion != text else None


def _options(folded: str, candidates: Candidates) -> list[tuple[str, float]]:
    found = sorted(candidates(folded), key=lambda c: -c[1])[:MAX_CANDIDATES]
    if not found:
        return [(folded, 0.0)]
    return [(word, math.log1p(df)) for word, df in found]


def _viterbi(options: list[list[tuple[str, float]]], pair_freq: PairFrequency) -> list[str]:
    scores = [score for _, score in options[0]]
    back: list[list[int]] = []
    for prev, current in zip(options, options[1:], strict=False):
        new_scores, pointers = [], []
        for word, unigram in current:
            best_i, best = 0, -math.inf
            for i, (prev_word, _) in enumerate(prev):
                value = scores[i] + PAIR_WEIGHT * math.log1p(pair_freq(prev_word, word))
                if value > best:
                    best_i, best = i, value
            new_scores.append(best + unigram)
            pointers.append(best_i)
        scores, back = new_scores, [*back, pointers]
    index = max(range(len(scores)), key=scores.__getitem__)
    path = [index]
    for pointers in reversed(back):
        index = pointers[index]
        path.append(index)
    path.reverse()
    return [options[pos][i][0] for pos, i in enumerate(path)]


def _match_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
