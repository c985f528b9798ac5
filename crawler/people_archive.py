"""Names the archive itself confirms: a second pass for people named without a title.

An article may name "Trần Phú" or "Nguyễn Sỹ Nhận" with nothing around it that says "person",
while other articles of the same archive name them with a role ("Bí thư Tỉnh ủy Nguyễn Sỹ
Nhận"). An import counts those role-backed names (``role_mentions``) into a lexicon (``confirmed_names``); the
extractor, given that lexicon, accepts the same full name where no role stands
(``extract_people(text, confirmed=...)``). The lexicon is plain data — a frozenset of folded
names — so the extraction stays a pure function of its inputs.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

from crawler.article import Person

MIN_ROLE_MENTIONS = 2  # articles naming the person with a role before the name is confirmed


def folded_name(name: str) -> str:
    """The form names are compared in: no diacritics, đ→d, casefolded ("Vũ Đức Đam")."""
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def role_mentions(people_per_article: Iterable[Iterable[Person]]) -> Counter[str]:
    """Per full name (folded): how many articles state it with a role."""
    counts: Counter[str] = Counter()
    for people in people_per_article:
        counts.update({folded_name(p.name) for p in people if p.role and " " in p.name})
    return counts


def confirmed_names(counts: Counter[str], min_mentions: int = MIN_ROLE_MENTIONS) -> frozenset[str]:
    """The names at least ``min_mentions`` articles state with a role: one stray role reading
    ("Đồng Tâm" taken for a name once) must not make a place a person everywhere."""
    return frozenset(name for name, n in counts.items() if n >= min_mentions)
