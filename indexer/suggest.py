"""Diacritic restoration for queries typed without diacritics ("Có phải bạn muốn tìm").

For each folded syllable the index offers its exact forms with document frequencies; a
Viterbi pass picks the sequence whose adjacent pairs occur together most often in the index
("ha tinh" → "hà tĩnh", not the more frequent single syllable "tỉnh"). Engine-neutral: the
engine supplies the two frequency look-ups.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from indexer.analysis import fold, has_diacritics, normalize, tokenize

Candidates = Callable[[str], list[tuple[str, int]]]  # folded syllable → [(exact form, df)]
PairFrequency = Callable[[str, str], int]  # (exact, exact) → documents with the pair

# Every tone of a folded syllable must stay a candidate: "tinh" has six exact forms and the
# right one ("Hà Tĩnh") is often not among the most frequent alone. Measured on 38k articles:
# 4 candidates gave "hà tỉnh", 12 give "hà tĩnh", at about 10 ms per query more.
MAX_CANDIDATES = 12
PAIR_WEIGHT = 2.0
# A syllable moved one edit away must earn it (log document frequency plus pair evidence).
EDIT_COST = 3.0
EDIT_COST_HELD = 6.0  # … and more to leave a syllable the archive holds
MAX_SPELLING_TOKENS = 8  # longer queries that find nothing: no guess, each edit multiplies


def suggest_accents(text: str, candidates: Candidates, pair_freq: PairFrequency) -> str | None:
    """The accented form of a diacritic-free query, or None when there is nothing to add."""
    text = normalize(text)
    if not text.strip() or fold(text) != text:
        return None  # the user typed diacritics: they know what they want
    tokens = tokenize(text)
    if not tokens:
        return None
    options = [_options(tok.folded, candidates) for tok in tokens]
    return _rewrite(text, tokens, _viterbi(options, pair_freq))


def suggest_spelling(
    text: str, candidates: Candidates, pair_freq: PairFrequency, known: Callable[[str], bool]
) -> str | None:
    """A spelling the archive supports, for a query that found nothing because of a syllable
    the archive does not hold ("covit" → "covid", "nông thông mớii" → "nông thôn mới").
    Each syllable may stay (when the archive holds it, with the diacritics typed) or move one
    edit away to a syllable the archive holds (``known``; typed with diacritics, one edit of
    the word as typed), at a cost that is higher for a syllable the archive holds; the same
    pair Viterbi as ``suggest_accents`` picks the sequence whose neighbours the archive writes
    together. A query of syllables the archive all holds (a name nobody wrote) gets none."""
    text = normalize(text)
    tokens = tokenize(text)
    if not tokens or len(tokens) > MAX_SPELLING_TOKENS:
        return None
    read = [_spelling_options(tok.text, tok.folded, candidates, known) for tok in tokens]
    options = [found for found, _held in read]
    if all(held for _found, held in read) or not all(options):
        return None
    best = _viterbi(options, pair_freq)
    # A syllable typed without diacritics is suggested without them too.
    best = [w if has_diacritics(t.text) else fold(w) for t, w in zip(tokens, best, strict=True)]
    return _rewrite(text, tokens, best)


def _spelling_options(
    typed: str, folded: str, candidates: Candidates, known: Callable[[str], bool]
) -> tuple[list[tuple[str, float]], bool]:
    """(the syllable's options, whether the archive holds it as typed)."""
    accented = fold(typed) != typed
    own = [
        (word, math.log1p(df))
        for word, df in candidates(folded)
        if not accented or word == typed  # diacritics typed are meant
    ]
    cost = EDIT_COST_HELD if own else EDIT_COST
    near = [
        (word, math.log1p(df) - cost)
        for other in sorted(_one_edit(folded))
        if other != folded and known(other)
        for word, df in candidates(other)
        if not accented or _one_edit_apart(typed, word)
    ]
    near.sort(key=lambda option: -option[1])
    return (sorted(own, key=lambda o: -o[1]) + near)[:MAX_CANDIDATES], bool(own)


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether b is one deletion, insertion or substitution from a (letters with their
    diacritics: "thông"/"thôn" are, "thông"/"trong" are not)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, substitution, insertion or transposition away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return {w for w in deletes | swaps | replaces | inserts if w}


def _rewrite(text: str, tokens, words: list[str]) -> str | None:
    out, cursor = [], 0
    for tok, word in zip(tokens, words, strict=True):
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
