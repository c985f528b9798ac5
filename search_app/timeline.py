"""Timeline bars for the results page: years, or months when one year is in view."""

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


def timeline_bars(months: list[FacetCount], query: SearchQuery) -> list[Bar]:
    """Per-month bars when the results span one year (or the filter is one year), else per year."""
    if not months:
        return []
    years: dict[int, int] = {}
    for facet in months:
        years[int(facet.value[:4])] = years.get(int(facet.value[:4]), 0) + facet.count
    one_year = bool(
        query.date_from and query.date_to and query.date_from.year == query.date_to.year
    )
    if one_year or len(years) == 1:
        rows = [_month_bar(f.value, f.count) for f in months]
    else:
        rows = [(str(y), date(y, 1, 1), date(y, 12, 31), c) for y, c in sorted(years.items())]
    peak = max(r[3] for r in rows) or 1
    return [
        Bar(label, start, end, count, round(100 * count / peak, 1))
        for label, start, end, count in rows
    ]


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
