"""Rebuild crawler/data/given_syllables.txt from the name lists in ../shared/lists.

    .venv/bin/python bench/build_given_syllables.py

Source: github duyet/vietnamese-namedb (MIT, Copyright (c) Duyệt Lê) — ``namedb_boy.txt``,
``namedb_girl.txt`` (given names, one or two syllables a line) and ``given_names_freq.tsv``
(given names with counts). Every syllable is NFC-normalised and title-cased; rows garbled by a
wrong encoding ("Báşąng", "Böûu") are dropped by ``is_vietnamese_syllable``, and so
are one-letter rows; an Icelandic "Ð" written for "Đ" is mended; the common middle
names that the lists hold only inside longer names are added (``MIDDLE_NAMES``).
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.people_lexicon import is_vietnamese_syllable  # noqa: E402

LISTS = ROOT.parent / "shared" / "lists"
OUT = ROOT / "crawler" / "data" / "given_syllables.txt"
MIDDLE_NAMES = ["Thị", "Văn"]  # the two middle names no given-name list holds alone
HEADER = (
    "# Syllables of Vietnamese given and middle names, from github duyet/vietnamese-namedb "
    "(MIT, Copyright (c) Duyệt Lê); made by bench/build_given_syllables.py"
)


def syllables_in(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".tsv":
        lines = [line.split("\t")[0] for line in lines[1:]]
    found = set()
    for line in lines:
        line = unicodedata.normalize("NFC", line.replace("Ð", "Đ"))  # Icelandic eth for Đ
        for word in line.split():
            word = word.strip(".,;")
            if len(word) > 1 and is_vietnamese_syllable(word):
                found.add(word[0].upper() + word[1:].lower())
    return found


def main() -> int:
    names = ("namedb_boy.txt", "namedb_girl.txt", "given_names_freq.tsv")
    syllables = set(MIDDLE_NAMES)
    for name in names:
        syllables |= syllables_in(LISTS / name)
    OUT.write_text("\n".join([HEADER, *sorted(syllables)]) + "\n", encoding="utf-8")
    print(f"{len(syllables)} syllables -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
