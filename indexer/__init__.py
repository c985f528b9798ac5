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
    "open_engine",
    "rebuild_index",
    "update_index",
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
    from indexer.whoosh_engine import create_index, write_articles

    data_dir = Path(data_dir)
    location.remove_stale(data_dir, keep=set())
    index_dir = location.new_index_dir(data_dir)
    create_index(index_dir)
    count = write_articles(index_dir, articles, fresh=True)
    location.switch_current(data_dir, index_dir)
    return count
