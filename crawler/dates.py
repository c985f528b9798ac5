"""Find and read the first Vietnamese date in a piece of text.

Vietnamese sites write dates day first ("28/02/2024", "Thứ Tư, 28/2/2024", "ngày 28 tháng 2
năm 2024"), put the time before or after the date ("08:15 28/02/2024", "05/03/2024 - 14:30",
"14h30"), and sometimes publish ISO 8601 in metadata. Every result is a timezone-aware datetime
in Asia/Ho_Chi_Minh; a date that does not exist (31/2) is rejected, never guessed.
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


def parse_vietnamese_date(text: str) -> datetime | None:
    """Return the first valid date in ``text`` (day first), or None if there is none."""
    if not text:
        return None
    matches = [m for rx in (_ISO, _NUMERIC, _WORDS) for m in rx.finditer(text)]
    matches.sort(key=lambda m: m.start())
    for match in matches:
        parsed = _from_iso(match) if match.re is _ISO else _from_day_first(match)
        if parsed is not None:
            return parsed
    return None


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
