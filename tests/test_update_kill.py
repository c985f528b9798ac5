"""Killing `tracuu update` (SIGKILL) at any moment: search keeps answering from the last good
index, nothing stored is lost, and the next run recovers by itself."""

from __future__ import annotations

import json
import os
import signal

import pytest
from test_update_helpers import (
    run_tracuu,
    small_portal,
    start_paused,
    tracuu_args,
    write_sources,
)

from indexer import SearchQuery, open_engine
from tracuu import pipeline
from tracuu.lock import lock_path, read_lock

NEW_TITLE = "Bài viết được biên tập lại hoàn toàn"


@pytest.fixture()
def portal():
    portal = small_portal(16)
    yield portal
    portal.stop()


@pytest.fixture()
def indexed(tmp_path, portal):
    """A data dir with one complete update behind it."""
    sources = write_sources(tmp_path / "sources.toml", portal.base_url)
    done = run_tracuu(*tracuu_args("update", tmp_path, sources))
    assert done.returncode == 0, done.stderr
    return tmp_path, sources


def titles_found(data_dir, text: str) -> list[str]:
    engine = open_engine(data_dir)
    try:
        return [h.title for h in engine.search(SearchQuery(text=text, per_page=50)).hits]
    finally:
        engine.close()


def document_count(data_dir) -> int:
    engine = open_engine(data_dir)
    try:
        return engine.stats().documents
    finally:
        engine.close()


@pytest.mark.parametrize("checkpoint", ["crawl", "index-write", "index-committed"])
def test_killed_update_leaves_search_answering_and_next_run_completes(indexed, portal, checkpoint):
    data_dir, sources = indexed
    documents = document_count(data_dir)
    edited = portal.edit_article(portal.article_urls()[1], title=NEW_TITLE)

    child = start_paused(tracuu_args("update", data_dir, sources), data_dir, checkpoint)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    # The last good index still answers, and the killed run's lock is left behind.
    assert document_count(data_dir) == documents
    assert read_lock(lock_path(data_dir)).pid == child.pid

    again = run_tracuu(*tracuu_args("update", data_dir, sources))
    assert again.returncode == 0, again.stderr
    report = json.loads(sorted((data_dir / "reports").glob("update-*.json"))[-1].read_text())
    assert report["stale_lock_taken_over"]["pid"] == child.pid
    assert NEW_TITLE in titles_found(data_dir, f'"{NEW_TITLE}"')
    assert document_count(data_dir) == documents
    with pipeline.open_store(data_dir) as store:
        assert store.pending_count() == 0
        assert len(store.versions(edited)) == 2
    assert not lock_path(data_dir).exists()
