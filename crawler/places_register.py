"""The administrative registers places are resolved against, read from one generated file.

``crawler/data/places_register.tsv`` holds the pre-2025 register (63 provinces, 696 districts,
~10,000 communes) and the register in force from 1 July 2025 (34 provinces, 3,321 communes),
with the official old → new mapping as ``related`` codes; see
``crawler/data/build_places_register.py`` for its sources and licences. It is read once, on
first use (never at import): ~14,000 lines, ~0.1 s of CPU (BENCHMARKS.md, "Places").

Names are compared by ``name_key``: lowercase, the tone mark moved to the end of each syllable
(so "Thanh Hoá" and "Thanh Hóa" are one name) and hyphens spaced alike ("Bà Rịa-Vũng Tàu").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from crawler.article import VN_TZ, PlaceRef

REGISTER_FILE = Path(__file__).parent / "data" / "places_register.tsv"
PRE_2025, NEW_2025 = "pre-2025", "2025"
REORGANISED_ON = datetime(2025, 7, 1, tzinfo=VN_TZ)

PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
# What level each type word can name; "thành phố" is a province (Hà Nội) or a district-level
# city (thành phố Hà Tĩnh) before 2025, and only a province from 2025.
LEVELS_OF_TYPE: dict[str, tuple[str, ...]] = {
    "tỉnh": (PROVINCE,),
    "thành phố": (PROVINCE, DISTRICT),
    "huyện": (DISTRICT,),
    "quận": (DISTRICT,),
    "thị xã": (DISTRICT,),
    "xã": (COMMUNE,),
    "phường": (COMMUNE,),
    "thị trấn": (COMMUNE,),
    "đặc khu": (COMMUNE,),
}

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Spellings of one syllable of Central Highlands names that papers and the register mix.
_SPELLINGS = {"đắk": "đăk", "đak": "đăk", "đác": "đăk", "đắc": "đăk", "dak": "đăk"}
_PUNCT_VARIANTS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-"})


@lru_cache(maxsize=65536)
def syllable_key(word: str) -> str:
    """One syllable, lowercase, its tone mark moved to the end: "Hoá" and "Hóa" → "hoa" + ́."""
    word = word.lower().translate(_PUNCT_VARIANTS)
    decomposed = unicodedata.normalize("NFD", _SPELLINGS.get(word, word))
    tones = "".join(c for c in decomposed if c in _TONES)
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", base) + tones


def name_key(name: str) -> str:
    """A place name compared without case, tone placement or hyphen spacing differences."""
    spaced = re.sub(r"\s*[-–—]\s*", " ", name)
    return " ".join(syllable_key(w) for w in spaced.split())


def compact_key(name: str) -> str:
    """``name_key`` without spaces: "Đakrông" and "Đa Krông" meet here."""
    return name_key(name).replace(" ", "")


def register_at(when: datetime | None) -> str:
    """The register valid at an article's date; undated articles are read as pre-2025
    (archives are mostly older text, and a name only the new register has is still found
    there: see ``crawler.places``)."""
    if when is None:
        return PRE_2025
    if when.tzinfo is None:
        when = when.replace(tzinfo=VN_TZ)
    return NEW_2025 if when >= REORGANISED_ON else PRE_2025


@dataclass(frozen=True)
class Unit:
    ref: PlaceRef
    level: str
    parent: str  # key of the district or province above, "" for a province
    related: tuple[str, ...]  # keys in the other register


class Register:
    """Both registers: units by key, and keys by (register, level, name key)."""

    def __init__(self, rows: list[list[str]]) -> None:
        raw: dict[str, tuple[str, str, str, str, str, str]] = {}
        for register, code, utype, name, parent, related in rows:
            raw[f"{register}:{code}"] = (register, code, utype, name, parent, related)
        self.units: dict[str, Unit] = {}
        self.by_name: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for key, (register, code, utype, name, parent, related) in raw.items():
            parent_key = f"{register}:{parent}" if parent else ""
            level = self._level(register, parent_key, raw)
            province = self._province_name(key, raw)
            other = NEW_2025 if register == PRE_2025 else PRE_2025
            unit = Unit(
                ref=PlaceRef(name, utype, code, province, register),
                level=level,
                parent=parent_key,
                related=tuple(f"{other}:{c}" for c in related.split(",") if c),
            )
            self.units[key] = unit
            self.by_name[(register, level, name_key(name))].append(key)
            if " " in name or "-" in name:  # "Đakrông" is written for "Đa Krông"
                self.by_name[(register, level, compact_key(name))].append(key)

    @staticmethod
    def _level(register: str, parent_key: str, raw: dict) -> str:
        if not parent_key:
            return PROVINCE
        grand_parent = raw[parent_key][4]
        if register == PRE_2025 and not grand_parent:
            return DISTRICT
        return COMMUNE

    @staticmethod
    def _province_name(key: str, raw: dict) -> str:
        while raw[key][4]:
            key = f"{raw[key][0]}:{raw[key][4]}"
        return raw[key][3]

    def find(self, register: str, level: str, name: str) -> list[str]:
        return self.by_name.get((register, level, name_key(name)), [])

    def province_of(self, key: str) -> str:
        """The key of the province a unit lies in (itself for a province)."""
        while self.units[key].parent:
            key = self.units[key].parent
        return key

    def district_of(self, key: str) -> str:
        """The key of a pre-2025 commune's district ("" for other units)."""
        unit = self.units[key]
        parent = self.units.get(unit.parent) if unit.parent else None
        return unit.parent if parent is not None and parent.level == DISTRICT else ""

    def related(self, key: str) -> tuple[PlaceRef, ...]:
        return tuple(self.units[k].ref for k in self.units[key].related if k in self.units)

    def names(self, level: str) -> set[str]:
        """Every name of a level in either register ("Hà Tĩnh", "Cẩm Xuyên", …)."""
        return {u.ref.name for u in self.units.values() if u.level == level}


@lru_cache(maxsize=1)
def register() -> Register:
    """The registers, read on first use."""
    rows = []
    with REGISTER_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                rows.append(line.rstrip("\n").split("\t"))
    return Register(rows)


def is_province_name(name: str) -> bool:
    """A province of either register, with or without its type word ("tỉnh Hà Tĩnh")."""
    bare = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", name.strip(), flags=re.IGNORECASE)
    key = name_key(bare)
    return any((r, PROVINCE, key) in register().by_name for r in (PRE_2025, NEW_2025))
