"""Feeding a tantivy writer: the Vietnamese analysis of many articles in worker processes.

Tantivy indexes in its own threads; the plain-Python analysis (``document_fields``) is what
holds one core busy. For a fresh build of thousands of articles, worker processes analyse
batches while this process hands finished documents to the writer: measured on the 38k
corpus (bench/bench_engines.py), the single-process feed reached ~970 articles/s with the
main thread as the bottleneck.

Workers are forked, and before the writer exists: a forked child of a process already
running tantivy's writer threads could inherit their held locks, while spawned workers would
re-run the caller's main script (every script without a ``__main__`` guard would break).
Callers therefore open the feed (``document_feed``) first, then the writer.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice

import tantivy

from crawler.article import Article
from indexer.tantivy_schema import document_fields, fields_document

PARALLEL_MIN = 2_000  # below this, starting workers costs more than it saves
BATCH = 1_000  # articles handed to the workers at a time (bounds memory)
CHUNK = 50  # articles per pickled task
MAX_WORKERS = 4


@contextmanager
def document_feed(
    articles: Iterable[Article], *, parallel: bool
) -> Iterator[Iterator[tantivy.Document]]:
    """The tantivy documents of ``articles``, in order. With ``parallel``, at least
    PARALLEL_MIN articles and more than one core, worker processes do the analysis.

    Open the writer inside the ``with`` block: the workers must be forked first.
    """
    iterator = iter(articles)
    first = list(islice(iterator, PARALLEL_MIN))
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if not parallel or len(first) < PARALLEL_MIN or workers < 2:
        yield (fields_document(document_fields(a)) for a in chain(first, iterator))
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield _pooled(_batches(first, iterator), pool)


def _batches(first: list[Article], rest: Iterator[Article]) -> Iterator[list[Article]]:
    for start in range(0, len(first), BATCH):
        yield first[start : start + BATCH]
    while batch := list(islice(rest, BATCH)):
        yield batch


def _pooled(
    batches: Iterator[list[Article]], pool: multiprocessing.pool.Pool
) -> Iterator[tantivy.Document]:
    """Workers analyse batch k+1 while this process turns batch k into documents."""
    pending = None
    for batch in batches:
        job = pool.map_async(document_fields, batch, chunksize=CHUNK)
        if pending is not None:
            yield from map(fields_document, pending.get())
        pending = job
    if pending is not None:
        yield from map(fields_document, pending.get())
