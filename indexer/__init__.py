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
from indexer.backend import DEFAULT_ENGINE, EngineBackend, backend, engine_names, register
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
    "DEFAULT_ENGINE",
    "EngineBackend",
    "build_index",
    "document_count",
    "engine_name",
    "engine_names",
    "index_status",
    "indexed_urls",
    "live_engine_name",
    "open_engine",
    "rebuild_index",
    "register",
    "switch_index",
    "update_index",
    "verify_index",
]


def engine_name(index_dir: Path | None) -> str:
    """The engine that built ``index_dir`` (as its meta file says); the default when unknown."""
    if index_dir is None:
        return DEFAULT_ENGINE
    name = location.read_meta(index_dir).get("engine")
    return name if name in engine_names() else DEFAULT_ENGINE


def live_engine_name(data_dir: str | Path) -> str | None:
    """The engine of the live index of ``data_dir``; None when there is no index yet."""
    index_dir = location.current_index_dir(Path(data_dir))
    return engine_name(index_dir) if index_dir is not None else None


def open_engine(data_dir: str | Path) -> SearchEngine:
    """The search engine over the live index of ``data_dir`` (whichever engine built it)."""
    return backend(live_engine_name(data_dir) or DEFAULT_ENGINE).open(Path(data_dir))


def update_index(
    data_dir: str | Path, articles: Iterable[Article], *, engine: str | None = None
) -> int:
    """Add or replace articles in the live index (creating it, with ``engine``, if there is
    none). The live index keeps its own engine: ``engine`` only chooses for a new index."""
    data_dir = Path(data_dir)
    index_dir = location.current_index_dir(data_dir)
    if index_dir is None:
        return rebuild_index(data_dir, articles, engine=engine)
    chosen = backend(engine_name(index_dir))
    location.check_meta(index_dir, chosen.name)
    return chosen.write(index_dir, articles)


def rebuild_index(
    data_dir: str | Path, articles: Iterable[Article], *, engine: str | None = None
) -> int:
    """Build a complete new index from ``articles`` beside the live one, then switch to it.

    ``engine`` None keeps the live index's engine (Whoosh for a new data directory).
    Searches keep using the old index until the switch; if the build fails or is killed,
    the old index stays live and the half-built directory is removed by the next rebuild.
    """
    index_dir, count = build_index(data_dir, articles, engine=engine)
    switch_index(data_dir, index_dir)
    return count


def build_index(
    data_dir: str | Path, articles: Iterable[Article], *, engine: str | None = None
) -> tuple[Path, int]:
    """Build a complete new index directory beside the live one, without switching to it.

    Leftovers of killed builds and indexes older than the previous one are removed first.
    """
    data_dir = Path(data_dir)
    chosen = backend(engine or live_engine_name(data_dir) or DEFAULT_ENGINE)
    location.remove_stale(data_dir, keep=set())
    index_dir = location.new_index_dir(data_dir)
    chosen.create(index_dir)
    location.write_meta(index_dir, chosen.name)
    return index_dir, chosen.write(index_dir, articles, fresh=True)


def switch_index(data_dir: str | Path, index_dir: Path) -> Path | None:
    """Make ``index_dir`` live; keep the one it replaces (a server may be reading it) and
    remove older ones. Returns the replaced directory."""
    previous = location.switch_current(Path(data_dir), index_dir)
    location.remove_stale(Path(data_dir), keep=set())
    return previous


def verify_index(index_dir: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
    """Problems found searching a not-yet-live index for (url, title) pairs; [] when fine."""
    return backend(engine_name(index_dir)).find_titles(index_dir, titles)


def indexed_urls(index_dir: Path) -> set[str]:
    """The URL of every live document in an index directory."""
    return backend(engine_name(index_dir)).urls(index_dir)


def document_count(index_dir: Path) -> int:
    """How many documents an index directory holds."""
    return backend(engine_name(index_dir)).document_count(index_dir)


def index_status(data_dir: str | Path) -> tuple[Path | None, str | None]:
    """(live index directory, problem): problem says why the index cannot be used, else None."""
    index_dir = location.current_index_dir(Path(data_dir))
    if index_dir is None:
        return None, "chưa có chỉ mục"
    try:
        location.check_meta(index_dir, backend(engine_name(index_dir)).name)
    except IndexVersionError as exc:
        return index_dir, str(exc)
    return index_dir, None
