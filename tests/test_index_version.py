"""An index built by an older schema is refused with a "rebuild" message, never searched."""

from __future__ import annotations

import json

import pytest

from crawler.article import Article
from indexer import IndexVersionError, location, open_engine, rebuild_index, update_index

REBUILD_HINT = "tracuu reindex --full"


def _articles() -> list[Article]:
    return [
        Article(
            url="https://baotinh.example.vn/lu-lon.html",
            title="Lũ lớn ở miền Trung",
            body="Nước sông dâng cao.",
        )
    ]


def _set_schema_version(data_dir, version) -> None:
    meta_path = location.current_index_dir(data_dir) / location.META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["schema_version"] = version
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture()
def old_index(tmp_path):
    rebuild_index(tmp_path, _articles())
    _set_schema_version(tmp_path, location.SCHEMA_VERSION - 1)
    return tmp_path


def test_current_index_opens(tmp_path):
    rebuild_index(tmp_path, _articles())
    engine = open_engine(tmp_path)
    try:
        assert engine.stats().schema_version == location.SCHEMA_VERSION
    finally:
        engine.close()


def test_older_schema_version_refuses_to_open(old_index):
    with pytest.raises(IndexVersionError) as info:
        open_engine(old_index)
    message = str(info.value)
    assert REBUILD_HINT in message
    assert str(location.SCHEMA_VERSION - 1) in message


def test_missing_version_refuses_to_open(tmp_path):
    rebuild_index(tmp_path, _articles())
    (location.current_index_dir(tmp_path) / location.META_FILE).unlink()
    with pytest.raises(IndexVersionError, match="reindex --full"):
        open_engine(tmp_path)


def test_update_into_older_index_refuses(old_index):
    with pytest.raises(IndexVersionError, match="reindex --full"):
        update_index(old_index, _articles())


def test_rebuild_replaces_an_older_index(old_index):
    rebuild_index(old_index, _articles())
    engine = open_engine(old_index)
    try:
        assert engine.stats().documents == 1
    finally:
        engine.close()


def test_app_answers_503_with_the_rebuild_message(old_index):
    from search_app.app import create_app

    client = create_app({"DATA_DIR": str(old_index), "TESTING": True}).test_client()
    response = client.get("/api/search", query_string={"q": "lũ"})
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["status"] == 503
    assert REBUILD_HINT in error["message"]


def test_app_search_page_answers_503_not_results(old_index):
    from search_app.app import create_app

    client = create_app({"DATA_DIR": str(old_index), "TESTING": True}).test_client()
    response = client.get("/", query_string={"q": "lũ"})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert REBUILD_HINT in page
    assert "Lũ lớn ở miền Trung" not in page
