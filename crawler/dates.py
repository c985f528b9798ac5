"""Find and read the first Vietnamese date in a piece of text.

Vietnamese sites write dates day first ("28/02/2024", "Thứ Tư, 28/2/2024", "ngày 28 tháng 2
năm 2024"), put the time before or after the date ("08:15 28/02/2024", "05/03/2024 - 14:30",
"14h30"), and sometimes publish ISO 8601 in metadata. Every result is a timezone-aware datetime
in Asia/Ho_Chi_Minh; a date that does not exist (31/2) is rejected, never guessed.

English pages write the month as a word ("March 5, 2024", "5 Mar. 2024, 10:30 a.m."): the
word says which number is the month, so these are never ambiguous.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from crawler.article import VN_TZ

# "08:15", "8h15", "14g30"; seconds are optional and ignored.
_TIME = r"(?P<{p}h>[01]?\d|2[0-3])\s*[:hg]\s*(?P<{p}m>[0-5]\d)(?::[0-5]\d)?"
_SEP = r"\s*(?:[|,\-–—]|lúc|ngày)?\s*"

_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_NUMERIC = re.compile(
    rf"(?:{_TIME.format(p='b')}{_SEP})?"
    r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<s>[/.-])\s*(?P<mo>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4})(?!\d)"
    rf"(?:{_SEP}{_TIME.format(p='a')}(?!\d))?",
    re.IGNORECASE,
)
_WORDS = re.compile(
    rf"(?:{_TIME.format(p='b')}{_SEP})?"
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<mo>\d{1,2})\s*(?:,\s*)?năm\s+(?P<y>\d{4})"
    rf"(?:{_SEP}{_TIME.format(p='a')}(?!\d))?",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sept sep",
            "october oct",
            "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# "10:30 a.m.", "10:30 PM", "at 10:30"; the time follows the date in English.
_EN_TIME = (
    r"(?:\s*(?:,|at|-|–|\|)?\s*(?P<ah>[01]?\d|2[0-3])[:.](?P<am>[0-5]\d)"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?)?"
)
_ENGLISH = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('mon', 'mon2')}\s*,?\s+(?P<y2>\d{{4}}))"
    rf"(?!\d){_EN_TIME}",
    re.IGNORECASE,
)


def parse_vietnamese_date(text: str) -> datetime | None:
    """Return the first valid date in ``text`` (day first), or None if there is none."""
    if not text:
        return None
    matches = [m for rx in (_ISO, _NUMERIC, _WORDS, _ENGLISH) for m in rx.finditer(text)]
    matches.sort(key=lambda m: m.start())
    for match in matches:
        parsed = _READERS[match.re](match)
        if parsed is not None:
            return parsed
    return None


def _from_english(match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    month = _MONTHS[(g["mon"] or g["mon2"]).lower()]
    day, year = int(g["d"] or g["d2"]), int(g["y"] or g["y2"])
    hour, minute = (int(g["ah"]), int(g["am"])) if g["ah"] is not None else (0, 0)
    if g["ampm"]:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if g["ampm"].lower() == "p" else 0)
    return _build(year, month, day, hour, minute)


def _from_day_first(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    hour, minute = 0, 0
    if groups.get("ah") is not None:
        hour, minute = int(groups["ah"]), int(groups["am"])
    elif groups.get("bh") is not None:
        hour, minute = int(groups["bh"]), int(groups["bm"])
    return _build(int(groups["y"]), int(groups["mo"]), int(groups["d"]), hour, minute)


def _from_iso(match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    parsed = _build(
        int(g["y"]),
        int(g["mo"]),
        int(g["d"]),
        int(g["hh"] or 0),
        int(g["mm"] or 0),
        int(g["ss"] or 0),
    )
    if parsed is None or not g["tz"]:
        return parsed
    offset = _utc_offset(g["tz"])
    # The wall-clock time belongs to the stated offset; convert it to Vietnam time.
    return parsed.replace(tzinfo=offset).astimezone(VN_TZ)


def _utc_offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    # 1900..2100 keeps phone numbers and document codes ("12-34-5678") out.
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)
    except ValueError:
        return None


_READERS = {_ISO: _from_iso, _NUMERIC: _from_day_first, _WORDS: _from_day_first}
_READERS[_ENGLISH] = _from_english
