"""The tantivy engine's side of the engine contract (``indexer.backend``): create, write,
open, and the checks on a not-yet-live index. Searching is ``indexer.tantivy_engine``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import tantivy
from tantivy import Query

from crawler.article import Article
from indexer import verify
from indexer.api import SearchEngine
from indexer.backend import EngineBackend, PreparedWriter
from indexer.queryplan import Plan
from indexer.tantivy_engine import TantivyEngine
from indexer.tantivy_feed import document_feed
from indexer.tantivy_query import QueryBuilder
from indexer.tantivy_schema import (
    article_document,
    build_schema,
    document_fields,
    fields_document,
    open_index,
    register_analyzer,
)
from indexer.tantivy_schema import stored_article as _stored_article

WRITER_HEAP = 256_000_000
# Indexing threads of an import's stream. One thread alone costs ~15% less CPU (one segment,
# 0.97 vs 1.15 ms per article on 3k), but beside the import's two busy workers it gets too
# small a share of the cores and the commit waits for its backlog: 3k articles end to end
# took 8.9 s wall with one thread, 8.4-8.6 s with two (same CPU within noise).
STREAM_THREADS = 2


class TantivyBackend(EngineBackend):
    name = "tantivy"
    prepare = staticmethod(document_fields)  # the analysis, in an import's workers

    def create(self, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(build_schema(), path=str(target), reuse=False)
        register_analyzer(index)

    def write(self, target: Path, articles: Iterable[Article], *, fresh: bool = False) -> int:
        """Updates delete the URL's document before adding it, so re-indexing replaces, never
        duplicates (tantivy applies a delete only to documents added before it). A fresh
        build has nothing to replace and analyses its articles in worker processes
        (tantivy_feed)."""
        if not fresh:
            return _commit(target, ((a.url, article_document(a)) for a in articles), threads=1)
        # The workers are forked before the writer starts its threads.
        with document_feed(articles, parallel=True) as documents:
            return _commit(target, ((None, d) for d in documents), threads=2)

    def prepared_writer(self, target: Path, *, fresh: bool) -> PreparedWriter:
        return TantivyPreparedWriter(target)

    def open(self, data_dir: Path) -> SearchEngine:
        return TantivyEngine(data_dir, self)

    def document_count(self, target: Path) -> int:
        return open_index(target).searcher().num_docs

    def urls(self, target: Path) -> set[str]:
        searcher = open_index(target).searcher()
        total = searcher.num_docs
        if total == 0:
            return set()
        hits = searcher.search(Query.all_query(), total, count=False).hits
        return {_stored_article(searcher.doc(addr)).url for _, addr in hits}

    def find_titles(self, target: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
        index = open_index(target)
        searcher = index.searcher()
        builder = QueryBuilder(index.schema)

        def top_articles(plan: Plan) -> list[Article]:
            hits = searcher.search(builder.build(plan), verify.SEARCH_DEPTH).hits
            return [_stored_article(searcher.doc(address)) for _, address in hits]

        return verify.find_titles(titles, top_articles)


def _commit(
    index_dir: Path, keyed: Iterable[tuple[str | None, tantivy.Document]], *, threads: int
) -> int:
    """Add (url, document) pairs, deleting the url's older document first when one is given."""
    index = open_index(index_dir)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=threads)
    count = 0
    try:
        for url, document in keyed:
            if url is not None:
                writer.delete_documents_by_term("url", url)
            writer.add_document(document)
            count += 1
    except BaseException:
        writer.rollback()
        raise
    writer.commit()
    writer.wait_merging_threads()
    return count


class TantivyPreparedWriter(PreparedWriter):
    """Documents from ``document_fields`` (run in an import's workers), indexed by the
    writer's threads."""

    def __init__(self, target: Path) -> None:
        self._writer = open_index(target).writer(heap_size=WRITER_HEAP, num_threads=STREAM_THREADS)
        self._count = 0

    def add(self, prepared: dict, *, replace: bool) -> None:
        if replace:
            self._writer.delete_documents_by_term("url", prepared["url"])
        self._writer.add_document(fields_document(prepared))
        self._count += 1

    def commit(self) -> int:
        self._writer.commit()
        self._writer.wait_merging_threads()
        return self._count

    def rollback(self) -> None:
        self._writer.rollback()


BACKEND = TantivyBackend()
