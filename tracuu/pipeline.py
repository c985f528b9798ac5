"""The library behind the CLI: crawl → store → index, import, re-extract.

Each function takes the data directory, which holds everything tracuu keeps:
``warc/`` (raw captures), ``crawl.sqlite`` (frontier), ``articles.sqlite`` (every Article and
its versions), ``index/`` (the search index), ``reports/`` (JSON run reports).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from crawler.article import Article
from crawler.store import ArticleStore
from tracuu.import_stage import ForIndex
from tracuu.importer import BadLine, CutFields, read_articles
from tracuu.processors import processors_for, run_processors, with_people, with_places

# moved to tracuu.processors; kept here for callers of the library
__all__ = ["with_people", "with_places"]

DEFAULT_DATA_DIR = "tracuu-data"


def default_data_dir() -> Path:
    return Path(os.environ.get("TRACUU_DATA") or DEFAULT_DATA_DIR)


def open_store(data_dir: Path, *, read_only: bool = False) -> ArticleStore:
    return ArticleStore(Path(data_dir) / "articles.sqlite", read_only=read_only)


def sources_file_provinces(path: Path) -> dict[str, str]:
    """Source provinces from a sources file, for imports and re-extractions, which take no
    sources: {} when the file is missing or refused (places then resolve without them)."""
    from crawler.sources import load_sources, source_provinces

    try:
        return source_provinces(load_sources(path)) if Path(path).exists() else {}
    except ValueError:
        return {}


def progress_bar(iterable: Iterable, *, desc: str, total: int | None = None, enabled=None):
    """tqdm on a terminal; the plain iterable otherwise (logs stay readable)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, unit=" bài", file=sys.stderr)


def write_report(data_dir: Path, kind: str, report: dict) -> Path:
    # Microseconds: two scheduled runs within a second must not overwrite each other's report.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = Path(data_dir) / "reports" / f"{kind}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    try:  # a full disk must not leave a half-written report behind
        partial.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return path


# -- indexing -------------------------------------------------------------------------
@dataclass
class IndexSummary:
    indexed: int
    documents: int
    full: bool
    engine: str = ""


def index_articles(
    data_dir: Path,
    *,
    full: bool = False,
    progress=None,
    on_article: Callable[[Article], None] | None = None,
    before_mark: Callable[[], None] | None = None,
    engine: str | None = None,
) -> IndexSummary:
    """Bring the index up to date with the store (only new/changed articles unless ``full``).

    The store learns what the index holds only after the index commit, so a run killed
    in between re-indexes those articles next time (replacing, never duplicating them).
    ``on_article``/``before_mark`` are observation points for progress and crash tests.
    ``engine`` ("whoosh"/"tantivy") chooses the engine of a new index; asking for another
    engine than the live index's rebuilds the whole index with it (``full``).
    """
    from indexer import live_engine_name, open_engine, rebuild_index, update_index

    live = live_engine_name(data_dir)
    if engine is not None and live is not None and engine != live:
        full = True

    with open_store(data_dir) as store:
        written: list[tuple[str, str]] = []

        def stream(articles: Iterator[Article]) -> Iterator[Article]:
            for article in articles:
                written.append((article.url, article.content_hash))
                yield article
                if on_article is not None:
                    on_article(article)

        total = store.count()
        if full:
            source = stream(store.iter_latest())
            count = rebuild_index(
                data_dir,
                progress_bar(source, desc="Lập chỉ mục", total=total, enabled=progress),
                engine=engine,
            )
        else:
            source = stream(store.pending_index())
            count = update_index(
                data_dir, progress_bar(source, desc="Lập chỉ mục", enabled=progress), engine=engine
            )
        if before_mark is not None:
            before_mark()
        store.mark_indexed(written)
    engine = open_engine(data_dir)
    documents = engine.stats().documents
    engine.close()
    return IndexSummary(
        indexed=count, documents=documents, full=full, engine=live_engine_name(data_dir) or ""
    )


# -- import ---------------------------------------------------------------------------
@dataclass
class ImportSummary:
    read: int = 0
    outcomes: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0}
    )
    bad_lines: list[BadLine] = field(default_factory=list)
    cut: list[CutFields] = field(default_factory=list)  # imported with fields cut to caps
    indexed: int = 0  # written into the index in the same pass (import_files' ``index``)

    def to_dict(self) -> dict:
        return {
            "read": self.read,
            **self.outcomes,
            "bad_lines": [str(b) for b in self.bad_lines],
            "cut_fields": [str(c) for c in self.cut],
        }


def import_files(
    data_dir: Path,
    paths: list[Path],
    *,
    on_bad_line: Callable[[BadLine], None] | None = None,
    progress=None,
    places: bool = True,
    provinces: dict[str, str] | None = None,
    index: bool = False,
    engine: str | None = None,
) -> ImportSummary:
    """Store every readable Article record from JSON Lines files (people and, unless
    ``places`` is False, places extracted; ``provinces``: each source's province by label).
    ``index``: write the index in the same pass where the engine and the archive allow
    (``indexer.stream``; ``engine`` as for ``index_articles``); ``index_articles`` after
    the import indexes whatever this did not."""
    from tracuu import import_stage
    from tracuu.processors import enrichers

    summary = ImportSummary()
    items = (
        item
        for path in paths
        for item in progress_bar(
            read_articles(path), desc=f"Nhập {Path(path).name}", enabled=progress
        )
    )
    # The enrichers (people, places) and a stream's analysis run in worker processes a
    # batch ahead (tracuu.import_stage); the steps that touch the store run here, one
    # transaction a batch.
    steps = enrichers(places=places, provinces=provinces)
    plan = None
    if index:
        with open_store(data_dir) as store:  # closed again: the workers are forked next
            plan = import_stage.index_plan(data_dir, engine, store)
    worker_steps = import_stage.with_prepare(steps, plan)
    with (
        import_stage.enriched_batches(items, worker_steps) as batches,
        open_store(data_dir) as store,
        import_stage.indexing(plan, store) as sink,
    ):
        processors = processors_for(store, "import", places=places, provinces=provinces)
        rest = processors[len(steps) :]  # import has no guards: the enrichers come first
        for batch in batches:
            with store.batch():
                for item in batch:
                    _import_item(rest, item, summary, on_bad_line, sink)
    summary.indexed = len(sink.written)
    return summary


def _import_item(rest: list, item, summary: ImportSummary, on_bad_line, sink) -> None:
    """One item of an import: a bad line or a cut record noted, an (enriched) Article
    through the remaining processors, and to the index stream if one is open."""
    if isinstance(item, BadLine):
        summary.bad_lines.append(item)
        if on_bad_line:
            on_bad_line(item)
    elif isinstance(item, CutFields):
        summary.cut.append(item)
    else:
        article = item.article if isinstance(item, ForIndex) else item
        summary.read += 1
        outcome = run_processors(rest, article)
        summary.outcomes[outcome] += 1
        sink.stored(item, outcome)


# -- crawl ----------------------------------------------------------------------------
def crawl_sources(
    data_dir: Path,
    sources: list,
    *,
    settings=None,
    progress=None,
    on_article: Callable[[Article, str], None] | None = None,
):
    """Crawl the sources into the store; returns the crawler's report.

    ``on_article(article, outcome)`` is called after each article is safely stored.
    """
    from crawler.crawl import run_crawl
    from crawler.sources import source_provinces

    with open_store(data_dir) as store:
        processors = processors_for(store, "crawl", provinces=source_provinces(sources))

        def sink(article: Article) -> str:
            outcome = run_processors(processors, article)
            if on_article is not None:
                on_article(article, outcome)
            return outcome

        report = run_crawl(
            sources,
            Path(data_dir),
            sink,
            settings=settings,
            progress=progress,
            on_gone=store.mark_gone,
        )
    from tracuu.archive import refresh_cdxj

    refresh_cdxj(data_dir)  # the new captures become viewable and findable by /cdx
    return report


def warc_paths(data_dir: Path) -> list[Path]:
    """The data directory's captures: its WARCs, and WACZ packages placed beside them."""
    folder = Path(data_dir) / "warc"
    return sorted([*folder.glob("*.warc*"), *folder.glob("*.wacz")])


def reextract_warcs(
    data_dir: Path,
    paths: list[Path] | None = None,
    *,
    sources=None,
    provinces: dict[str, str] | None = None,
):
    """Re-extract Articles from raw captures (ours by default; WARC or WACZ files) into the
    store; no network. The files read join the CDXJ index, so their captures are viewable.

    With ``sources``, only their article URLs are extracted (as the crawl did). A capture
    older than the stored version is skipped: replaying an article's first capture after its
    edit would otherwise record the old text as a new version.
    """
    from crawler.sources import source_provinces
    from crawler.warc import reextract

    paths = paths or warc_paths(data_dir)
    provinces = {**(provinces or {}), **source_provinces(sources or [])}
    with open_store(data_dir) as store:
        processors = processors_for(store, "warc", provinces=provinces)
        report = reextract(
            paths, lambda article: run_processors(processors, article), sources=sources
        )
    from tracuu.archive import refresh_cdxj

    refresh_cdxj(data_dir, extra=paths)  # the files read become viewable captures
    return report


# -- the web app's view of the archive ---------------------------------------------------
def archive_views(data_dir: Path) -> dict[str, Callable]:
    """create_app config entries that read the store (search_app must not import it).

    VERSIONS(url) -> [(recorded_at, title, body)] oldest first; GONE(url) -> when the page
    disappeared from its site, or None; STATUS(url) -> (gone_at, edited_at) for the flags
    of results and exports (edited_at: when the latest of several versions was recorded);
    CAPTURES: the crawler.archive_access.CaptureArchive the capture view, Memento and /cdx read.
    """
    from crawler.archive_access import CaptureArchive

    store = open_store(data_dir, read_only=True)  # the web app never writes the archive

    def versions(url: str) -> list[tuple[datetime, str, str]]:
        return [(v.recorded_at, v.article.title, v.article.body) for v in store.versions(url)]

    return {
        "VERSIONS": versions,
        "GONE": store.gone_at,
        "STATUS": store.edit_status,
        "CAPTURES": CaptureArchive(data_dir),  # the capture view's records (search_app.captures)
    }
