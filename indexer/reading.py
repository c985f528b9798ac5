"""How a run of plain query words is read as Vietnamese words (units of syllables).

A Vietnamese word spans syllables ("nông thôn", "Ủy ban nhân dân", "Võ Trọng Hải"), and a
word matches only where its syllables stand together. The query language has no word
boundaries, so they are decided here, from evidence only:

- a written word that the tokenizer splits ("Covid-19", "Bà Rịa-Vũng Tàu") is one unit;
- a capitalised run of two or more words is a name ("Hà Tĩnh", "Võ Trọng Hải") and one unit,
  whether or not the archive holds it (a name nobody wrote finds nothing, which is the truth).
  A longer run the archive does not hold whole is split where it divides into names the
  archive does hold, each of two words or more ("Hà Tĩnh Nghệ An"); one that does not stays
  whole. The query's first word may be capitalised only because it starts the sentence, so it
  joins a run of three or more only where the archive writes the two together. An acronym
  ("OCOP", "UBND")
  is a word of its own, not part of a name;
- a short stretch of other words (at most ``MAX_WORD_SYLLABLES`` syllables) is read greedily,
  longest first, as the runs the archive itself holds contiguously ("nông thôn mới" +
  "2024"). Measured on 12.6k real articles, pair statistics could not tell a place or a
  compound from a chance neighbour: "Vị Xuyên" (4 articles) is no more associated than the
  known-item queries' chance pairs ("nung khap", 2), because both of its syllables are common
  on their own. What the archive holds contiguously is the evidence that separates them;
- a longer stretch (a pasted sentence, several keywords) keeps one syllable per unit, so it
  still finds its article wherever its words stand.

``exists`` answers whether the archive holds a run contiguously (with the diacritics the user
typed); the engine supplies it. The page states the reading and offers to loosen it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from indexer.analysis import Token

# Compounds and names in the dev queries run to five syllables ("xây dựng nông thôn mới");
# the known-item keyword queries (three two-syllable words) are six.
MAX_WORD_SYLLABLES = 5
# A query written all in title case this long is a pasted headline, not a list of names.
MAX_TITLE_CASE_WORDS = 4


class Exists(Protocol):
    """Whether the archive holds the syllables contiguously, with the diacritics typed (in
    any form with ``fold``)."""

    def __call__(self, tokens: Sequence[Token], fold: bool = False) -> bool: ...


@dataclass(frozen=True)
class Word:
    """One query word as typed (a whitespace-separated item) and its syllable tokens."""

    text: str
    tokens: tuple[Token, ...]
    break_after: bool = False  # clause punctuation follows: no word spans it

    @property
    def capitalised(self) -> bool:
        letters = [ch for ch in self.text if ch.isalpha()]
        return bool(letters) and letters[0].isupper()

    @property
    def acronym(self) -> bool:
        letters = [ch for ch in self.text if ch.isalpha()]
        return len(letters) > 1 and all(ch.isupper() for ch in letters)


def read_units(words: Sequence[Word], exists: Exists, group: bool = True) -> list[tuple[int, int]]:
    """The units of a run of words as (first, end) word-index spans, in order.

    With ``group`` False every word is its own unit (the loosened reading).
    """
    count = len(words)
    if not group or count < 2:
        return [(i, i + 1) for i in range(count)]
    units: list[tuple[int, int]] = []
    start = 0
    for name_start, name_end in _names(words, exists):
        units += _read_stretch(words, start, name_start, exists)
        units.append((name_start, name_end))
        start = name_end
    units += _read_stretch(words, start, count, exists)
    return units


def _names(words: Sequence[Word], exists: Exists) -> list[tuple[int, int]]:
    """Spans of capitalised runs of at least two words (see the module docstring)."""
    lettered = [w for w in words if any(c.isalpha() for c in w.text)]
    if all(w.acronym for w in lettered):
        return []  # shouting: capitals say nothing here
    flags = [w.capitalised and not w.acronym for w in words]
    if all(w.capitalised for w in words) and len(words) > MAX_TITLE_CASE_WORDS:
        return []  # a pasted title-case headline, not a list of names
    spans = []
    i = 0
    while i < len(words):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(words) and flags[j]:
            j += 1
            if words[j - 1].break_after:
                break
        if i == 0 and j - i >= 3 and not _first_pair_held(words, exists):
            i = 1  # the first word is capitalised as the sentence's start
        if j - i >= 2:
            spans += _split_name_run(words, i, j, exists) or [(i, j)]
        i = j
    return spans


def _first_pair_held(words: Sequence[Word], exists: Exists) -> bool:
    """Whether the archive writes the query's first two words together: with the diacritics
    typed, or in any form when the first word was typed without any ("Nguyen Xuân Phúc" is a
    name typed lazily; "Bão Hà Tĩnh" starts with a capitalised common word)."""
    tokens = _tokens(words, 0, 2)
    bare = all(t.text == t.folded for t in words[0].tokens)
    return exists(tokens) or (bare and exists(tokens, fold=True))


def _split_name_run(words: Sequence[Word], start: int, end: int, exists: Exists):
    """The run start..end as names the archive holds, each of two words or more, longest
    first; None when it does not divide so (then it is one name)."""
    if end - start < 2:
        return None
    if exists(_tokens(words, start, end)):
        return [(start, end)]
    for cut in range(end - 2, start + 1, -1):
        if end - cut >= 2 and exists(_tokens(words, start, cut)):
            rest = _split_name_run(words, cut, end, exists)
            if rest is not None:
                return [(start, cut), *rest]
    return None


def _read_stretch(words: Sequence[Word], start: int, end: int, exists: Exists) -> list:
    """Units of the words start..end (no names among them), greedy longest-held-run first."""
    syllables = sum(len(w.tokens) for w in words[start:end])
    if syllables > MAX_WORD_SYLLABLES:
        return [(i, i + 1) for i in range(start, end)]
    units = []
    i = start
    while i < end:
        j = _clause_end(words, i, end)
        while j > i + 1 and not exists(_tokens(words, i, j)):
            j -= 1
        units.append((i, j))
        i = j
    return units


def _clause_end(words: Sequence[Word], start: int, end: int) -> int:
    """The end of the words from ``start`` that no break divides (at most ``end``)."""
    for i in range(start, end):
        if words[i].break_after:
            return i + 1
    return end


def _tokens(words: Sequence[Word], start: int, end: int) -> list[Token]:
    return [t for w in words[start:end] for t in w.tokens]
