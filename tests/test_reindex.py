"""`tracuu reindex --full`: a verified rebuild that a running app follows without one failed
or empty response; failures and kills leave the live index serving."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading

import pytest
from test_update_helpers import (
    fast_settings,
    load,
    run_tracuu,
    small_portal,
    start_paused,
    tracuu_args,
    write_sources,
)

from crawler.article import Article
from indexer.location import current_index_dir, index_root, previous_index_dir
from search_app.app import create_app
from tracuu import pipeline
from tracuu.processors import older_than_stored
from tracuu.reindex import run_reindex
from tracuu.runlog import EXIT_INDEX_FAILED, EXIT_OK
from tracuu.update import run_update

IMPORTED = {
    "url": "https://bao.example.vn/hop-tac-xa-che-tan-cuong.html",
    "title": "Hợp tác xã chè Tân Cương đạt chuẩn OCOP năm thứ ba",
    "body": "Sản phẩm chè búp Tân Cương tiếp tục được công nhận đạt chuẩn OCOP 4 sao.",
    "published": "2021-04-20",
    "source": "bao.example.vn",
}
IMPORTED_QUERY = "Tân Cương OCOP"


@pytest.fixture(scope="module")
def archive_template(tmp_path_factory):
    """A crawled + indexed data dir, one edited and one removed article, one import not
    yet indexed: (data_dir, edited url, removed url). Built once, copied per test."""
    data_dir = tmp_path_factory.mktemp("archive")
    portal = small_portal(16)
    try:
        sources = load(write_sources(data_dir / "sources.toml", portal.base_url))
        assert run_update(data_dir, sources, settings=fast_settings(), progress=False).ok
        edited = portal.edit_article(portal.article_urls()[0], title="Một tiêu đề đã sửa lại")
        removed = portal.remove_article(portal.article_urls()[3])
        assert run_update(data_dir, sources, settings=fast_settings(), progress=False).ok
    finally:
        portal.stop()
    jsonl = data_dir / "import.jsonl"
    jsonl.write_text(json.dumps(IMPORTED, ensure_ascii=False) + "\n", encoding="utf-8")
    pipeline.import_files(data_dir, [jsonl], progress=False)
    return data_dir, edited, removed


@pytest.fixture()
def archive(archive_template, tmp_path):
    """A private copy of the template: (data_dir, sources, edited url, removed url)."""
    template, edited, removed = archive_template
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    return data_dir, load(data_dir / "sources.toml"), edited, removed


class Searcher(threading.Thread):
    """Sends searches to the app without pause, recording every failed or empty answer."""

    def __init__(self, client) -> None:
        super().__init__(daemon=True)
        self.client, self.stop, self.sent, self.bad = client, threading.Event(), 0, []
        self.imported_seen = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for query in ("tỉnh", IMPORTED_QUERY):
                response = self.client.get("/api/search", query_string={"q": query})
                self.sent += 1
                data = response.get_json(silent=True) or {}
                if query == "tỉnh" and (response.status_code != 200 or not data.get("total")):
                    self.bad.append((response.status_code, data))
                if query == IMPORTED_QUERY and data.get("total"):
                    self.imported_seen.set()


def test_reindex_under_continuous_search_fails_no_request(archive):
    data_dir, sources, *_ = archive
    client = create_app({"DATA_DIR": str(data_dir), "TESTING": True}).test_client()
    searcher = Searcher(client)
    searcher.start()
    try:
        before = searcher.sent
        result = run_reindex(data_dir, sources, progress=False)
        during = searcher.sent - before
        # The app re-checks CURRENT every second; wait (bounded) until it follows.
        assert searcher.imported_seen.wait(30), "the new index never became visible"
    finally:
        searcher.stop.set()
        searcher.join(10)
    assert result.code == EXIT_OK, result.reason
    assert during > 0 and searcher.bad == []


def test_reindex_includes_imports_and_keeps_versions_and_gone_marks(archive):
    data_dir, sources, edited, removed = archive
    with pipeline.open_store(data_dir) as store:
        versions_before = len(store.versions(edited))
        stored = store.count()
    result = run_reindex(data_dir, sources, progress=False)
    assert result.code == EXIT_OK, result.reason
    rebuild = result.report["rebuild"]
    assert rebuild["documents"] == stored
    assert rebuild["by_origin"]["import"] == 1
    assert rebuild["problems"] == []
    assert sum(result.report["reextract"]["counts"].values()) > 0
    with pipeline.open_store(data_dir) as store:
        # Replaying the edited article's first capture must not add a version.
        assert len(store.versions(edited)) == versions_before == 2
        assert store.gone_at(removed) is not None
        assert store.pending_count() == 0


def test_previous_index_is_kept_and_older_ones_and_leftovers_removed(archive):
    data_dir, sources, *_ = archive
    first_live = current_index_dir(data_dir)
    leftover = index_root(data_dir) / "ix-killed-build"
    leftover.mkdir()
    assert run_reindex(data_dir, None, progress=False).ok
    second_live = current_index_dir(data_dir)
    assert previous_index_dir(data_dir) == first_live and not leftover.exists()
    assert run_reindex(data_dir, None, progress=False).ok
    assert previous_index_dir(data_dir) == second_live
    assert not first_live.exists()
    assert sorted(index_root(data_dir).glob("ix-*")) == sorted(
        [second_live, current_index_dir(data_dir)]
    )


def test_failed_verification_keeps_the_live_index(archive, monkeypatch):
    data_dir, sources, *_ = archive
    live = current_index_dir(data_dir)
    monkeypatch.setattr("indexer.verify.find_titles", lambda index_dir, titles: ["hỏng"])
    result = run_reindex(data_dir, sources, progress=False)
    assert result.code == EXIT_INDEX_FAILED and "hỏng" in result.reason
    assert current_index_dir(data_dir) == live
    assert sorted(index_root(data_dir).glob("ix-*")) == [live]


@pytest.mark.parametrize("checkpoint", ["reindex-extracted", "reindex-built"])
def test_killed_reindex_leaves_the_live_index_and_the_next_one_recovers(archive, checkpoint):
    data_dir, *_ = archive
    live = current_index_dir(data_dir)
    args = [*tracuu_args("reindex", data_dir, data_dir / "sources.toml"), "--full"]
    child = start_paused(args, data_dir, checkpoint)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert current_index_dir(data_dir) == live
    again = run_tracuu(*args)
    assert again.returncode == 0, again.stderr
    assert current_index_dir(data_dir) != live
    assert previous_index_dir(data_dir) == live
    assert len(list(index_root(data_dir).glob("ix-*"))) == 2
    check = run_tracuu(*tracuu_args("check", data_dir))
    assert check.returncode == 0, check.stdout


def test_reindex_without_full_is_a_usage_error(tmp_path):
    result = run_tracuu(*tracuu_args("reindex", tmp_path))
    assert result.returncode == 2
    assert "--full" in result.stderr


class _StoredAt:
    """The one store method older_than_stored asks: when the stored version was fetched."""

    def __init__(self, fetched_at):
        self.fetched_at = fetched_at

    def latest_fetched_at(self, url):
        return self.fetched_at


def test_a_capture_earlier_in_the_same_second_is_older_than_the_stored_version():
    from datetime import UTC, datetime

    stored = datetime(2024, 2, 28, 1, 2, 3, 700_000, tzinfo=UTC)
    capture = Article(url="https://a.vn/1.html", title="Tin", body="Bài.")
    older = capture.with_changes(fetched_at=stored.replace(microsecond=200_000))
    same = capture.with_changes(fetched_at=stored)
    whole_second = capture.with_changes(fetched_at=stored.replace(microsecond=0))
    store = _StoredAt(stored)
    assert older_than_stored(store, older)
    assert not older_than_stored(store, same)
    # A whole-second WARC-Date (other tools, WARC 1.0) is compared at that precision.
    assert not older_than_stored(store, whole_second)
