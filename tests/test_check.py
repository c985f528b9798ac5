"""`tracuu check`: the index against the store, with advice and a non-zero exit when wrong."""

from __future__ import annotations

import json
import shutil

import pytest
from test_update_helpers import (
    fast_settings,
    load,
    run_tracuu,
    small_portal,
    tracuu_args,
    write_sources,
)

from crawler.article import Article
from indexer.location import META_FILE, current_index_dir, index_root
from tracuu import pipeline
from tracuu.check import run_check
from tracuu.lock import RunLock, lock_path
from tracuu.update import run_update


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("check")
    portal = small_portal(8)
    try:
        sources = load(write_sources(data_dir / "sources.toml", portal.base_url))
        assert run_update(data_dir, sources, settings=fast_settings(), progress=False).ok
    finally:
        portal.stop()
    return data_dir


@pytest.fixture()
def data_dir(template, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def failing(report) -> list[str]:
    return [f"{f.message} → {f.advice}" for f in report.findings if not f.ok]


def test_consistent_data_dir_passes(data_dir):
    report = run_check(data_dir)
    assert report.ok, failing(report)
    assert report.facts["missing"] == report.facts["orphaned"] == report.facts["pending"] == 0
    assert report.facts["store_articles"] == report.facts["index_documents"] > 0


def test_article_missing_from_the_index_is_reported_with_advice(data_dir):
    with pipeline.open_store(data_dir) as store:
        store.put(Article(url="https://vd.vn/moi.html", title="Bài mới", body="Nội dung"))
    report = run_check(data_dir)
    assert not report.ok
    assert report.facts["missing"] == 1 and report.facts["pending"] == 1
    assert any("https://vd.vn/moi.html" in m and "tracuu index" in m for m in failing(report))


def test_orphaned_document_is_reported(data_dir):
    from indexer import update_index

    update_index(data_dir, [Article(url="https://vd.vn/la.html", title="Lạ", body="x")])
    report = run_check(data_dir)
    assert report.facts["orphaned"] == 1
    assert any("reindex --full" in m for m in failing(report))


def test_wrong_schema_version_says_rebuild(data_dir):
    meta = current_index_dir(data_dir) / META_FILE
    meta.write_text(json.dumps({"engine": "whoosh", "schema_version": 0}))
    assert any("reindex --full" in m for m in failing(run_check(data_dir)))


def test_no_index_says_rebuild(data_dir):
    (index_root(data_dir) / "CURRENT").unlink()
    assert any("chưa có chỉ mục" in m for m in failing(run_check(data_dir)))


def test_stale_lock_is_reported_and_live_lock_is_not_an_error(data_dir):
    lock_path(data_dir).write_text(json.dumps({"pid": 2**22 + 7, "host": _host(), "started": "?"}))
    report = run_check(data_dir)
    assert report.facts["lock"] == "stale" and not report.ok
    # A live pid in the file (pid reuse in a container) is no holder: the kernel lock decides.
    lock_path(data_dir).write_text(json.dumps({"pid": 1, "host": _host(), "started": "?"}))
    assert run_check(data_dir).facts["lock"] == "stale"
    lock_path(data_dir).unlink()
    with RunLock(data_dir, "update"):
        report = run_check(data_dir)
    assert report.facts["lock"] == "held" and report.ok


def test_check_command_exit_codes_and_json(data_dir):
    ok = run_tracuu(*tracuu_args("check", data_dir))
    assert ok.returncode == 0 and "Mọi thứ ổn." in ok.stdout
    (index_root(data_dir) / "CURRENT").unlink()
    bad = run_tracuu(*tracuu_args("check", data_dir), "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["ok"] is False


def _host() -> str:
    import socket

    return socket.gethostname()
