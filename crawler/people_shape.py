"""The shape of a Vietnamese full name, for names no title or role announces.

"... trước CLB của Lê Công Vinh vừa ...", "các chiến sĩ như Nguyễn Đức Cảnh, Trần Phú ...":
news names many people with nothing around them that says "person". Such a run is taken for a
name when its shape leaves little doubt: a surname, then two or three syllables of which every
one but the last is a known given or middle name syllable (``crawler/data/given_syllables.txt``)
and the last at least a Vietnamese syllable — and nothing around it makes it a place, a street,
an organisation or the tail of a longer capitalised run. Two-syllable runs ("Đồng Tâm", "Lâm
Thao", "Hoa Lâm") are places as often as people, so they need an announcement (or a list that
one of these names opens).

Where a name ends also matters: "Hồ Văn Núi Theo đó ..." and "... Dương Liên quan ..." are
texts whose sentence break was lost; a capitalised word that opens a clause is not a syllable of
the name before it (``starts_clause``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from crawler.people_lexicon import (
    DATA_DIR,
    PhraseSet,
    Token,
    is_vietnamese_syllable,
    lexicon,
    read_list,
    words,
)

MIN_SHAPE_SYLLABLES = 3  # surname + two: "Nguyễn Văn Cừ" yes, "Trần Phú" only when announced

# Words that open a clause or a phrase when capitalised after a name with its full stop lost.
# The ones that are also given names ("Sáng", "Hiện", "Năm") are taken out at load time: a
# word that may be either stays part of the name.
CLAUSE_OPENERS = words(
    "theo trong tại sau khi nhưng tuy ngoài cũng do vì để với đến về còn các những một trước "
    "lúc hôm ngay ngày chiều sáng tối trưa đêm qua hiện được bị đã sẽ đang này đó năm tháng "
    "riêng cùng tiếp thế vậy nếu dù mặc trên dưới giữa bên nhờ bởi song rồi từ chính mọi mỗi "
    "tất buổi không đúng ông bà cụ chị cô cháu thầy"  # a new sentence about someone: "... Trương Gia Bình Ông ..."
)  # fmt: skip
# Two-word openers whose first word is also a given name ("Liên quan" vs "Nguyễn Thị Liên").
CLAUSE_OPENER_PHRASES = [
    "Liên quan", "Liên tục", "Liên tiếp", "Liên hệ", "Liên kết", "Hiện nay", "Hiện tại",
    "Hiện trường", "Năm nay", "Năm ngoái", "Tiếp đó", "Tiếp theo", "Sau đó", "Trước đó",
    "Bên cạnh", "Ngoài ra", "Cùng ngày", "Cùng với", "Chiều cùng ngày", "Sáng cùng ngày",
    "Tuy nhiên", "Qua đó", "Qua lời", "Qua kiểm tra", "Qua điều tra", "Không chỉ",
    "Không những", "Không có", "Hàng năm", "Hàng ngày", "Hàng trăm", "Hàng nghìn",
    "Hàng chục", "Nhân dịp", "Dù vậy", "Mặc dù", "Ảnh :",
]  # fmt: skip

PlacePredicate = Callable[[str], bool]  # a known place name ("Đồng Tâm")? from a register


@dataclass(frozen=True)
class NameShape:
    given: frozenset[str]  # given and middle name syllables, title-cased
    openers: frozenset[str]  # lowercase clause openers that are never given names
    opener_phrases: PhraseSet
    inner_surnames: frozenset[str] = frozenset()  # "Nguyễn Trần Trung Quân": two surnames

    def starts_clause(self, tokens: list[Token], i: int) -> bool:
        """Does the capitalised word at ``i`` open a new clause rather than continue a name?"""
        tok = tokens[i]
        if tok.text.isupper() and len(tok.text) > 1:
            return False  # an ALL-CAPS heading: its words are all capitalised anyway
        return tok.low in self.openers or self.opener_phrases.match(tokens, i) > 0

    def fits_ambiguous(self, parts: list[str]) -> bool:
        """May a run led by an ambiguous surname ("Tập", "Kim", "Y") be a name? Surname + two
        or three syllables, each a given-name syllable or one that carries a Vietnamese mark:
        "Tập Cận Bình", "Kim Tử Long", "Y Lâm Niê" — not "Kim Ngân", "Kim Min Su"."""
        if not MIN_SHAPE_SYLLABLES <= len(parts) <= 4:
            return False
        return all(
            is_vietnamese_syllable(p) and (p in self.given or not p.isascii()) for p in parts[1:]
        )

    def is_full_name(self, parts: list[str]) -> bool:
        """Surname + 2–3 syllables, the inner ones given names, the last Vietnamese-shaped."""
        if not MIN_SHAPE_SYLLABLES <= len(parts) <= 4:
            return False
        *inner, last = parts[1:]
        # a surname that also opens a clause ("Từ Tết Nguyên đán ...") gets no marked syllables
        length = len(parts) if parts[0].lower() not in CLAUSE_OPENERS else 0
        inner_ok = all(self._inner_syllable(p, length) for p in inner)
        return inner_ok and is_vietnamese_syllable(last)

    def _inner_syllable(self, part: str, length: int) -> bool:
        """A middle syllable: a given name, a second surname ("Nguyễn Trần Trung Quân"), the
        "A" of Hmong names ("Mùa A Sáu"); in a three-syllable run also any syllable that
        carries a Vietnamese mark — Sino-Vietnamese names ("Trương Mạn Ngọc", "Võ Tắc Thiên")
        use middle syllables no list of Vietnamese given names holds."""
        if part in self.given or part in self.inner_surnames or part == "A":
            return True
        return length == MIN_SHAPE_SYLLABLES and not part.isascii() and is_vietnamese_syllable(part)


@lru_cache(maxsize=1)
def unit_names() -> frozenset[str]:
    """Names of every administrative unit of both registers ("Đồng Tâm", "Hoàn Kiếm"): read
    from the places register's data file, only when a two-syllable run needs the check."""
    lines = (DATA_DIR / "places_register.tsv").read_text(encoding="utf-8").splitlines()
    rows = (line.split("\t") for line in lines if line and not line.startswith("#"))
    return frozenset(row[3] for row in rows if len(row) > 3)


@lru_cache(maxsize=1)
def name_shape() -> NameShape:
    """Load the given-name syllables once per process."""
    given_set = frozenset(read_list("given_syllables.txt"))
    lowered = {g.lower() for g in given_set}
    return NameShape(
        given=given_set,
        openers=frozenset(w for w in CLAUSE_OPENERS if w not in lowered),
        opener_phrases=PhraseSet(CLAUSE_OPENER_PHRASES),
        inner_surnames=lexicon().surnames - lexicon().ambiguous_surnames,
    )
