"""Archive access: the capture view, /api/article captures, CDXJ and /cdx, Memento."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from crawler.cdxj import index_path, url_key
from tests.capture_sample import PDF, PNG, TWICE, TWICE_AT, WITH_IMAGES, WITHOUT_IMAGES, archive
from tracuu import pipeline

__all__ = ["archive"]  # the module-scoped fixture, shared with the browser test


@pytest.fixture(scope="module")
def app_client(archive):
    from search_app.app import create_app

    config = {"DATA_DIR": str(archive["dir"]), "TESTING": True}
    app = create_app({**config, **pipeline.archive_views(archive["dir"])})
    return app.test_client()


def _view_urls(client, url: str) -> list[str]:
    captures = client.get("/api/article", query_string={"url": url}).get_json()["captures"]
    return [c["view"].removeprefix("http://localhost") for c in captures]


def test_cdxj_lists_every_capture_record_sorted_and_is_updated_after_each_crawl(archive):
    lines = index_path(archive["dir"]).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    warc_responses = 0
    from crawler.warc import iter_warc_responses

    for _ in iter_warc_responses(pipeline.warc_paths(archive["dir"])):
        warc_responses += 1
    assert len(lines) == warc_responses  # one line per response record, none missed
    edited_key = url_key(archive["edited"]) + " "
    assert sum(line.startswith(edited_key) for line in lines) == 2  # a line per crawl
    fields = json.loads(lines[0].split(" ", 2)[2])
    assert {"url", "status", "offset", "length", "filename", "warc-record-id"} <= set(fields)


def test_api_article_lists_captures_newest_first_with_their_view(app_client, archive):
    data = app_client.get("/api/article", query_string={"url": archive["edited"]}).get_json()
    captures = data["captures"]
    assert len(captures) == 2
    times = [datetime.fromisoformat(c["fetched_at"]) for c in captures]
    assert times == sorted(times, reverse=True)
    assert all(
        c["status"] == 200 and c["warc_record_id"].startswith("<urn:uuid:") for c in captures
    )
    view = app_client.get(captures[0]["view"].removeprefix("http://localhost"))
    record_uuid = captures[0]["warc_record_id"].strip("<>")
    assert view.status_code == 200 and record_uuid in view.get_data(as_text=True)


def test_imported_articles_have_no_captures(tmp_path: Path) -> None:
    from search_app.app import create_app

    record = {
        "url": "http://nhap.example.vn/bai-1.html",
        "title": "Bài nhập",
        "body": "Nội dung bài nhập từ tệp JSON Lines.",
        "published": "2024-01-02T08:00:00+07:00",
        "source": "Nhập",
    }
    lines = tmp_path / "bai.jsonl"
    lines.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    pipeline.import_files(tmp_path, [lines])
    pipeline.index_articles(tmp_path, progress=False)
    config = {"DATA_DIR": str(tmp_path), "TESTING": True, **pipeline.archive_views(tmp_path)}
    client = create_app(config).test_client()
    data = client.get("/api/article", query_string={"url": record["url"]}).get_json()
    assert data["title"] == "Bài nhập" and data["captures"] == []
    page = client.get("/bai-viet", query_string={"url": record["url"]}).get_data(as_text=True)
    assert "/ban-luu?" not in page


def test_article_page_links_to_each_capture(app_client, archive):
    page = app_client.get("/bai-viet", query_string={"url": archive["edited"]})
    links = re.findall(r'class="capture-link" href="([^"]+)"', page.get_data(as_text=True))
    assert [link.replace("&amp;", "&") for link in links] == _view_urls(
        app_client, archive["edited"]
    )


def test_capture_view_shows_the_banner_and_frames_the_stored_page(app_client, archive):
    first, _ = reversed(_view_urls(app_client, archive["edited"]))
    response = app_client.get(first)
    html = response.get_data(as_text=True)
    for part in ("Thời điểm lưu", "Địa chỉ gốc", "Mã trạng thái", "Tệp WARC", "Bản ghi"):
        assert part in html
    assert "Các bản lưu khác (1)" in html and archive["edited"] in html
    frame = re.search(r'<iframe[^>]*src="([^"]+)"[^>]*sandbox="([^"]*)"', html)
    assert frame and "allow-scripts" not in frame.group(2)
    framed = app_client.get(frame.group(1).replace("&amp;", "&"))
    csp = framed.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "sandbox" in csp
    text = framed.get_data(as_text=True)
    # the first capture shows the title as it was before the edit; the newest, the edit
    assert "Tiêu đề đã sửa sau khi đăng" not in text
    newest = app_client.get(_view_urls(app_client, archive["edited"])[0])
    newest_frame = re.search(r'<iframe[^>]*src="([^"]+)"', newest.get_data(as_text=True))
    assert "Tiêu đề đã sửa sau khi đăng" in app_client.get(
        newest_frame.group(1).replace("&amp;", "&")
    ).get_data(as_text=True)


def test_removed_article_keeps_its_capture_viewable(app_client, archive):
    views = _view_urls(app_client, archive["removed"])
    statuses = [
        c["status"]
        for c in app_client.get(
            "/api/article", query_string={"url": archive["removed"]}
        ).get_json()["captures"]
    ]
    assert statuses[0] == 404 and 200 in statuses  # the removal was captured, and before it
    before = app_client.get(views[statuses.index(200)])
    assert before.status_code == 200 and "200 (trang có nội dung)" in before.get_data(as_text=True)
    gone = app_client.get(views[0]).get_data(as_text=True)
    assert "404 (trang đã bị gỡ)" in gone


def _frame_of(client, url: str):
    view = client.get("/ban-luu", query_string={"url": url}, follow_redirects=True)
    src = re.search(r'<iframe[^>]*src="([^"]+)"', view.get_data(as_text=True)).group(1)
    return client.get(src.replace("&amp;", "&"))


def test_captured_images_and_css_come_from_the_archive_others_are_blocked(app_client):
    framed = _frame_of(app_client, WITH_IMAGES).get_data(as_text=True)
    assert "<script" not in framed and "onload" not in framed and "javascript:" not in framed
    image = re.search(r'<img alt="ảnh" src="([^"]+)"', framed).group(1).replace("&amp;", "&")
    assert image.startswith("/ban-luu/tep?")
    got = app_client.get(image)
    assert got.status_code == 200 and got.data == PNG and got.mimetype == "image/png"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    assert 'data-ban-goc="http://ngoai.example.com/x.png"' in framed  # not captured: no src
    assert 'ngoai.example.com/x.png"' not in framed.replace('data-ban-goc="http://ngoai', "")
    sheet = re.search(r'<link href="([^"]+)" rel="stylesheet"', framed).group(1)
    css = app_client.get(sheet.replace("&amp;", "&")).get_data(as_text=True)
    assert 'url("/ban-luu/tep?url=http://anh.example.vn/anh/a.png' in css
    assert 'url("data:,")' in css  # nen.png was never captured


def test_page_without_captured_images_shows_none(app_client):
    framed = _frame_of(app_client, WITHOUT_IMAGES).get_data(as_text=True)
    assert re.search(r"<img [^>]*src=", framed) is None
    assert 'data-ban-goc="http://anh.example.vn/anh/b.png"' in framed


def test_a_capture_that_is_not_html_is_named_not_framed(app_client):
    framed = _frame_of(app_client, PDF)
    text = framed.get_data(as_text=True)
    assert "không phải trang HTML" in text and "application/pdf" in text
    assert "%PDF" not in text and "sandbox" in framed.headers["Content-Security-Policy"]


def test_capture_view_errors(app_client, archive):
    assert app_client.get("/ban-luu", query_string={"url": "http://khong.vn/"}).status_code == 404
    bad = app_client.get("/ban-luu", query_string={"url": archive["plain"], "t": "20xx"})
    assert bad.status_code == 400
    tep = app_client.get("/ban-luu/tep", query_string={"url": archive["plain"]})
    assert tep.status_code == 404  # an HTML page is never served raw from tracuu's origin


# -- Memento -------------------------------------------------------------------------------
def test_capture_view_carries_memento_headers(app_client, archive):
    response = app_client.get(_view_urls(app_client, archive["edited"])[0])
    assert re.fullmatch(
        r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", response.headers["Memento-Datetime"]
    )
    link = response.headers["Link"]
    assert f'<{archive["edited"]}>; rel="original"' in link
    assert 'rel="timegate"' in link and 'rel="timemap"' in link and "last memento" in link


def test_timemap_lists_every_capture(app_client, archive):
    response = app_client.get("/memento/timemap", query_string={"url": archive["edited"]})
    assert response.mimetype == "application/link-format"
    body = response.get_data(as_text=True)
    assert body.count('rel="memento"') == 2 and 'rel="original"' in body and 'rel="self"' in body


def _timegate(client, url: str, accept: str | None):
    headers = {"Accept-Datetime": accept} if accept else {}
    return client.get("/memento/timegate", query_string={"url": url}, headers=headers)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (datetime(2024, 3, 3, tzinfo=UTC), 0),  # between the two captures, nearer the first
        (datetime(2024, 3, 8, tzinfo=UTC), 1),  # between, nearer the second
        (datetime(2024, 3, 10, 2, 0, tzinfo=UTC), 1),  # exactly the second
        (datetime(1999, 1, 1, tzinfo=UTC), 0),  # before all: the first
        (None, 1),  # no Accept-Datetime: the latest
    ],
)
def test_timegate_picks_the_capture_closest_to_accept_datetime(app_client, asked, expected):
    accept = format_datetime(asked, usegmt=True) if asked else None
    response = _timegate(app_client, TWICE, accept)
    assert response.status_code == 302 and response.headers["Vary"] == "accept-datetime"
    stamp = TWICE_AT[expected].strftime("%Y%m%d%H%M%S")
    assert response.headers["Location"].endswith(f"&t={stamp}")
    assert 'rel="original"' in response.headers["Link"]
    memento = app_client.get(response.headers["Location"].removeprefix("http://localhost"))
    assert memento.headers["Memento-Datetime"] == format_datetime(TWICE_AT[expected], usegmt=True)


def test_timegate_refuses_a_bad_date_with_the_json_error_shape(app_client, archive):
    response = app_client.get(
        "/memento/timegate",
        query_string={"url": archive["edited"]},
        headers={"Accept-Datetime": "hôm qua"},
    )
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"status", "message"}


# -- /cdx ----------------------------------------------------------------------------------
def test_cdx_exact_and_prefix_queries_answer_like_pywb(app_client, archive):
    rows = (
        app_client.get("/cdx", query_string={"url": archive["edited"], "output": "json"})
        .get_data(as_text=True)
        .splitlines()
    )
    parsed = [json.loads(r) for r in rows]
    assert len(parsed) == 2 and all(p["url"] == archive["edited"] for p in parsed)
    assert {"urlkey", "timestamp", "mime", "status", "offset", "length", "filename"} <= set(
        parsed[0]
    )
    host = archive["edited"].split("/tin-tuc/")[0] + "/tin-tuc/"
    prefix = (
        app_client.get("/cdx", query_string={"url": host, "matchType": "prefix", "output": "json"})
        .get_data(as_text=True)
        .splitlines()
    )
    assert len(prefix) > len(parsed)
    assert all(json.loads(r)["url"].startswith(host) for r in prefix)
    stamp = parsed[0]["timestamp"]
    later = app_client.get(
        "/cdx", query_string={"url": archive["edited"], "from": str(int(stamp) + 100)}
    )
    assert later.status_code == 200 and later.get_data(as_text=True) == ""
    within = app_client.get(
        "/cdx", query_string={"url": archive["edited"], "from": stamp[:4], "to": stamp[:4]}
    )
    assert len(within.get_data(as_text=True).splitlines()) == 2  # plain CDXJ lines by default


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"url": "x", "matchType": "domain"},
        {"url": "x", "from": "20x4"},
        {"url": "x", "limit": "0"},
    ],
)
def test_cdx_bad_parameters_are_400_json(app_client, args):
    response = app_client.get("/cdx", query_string=args)
    assert response.status_code == 400 and "message" in response.get_json()["error"]


def test_openapi_describes_the_captures_the_api_returns(app_client, archive):
    spec = app_client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert spec["Article"]["properties"]["captures"]["items"]["$ref"].endswith("/Capture")
    data = app_client.get("/api/article", query_string={"url": archive["edited"]}).get_json()
    assert set(data["captures"][0]) == set(spec["Capture"]["required"])
