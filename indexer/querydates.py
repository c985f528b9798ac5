"""Date filters of the query language (``ngay:…``): reading them and writing them back.

Accepted: ``2024`` (the year), ``2024-03`` (the month), ``2024-03-05`` (the day), day-first
Vietnamese ``5/3/2024`` and ``3/2024`` (also with '.' or '-'), and ranges ``A..B``, ``..B``,
``A..`` whose ends are any of those (``2024..2025-03`` runs to 31 March 2025).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DAY_FIRST = re.compile(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})")
_EXAMPLES = "ví dụ ngay:2024, ngay:2024-03, ngay:28/2/2024, ngay:2024-01-01..2024-03-31"


class DateFilterError(ValueError):
    """A date filter that cannot be used; the message (Vietnamese) says why."""


def parse_date_filter(value: str) -> tuple[date | None, date | None, str | None]:
    """(first day, last day, note) for a filter value; a note reports a swapped range.

    Raises DateFilterError for anything unreadable or impossible.
    """
    value = re.sub(r"\.{2,}|…", "..", "".join(value.split()))
    if not value:
        raise DateFilterError(f"thiếu ngày sau 'ngay:' ({_EXAMPLES}).")
    if ".." not in value:
        start, end = _period(value)
        return start, end, None
    first, _, last = value.partition("..")
    if not first and not last:
        raise DateFilterError(f"khoảng ngày '..' không có ngày nào ({_EXAMPLES}).")
    start = _period(first)[0] if first else None
    end = _period(last)[1] if last else None
    if start and end and start > end:
        start, end = _period(last)[0], _period(first)[1]
        note = (
            f"Khoảng ngày '{value}' bị ngược (ngày đầu sau ngày cuối): "
            f"đã đổi chỗ thành {start:%d/%m/%Y}–{end:%d/%m/%Y}."
        )
        return start, end, note
    return start, end, None


def format_date_filter(start: date | None, end: date | None) -> str:
    """The shortest canonical value that ``parse_date_filter`` reads back as (start, end)."""
    if start and end:
        return _format_closed(start, end)
    if start:
        return f"{_iso(start)}.."
    if end:
        return f"..{_iso(end)}"
    raise ValueError("a date filter needs at least one end")


def _format_closed(start: date, end: date) -> str:
    if start == end:
        return _iso(start)
    if (start.month, start.day, end.year, end.month, end.day) == (1, 1, start.year, 12, 31):
        return f"{start.year:04d}"
    last_day = calendar.monthrange(start.year, start.month)[1]
    if start.day == 1 and end == start.replace(day=last_day):
        return f"{start.year:04d}-{start.month:02d}"
    return f"{_iso(start)}..{_iso(end)}"


def _iso(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _period(text: str) -> tuple[date, date]:
    """First and last day of the year, month or day the text names."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise DateFilterError(f"không hiểu ngày '{text}' ({_EXAMPLES}).")
    return _bounds(int(year), int(month) if month else None, int(day) if day else None)


def _bounds(year: int, month: int | None, day: int | None) -> tuple[date, date]:
    if year < 1:
        raise DateFilterError(f"năm {year} không hợp lệ.")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise DateFilterError(f"tháng {month} không tồn tại (tháng từ 1 đến 12).")
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, last_day)
    if not 1 <= day <= last_day:
        raise DateFilterError(
            f"ngày {day}/{month}/{year} không tồn tại (tháng {month}/{year} có {last_day} ngày)."
        )
    return date(year, month, day), date(year, month, day)
