"""Indexing while importing: an import's articles go into the index as they are stored.

``tracuu import`` used to store every article (people and places extracted in worker
processes), then read them all back from the store to index them (the analysis in worker
processes again). Run one after the other, the two stages each left a core idle part of
the time, and the second re-read, re-decoded and re-pickled every article. With a stream,
the import's workers also run the engine's analysis (``PreparedWriter.prepare``), and the
importing process hands each stored article's prepared fields to the index writer: one
pass, both cores busy.

A stream is only offered when writing the import's articles is all the index needs: a new
index for an empty store, or the live index (same engine, current schema) with nothing
else waiting to be indexed. Otherwise the caller indexes after the import as before
(``tracuu.pipeline.index_articles``), which also covers engines without a prepared writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.article import Article
from indexer import location
from indexer.backend import DEFAULT_ENGINE, EngineBackend, PreparedWriter, backend
from indexer.location import IndexVersionError


@dataclass(frozen=True)
class StreamPlan:
    """Where a stream would write; ``open`` it once the import's workers are forked."""

    data_dir: Path
    chosen: EngineBackend
    target: Path | None  # the live index, or None: a new index directory, switched to at the end
    prepare: Callable[[Article], Any]

    def open(self) -> IndexStream:
        if self.target is not None:
            writer = self.chosen.prepared_writer(self.target, fresh=False)
            return IndexStream(self, writer, self.target, fresh=False)
        location.remove_stale(self.data_dir, keep=set())
        target = location.new_index_dir(self.data_dir)
        self.chosen.create(target)
        location.write_meta(target, self.chosen.name)
        writer = self.chosen.prepared_writer(target, fresh=True)
        return IndexStream(self, writer, target, fresh=True)


class IndexStream:
    """An open stream: ``add`` each stored article's prepared fields, then ``commit``."""

    def __init__(self, plan: StreamPlan, writer: PreparedWriter, target: Path, fresh: bool):
        self.plan, self._writer, self.target, self.fresh = plan, writer, target, fresh

    def add(self, prepared: Any, *, changed: bool) -> None:
        """``changed``: the store already held this URL (in a fresh index only when an
        earlier line of this import added it), so its older document goes."""
        self._writer.add(prepared, replace=changed or not self.fresh)

    def commit(self) -> int:
        """Commit; a new index becomes the live one. How many articles were written."""
        from indexer import switch_index

        count = self._writer.commit()
        if self.fresh:
            switch_index(self.plan.data_dir, self.target)
        return count

    def rollback(self) -> None:
        """Nothing of this stream reaches the index (a new directory is left for the next
        build to remove, as a killed build's is)."""
        self._writer.rollback()


def stream_plan(
    data_dir: str | Path, *, engine: str | None, store_empty: bool, pending: bool
) -> StreamPlan | None:
    """A stream for an import into ``data_dir``, or None when the index needs more than the
    import's articles (``store_empty``: the store holds nothing yet; ``pending``: stored
    articles wait to be indexed) or the engine has no prepared writer."""
    data_dir = Path(data_dir)
    live = location.current_index_dir(data_dir)
    if live is None:
        if not store_empty:
            return None  # a new index must hold the stored articles too
        chosen, target = backend(engine or DEFAULT_ENGINE), None
    else:
        from indexer import engine_name

        live_engine = engine_name(live)
        if pending or (engine is not None and engine != live_engine):
            return None  # more to index, or a rebuild with another engine
        chosen, target = backend(live_engine), live
        try:
            location.check_meta(live, chosen.name)
        except IndexVersionError:
            return None  # the indexing after the import says what to do
    if chosen.prepare is None:
        return None  # no prepared writer: index after the import
    return StreamPlan(data_dir, chosen, target, chosen.prepare)
