"""Places named in Vietnamese news text: provinces, districts, communes — rule-based, no model.

A mention is found three ways:
- a type word and a capitalised name: "xã Cẩm Bình", "huyện Cẩm Xuyên", "TP Hà Tĩnh",
  "thị xã Kỳ Anh", "quận 7", "TP.HCM"; after a plural type word the list goes on ("các xã Cẩm
  Bình, Cẩm Thành và Cẩm Yên");
- a bare province name ("Hà Tĩnh"), unless a street, river, bridge… word or a capitalised
  word (part of a person's or a company's name) comes right before it;
- a bare district or commune name where the text itself says what it is: chained to a unit it
  belongs to or contains ("xã Hải Đông, Móng Cái", "(Tam Đảo - Vĩnh Phúc)", "Tân Triều,
  huyện Thanh Trì"), or the name of a unit the article has already named with its type word.

Each mention is resolved to one unit of the register valid at the article's date
(``crawler.places_register.register_at``; a name only the other register has — a district in
a 2026 article — is looked up there). Several units of that name: the one inside the unit
chained after it ("xã Cẩm Bình, huyện Cẩm Xuyên"), else inside the district named most
recently before it, else inside the only district, then the only province, the article
names, else inside the source's own province. Otherwise the mention stays text (unit None):
never guessed. A name the register does not have (a commune merged away) is kept as text
for communes only, so foreign "tỉnh Salavan" is not a place.
"""

from __future__ import annotations

import re
from datetime import datetime

from crawler.article import Article, Place
from crawler.places_register import (
    COMMUNE,
    DISTRICT,
    LEVELS_OF_TYPE,
    PROVINCE,
    Register,
    compact_key,
    name_key,
    register,
    register_at,
    syllable_key,
)
from crawler.places_resolve import Resolver
from crawler.places_text import Mention, PlaceText, inside_other_name_at, joins_name

MAX_NAME_SYLLABLES = 5

# Type words as written (lowercase syllables) → the register's type.
TYPE_PHRASES: dict[tuple[str, ...], str] = {
    ("thành", "phố"): "thành phố",
    ("tp",): "thành phố",
    ("thị", "xã"): "thị xã",
    ("tx",): "thị xã",
    ("thị", "trấn"): "thị trấn",
    ("đặc", "khu"): "đặc khu",
    ("tỉnh",): "tỉnh",
    ("huyện",): "huyện",
    ("quận",): "quận",
    ("xã",): "xã",
    ("phường",): "phường",
}
TYPE_FIRST_WORDS = frozenset(phrase[0] for phrase in TYPE_PHRASES)
PLURAL_CUES = frozenset(
    [
        "các",
        "hai",
        "ba",
        "bốn",
        "năm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "những",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
    ]
)
LIST_JOINERS = frozenset({",", "và", ",và", "cùng", "với", "cùngvới"})
# A bare province name right after these words is part of another name: "đường Hà Nội".
HCM_ALIASES = ("tp.hcm", "tphcm", "hcm")


class Scanner:
    def __init__(self, text: str, reg: Register, primary: str) -> None:
        self.t = PlaceText(text)
        self.reg = reg
        self.primary = primary
        self.index = _name_index(reg)
        self.mentions: list[Mention] = []
        self.taken: set[int] = set()

    # -- typed mentions ---------------------------------------------------------------
    def scan(self) -> list[Mention]:
        i, n, lows = 0, self.t.n, self.t.lows
        while i < n:
            if lows[i] in TYPE_FIRST_WORDS:
                found = self._typed_at(i)
                i = found if found > i else i + 1
            else:
                i += 1
        self._bare_provinces()
        return sorted(self.mentions, key=lambda m: m.start)

    def _type_at(self, i: int) -> tuple[str, int] | None:
        """The type word starting at word i, and the index of the first word after it."""
        low = self.t.lows[i]
        for phrase, utype in TYPE_PHRASES.items():
            end = i + len(phrase)
            if end <= len(self.t) and tuple(self.t.lows[i:end]) == phrase:
                if len(phrase) == 2 and self.t.gap(i) != " ":
                    continue
                if low in ("tp", "tx") and self.t.words[i][1].islower() and low != "tp":
                    continue
                return utype, end
        return None

    def _typed_at(self, i: int) -> int:
        typed = self._type_at(i)
        if typed is None:
            return i
        utype, after = typed
        if after >= len(self.t) or not self._type_gap_ok(after - 1, utype):
            return after
        if self.t.lows[i] == "tp" and self.t.lows[after] == "hcm":
            return self._add_alias(i, after, "Hồ Chí Minh")
        mention = self._name_after(i, after, utype)
        if mention is None:
            return after
        self._add(mention)
        end = mention.last_token + 1
        if self.t.words_before(i)[0] in PLURAL_CUES:
            end = self._list_after(end, utype)
        return end

    def _type_gap_ok(self, last_type_token: int, utype: str) -> bool:
        """One space after the type word; "TP. Vinh" and "TX.Kỳ Anh" after an abbreviation."""
        gap = self.t.gap(last_type_token)
        abbreviated = self.t.lows[last_type_token] in ("tp", "tx")
        return gap == " " or (abbreviated and gap in (". ", "."))

    def _name_after(self, type_start: int, i: int, utype: str) -> Mention | None:
        """The longest run of capitalised words after a type word that the register knows."""
        run = self._capitalised_run(i)
        if not run:
            return None
        levels = LEVELS_OF_TYPE[utype]
        for length in range(len(run), 0, -1):
            words = run[:length]
            candidates = self._lookup(words, levels)
            if candidates:
                return self._mention(type_start, words, utype, levels, candidates)
        if COMMUNE in levels and self._plausible(run[:4]):
            return self._mention(type_start, run[:4], utype, levels, {})
        if PROVINCE in levels and name_key(" ".join(self.t.words[j] for j in run)) == "hcm":
            return self._mention(type_start, run[:1], utype, (PROVINCE,), self._hcm())
        return None

    def _capitalised_run(self, i: int) -> list[int]:
        run: list[int] = []
        while i < len(self.t) and len(run) < MAX_NAME_SYLLABLES and self.t.capitalised(i):
            if self.t.words[i].isdigit() and run:
                break
            run.append(i)
            if self.t.words[i].isdigit() or not joins_name(self.t.gap(i)):
                break
            i += 1
        return run

    def _lookup(self, words: list[int], levels: tuple[str, ...]) -> dict[str, list[str]]:
        return lookup_name(self.reg, " ".join(self.t.words[j] for j in words), levels)

    def _plausible(self, words: list[int]) -> bool:
        """Every syllable occurs in some Vietnamese unit's name (foreign names do not)."""
        syllables = _syllables(self.reg)
        return all(syllable_key(self.t.words[j]) in syllables for j in words)

    def _mention(
        self, type_start: int, words: list[int], utype: str, levels, candidates
    ) -> Mention:
        start, end = self.t.starts[type_start], self.t.ends[words[-1]]
        return Mention(
            start=start,
            end=end,
            text=self.t.text[start:end],
            type=utype,
            levels=levels,
            name=" ".join(self.t.words[j] for j in words),
            first_token=type_start,
            last_token=words[-1],
            candidates=candidates,
        )

    def _add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.taken.update(range(mention.first_token, mention.last_token + 1))

    def _list_after(self, i: int, utype: str) -> int:
        """After "các xã A": ", B", " và C" while B and C are units the register knows."""
        levels = LEVELS_OF_TYPE[utype]
        while i < len(self.t):
            joiner = self.t.gap(i - 1).replace(" ", "")
            nxt = i
            if joiner not in LIST_JOINERS or nxt >= len(self.t):
                break
            if self._type_at(nxt) is not None:
                break
            run = self._capitalised_run(nxt)
            best = next(
                (run[:k] for k in range(len(run), 0, -1) if self._lookup(run[:k], levels)), None
            )
            if best is None:
                break
            self._add(self._mention(best[0], best, "", levels, self._lookup(best, levels)))
            i = best[-1] + 1
        return i

    def _add_alias(self, i: int, after: int, province: str) -> int:
        mention = self._mention(i, [after], "thành phố", (PROVINCE,), self._hcm())
        self._add(mention)
        return after + 1

    def _hcm(self) -> dict[str, list[str]]:
        return {
            r: self.index.get((r, PROVINCE, name_key("Hồ Chí Minh")), [])
            for r in ("pre-2025", "2025")
        }

    # -- bare province names ---------------------------------------------------------
    def _bare_provinces(self) -> None:
        provinces = _province_phrases(self.reg)
        t = self.t
        for i in [i for i, cap in enumerate(t.caps) if cap]:
            if i in self.taken:
                continue
            if t.lows[i] in HCM_ALIASES or (t.lows[i] == "tp" and t.gap(i) == "."):
                self._hcm_at(i)
                continue
            for phrase, name in provinces.get(syllable_key(t.words[i]), ()):
                end = i + len(phrase)
                if end > len(t) or any(j in self.taken for j in range(i, end)):
                    continue
                if tuple(syllable_key(w) for w in t.words[i:end]) != phrase:
                    continue
                if not all(joins_name(t.gap(j)) for j in range(i, end - 1)):
                    continue
                if self._inside_other_name(i, end):
                    continue
                words = list(range(i, end))
                mention = self._mention(i, words, "", (PROVINCE,), self._lookup_name(name))
                mention.bare = True
                self._add(mention)
                break

    def _lookup_name(self, name: str) -> dict[str, list[str]]:
        key = name_key(name)
        return {
            r: self.index[(r, PROVINCE, key)]
            for r in ("pre-2025", "2025")
            if (r, PROVINCE, key) in self.index
        }

    def _hcm_at(self, i: int) -> None:
        t = self.t
        end = i
        if t.lows[i] == "tp":
            if i + 1 >= len(t) or t.lows[i + 1] != "hcm":
                return
            end = i + 1
        mention = self._mention(i, [end], "", (PROVINCE,), self._hcm())
        mention.bare = True
        self._add(mention)

    def _inside_other_name(self, i: int, end: int) -> bool:
        return inside_other_name_at(self.t, i, end)


def lookup_name(reg: Register, name: str, levels: tuple[str, ...]) -> dict[str, list[str]]:
    """Units of these levels with this name, by register; the name written as one word
    ("Đakrông") also finds the register's "Đa Krông"."""
    found: dict[str, list[str]] = {}
    for key in (name_key(name), compact_key(name)):
        for reg_name in ("pre-2025", "2025"):
            keys = [k for level in levels for k in reg.by_name.get((reg_name, level, key), [])]
            if keys and reg_name not in found:
                found[reg_name] = keys
        if found:
            break
    return found


def _name_index(reg: Register) -> dict[tuple[str, str, str], list[str]]:
    return reg.by_name


_SYLLABLES: dict[int, frozenset[str]] = {}
_PROVINCE_PHRASES: dict[int, dict[str, list[tuple[tuple[str, ...], str]]]] = {}


def _syllables(reg: Register) -> frozenset[str]:
    if id(reg) not in _SYLLABLES:
        _SYLLABLES[id(reg)] = frozenset(
            syllable_key(w) for u in reg.units.values() for w in re.split(r"[\s\-]+", u.ref.name)
        )
    return _SYLLABLES[id(reg)]


PROVINCE_ALIASES = {"Thừa Thiên Huế": "Huế", "Thừa Thiên - Huế": "Huế"}


def _province_phrases(reg: Register) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Province names (both registers, and aliases) by first syllable, longest first."""
    if id(reg) not in _PROVINCE_PHRASES:
        names = {u.ref.name: u.ref.name for u in reg.units.values() if u.level == PROVINCE}
        names.update(PROVINCE_ALIASES)
        table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for written, name in names.items():
            phrase = tuple(name_key(written).split())
            table.setdefault(phrase[0], []).append((phrase, name))
        for phrases in table.values():
            phrases.sort(key=lambda p: -len(p[0]))
        _PROVINCE_PHRASES[id(reg)] = table
    return _PROVINCE_PHRASES[id(reg)]


# -- the public API ---------------------------------------------------------------------
def find_mentions(text: str, when: datetime | None = None, *, province: str = "") -> list[Mention]:
    """Every place mention in ``text``, in order, each resolved where the text allows."""
    reg = register()
    primary = register_at(when)
    scanner = Scanner(text, reg, primary)
    mentions = scanner.scan()
    Resolver(scanner.t, reg, primary, province).resolve(mentions)
    return sorted(mentions, key=lambda m: m.start)


def extract_places(
    text: str, when: datetime | None = None, *, province: str = "", body_offset: int = 0
) -> list[Place]:
    """The units ``text`` names, one Place per unit (first mention), then unresolved names.

    ``start`` is relative to ``body_offset`` (-1 for a mention before it, e.g. in the title).
    """
    reg = register()
    places: list[Place] = []
    seen: set[str] = set()
    for m in find_mentions(text, when, province=province):
        key = m.unit or "text:" + name_key(m.name)
        if key in seen:
            continue
        seen.add(key)
        start = m.start - body_offset if m.start >= body_offset else -1
        unit = reg.units[m.unit].ref if m.unit else None
        related = reg.related(m.unit) if m.unit else ()
        places.append(Place(mention=m.text, unit=unit, start=start, related=related))
    return places


def enrich_places(article: Article, *, province: str = "") -> Article:
    """The article with ``places`` from title, sapo and body (offsets into the body)."""
    head = "\n\n".join(part for part in (article.title, article.sapo) if part)
    text = f"{head}\n\n{article.body}" if head else article.body
    offset = len(text) - len(article.body)
    places = extract_places(text, article.published, province=province, body_offset=offset)
    # Places are not content: the hash (what readers see) stays, and is not recomputed.
    return article.with_changes(places=places, content_hash=article.content_hash)


def is_place_name(name: str) -> bool:
    """True when ``name`` is the name of a province or district (either register): for the
    people extractor, so that "Hà Tĩnh" after a role is not taken for a person."""
    reg = register()
    key = name_key(name)
    return any(
        (r, level, key) in reg.by_name
        for r in ("pre-2025", "2025")
        for level in (PROVINCE, DISTRICT)
    )
