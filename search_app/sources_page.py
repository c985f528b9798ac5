"""The sources page: every source in the archive, its article count and the dates it covers.

Built from the engine-neutral search API only (a facet count and two one-hit searches per
source), so both engines answer it alike; the archive holds tens of sources, not thousands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, current_app, render_template

from indexer import SearchEngine, SearchQuery
from search_app.engine_handle import engine_of

bp = Blueprint("sources", __name__)


@dataclass(frozen=True)
class SourceCoverage:
    name: str  # as stored in each Article (the display name from sources.toml)
    articles: int
    first: datetime | None  # oldest publication date
    last: datetime | None  # newest publication date
    years: tuple[tuple[int, int], ...]  # (year, articles), oldest first


def _edge(engine: SearchEngine, name: str, sort: str) -> datetime | None:
    hits = engine.search(SearchQuery(sources=(name,), sort=sort, per_page=1)).hits
    return hits[0].published if hits else None


def _years(engine: SearchEngine, name: str) -> tuple[tuple[int, int], ...]:
    months = engine.search(SearchQuery(sources=(name,), per_page=1, facets=True)).facets
    years: dict[int, int] = {}
    for facet in months.get("month", []):
        years[int(facet.value[:4])] = years.get(int(facet.value[:4]), 0) + facet.count
    return tuple(sorted(years.items()))


def source_coverage(engine: SearchEngine) -> list[SourceCoverage]:
    """Every source, most articles first."""
    everything = engine.search(SearchQuery(per_page=1, facets=True))
    return [
        SourceCoverage(
            name=f.value,
            articles=f.count,
            first=_edge(engine, f.value, "oldest"),
            last=_edge(engine, f.value, "newest"),
            years=_years(engine, f.value),
        )
        for f in everything.facets.get("source", [])
    ]


@bp.get("/nguon")
def sources():
    engine = engine_of(current_app)
    return render_template("sources.html", sources=source_coverage(engine), stats=engine.stats())
