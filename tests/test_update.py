"""`tracuu update`: incremental crawl + index update, versions, gone pages, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_update_helpers import fast_settings, load, small_portal, write_sources

from indexer import SearchQuery, open_engine
from indexer.location import META_FILE, current_index_dir
from tracuu import pipeline
from tracuu.runlog import EXIT_CRAWL_FAILED, EXIT_INDEX_FAILED, EXIT_OK
from tracuu.update import crawl_failure, run_update


@pytest.fixture(scope="module")
def portal():
    portal = small_portal()
    yield portal
    portal.stop()


@pytest.fixture(scope="module")
def updated(tmp_path_factory, portal):
    """A data dir after a first update, then an edit and a removal and a second update."""
    data_dir = tmp_path_factory.mktemp("update-data")
    sources = load(write_sources(data_dir / "sources.toml", portal.base_url))
    first = run_update(data_dir, sources, settings=fast_settings(), progress=False)
    edited = portal.edit_article(portal.article_urls()[2], title="Tiêu đề mới sau khi sửa bài")
    removed = portal.remove_article(portal.article_urls()[4])
    second = run_update(data_dir, sources, settings=fast_settings(), progress=False)
    return data_dir, first, second, edited, removed


def search_urls(data_dir: Path, text: str) -> list[str]:
    engine = open_engine(data_dir)
    try:
        return [hit.url for hit in engine.search(SearchQuery(text=text, per_page=50)).hits]
    finally:
        engine.close()


def test_first_update_stores_and_indexes_every_article(updated, portal):
    data_dir, first, *_ = updated
    assert first.code == EXIT_OK, first.reason
    assert first.report["crawl"]["articles"]["new"] == len(portal.article_urls()) + 1
    with pipeline.open_store(data_dir) as store:
        assert store.pending_count() == 0
        assert first.report["index"]["documents"] == store.count()


def test_changed_article_keeps_both_versions_and_versions_fn_returns_them(updated):
    data_dir, _, second, edited, _ = updated
    assert second.code == EXIT_OK, second.reason
    assert second.report["crawl"]["articles"]["changed"] == 1
    versions = pipeline.archive_views(data_dir)["VERSIONS"](edited)
    assert len(versions) == 2
    (first_at, first_title, first_body), (second_at, second_title, _) = versions
    assert second_title == "Tiêu đề mới sau khi sửa bài" != first_title
    assert first_at <= second_at and first_body


def test_edited_article_is_found_by_its_new_title(updated):
    data_dir, _, _, edited, _ = updated
    assert edited in search_urls(data_dir, '"Tiêu đề mới sau khi sửa bài"')


def test_gone_article_stays_searchable_and_is_flagged(updated):
    data_dir, _, second, _, removed = updated
    assert second.report["crawl"]["articles"]["gone"] == 1
    gone_at = pipeline.archive_views(data_dir)["GONE"]
    assert gone_at(removed) is not None
    with pipeline.open_store(data_dir) as store:
        title = store.get(removed).title
    assert removed in search_urls(data_dir, f'"{title}"')


def test_each_run_writes_a_json_report_and_one_log_line(updated):
    data_dir, first, second, *_ = updated
    reports = [json.loads(p.read_text()) for p in (first.report_path, second.report_path)]
    assert [r["exit_code"] for r in reports] == [0, 0]
    assert reports[1]["crawl"]["articles"]["changed"] == 1
    lines = (data_dir / "update.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert all(" update ok " in line for line in lines)
    assert second.report_path.name in lines[1]


def test_unreachable_source_is_a_crawl_failure_and_the_index_survives(tmp_path, updated):
    data_dir, *_ = updated
    dead = load(write_sources(tmp_path / "dead.toml", "http://127.0.0.1:9", "chet"))
    before = search_urls(data_dir, "tỉnh")
    result = run_update(data_dir, dead, settings=fast_settings(), progress=False)
    assert result.code == EXIT_CRAWL_FAILED
    assert "lỗi" in result.reason
    assert search_urls(data_dir, "tỉnh") == before
    assert "LỖI(4)" in (data_dir / "update.log").read_text(encoding="utf-8").splitlines()[-1]


def test_crawl_failure_rules():
    assert crawl_failure({"counts": {}, "errors": {}})
    all_failed = {"counts": {"listing": {"timeout": 2}}, "errors": {"timeout": [{}, {}]}}
    assert "timeout" in crawl_failure(all_failed)
    some_failed = {"counts": {"article": {"new": 3, "timeout": 1}}, "errors": {"timeout": [{}]}}
    assert crawl_failure(some_failed) is None


def test_index_from_another_schema_is_an_index_failure(tmp_path, portal):
    sources = load(write_sources(tmp_path / "sources.toml", portal.base_url))
    assert run_update(tmp_path, sources, settings=fast_settings(), progress=False).ok
    meta = current_index_dir(tmp_path) / META_FILE
    meta.write_text(json.dumps({"engine": "whoosh", "schema_version": -1}))
    with pipeline.open_store(tmp_path) as store:
        store.mark_all_unindexed()
    result = run_update(tmp_path, sources, settings=fast_settings(), progress=False)
    assert result.code == EXIT_INDEX_FAILED
    assert "reindex --full" in result.reason
