"""The forms of a text an index stores, built a whole list at a time: the indexing fast path.

``token_strings`` (``indexer.analysis``) walks the tokens in a Python loop; building the
tantivy fields of an article that way cost ~1 ms of CPU, most of it per-token Python (a
loop step, two appends, a pair joined by a function call for each of ~700 tokens). Here
every per-token step is a C-level ``map`` over the list ``findall`` returns:

- ``findall`` with a scan that never joins across '-': a hyphenated run ("Bà Rịa-Vũng",
  "covid-19") then comes out as its parts, adjacent with no break between them, exactly
  as ``tokenize`` splits it (a '-' is neither a token nor a break);
- each raw token's exact and folded forms from two dicts filled on first sight
  (``_FormMemo``: a few thousand syllables make up almost all running text); a token
  longer than MAX_TOKEN_CHARS maps to "" like a break, as ``tokenize`` drops it and breaks;
- pairs of neighbours by ``map`` over the list and itself shifted by one (the first half,
  "form_", remembered too), kept only where neither side is a break ("").

The result is the same strings, in the same order, as ``token_strings`` gives (tested on
random and real texts, and against a digest of the tantivy fields the old path built).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress
from operator import and_, concat

from indexer.analysis import _BREAK, _MARK_RANGE, MAX_TOKEN_CHARS, PAIR_JOINER, _nfc, token_forms

# analysis._TOKEN without its "-(?=[^\W_])" branch: the parts of a hyphenated run. Written
# as letter runs, each followed by marks or a separator between digits, and possessive: the
# same matches, 25% less CPU than _TOKEN's alternation (findall is most of this module's cost).
_PART = rf"[^\W_]++(?:(?:[{_MARK_RANGE}]++|(?<=\d)[.,](?=\d))[^\W_]*+)*+"
_PART_SCAN_RE = re.compile(rf"({_PART})|{_BREAK}")  # findall: the part, or "" at a break
MEMO_LIMIT = 200_000  # distinct raw tokens remembered (numbers and names keep coming)


class _FormMemo(dict):
    """Raw token → one of its forms (exact or folded), computed on first sight; cleared when
    it grows past MEMO_LIMIT, so memory stays bounded on an endless stream of new words."""

    def __init__(self, which: int) -> None:
        super().__init__()
        self._which = which

    def __missing__(self, raw: str) -> str:
        form = "" if len(raw) > MAX_TOKEN_CHARS else token_forms(raw)[self._which]
        if len(self) >= MEMO_LIMIT:
            self.clear()
        self[raw] = form
        return form


_EXACT = _FormMemo(0).__getitem__
_FOLDED = _FormMemo(1).__getitem__


class _JoinedMemo(dict):
    """Form → form + PAIR_JOINER: the first half of every pair it starts, built once."""

    def __missing__(self, form: str) -> str:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        joined = self[form] = form + PAIR_JOINER
        return joined


_JOINED = _JoinedMemo().__getitem__


@dataclass(frozen=True, slots=True)
class IndexForms:
    """A text's tokens in both forms, "" standing where a break lies (a break, a dropped
    over-long token): ``words`` and ``pairs`` give ``token_strings``' lists."""

    exact: list[str]
    folded: list[str]

    def words(self, *, folded: bool = True) -> list[str]:
        """``token_strings(text).folded`` (or ``.exact``)."""
        return list(filter(None, self.folded if folded else self.exact))

    def pairs(self, *, folded: bool = True) -> list[str]:
        """``token_strings(text).pairs(folded)``: neighbours, never across a break."""
        forms = self.folded if folded else self.exact
        following = forms[1:]
        both_words = map(and_, map(bool, forms), map(bool, following))  # False at a break
        return list(compress(map(concat, map(_JOINED, forms), following), both_words))


def index_forms(text: str) -> IndexForms:
    """The exact and folded form of every token of ``text``, "" where a break lies.

    NFC is enough here, as for ``token_strings``: Ð→Đ and tone placement never move a token
    boundary, and ``token_forms`` normalizes each distinct token.
    """
    raws = _PART_SCAN_RE.findall(_nfc(text))
    return IndexForms(list(map(_EXACT, raws)), list(map(_FOLDED, raws)))
