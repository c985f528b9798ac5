"""Timeline bars for the results page: years; months when one year is in view; days when one
month is. Optionally relative: each period's share of all the archive's articles of that
period, so a peak of coverage is not mistaken for the archive's own growth."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from indexer.api import FacetCount, SearchQuery


@dataclass(frozen=True)
class Bar:
    label: str
    date_from: date
    date_to: date
    count: int
    percent: float  # of the tallest bar, for the bar's width
    share: float | None = None  # % of all the archive's articles of the period (relative view)


Counts = dict[str, int]  # period key ("2024", "2024-03", "2024-03-05") → articles


def one_month(query: SearchQuery) -> bool:
    """Whether the date filter lies within one calendar month (the timeline shows days)."""
    start, end = query.date_from, query.date_to
    return bool(start and end and (start.year, start.month) == (end.year, end.month))


def days_of(query: SearchQuery) -> list[date]:
    """The days of a one-month date filter, in order."""
    start, end = query.date_from, query.date_to
    return [date(start.year, start.month, d) for d in range(start.day, end.day + 1)]


def day_bars(counts: list[tuple[date, int]], archive: Counts | None = None) -> list[Bar]:
    """One bar per day of a one-month view (days without articles included, as zero)."""
    rows = [(f"{d.day:02d}/{d.month:02d}", d, d, c, d.isoformat()) for d, c in counts]
    return _bars(rows, archive)


def timeline_bars(
    months: list[FacetCount], query: SearchQuery, archive: Counts | None = None
) -> list[Bar]:
    """Per-month bars when the results span one year (or the filter is one year), else per
    year; ``archive`` (the whole archive's counts per period) makes them relative."""
    if not months:
        return []
    years: dict[int, int] = {}
    for facet in months:
        years[int(facet.value[:4])] = years.get(int(facet.value[:4]), 0) + facet.count
    one_year = bool(
        query.date_from and query.date_to and query.date_from.year == query.date_to.year
    )
    if one_year or len(years) == 1:
        rows = [(*_month_bar(f.value, f.count), f.value[:7]) for f in months]
    else:
        rows = [
            (str(y), date(y, 1, 1), date(y, 12, 31), c, str(y)) for y, c in sorted(years.items())
        ]
    return _bars(rows, archive)


def archive_counts(months: list[FacetCount]) -> Counts:
    """Per-year and per-month counts of the whole archive, from its month facet."""
    counts: Counts = {}
    for facet in months:
        for key in (facet.value[:4], facet.value[:7]):
            counts[key] = counts.get(key, 0) + facet.count
    return counts


def _bars(rows: list[tuple[str, date, date, int, str]], archive: Counts | None) -> list[Bar]:
    """Bars sized by count, or by share of the archive's period when ``archive`` is given."""
    shares = None
    if archive is not None:
        shares = [
            100 * count / archive[key] if archive.get(key) else 0.0 for *_, count, key in rows
        ]
    sizes = shares if shares is not None else [r[3] for r in rows]
    peak = max(sizes, default=0) or 1
    return [
        Bar(label, start, end, count, round(100 * size / peak, 1),
            round(shares[i], 2) if shares is not None else None)
        for i, ((label, start, end, count, _key), size) in enumerate(zip(rows, sizes, strict=True))
    ]  # fmt: skip


def _month_bar(value: str, count: int) -> tuple[str, date, date, int]:
    year, month = int(value[:4]), int(value[5:7])
    last = calendar.monthrange(year, month)[1]
    return f"{month:02d}/{year}", date(year, month, 1), date(year, month, last), count


def month_bars(months: list[FacetCount]) -> list[Bar]:
    """One bar per month (for a person's mentions), in date order."""
    rows = [_month_bar(f.value, f.count) for f in months if len(f.value) >= 7]
    peak = max((r[3] for r in rows), default=0) or 1
    return [
        Bar(label, start, end, count, round(100 * count / peak, 1))
        for label, start, end, count in rows
    ]
