"""The enrichers of an import (people, places) in worker processes, and the store written in batches.

People extraction is pure Python and most of an import's CPU (1.7 ms per article of the
2.1 ms that reading, people and storing take, 38k corpus); one process kept one core busy
while the other idled. For an import of thousands of articles, forked workers extract the
people of a batch while this process stores the previous one, in order; and the store
commits once per batch instead of once per article (each commit waits for the WAL write).

Workers are forked before the store is opened (a forked SQLite connection must never be
used by the child), with the people lexicon already loaded, so they start at once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import islice

from crawler.article import Article

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
    from crawler.people import lexicon

    lexicon()  # loaded once here, inherited by every worker
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield _pooled(batches, pool, prepare)


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
