"""Build ``places_register.tsv``: both administrative registers and the mapping between them.

Run ``python -m crawler.data.build_places_register`` after upgrading either package (both are
in the ``test`` extra). The crawler reads only the generated file: importing the converter's
10 MB data module takes ~0.5 s of CPU, the file loads in a fraction of that (BENCHMARKS.md).

Sources:
- 2025 register (34 provinces, 3,321 communes/wards/special zones, official GSO codes):
  ``vietnam-provinces`` (Nguyễn Hồng Quân, GPL-3.0-or-later; data from the General
  Statistics Office).
- pre-2025 register (63 provinces, 696 districts, 10,147 communes/wards/towns) and the
  official old → new mapping (10,358 rows, "admin_mapping_old_to_new_10_25", October 2025):
  ``vietnam-address-converter`` (trng28, Apache-2.0). Its codes are its own, not GSO codes:
  pre-2025 units are keyed by them ("pre-2025:805" is thị xã Kỳ Anh).

The converter's 2025 units are joined to vietnam-provinces by province and name (tone-mark
placement, hyphen spacing and case ignored; a diacritic-free comparison only when it is
unique in the province). The build stops if any unit cannot be joined.

Output, one unit a line, tab-separated (lines starting with '#' are comments):
``register  code  type  name  parent_code  related_codes(comma-separated)``
``parent_code`` is the district (communes before 2025) or the province; ``related_codes`` are
codes of the other register: for a pre-2025 commune, the 2025 communes it went into; for a
pre-2025 district, the 2025 communes its communes went into; for a pre-2025 province, the 2025
province(s); for a 2025 commune, the pre-2025 communes (or whole districts, for island
districts without communes) it was formed from; for a 2025 province, the pre-2025 provinces.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).with_name("places_register.tsv")

# The converter's type slugs and name prefixes; a thị xã is typed "huyen" there, so the
# written prefix of name_with_type decides.
TYPE_PREFIXES = (
    "thành phố",
    "thị xã",
    "thị trấn",
    "đặc khu",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_PUNCT_VARIANTS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-"})


def tone_key(text: str) -> str:
    """Lowercase, tone mark moved to the end of each syllable, hyphens spaced alike."""
    text = text.lower().translate(_PUNCT_VARIANTS).strip()
    text = re.sub(r"\s*-\s*", " - ", text)
    words = []
    for word in text.split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(c for c in decomposed if c in _TONES)
        base = "".join(c for c in decomposed if c not in _TONES)
        words.append(unicodedata.normalize("NFC", base) + tones)
    return " ".join(words)


def ascii_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", tone_key(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_type(name_with_type: str) -> tuple[str, str]:
    """("Thị Xã Kỳ Anh") → ("thị xã", "Kỳ Anh")."""
    lowered = name_with_type.lower()
    for prefix in TYPE_PREFIXES:
        if lowered.startswith(prefix + " "):
            return prefix, " ".join(name_with_type[len(prefix) + 1 :].split())
    raise ValueError(f"no type word in {name_with_type!r}")


def new_register() -> tuple[dict[str, dict], dict[tuple[str, str], str]]:
    """2025 units by GSO code, and (province key, name key) → ward code for the join."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    provinces = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    units: dict[str, dict] = {}
    by_name: dict[tuple[str, str], str] = {}
    for province in provinces:
        pcode = f"{province['code']:02d}"
        ptype = "tỉnh" if province["division_type"] == "tỉnh" else "thành phố"
        pname = re.sub(r"^(Tỉnh|Thành phố) ", "", province["name"])
        units[pcode] = {"type": ptype, "name": pname, "parent": "", "related": set()}
        for ward in province["wards"]:
            wcode = f"{ward['code']:05d}"
            wtype, wname = split_type(ward["name"])
            units[wcode] = {"type": wtype, "name": wname, "parent": pcode, "related": set()}
            by_name[(tone_key(pname), tone_key(ward["name"]))] = wcode
    return units, by_name


def join_new_wards(data: dict, by_name: dict[tuple[str, str], str], units: dict) -> dict:
    """The converter's 2025 ward code → the GSO code of the same ward."""
    folded: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (pkey, wkey), code in by_name.items():
        folded[(ascii_key(pkey), ascii_key(wkey))].append(code)
    joined, missing = {}, []
    for code, ward in data["newWards"].items():
        province = data["newProvinces"][ward["parent_code"]]["name"]
        key = (tone_key(province), tone_key(ward["name_with_type"]))
        match = by_name.get(key)
        if match is None:
            candidates = folded.get((ascii_key(key[0]), ascii_key(key[1])), [])
            match = candidates[0] if len(candidates) == 1 else None
        if match is None:
            missing.append(f"{ward['name_with_type']}, {province}")
        else:
            joined[code] = match
    if missing:
        raise SystemExit(f"2025 units not found in vietnam-provinces: {missing}")
    return joined


def join_new_provinces(data: dict, units: dict) -> dict[str, str]:
    by_name = {tone_key(u["name"]): c for c, u in units.items() if not u["parent"]}
    return {code: by_name[tone_key(p["name"])] for code, p in data["newProvinces"].items()}


def old_register(data: dict) -> dict[str, dict]:
    units: dict[str, dict] = {}
    for code, province in data["oldProvinces"].items():
        ptype, pname = split_type(province["name_with_type"])
        units[code] = {"type": ptype, "name": pname, "parent": "", "related": set()}
    for level in ("oldDistricts", "oldWards"):
        for code, unit in data[level].items():
            try:
                utype, uname = split_type(unit["name_with_type"].strip())
            except ValueError:  # one row is a training centre, not an administrative unit
                continue
            units[code] = {
                "type": utype,
                "name": uname,
                "parent": unit["parent_code"],
                "related": set(),
            }
    return units


def link(data: dict, old: dict, new: dict, wards: dict, provinces: dict) -> None:
    """Fill ``related`` both ways from the official mapping rows."""
    for row in data["mapping"]["rows"]:
        new_ward = wards[row["new"]["ward_code"]]
        new_province = provinces[row["new"]["province_code"]]
        old_district, old_ward = row["old"]["district_code"], row["old"]["ward_code"]
        old_province = row["old"]["province_code"]
        if (old_ward or old_district) not in old:
            continue
        old[old_province]["related"].add(new_province)
        new[new_province]["related"].add(old_province)
        old[old_district]["related"].add(new_ward)
        if old_ward:
            old[old_ward]["related"].add(new_ward)
            new[new_ward]["related"].add(old_ward)
        else:  # an island district without communes became one special zone
            new[new_ward]["related"].add(old_district)


def write(old: dict, new: dict, out: Path) -> int:
    versions = {p: metadata.version(p) for p in ("vietnam-provinces", "vietnam-address-converter")}
    lines = [
        "# Vietnamese administrative units before and from 1 July 2025, and the mapping between",
        "# them. Generated by crawler/data/build_places_register.py — do not edit by hand.",
        f"# 2025 register: vietnam-provinces {versions['vietnam-provinces']}"
        " (GPL-3.0-or-later, data from the General Statistics Office of Viet Nam).",
        f"# pre-2025 register and mapping: vietnam-address-converter "
        f"{versions['vietnam-address-converter']} (Apache-2.0, Copyright trng28),"
        " admin_mapping_old_to_new_10_25.",
        "# register\tcode\ttype\tname\tparent_code\trelated_codes",
    ]
    for register, units in (("pre-2025", old), ("2025", new)):
        for code in sorted(units, key=lambda c: (len(c), c)):
            unit = units[code]
            related = ",".join(sorted(unit["related"], key=lambda c: (len(c), c)))
            fields = (register, code, unit["type"], unit["name"], unit["parent"], related)
            lines.append("\t".join(fields))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(old) + len(new)


def build(out: Path = OUT) -> int:
    from vietnam_address_converter.data import DEFAULT_DATA as data

    new, by_name = new_register()
    wards = join_new_wards(data, by_name, new)
    provinces = join_new_provinces(data, new)
    old = old_register(data)
    link(data, old, new, wards, provinces)
    return write(old, new, out)


if __name__ == "__main__":
    print(f"{build()} units written to {OUT}")
