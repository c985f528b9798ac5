"""Resolving place mentions to register units, and the bare names the text's own chains reveal.

See ``crawler/places.py`` for the rules; this module holds the second half of the work:
- chains: "xã Hải Đông, Móng Cái", "(Tam Đảo - Vĩnh Phúc)", "Tân Triều, huyện Thanh Trì" —
  a bare name right before or after a mention, joined by a comma, a dash or a parenthesis, is a
  mention when it names a unit that contains (or lies in) one of that mention's candidates;
- resolution, provinces first, then districts, then communes, so that each level can use the
  ones above it as context;
- the same bare name again ("Vĩnh Châu" after "thị xã Vĩnh Châu") is the unit already named.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from crawler.places_register import (
    COMMUNE,
    DISTRICT,
    NEW_2025,
    PRE_2025,
    PROVINCE,
    name_key,
    syllable_key,
)
from crawler.places_text import Mention, PlaceText, inside_other_name_at

if TYPE_CHECKING:
    from crawler.places_register import Register

CHAIN_GAPS = frozenset({",", "(", ")", "-", "–", "),", "(,", ")."})
LEVEL_ORDER = {PROVINCE: 0, DISTRICT: 1, COMMUNE: 2}
MAX_CHAIN_NAME = 4


def _chain_gap(gap: str) -> bool:
    """A comma, dash or parenthesis (with spaces) between two parts of one address."""
    stripped = gap.replace(" ", "")
    return stripped in CHAIN_GAPS and len(gap) <= 4


class Resolver:
    def __init__(self, text: PlaceText, reg: Register, primary: str, province: str) -> None:
        self.t = text
        self.reg = reg
        self.primary = primary
        self.other = NEW_2025 if primary == PRE_2025 else PRE_2025
        self.source_provinces = self._province_keys(province) if province else set()
        self._context: dict[str, tuple[frozenset[str], set[str]]] = {}

    def resolve(self, mentions: list[Mention]) -> None:
        mentions.sort(key=lambda m: m.start)
        self._add_chained_names(mentions)
        mentions.sort(key=lambda m: m.start)
        for level in (PROVINCE, DISTRICT, COMMUNE):
            for m in mentions:
                if not m.unit and self._level_of(m) == level:
                    m.unit = self._resolve_one(m, mentions) or ""
        self._add_repeated_names(mentions)
        self._add_districts_of_named_provinces(mentions)

    # -- candidates ---------------------------------------------------------------------
    def _candidates(self, m: Mention) -> list[str]:
        """The primary register's units of that name, else the other register's."""
        primary = m.candidates.get(self.primary, [])
        other = m.candidates.get(self.other, [])
        if m.type:
            exact_primary = [k for k in primary if self.reg.units[k].ref.type == m.type]
            if not exact_primary and not primary:
                return other
            exact_other = [k for k in other if self.reg.units[k].ref.type == m.type]
            if not exact_primary and exact_other and self._level_of(m) != COMMUNE:
                return exact_other  # "TP Hà Tĩnh" in 2026: the former city, not the province
        return primary or other

    def _level_of(self, m: Mention) -> str:
        keys = [k for ks in m.candidates.values() for k in ks]
        if keys:
            return min((self.reg.units[k].level for k in keys), key=LEVEL_ORDER.__getitem__)
        return m.levels[-1]

    # -- chains -------------------------------------------------------------------------
    def _add_chained_names(self, mentions: list[Mention]) -> None:
        taken = {j for m in mentions for j in range(m.first_token, m.last_token + 1)}
        queue = list(mentions)
        while queue:
            m = queue.pop()
            for found in (self._chained_before(m, taken), self._chained_after(m, taken)):
                if found is not None:
                    mentions.append(found)
                    taken.update(range(found.first_token, found.last_token + 1))
                    queue.append(found)

    def _chained_before(self, m: Mention, taken: set[int]) -> Mention | None:
        """A bare name ending right before ``m`` (", " or " - " between) that lies in it."""
        last = m.first_token - 1
        if last < 0 or last in taken or not _chain_gap(self.t.gap(last)):
            return None
        inside = set(self._all_candidates(m))
        for length in range(MAX_CHAIN_NAME, 0, -1):
            first = last - length + 1
            if first < 0 or any(j in taken for j in range(first, last + 1)):
                continue
            if not self._is_name_run(first, last):
                continue
            keys = [
                k
                for k in self._units_named(first, last, (DISTRICT, COMMUNE))
                if inside & set(self._ancestors(k))
            ]
            if keys:  # "Tam Đảo" before "Vĩnh Phúc" is the district, not its town
                top = min(LEVEL_ORDER[self.reg.units[k].level] for k in keys)
                keys = [k for k in keys if LEVEL_ORDER[self.reg.units[k].level] == top]
                return self._bare(first, last, keys)
        return None

    def _chained_after(self, m: Mention, taken: set[int]) -> Mention | None:
        """A bare name right after ``m`` that contains one of its candidates."""
        first = m.last_token + 1
        if first >= len(self.t) or first in taken or not _chain_gap(self.t.gap(m.last_token)):
            return None
        ancestors = {a for k in self._all_candidates(m) for a in self._ancestors(k)}
        for length in range(MAX_CHAIN_NAME, 0, -1):
            last = first + length - 1
            if last >= len(self.t) or any(j in taken for j in range(first, last + 1)):
                continue
            if not self._is_name_run(first, last):
                continue
            keys = [k for k in self._units_named(first, last, (DISTRICT,)) if k in ancestors]
            if keys:
                return self._bare(first, last, keys)
        return None

    def _is_name_run(self, first: int, last: int) -> bool:
        return self.t.is_name_run(first, last)

    def _units_named(self, first: int, last: int, levels: tuple[str, ...]) -> list[str]:
        key = name_key(" ".join(self.t.words[first : last + 1]))
        return [
            k
            for reg_name in (self.primary, self.other)
            for level in levels
            for k in self.reg.by_name.get((reg_name, level, key), [])
        ]

    def _bare(self, first: int, last: int, keys: list[str]) -> Mention:
        start, end = self.t.starts[first], self.t.ends[last]
        by_register: dict[str, list[str]] = {}
        for k in keys:
            by_register.setdefault(self.reg.units[k].ref.register, []).append(k)
        level = self.reg.units[keys[0]].level
        return Mention(
            start=start,
            end=end,
            text=self.t.text[start:end],
            type="",
            levels=(level,),
            name=self.t.text[start:end],
            first_token=first,
            last_token=last,
            candidates=by_register,
            bare=True,
        )

    def _all_candidates(self, m: Mention) -> list[str]:
        return [k for ks in m.candidates.values() for k in ks]

    def _ancestors(self, key: str) -> list[str]:
        found = []
        while self.reg.units[key].parent:
            key = self.reg.units[key].parent
            found.append(key)
        return found

    # -- resolution ---------------------------------------------------------------------
    def _resolve_one(self, m: Mention, mentions: list[Mention]) -> str | None:
        candidates = self._candidates(m)
        if not candidates:
            return None
        parent = self._chained_parent(m, mentions)
        if parent:
            return self._inside_parent(m, candidates, parent)
        tiers: list[Callable[[str], bool]] = [
            self._in_nearest_district(m, mentions),
            self._exact_type_if_unique(m, candidates),
            self._in_any(self._article_units(mentions, DISTRICT)),
            self._in_any(self._article_units(mentions, PROVINCE)),
            self._in_any(self.source_provinces),
            lambda k: self.reg.units[k].ref.type == m.type,
        ]
        for accepts in tiers:
            narrowed = [k for k in candidates if accepts(k)]
            if narrowed:
                candidates = narrowed
            if len(candidates) == 1:
                break
        if len(candidates) != 1:
            return None
        return candidates[0] if self._not_contradicted(m, candidates[0], mentions) else None

    def _chained_parent(self, m: Mention, mentions: list[Mention]) -> str:
        """The unit written right after ``m`` in the same address, one level or more above."""
        following = [o for o in mentions if o.start >= m.end and o is not m]
        if not following:
            return ""
        nxt = min(following, key=lambda o: o.start)
        gap = self.t.text[m.end : nxt.start]
        if not _chain_gap(gap) or not nxt.unit:
            return ""
        if LEVEL_ORDER[self.reg.units[nxt.unit].level] >= LEVEL_ORDER[self._level_of(m)]:
            return ""
        return nxt.unit

    def _inside_parent(self, m: Mention, candidates: list[str], parent: str) -> str | None:
        inside = [k for k in candidates if parent in self._ancestors(k)]
        if not inside:  # boundaries moved since the article: the parent's province decides
            province = self.reg.province_of(parent)
            inside = [k for k in candidates if self.reg.province_of(k) == province]
        if len(inside) > 1:  # "thị trấn Đầm Hà" and "xã Đầm Hà", both in huyện Đầm Hà
            inside = [k for k in inside if self.reg.units[k].ref.type == m.type] or inside
        return inside[0] if len(inside) == 1 else None

    def _in_nearest_district(self, m: Mention, mentions: list[Mention]) -> Callable[[str], bool]:
        before = [
            o.unit
            for o in mentions
            if o.unit and o.end <= m.start and self.reg.units[o.unit].level == DISTRICT
        ]
        nearest = before[-1] if before else ""
        return lambda k: bool(nearest) and nearest in self._ancestors(k)

    def _exact_type_if_unique(self, m: Mention, candidates: list[str]) -> Callable[[str], bool]:
        exact = [k for k in candidates if self.reg.units[k].ref.type == m.type]
        return lambda k: len(exact) == 1 and k in exact

    def _in_any(self, units: set[str]) -> Callable[[str], bool]:
        return lambda k: bool(units & set(self._ancestors(k)))

    def _article_units(self, mentions: list[Mention], level: str) -> set[str]:
        """The units of ``level`` the article names, directly or as the parents of the units
        it names; remembered until another mention is resolved."""
        resolved = frozenset(o.unit for o in mentions if o.unit)
        cached = self._context.get(level)
        if cached is not None and cached[0] == resolved:
            return cached[1]
        found = set()
        for unit in resolved:
            chain = [unit, *self._ancestors(unit)]
            found.update(k for k in chain if self.reg.units[k].level == level)
        self._context[level] = (resolved, found)
        return found

    def _not_contradicted(self, m: Mention, key: str, mentions: list[Mention]) -> bool:
        """A commune found once in the country, far from every province the article or its
        source names, is more likely a commune merged away since: keep it as text."""
        if self._level_of(m) != COMMUNE:
            return True
        provinces = self._article_units(mentions, PROVINCE) | self.source_provinces
        return not provinces or self.reg.province_of(key) in provinces

    def _province_keys(self, name: str) -> set[str]:
        key = name_key(name)
        return {
            k for r in (PRE_2025, NEW_2025) for k in self.reg.by_name.get((r, PROVINCE, key), [])
        }

    # -- bare names found after resolution -----------------------------------------------
    def _add_repeated_names(self, mentions: list[Mention]) -> None:
        """ "Vĩnh Châu" after "thị xã Vĩnh Châu": the unit the article has already named."""
        named = {
            name_key(m.name): m.unit
            for m in mentions
            if m.unit and m.type and self.reg.units[m.unit].level in (DISTRICT, COMMUNE)
        }
        if named:
            lengths = sorted({len(k.split()) for k in named}, reverse=True)
            firsts = frozenset(k.split()[0] for k in named)
            self._add_bare_runs(
                mentions, firsts, lengths, lambda i, last: named.get(self._key(i, last))
            )

    def _add_districts_of_named_provinces(self, mentions: list[Mention]) -> None:
        """ "ở Đông Anh" in an article that names Hà Nội: a district name of two syllables or
        more, not part of a longer name, that belongs to exactly one named province."""
        provinces = self._article_units(mentions, PROVINCE) | self.source_provinces
        if not provinces:
            return

        by_name = self.reg.by_name

        def district(i: int, last: int) -> str | None:
            key = self._key(i, last)
            keys = [
                k
                for r in (self.primary, self.other)
                for k in by_name.get((r, DISTRICT, key), ())
                if self.reg.province_of(k) in provinces
            ]
            return keys[0] if len(keys) == 1 else None

        self._add_bare_runs(mentions, _district_first_syllables(self.reg), (4, 3, 2), district)

    def _key(self, i: int, last: int) -> str:
        """``name_key`` of words i..last, which are one name run (no hyphens to respace)."""
        return " ".join([syllable_key(w) for w in self.t.words[i : last + 1]])

    def _add_bare_runs(self, mentions, firsts, lengths, unit_for: Callable) -> None:
        """Add a resolved bare mention for each free run of capitalised words (longest of
        ``lengths`` first) that ``unit_for(first, last)`` names, and is no part of a longer name."""
        t = self.t
        taken = {j for m in mentions for j in range(m.first_token, m.last_token + 1)}
        i = 0
        while i < t.n:
            hit = None
            if t.caps[i] and i not in taken and syllable_key(t.words[i]) in firsts:
                for length in lengths:
                    last = i + length - 1
                    if last >= t.n or not t.is_name_run(i, last):
                        continue
                    if any(j in taken for j in range(i, last + 1)):
                        continue
                    unit = unit_for(i, last)  # cheap dictionary look-ups first, context last
                    if unit and not inside_other_name_at(t, i, last + 1):
                        hit = self._bare(i, last, [unit])
                        hit.unit = unit
                        break
            if hit is None:
                i += 1
                continue
            mentions.append(hit)
            i = hit.last_token + 1
        mentions.sort(key=lambda m: m.start)


@lru_cache(maxsize=2)
def _district_first_syllables(reg: Register) -> frozenset[str]:
    """First syllables of district names: most capitalised words are not one, and are skipped."""
    return frozenset(
        name_key(u.ref.name).split()[0] for u in reg.units.values() if u.level == DISTRICT
    )
