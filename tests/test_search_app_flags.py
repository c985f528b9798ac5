"""Removed and edited articles are flagged wherever a result is shown: list, API, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crawler.article import Article

EDITED = "https://vd.vn/bai-sua.html"
GONE = "https://vd.vn/bai-go.html"
PLAIN = "https://vd.vn/bai-thuong.html"


@pytest.fixture(scope="module")
def flagged_client(tmp_path_factory):
    from search_app.app import create_app
    from tracuu import pipeline

    data_dir = tmp_path_factory.mktemp("flags")
    with pipeline.open_store(data_dir) as store:
        store.put(Article(url=EDITED, title="Đê biển bản đầu", body="Đê biển Cẩm Xuyên"))
        store.put(Article(url=EDITED, title="Đê biển bản sửa", body="Đê biển Cẩm Xuyên mới"))
        store.put(Article(url=GONE, title="Đê biển bị gỡ", body="Đê biển Kỳ Anh"))
        store.mark_gone(GONE)
        store.put(Article(url=PLAIN, title="Đê biển thường", body="Đê biển Thạch Hà"))
    pipeline.index_articles(data_dir, progress=False)
    app = create_app({"DATA_DIR": str(data_dir), **pipeline.archive_views(data_dir)})
    return app.test_client()


def test_api_results_carry_gone_at_and_edited(flagged_client):
    data = flagged_client.get("/api/search", query_string={"q": "đê biển"}).get_json()
    by_url = {r["url"]: r for r in data["results"]}
    assert by_url[GONE]["gone_at"] and not by_url[GONE]["edited"]
    assert by_url[EDITED]["edited"] and by_url[EDITED]["edited_at"]
    assert by_url[EDITED]["gone_at"] is None
    assert (by_url[PLAIN]["gone_at"], by_url[PLAIN]["edited"]) == (None, False)


def test_results_page_flags_each_hit(flagged_client):
    html = flagged_client.get("/", query_string={"q": "đê biển"}).get_data(as_text=True)
    hits = {h.split('href="', 1)[1].split('"', 1)[0]: h for h in html.split('<li class="hit">')[1:]}
    flagged = {url: hit for url, hit in hits.items() if 'class="flag' in hit}
    assert len(hits) == 3 and len(flagged) == 2
    assert any("Đã gỡ khỏi trang gốc" in h and "bai-go" in u for u, h in flagged.items())
    assert any("Đã chỉnh sửa" in h and "bai-sua" in u for u, h in flagged.items())


def test_exports_carry_the_flags(flagged_client):
    text = flagged_client.get("/xuat", query_string={"format": "csv", "q": "đê biển"})
    rows = {r["url"]: r for r in csv.DictReader(io.StringIO(text.get_data(as_text=True)[1:]))}
    assert rows[GONE]["gone_at"][:2] == "20" and rows[EDITED]["edited"] == "true"
    assert rows[PLAIN]["gone_at"] == "" and rows[PLAIN]["edited"] == "false"
    body = flagged_client.get("/xuat", query_string={"format": "json", "q": "đê biển"})
    records = {r["url"]: r for r in json.loads(body.get_data(as_text=True))["results"]}
    assert records[EDITED]["edited"] is True and records[GONE]["gone_at"]
