"""tracuu.indexer: Vietnamese analysis and the search engine behind an engine-neutral API.

Callers use only this module's functions and ``indexer.api`` types; engine libraries are
imported only inside ``indexer/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crawler.article import Article
from indexer import location
from indexer.api import (
    FacetCount,
    IndexStats,
    QueryError,
    SearchEngine,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from indexer.location import IndexMissingError, IndexVersionError

__all__ = [
    "FacetCount",
    "IndexMissingError",
    "IndexStats",
    "IndexVersionError",
    "QueryError",
    "SearchEngine",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "build_index",
    "index_status",
    "indexed_urls",
    "open_engine",
    "rebuild_index",
    "switch_index",
    "update_index",
    "verify_index",
]


def open_engine(data_dir: str | Path) -> SearchEngine:
    """The search engine over the live index of ``data_dir``."""
    from indexer.whoosh_engine import WhooshEngine

    return WhooshEngine(data_dir)


def update_index(data_dir: str | Path, articles: Iterable[Article]) -> int:
    """Add or replace articles in the live index (creating it if there is none)."""
    from indexer.whoosh_engine import ENGINE_NAME, write_articles

    data_dir = Path(data_dir)
    index_dir = location.current_index_dir(data_dir)
    if index_dir is None:
        return rebuild_index(data_dir, articles)
    location.check_meta(index_dir, ENGINE_NAME)
    return write_articles(index_dir, articles)


def rebuild_index(data_dir: str | Path, articles: Iterable[Article]) -> int:
    """Build a complete new index from ``articles`` beside the live one, then switch to it.

    Searches keep using the old index until the switch; if the build fails or is killed,
    the old index stays live and the half-built directory is removed by the next rebuild.
    """
    index_dir, count = build_index(data_dir, articles)
    switch_index(data_dir, index_dir)
    return count


def build_index(data_dir: str | Path, articles: Iterable[Article]) -> tuple[Path, int]:
    """Build a complete new index directory beside the live one, without switching to it.

    Leftovers of killed builds and indexes older than the previous one are removed first.
    """
    from indexer.whoosh_engine import create_index, write_articles

    data_dir = Path(data_dir)
    location.remove_stale(data_dir, keep=set())
    index_dir = location.new_index_dir(data_dir)
    create_index(index_dir)
    return index_dir, write_articles(index_dir, articles, fresh=True)


def switch_index(data_dir: str | Path, index_dir: Path) -> Path | None:
    """Make ``index_dir`` live; keep the one it replaces (a server may be reading it) and
    remove older ones. Returns the replaced directory."""
    previous = location.switch_current(Path(data_dir), index_dir)
    location.remove_stale(Path(data_dir), keep=set())
    return previous


def verify_index(index_dir: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
    """Problems found searching a not-yet-live index for (url, title) pairs; [] when fine."""
    from indexer.verify import find_titles

    return find_titles(index_dir, titles)


def indexed_urls(index_dir: Path) -> set[str]:
    """The URL of every live document in an index directory."""
    from indexer.verify import all_urls

    return all_urls(index_dir)


def index_status(data_dir: str | Path) -> tuple[Path | None, str | None]:
    """(live index directory, problem): problem says why the index cannot be used, else None."""
    from indexer.whoosh_engine import ENGINE_NAME

    index_dir = location.current_index_dir(Path(data_dir))
    if index_dir is None:
        return None, "chưa có chỉ mục"
    try:
        location.check_meta(index_dir, ENGINE_NAME)
    except IndexVersionError as exc:
        return index_dir, str(exc)
    return index_dir, None
