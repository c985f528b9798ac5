"""The words of a text as the place scanner and resolver read them: words with offsets, the
gaps between them (which decide name runs, chains and lists), and what a mention is.

Its own module so that ``places`` (finding mentions) and ``places_resolve`` (choosing units)
share it without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_UPPER = "".join(c for c in map(chr, range(0x41, 0x2000)) if c.isupper())
_TYPE_SYLLABLES = "thành|phố|thị|xã|trấn|đặc|khu|tỉnh|huyện|quận|phường|tp|tx"
# Only the words a place can be made of: capitalised words, numbers, type-word syllables.
# Lowercase words stay in the gaps between them, so "a space between two kept words" still
# means they are adjacent in the text (5× fewer words to walk than every word).
KEPT_WORD_RE = re.compile(rf"(?<![^\W_])(?:[{_UPPER}\d][^\W_]*|(?:{_TYPE_SYLLABLES})(?![^\W_]))")
LAST_WORDS_RE = re.compile(r"([^\W_]+)(?:\s+([^\W_]+))?\s+$")

NOT_PLACE_BEFORE = frozenset(
    {"đường", "phố", "ngõ", "ngách", "hẻm", "sông", "cầu", "núi", "đèo", "vịnh", "hồ", "chợ"}
    | {"bến", "ga", "bãi", "biển", "suối", "đầm", "phá", "đảo", "mũi", "cửa", "quốc lộ"}
    | {"tỉnh lộ", "khách sạn"}
)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str  # the type word written ("" for a bare name)
    levels: tuple[str, ...]
    name: str
    first_token: int
    last_token: int
    candidates: dict[str, list[str]] = field(default_factory=dict)  # register → keys
    unit: str = ""  # resolved key, "" when unresolved
    bare: bool = False


class PlaceText:
    """The text as words with offsets; what lies between two words decides chains and lists."""

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(KEPT_WORD_RE.finditer(text))
        self.words = [m.group() for m in matches]
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        self.lows = [w.lower() for w in self.words]
        self.caps = [w[0].isupper() or w.isdigit() for w in self.words]
        self.n = len(self.words)

    def __len__(self) -> int:
        return self.n

    def gap(self, i: int) -> str:
        """The characters between word i and word i+1."""
        if i + 1 >= len(self.words):
            return self.text[self.ends[i] :] if self.words else ""
        return self.text[self.ends[i] : self.starts[i + 1]]

    def capitalised(self, i: int) -> bool:
        return self.caps[i]

    @cached_property
    def run_end(self) -> list[int]:
        """For a capitalised word, the last word of the name-like run it starts ("Cẩm Xuyên",
        "Si-Ma-Cai"); -1 for other words."""
        ends = [-1] * self.n
        for i in range(self.n - 1, -1, -1):
            if not (self.caps[i] and self.words[i].isalpha()):
                continue
            joined = i + 1 < self.n and ends[i + 1] >= 0 and joins_name(self.gap(i))
            ends[i] = ends[i + 1] if joined else i
        return ends

    def is_name_run(self, first: int, last: int) -> bool:
        """Words first..last are capitalised words of one name (joined by spaces/hyphens)."""
        return self.run_end[first] >= last

    def words_before(self, i: int) -> tuple[str, str]:
        """The last word (any kind, lowercase) right before word i and the one before it:
        ("đường", "…") for "đường Hà Nội", ("lộ", "quốc") for "quốc lộ 1"."""
        start = self.starts[i]
        match = LAST_WORDS_RE.search(self.text, max(0, start - 24), start)
        if match is None:
            return "", ""
        one, two = match.group(1).lower(), (match.group(2) or "").lower()
        return (two, one) if two else (one, "")

    def sentence_start(self, i: int) -> bool:
        """Word i opens a sentence or a line, so its capital says nothing about a name."""
        before = self.text[max(0, self.starts[i] - 8) : self.starts[i]].rstrip(" ")
        return not before or before[-1] in '.!?:\n"“('


def joins_name(gap: str) -> bool:
    """Syllables of one name are separated by one space or a hyphen ("Si-Ma-Cai")."""
    return gap == " " or gap.strip() in ("-", "–") and len(gap) <= 3


def inside_other_name_at(t: PlaceText, i: int, end: int) -> bool:
    """Words i..end-1 are part of a longer name: a street's, a river's, a person's."""
    last, previous = t.words_before(i)
    if last in NOT_PLACE_BEFORE or f"{previous} {last}" in NOT_PLACE_BEFORE:
        return True
    if i > 0 and t.gap(i - 1) in (" ", "-") and t.caps[i - 1] and t.words[i - 1].isalpha():
        return not t.sentence_start(i - 1)
    return end < t.n and t.gap(end - 1) in (" ", "-") and t.words[end][0].isupper()
