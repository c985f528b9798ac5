"""Vietnamese text analysis for tracuu, engine-neutral (no search-engine import here).

Whoosh (``indexer.whoosh_analysis``) and any later engine (tantivy) wrap these pure functions,
so a document and a query are always cut into exactly the same tokens.

Pipeline: ``normalize`` (NFC, Ð→Đ, one tone-mark style) → lowercase → syllables. ``fold`` gives
the diacritic-free form used for queries typed without accents.

Tone-mark style: the mark sits on the FIRST vowel of an open oa/oe/uy syllable ("hòa", "khỏe",
"thủy", "ủy"); "hoà", "khoẻ", "thuỷ", "uỷ" are rewritten to it. Measured on the corpora in
../shared: dantri-2020 has 8,147 first-vowel forms against 59 second-vowel forms, baomoi-2017
100,021 against 37, so this style keeps highlighted and suggested text looking like the articles.
Only the 15 oa/oe/uy pairs (3 nuclei × 5 tones) move, and only when nothing but consonants
(never q, never gi) precedes and nothing follows: "hoàng", "thuyết", "khuỷu", "quý" stay as they
are, and a tone never leaves ă/â/ê/ô/ơ/ư because those vowels are not in the pattern.

Tokens: runs of letters and digits. A '.' or ',' between two digits stays inside the token
("1.000", "5,02"). A hyphenated run is split into its parts, which stay adjacent (they pair):
"Bà Rịa-Vũng Tàu" and "Mát-xcơ-va" because Vietnamese writes the same names with spaces
elsewhere and a search for "vũng tàu" must find both; "Covid-19", "F-16" and "SARS-CoV-2"
because a search for "covid" must find "Covid-19" (583 dantri-2020 articles write "Covid-19",
41 a bare "Covid"), while "covid-19" itself still finds it through its pair ("covid_19").
'_' is never part of a token: it joins syllable pairs.

Stopwords: the index keeps every syllable with its position, and ``STOPWORDS`` is empty.
``bench/stopword_stats.py`` measured syllable document frequency on dantri-2020 (2,653 articles,
1.83 M tokens): "và" 98.5%, "của" 96.8%, "có" 95.9%, "trong" 95.6%, "được" 94.9%, "là" 93.6% …
21 syllables are in ≥ 80% of articles and the 50th ("bị") is still in 62.8%: the curve is flat,
so no small list removes the cost, while dropping them makes phrases such as "Bộ Kế hoạch và
Đầu tư" or "người có công" unmatchable and single-syllable queries ("ở", "và") empty.
``COMMON_SYLLABLES`` (those 21, plus their folded forms) lets a query builder make such
syllables optional in AND queries — the slow case in Whoosh — while phrases still use them.

Throughput (same script, 1.83 M tokens, a shared 2-core machine under load ≈ 2.7): tokenize()
≈ 550k tokens/s warm (best of 3), ≈ 520k cold. The Whoosh wrapper also remembers the last few
texts, so one article feeding four fields is tokenized once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

PAIR_JOINER = "_"
# Longer "words" are base64 blobs, hashes or run-together garbage; they only bloat the index.
MAX_TOKEN_CHARS = 64

STOPWORDS: frozenset[str] = frozenset()


_TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng
_NUCLEI = (("o", "a"), ("o", "e"), ("u", "y"))
_ONSET = "bcdđghklmnprstvx"  # no q (qu- is an onset), no i (gi- is an onset)
_MARK_RANGE = "\u0300-\u036f"
_LOOKALIKE_D = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})  # Ð ð → Đ đ


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _build_tone_table() -> dict[str, str]:
    """Map every second-vowel spelling ("oà", "OÀ", "Uỷ", …) to its first-vowel spelling."""
    table: dict[str, str] = {}
    for first, second in _NUCLEI:
        for mark in _TONE_MARKS:
            for first_case in (first, first.upper()):
                for second_case in (second, second.upper()):
                    moved_from = first_case + _nfc(second_case + mark)
                    table[moved_from] = _nfc(first_case + mark) + second_case
    return table


_TONE_TABLE = _build_tone_table()
_TONED_SECOND = "".join(sorted({pair[1] for pair in _TONE_TABLE}))
_TONE_RE = re.compile(
    rf"(?<![\w{_MARK_RANGE}])([{_ONSET}]*)([ou][{_TONED_SECOND}])(?![\w{_MARK_RANGE}])",
    re.IGNORECASE,
)


def _move_tone(match: re.Match[str]) -> str:
    nucleus = match.group(2)
    return match.group(1) + _TONE_TABLE.get(nucleus, nucleus)


def canonical_tones(text: str) -> str:
    """Rewrite open oa/oe/uy syllables to the first-vowel style: hoà→hòa, THUỶ→THỦY, uỷ→ủy.

    Expects NFC text; keeps case and length (characters are only swapped in place).
    """
    return _TONE_RE.sub(_move_tone, text)


def normalize(text: str) -> str:
    """NFC, Ð/ð→Đ/đ and canonical tone placement; case is kept; idempotent.

    The result has the same length as ``unicodedata.normalize("NFC", text)``, so offsets into
    it are offsets into the NFC text (and into ``text`` itself when that is already NFC).
    """
    return canonical_tones(_nfc(text).translate(_LOOKALIKE_D))


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in map(chr, range(0x300, 0x370))}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code) and base.isascii():
            table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d", ord("Ð"): "D"})
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Drop every diacritic and map đ/Đ (and the lookalike ð/Ð) to d/D; case is kept."""
    folded = text.translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    # Rare letters outside the table (other scripts' precomposed marks): decompose generically.
    decomposed = unicodedata.normalize("NFD", folded)
    return _nfc("".join(c for c in decomposed if not unicodedata.combining(c)))


# Syllables in >= 80% of dantri-2020 articles (bench/stopword_stats.py), exact and folded.
_MEASURED_COMMON = (
    "và của có trong được là với cho các đã một khi không để đó từ người này theo trên ra"
)
COMMON_SYLLABLES: frozenset[str] = frozenset(
    form for syllable in _MEASURED_COMMON.split() for form in (syllable, fold(syllable))
)


def has_diacritics(token: str) -> bool:
    """True when the token carries any mark that ``fold`` would remove (đ counts)."""
    return fold(token) != token


@dataclass(frozen=True, slots=True)
class Token:
    """One syllable (or number/Latin word) of a text.

    ``start``/``end`` index ``normalize(text)``. ``gap`` is True when sentence punctuation,
    a line break or a dropped over-long token lies between this token and the previous one,
    so the two must not form a pair. The first token has ``gap`` False.
    """

    text: str
    folded: str
    pos: int
    start: int
    end: int
    gap: bool = False


# Building a frozen dataclass goes through object.__setattr__ per field; writing the slots
# directly is 3× faster, and tokenize() builds one Token per syllable of every indexed text.
_SET_TEXT, _SET_FOLDED, _SET_POS, _SET_START, _SET_END, _SET_GAP = (
    Token.__dict__[name].__set__ for name in ("text", "folded", "pos", "start", "end", "gap")
)


def _new_token(text: str, folded: str, pos: int, start: int, end: int, gap: bool) -> Token:
    """The same Token as Token(...), built without the frozen-init overhead."""
    token = object.__new__(Token)
    _SET_TEXT(token, text)
    _SET_FOLDED(token, folded)
    _SET_POS(token, pos)
    _SET_START(token, start)
    _SET_END(token, end)
    _SET_GAP(token, gap)
    return token


# Runs of letters and of marks are taken whole (``+``): the same matches as one character at a
# time, 16% less CPU on article text.
_TOKEN = rf"[^\W_](?:[^\W_]+|[{_MARK_RANGE}]+|(?<=\d)[.,](?=\d)|-(?=[^\W_]))*"
# Sentence and clause punctuation, line breaks, dashes and bullets that end a phrase.
_BREAK = "[.!?;:…\n\r\u2013\u2014|•·]"
# One scan finds tokens (group 1) and breaks; a '.' or ',' inside a number is already part of
# the token match, so only real punctuation reaches the break branch.
_SCAN_RE = re.compile(rf"({_TOKEN})|{_BREAK}")


@lru_cache(maxsize=200_000)
def _forms(raw: str) -> tuple[str, str]:
    """(exact, folded) forms of a token as it appears in normalized text; cached because
    a few thousand syllables make up almost all running text."""
    exact = normalize(raw.lower())
    return exact, fold(exact)


token_forms = _forms  # public: snippet_locate checks a span as tokenize() would


def _spans(raw: str, start: int) -> list[tuple[str, int]]:
    """Split a hyphenated run into its parts, each with its start offset."""
    if "-" not in raw:
        return [(raw, start)]
    spans = []
    for part in raw.split("-"):
        spans.append((part, start))
        start += len(part) + 1
    return spans


def _append_parts(tokens: list[Token], raw: str, start: int, gap: bool) -> bool:
    """Append the tokens of a hyphenated or over-long run; returns the pending ``gap``."""
    for part, part_start in _spans(raw, start):
        if len(part) > MAX_TOKEN_CHARS:
            gap = True
            continue
        exact, folded = _forms(part)
        pos = len(tokens)
        tokens.append(
            Token(exact, folded, pos, part_start, part_start + len(part), gap and pos > 0)
        )
        gap = False
    return gap


def tokenize(text: str) -> list[Token]:
    """Cut text into lowercase syllable tokens with positions and offsets into normalize(text)."""
    normalized = normalize(text)
    tokens: list[Token] = []
    gap = False  # a break since the previous token
    for match in _SCAN_RE.finditer(normalized):
        raw = match.group(1)
        if raw is None:
            gap = True
            continue
        start = match.start()
        if "-" in raw or len(raw) > MAX_TOKEN_CHARS:  # rare: take the slow, general path
            gap = _append_parts(tokens, raw, start, gap)
            continue
        exact, folded = _forms(raw)
        pos = len(tokens)
        tokens.append(_new_token(exact, folded, pos, start, match.end(), gap and pos > 0))
        gap = False
    return tokens


def can_pair(second: Token) -> bool:
    """Whether a token forms a pair with the token before it (no break between them)."""
    return not second.gap


def join_pair(first: str, second: str) -> str:
    return f"{first}{PAIR_JOINER}{second}"


def pair_token(first: Token, second: Token) -> Token:
    """The pair of two adjacent syllables, at the first one's position, spanning both."""
    return Token(
        text=join_pair(first.text, second.text),
        folded=join_pair(first.folded, second.folded),
        pos=first.pos,
        start=first.start,
        end=second.end,
        gap=first.gap,
    )


def pairs(tokens: list[Token]) -> list[Token]:
    """Adjacent syllable pairs ("nông thôn" → "nông_thôn"), never across a break."""
    return [pair_token(a, b) for a, b in zip(tokens, tokens[1:], strict=False) if can_pair(b)]


# -- the indexing fast path ------------------------------------------------------------------
# Indexing needs the token strings, not Token objects with offsets: building ~600k Token
# objects was 45% of the tantivy engine's per-article CPU (bench/bench_engines.py profile).


@dataclass(frozen=True, slots=True)
class TokenStrings:
    """The tokens of ``tokenize(text)`` as plain strings.

    ``exact[i]``/``folded[i]`` are ``tokens[i].text``/``tokens[i].folded``; ``breaks`` lists,
    in order, every position ``i`` whose token has ``gap`` set.
    """

    exact: list[str]
    folded: list[str]
    breaks: list[int]

    def pairs(self, folded: bool = True) -> list[str]:
        """The forms of ``pairs(tokenize(text))``, in the same order."""
        words = self.folded if folded else self.exact
        edges = [0, *self.breaks, len(words)]
        return [
            join_pair(first, second)
            for start, end in zip(edges, edges[1:], strict=False)
            for first, second in zip(words[start : end - 1], words[start + 1 : end], strict=False)
        ]


def token_strings(text: str) -> TokenStrings:
    """``tokenize(text)`` as strings: the same tokens, breaks and order, ~4× less CPU."""
    exact: list[str] = []
    folded: list[str] = []
    breaks: list[int] = []
    gap = False
    forms = _forms
    for raw in _raw_tokens(text):
        if not raw:
            gap = True
            continue
        if gap and exact:
            breaks.append(len(exact))
        gap = False
        word, plain = forms(raw)
        exact.append(word)
        folded.append(plain)
    return TokenStrings(exact, folded, breaks)


def _raw_tokens(text: str) -> Iterator[str]:
    """Token texts as written, with "" for a break or a dropped over-long token.

    NFC is enough here: Ð→Đ and tone placement never move a token boundary, and ``_forms``
    normalizes each distinct token (cached), far cheaper than rewriting the whole text.
    """
    for raw in _SCAN_RE.findall(_nfc(text)):  # the token, or "" where a break matched
        if "-" in raw or len(raw) > MAX_TOKEN_CHARS:  # rare: hyphenated or over-long runs
            for part, _ in _spans(raw, 0):
                yield "" if len(part) > MAX_TOKEN_CHARS else part
        else:
            yield raw
