"""Places on the search side: what the index holds about administrative units, and how a
place a journalist types is read as the units it may mean.

Everything here comes from the indexed articles' ``Place`` records (crawler/article.py):
the units they were resolved to and, for each, the units of the other register it was
merged into or from (``related``). No register is read at search time, so the search side
knows exactly the units the archive names, under the names the extraction gave them.

Per article the index holds (``place_values``):

- ``place_keys``: the keys ("register:code") of the units the article names;
- ``place_hist``: those keys and their related units' keys, so one term finds an area's
  coverage under every name it has had ("with history": one merger step, old ↔ new);
- ``place_prov``: "register|province" of each named unit (the province facet);
- ``place_dir``: one entry per unit and per related unit, "key|type|name|province|related
  keys": read back over the whole index, the entries are the directory (``PlaceDirectory``)
  that resolves typed names and labels facets and pages.

Names follow the matching contract: typed with diacritics they match only those forms
(tone-mark placement and case ignored), typed without any they match every form (đ→d too).
A type word ("xã", "phường", "tỉnh", …) may be typed or left out; a number is a code, and
"register:code" a key (codes repeat across registers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from crawler.article import PLACE_REGISTERS, Article, Place, PlaceRef
from indexer.analysis import fold, has_diacritics, normalize
from indexer.api import PROVINCE_SEPARATOR, PlaceRead
from indexer.queryplan import HISTORY_FIELD, NO_PLACE, PLACE_FIELD

MERGER_DATE = date(2025, 7, 1)  # the 2025 register took effect (34 provinces, no districts)
TYPE_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường")
PROVINCE_CODE_DIGITS = 2  # official codes: provinces 2 digits, districts 3, communes 5
KEY_PATTERN = re.compile(r"^(pre-2025|2025):(\S+)$")
SEPARATOR = PROVINCE_SEPARATOR  # inside a directory entry; never part of a name or a code
RELATED_SEPARATOR = ";"
__all__ = ["HISTORY_FIELD", "NO_PLACE", "PLACE_FIELD", "PlaceDirectory", "place_values"]
PROVINCE_FIELD = "place_prov"
DIRECTORY_FIELD = "place_dir"
# The index fields of places, in the field table (indexer.fields).
KEYWORD_FIELDS = (PLACE_FIELD, HISTORY_FIELD, PROVINCE_FIELD, DIRECTORY_FIELD)


# -- what the index holds per article ------------------------------------------------------
def is_province(ref: PlaceRef) -> bool:
    """A province-level unit: "tỉnh", or a "thành phố" with a province's two-digit code
    (a district-level city such as "thành phố Hà Tĩnh" has a three-digit one)."""
    if ref.type == "tỉnh":
        return True
    return ref.type == "thành phố" and len(ref.code.lstrip("0") or "0") <= PROVINCE_CODE_DIGITS


def province_name(ref: PlaceRef) -> str:
    """The province a unit lies in (its own name for a province)."""
    return ref.name if is_province(ref) else ref.province


def province_value(ref: PlaceRef) -> str:
    """The province facet's value: the register matters ("Quảng Trị" before and after the
    merger are different areas)."""
    name = province_name(ref)
    return f"{ref.register}{SEPARATOR}{name}" if name else ""


def _clean(text: str) -> str:
    return " ".join(text.replace(SEPARATOR, " ").replace(",", " ").split())


def directory_entry(ref: PlaceRef, related: Iterable[PlaceRef]) -> str:
    parts = [ref.key, ref.type, ref.name, ref.province]
    parts = [_clean(p) for p in parts]
    return SEPARATOR.join([*parts, RELATED_SEPARATOR.join(r.key for r in related)])


def parse_entry(entry: str) -> tuple[PlaceRef, tuple[str, ...]] | None:
    parts = entry.split(SEPARATOR)
    if len(parts) != 5:
        return None
    key, kind, name, province, related = parts
    register, _, code = key.partition(":")
    if register not in PLACE_REGISTERS or not code:
        return None
    ref = PlaceRef(name=name, type=kind, code=code, province=province, register=register)
    return ref, tuple(k for k in related.split(RELATED_SEPARATOR) if k)


def place_values(article: Article) -> dict[str, list[str]]:
    """The article's place fields (see the module docstring), each value once."""
    found: dict[str, dict[str, None]] = {
        PLACE_FIELD: {},
        HISTORY_FIELD: {},
        PROVINCE_FIELD: {},
        DIRECTORY_FIELD: {},
    }
    for place in article.places:
        unit = place.unit
        if unit is None:
            continue  # an unresolved mention stays text: never guessed into a unit
        found[PLACE_FIELD][unit.key] = None
        found[HISTORY_FIELD][unit.key] = None
        if province := province_value(unit):
            found[PROVINCE_FIELD][province] = None
        found[DIRECTORY_FIELD][directory_entry(unit, place.related)] = None
        for other in place.related:
            found[HISTORY_FIELD][other.key] = None
            found[DIRECTORY_FIELD][directory_entry(other, (unit,))] = None
    return {name: list(values) for name, values in found.items()}


def article_units(places: Iterable[Place]) -> tuple[PlaceRef, ...]:
    """The units an article names, once each, in order of first mention."""
    return tuple(dict.fromkeys(p.unit for p in places if p.unit is not None))


# -- the directory ---------------------------------------------------------------------------
@dataclass
class _Unit:
    ref: PlaceRef
    related: dict[str, None] = field(default_factory=dict)


def _name_key(name: str, exact: bool) -> str:
    text = normalize(" ".join(name.split())).lower()
    return text if exact else fold(text)


def _code_key(code: str) -> str:
    return code.lstrip("0") or "0" if code.isdigit() else code


class PlaceDirectory:
    """Every unit the index names or relates, with its related units and article count."""

    def __init__(self, entries: Iterable[str], counts: Mapping[str, int]) -> None:
        self._units: dict[str, _Unit] = {}
        for entry in entries:
            parsed = parse_entry(entry)
            if parsed is None:
                continue
            ref, related = parsed
            unit = self._units.setdefault(ref.key, _Unit(ref))
            for key in related:
                unit.related[key] = None
        for key, unit in list(self._units.items()):  # relations hold both ways
            for other in unit.related:
                if other in self._units:
                    self._units[other].related[key] = None
        self._counts = dict(counts)
        self._by_name: dict[str, list[PlaceRef]] = {}
        self._by_code: dict[str, list[PlaceRef]] = {}
        self._by_province: dict[tuple[str, str], list[PlaceRef]] = {}  # facets ask per page
        for unit in self._units.values():
            self._by_name.setdefault(_name_key(unit.ref.name, False), []).append(unit.ref)
            self._by_code.setdefault(_code_key(unit.ref.code), []).append(unit.ref)
            if not is_province(unit.ref):
                where = (unit.ref.register, unit.ref.province)
                self._by_province.setdefault(where, []).append(unit.ref)

    def __len__(self) -> int:
        return len(self._units)

    def get(self, key: str) -> PlaceRef | None:
        unit = self._units.get(key)
        return unit.ref if unit else None

    def articles(self, key: str) -> int:
        """Articles naming the unit itself."""
        return self._counts.get(key, 0)

    def related(self, key: str) -> list[PlaceRef]:
        unit = self._units.get(key)
        if unit is None:
            return []
        return sorted((self._units[k].ref for k in unit.related if k in self._units), key=_order)

    def in_province(self, province: str) -> list[PlaceRef]:
        """The units below a province facet value ("register|name"), the province aside."""
        register, _, name = province.partition(SEPARATOR)
        return list(self._by_province.get((register, name), ()))

    def resolve(self, text: str) -> list[PlaceRef]:
        """The units ``text`` may mean: a key, a code, or a name with or without its type
        word (the matching contract for diacritics). Every unit that fits, none guessed."""
        text = " ".join(normalize(text).split())
        if KEY_PATTERN.match(text):
            ref = self.get(text)
            return [ref] if ref else []
        if text.isdigit():
            return sorted(self._by_code.get(_code_key(text), []), key=_order)
        found = []
        kind, name = split_type_word(text)
        if kind:
            found = self._named(name, kind)
        return found or self._named(text, None)

    def _named(self, name: str, kind: str | None) -> list[PlaceRef]:
        exact = has_diacritics(name)
        wanted = _name_key(name, exact)
        found = [
            ref
            for ref in self._by_name.get(_name_key(name, False), [])
            if _name_key(ref.name, exact) == wanted and (kind is None or _same_type(kind, ref.type))
        ]
        return sorted(found, key=_order)

    def reading(self, text: str, history: bool) -> tuple[PlaceRead, ...]:
        """The units a typed place includes, with history the related ones after them."""
        matched = self.resolve(text)
        reads = [PlaceRead(ref) for ref in matched]
        if history:
            seen = {ref.key for ref in matched}
            for ref in matched:
                for other in self.related(ref.key):
                    if other.key not in seen:
                        seen.add(other.key)
                        reads.append(PlaceRead(other, via=ref.key))
        return tuple(reads)


def _order(ref: PlaceRef) -> tuple:
    """Newest register first, then by province and name (a stable, readable order)."""
    return (ref.register != "2025", fold(ref.province), fold(ref.name), ref.type, ref.code)


def split_type_word(text: str) -> tuple[str | None, str]:
    """("xã", "Cẩm Bình") for "xã Cẩm Bình" or "xa Cam Binh"; (None, text) without one."""
    lowered = text.lower()
    for word in TYPE_WORDS:
        for form in (word, fold(word)):
            if lowered.startswith(form + " "):
                return text[: len(form)], text[len(form) + 1 :].strip()
    return None, text


def _same_type(typed: str, kind: str) -> bool:
    exact = has_diacritics(typed)
    return _name_key(typed, exact) == _name_key(kind, exact)


def register_label(register: str) -> str:
    return "từ 1/7/2025" if register == "2025" else "trước 1/7/2025"


def province_label(value: str) -> str:
    register, _, name = value.partition(SEPARATOR)
    return f"{name} ({register_label(register)})"


def unit_where(ref: PlaceRef) -> str:
    """ "(Hà Tĩnh, trước 1/7/2025)": the province (unless the unit is one) and the register."""
    where = ref.province if ref.province and ref.province != ref.name else ""
    return "(" + ", ".join(p for p in (where, register_label(ref.register)) if p) + ")"


def unit_label(ref: PlaceRef) -> str:
    """ "xã Cẩm Bình (Hà Tĩnh, trước 1/7/2025)"."""
    return f"{ref.type} {ref.name} {unit_where(ref)}".strip()
