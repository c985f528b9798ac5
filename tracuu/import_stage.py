"""The enrichers of an import (people, places) in worker processes, and the store written in batches.

People extraction is pure Python and most of an import's CPU (1.7 ms per article of the
2.1 ms that reading, people and storing take, 38k corpus); one process kept one core busy
while the other idled. For an import of thousands of articles, forked workers extract the
people of a batch while this process stores the previous one, in order; and the store
commits once per batch instead of once per article (each commit waits for the WAL write).

Workers are forked before the store is opened (a forked SQLite connection must never be
used by the child), with every step's data already loaded (one article through the steps
here), so they start at once.

When the import is followed by indexing and the engine allows it (``indexer.stream``), the
workers also run the engine's analysis and the importing process hands each stored
article's fields to the index writer (``indexing``): store, people, places and index in one
pass, the index committed at the end, before the store notes what it holds.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from crawler.article import Article
from crawler.store import ArticleStore
from indexer.stream import IndexStream, StreamPlan, stream_plan

PARALLEL_MIN = 2_000  # below this, starting workers costs more than it saves
BATCH = 500  # articles per batch: one pool round trip, one store transaction
CHUNK = 25  # articles per pickled task
MAX_WORKERS = 4


@contextmanager
def enriched_batches(
    items: Iterable, steps: list[Callable[[Article], Article]], *, parallel: bool = True
) -> Iterator[Iterator[list]]:
    """``items`` (Articles, and anything else passed through untouched, in order) in batches,
    each Article through ``steps`` (``tracuu.processors.enrichers``: people, places). With
    ``parallel``, at least PARALLEL_MIN items and more than one core, worker processes
    enrich.

    Open the store inside the ``with`` block: the workers must be forked first.
    """
    iterator = iter(items)
    first = list(islice(iterator, PARALLEL_MIN))
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    batches = _batches(first, iterator)
    prepare = partial(_prepared, steps=tuple(steps))  # picklable: module-level functions
    if not parallel or len(first) < PARALLEL_MIN or workers < 2:
        yield ([prepare(item) for item in batch] for batch in batches)
        return
    # Every step's data (the people lexicon, the place register and its indexes, the index
    # analysis' tables) loaded once here and inherited by every worker, not once per worker.
    prepare(_WARM_UP)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield _pooled(batches, pool, prepare)


_WARM_UP = Article(
    url="https://tracuu.invalid/khoi-dong",
    title="Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải",
    body="Ông Nguyễn Văn An, Bí thư huyện ủy Cẩm Xuyên, thăm xã Cẩm Bình.",
)


def _prepared(item, steps: tuple):
    if not isinstance(item, Article):
        return item
    for step in steps:
        item = step(item)
    return item


def _batches(first: list, rest: Iterator) -> Iterator[list]:
    for start in range(0, len(first), BATCH):
        yield first[start : start + BATCH]
    while batch := list(islice(rest, BATCH)):
        yield batch


def _pooled(
    batches: Iterator[list], pool: multiprocessing.pool.Pool, prepare: Callable
) -> Iterator[list]:
    """Workers enrich batch k+1 while the caller stores batch k."""
    pending = None
    for batch in batches:
        job = pool.map_async(prepare, batch, chunksize=CHUNK)
        if pending is not None:
            yield pending.get()
        pending = job
    if pending is not None:
        yield pending.get()


# -- indexing while importing (indexer.stream) ----------------------------------------------
class ForIndex(NamedTuple):
    """An enriched Article and what the index writer takes for it, both made in a worker."""

    article: Article
    prepared: Any


def _for_index(article: Article, prepare: Callable[[Article], Any]) -> ForIndex:
    return ForIndex(article, prepare(article))


def index_plan(data_dir: Path, engine: str | None, store: ArticleStore) -> StreamPlan | None:
    """Whether this import can write the index as it stores (``indexer.stream``), given the
    store before the import. Close that store before forking the workers."""
    empty = store.count() == 0
    pending = not empty and next(iter(store.pending_index(batch=1)), None) is not None
    return stream_plan(data_dir, engine=engine, store_empty=empty, pending=pending)


def with_prepare(steps: list, plan: StreamPlan | None) -> list:
    """The workers' steps: the enrichers, then the engine's analysis when a stream is planned."""
    return [*steps, partial(_for_index, prepare=plan.prepare)] if plan else steps


class IndexSink:
    """What the importing process does with each stored item while a stream is open."""

    def __init__(self, stream: IndexStream | None) -> None:
        self.stream = stream
        self.written: list[tuple[str, str]] = []  # (url, content hash), for mark_indexed

    def stored(self, item: ForIndex | Article, outcome: str) -> None:
        if self.stream is None or outcome not in ("new", "changed"):
            return
        article = item.article
        self.stream.add(item.prepared, changed=outcome == "changed")
        self.written.append((article.url, article.content_hash))


@contextmanager
def indexing(plan: StreamPlan | None, store: ArticleStore) -> Iterator[IndexSink]:
    """The index writer of ``plan``, open for the import (no-op without a plan); committed
    at the end, and only then does the store note what the index holds. On an error nothing
    of the import reaches the index: what was stored is indexed by the next `tracuu index`."""
    if plan is None:
        yield IndexSink(None)
        return
    stream = plan.open()
    sink = IndexSink(stream)
    try:
        yield sink
    except BaseException:
        stream.rollback()
        raise
    stream.commit()
    store.mark_indexed(sink.written)
