"""Whoosh wrappers around the pure Vietnamese analysis in ``indexer.analysis``.

Whoosh pickles analyzers into the index, so these classes live at module level under stable
names and hold only plain attributes; renaming or moving them makes old indexes unreadable.
No analysis logic lives here: tokens, folding and pairing all come from ``indexer.analysis``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from indexer import analysis
from indexer.analysis import Token as SyllableToken

MODES = ("exact", "folded")


@lru_cache(maxsize=16)
def _syllables(value: str) -> tuple[SyllableToken, ...]:
    """tokenize(), remembered for a few values: one article's text feeds several fields
    (exact, folded, both pair fields) back to back, and each would otherwise re-tokenize it."""
    return tuple(analysis.tokenize(value))


@lru_cache(maxsize=16)
def _strings(value: str) -> analysis.TokenStrings:
    """token_strings(), remembered like ``_syllables``: the indexing path, no offsets."""
    return analysis.token_strings(value)


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    return mode


class VietnameseTokenizer(Tokenizer):
    """Lowercase syllables of ``indexer.analysis.tokenize``, exact ("hòa") or folded ("hoa").

    Tokens carry Whoosh ``pos`` and ``startchar``/``endchar`` (offsets into the NFC text) when
    asked, plus ``gap`` (a break before this syllable) for ``SyllablePairFilter``.
    """

    def __init__(self, mode: str = "exact") -> None:
        self.mode = _check_mode(mode)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietnameseTokenizer) and other.mode == self.mode

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.mode))

    def form(self, token: SyllableToken) -> str:
        return token.folded if self.mode == "folded" else token.text

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        # ``mode`` here is Whoosh's call purpose ("index"/"query"), not self.mode.
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield self._whole_value(t, value, start_pos, start_char)
            return
        if not chars and not keeporiginal:
            yield from self._fast(t, value, positions, start_pos)
            return
        for syllable in _syllables(value):
            t.text = self.form(syllable)
            t.boost = 1.0
            t.stopped = False
            t.gap = syllable.gap
            if keeporiginal:
                t.original = syllable.text
            if positions:
                t.pos = start_pos + syllable.pos
            if chars:
                t.startchar = start_char + syllable.start
                t.endchar = start_char + syllable.end
            yield t

    def _fast(self, t: Token, value: str, positions: bool, start_pos: int) -> Iterator[Token]:
        """The same tokens from ``token_strings`` (indexing asks for no offsets): ~4× less CPU."""
        strings = _strings(value)
        breaks = set(strings.breaks)
        words = strings.folded if self.mode == "folded" else strings.exact
        for pos, word in enumerate(words):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            t.gap = pos in breaks
            if positions:
                t.pos = start_pos + pos
            yield t

    def _whole_value(self, t: Token, value: str, start_pos: int, start_char: int) -> Token:
        """Whoosh asks for the value as one term (prefix, wildcard, range): same forms."""
        text = analysis.normalize(value).lower()
        t.original = text
        t.text = analysis.fold(text) if self.mode == "folded" else text
        t.boost, t.stopped, t.gap = 1.0, False, False
        if t.positions:
            t.pos = start_pos
        if t.chars:
            t.startchar, t.endchar = start_char, start_char + len(text)
        return t


class SyllablePairFilter(Filter):
    """Turns a syllable stream into adjacent pairs ("nông", "thôn" → "nông_thôn").

    A pair sits at its first syllable's position and spans both syllables' characters; no pair
    is made across a break (``gap``). The pair is in whatever form the tokenizer produced.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous: tuple[str, int, int] | None = None  # text, pos, startchar of the last syllable
        for t in tokens:
            current = (t.text, getattr(t, "pos", 0), getattr(t, "startchar", 0))
            if previous is not None and not getattr(t, "gap", False):
                t.text = analysis.join_pair(previous[0], current[0])
                if t.positions:
                    t.pos = previous[1]
                if t.chars:
                    t.startchar = previous[2]
                yield t
            previous = current


def exact_analyzer() -> VietnameseTokenizer:
    """Exact lowercase syllables: "Hoà Bình" → "hòa", "bình"."""
    return VietnameseTokenizer("exact")


def folded_analyzer() -> VietnameseTokenizer:
    """Diacritic-free syllables: "Đà Nẵng" → "da", "nang"."""
    return VietnameseTokenizer("folded")


def pair_analyzer(folded: bool) -> CompositeAnalyzer:
    """Adjacent-syllable pairs, folded ("nong_thon") or exact ("nông_thôn")."""
    return VietnameseTokenizer("folded" if folded else "exact") | SyllablePairFilter()
