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
    "ENGINES",
    "build_index",
    "document_count",
    "engine_name",
    "index_status",
    "indexed_urls",
    "live_engine_name",
    "open_engine",
    "rebuild_index",
    "switch_index",
    "update_index",
    "verify_index",
]


ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"


def _backend(name: str):
    """The module implementing engine ``name`` (imported only when asked for)."""
    if name == "tantivy":
        from indexer import tantivy_engine

        return tantivy_engine
    if name == "whoosh":
        from indexer import whoosh_engine

        return whoosh_engine
    raise ValueError(f"Không có bộ máy tìm kiếm «{name}» (chọn: {', '.join(ENGINES)}).")


def engine_name(index_dir: Path | None) -> str:
    """The engine that built ``index_dir`` (as its meta file says); Whoosh when unknown."""
    if index_dir is None:
        return DEFAULT_ENGINE
    name = location.read_meta(index_dir).get("engine")
    return name if name in ENGINES else DEFAULT_ENGINE


def live_engine_name(data_dir: str | Path) -> str | None:
    """The engine of the live index of ``data_dir``; None when there is no index yet."""
    index_dir = location.current_index_dir(Path(data_dir))
    return engine_name(index_dir) if index_dir is not None else None


def open_engine(data_dir: str | Path) -> SearchEngine:
    """The search engine over the live index of ``data_dir`` (whichever engine built it)."""
    name = live_engine_name(data_dir) or DEFAULT_ENGINE
    if name == "tantivy":
        from indexer.tantivy_engine import TantivyEngine

        return TantivyEngine(data_dir)
    from indexer.whoosh_engine import WhooshEngine

    return WhooshEngine(data_dir)


def update_index(
    data_dir: str | Path, articles: Iterable[Article], *, engine: str | None = None
) -> int:
    """Add or replace articles in the live index (creating it, with ``engine``, if there is
    none). The live index keeps its own engine: ``engine`` only chooses for a new index."""
    data_dir = Path(data_dir)
    index_dir = location.current_index_dir(data_dir)
    if index_dir is None:
        return rebuild_index(data_dir, articles, engine=engine)
    backend = _backend(engine_name(index_dir))
    location.check_meta(index_dir, backend.ENGINE_NAME)
    return backend.write_articles(index_dir, articles)


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
    backend = _backend(engine or live_engine_name(data_dir) or DEFAULT_ENGINE)
    location.remove_stale(data_dir, keep=set())
    index_dir = location.new_index_dir(data_dir)
    backend.create_index(index_dir)
    return index_dir, backend.write_articles(index_dir, articles, fresh=True)


def switch_index(data_dir: str | Path, index_dir: Path) -> Path | None:
    """Make ``index_dir`` live; keep the one it replaces (a server may be reading it) and
    remove older ones. Returns the replaced directory."""
    previous = location.switch_current(Path(data_dir), index_dir)
    location.remove_stale(Path(data_dir), keep=set())
    return previous


def verify_index(index_dir: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
    """Problems found searching a not-yet-live index for (url, title) pairs; [] when fine."""
    if engine_name(index_dir) == "tantivy":
        from indexer.tantivy_engine import find_titles
    else:
        from indexer.verify import find_titles

    return find_titles(index_dir, titles)


def indexed_urls(index_dir: Path) -> set[str]:
    """The URL of every live document in an index directory."""
    if engine_name(index_dir) == "tantivy":
        from indexer.tantivy_engine import all_urls
    else:
        from indexer.verify import all_urls

    return all_urls(index_dir)


def document_count(index_dir: Path) -> int:
    """How many documents an index directory holds."""
    if engine_name(index_dir) == "tantivy":
        from indexer.tantivy_engine import document_count as count
    else:
        from indexer.verify import document_count as count

    return count(index_dir)


def index_status(data_dir: str | Path) -> tuple[Path | None, str | None]:
    """(live index directory, problem): problem says why the index cannot be used, else None."""
    index_dir = location.current_index_dir(Path(data_dir))
    if index_dir is None:
        return None, "chưa có chỉ mục"
    try:
        location.check_meta(index_dir, _backend(engine_name(index_dir)).ENGINE_NAME)
    except IndexVersionError as exc:
        return index_dir, str(exc)
    return index_dir, None
