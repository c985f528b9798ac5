"""An article carrying markup renders as text everywhere: results, article, feed, export."""

from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree as ET

import pytest

from crawler.article import VN_TZ, Article
from indexer import rebuild_index

EVIL = "<script>alert(1)</script>"
COMMENT = "<!-- comments -->"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def evil_client(tmp_path_factory):
    from search_app.app import create_app

    data_dir = tmp_path_factory.mktemp("xss-data")
    published = datetime(2024, 5, 6, 9, 0, tzinfo=VN_TZ)
    article = Article(
        url="https://example.vn/tin/doc-hai.html?a=1&b=<2>",
        title=f"Nông thôn mới {EVIL} {COMMENT} \"quote\" 'apos'",
        sapo=f"Tóm tắt {EVIL}",
        body=f"Đoạn đầu nông thôn {EVIL} giữa {COMMENT} cuối.\n\n<img src=x onerror=alert(2)> hết.",
        source=f"Nguồn {EVIL}",
        category=f"Chuyên mục {COMMENT}",
        author=f"Tác giả {EVIL}",
        people=[{"name": f"Nguyễn {EVIL}", "role": COMMENT}],
        published=published,
        fetched_at=published,
    )
    other = Article(
        url="https://example.vn/tin/binh-thuong.html",
        title="Nông thôn mới ở vùng cao",
        body="Bài bình thường về nông thôn mới.",
        source=f"Nguồn {EVIL}",
        published=published,
        fetched_at=published,
    )
    rebuild_index(data_dir, [article, other])

    def versions(url):
        return [
            (datetime(2024, 5, 6, tzinfo=VN_TZ), "cũ", f"trước {EVIL}"),
            (datetime(2024, 5, 7, tzinfo=VN_TZ), f"mới {COMMENT}", f"sau {EVIL} {COMMENT}"),
        ]

    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True, "VERSIONS": versions})
    return app.test_client(), article


def _assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<!-- comments" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_results_page_escapes_title_snippet_and_metadata(evil_client):
    client, _ = evil_client
    html = client.get("/", query_string={"q": "nông thôn script"}).get_data(as_text=True)
    assert '<li class="hit">' in html
    _assert_inert(html)


def test_facets_and_person_pages_escape_names(evil_client):
    client, article = evil_client
    html = client.get("/", query_string={"q": ""}).get_data(as_text=True)
    _assert_inert(html)
    person = client.get("/nhan-vat", query_string={"name": article.people[0].name})
    _assert_inert(person.get_data(as_text=True))


def test_article_page_escapes_body_people_citations_and_diff(evil_client):
    client, article = evil_client
    html = client.get("/bai-viet", query_string={"url": article.url, "q": "script alert"}).get_data(
        as_text=True
    )
    assert "Bài viết đã được chỉnh sửa" in html
    _assert_inert(html)
    assert "<mark>script</mark>" in html  # highlighting still works on escaped text


def test_feed_escapes_and_stays_well_formed(evil_client):
    client, article = evil_client
    response = client.get("/feed.atom", query_string={"q": "nông thôn"})
    root = ET.fromstring(response.data)  # would fail on unescaped markup
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert article.title in titles
    assert b"<script>" not in response.data
    summaries = [e.find(f"{ATOM}summary").text for e in root.findall(f"{ATOM}entry")]
    assert all("<script>" not in s for s in summaries)  # HTML-escaped inside the feed too


def test_exports_carry_text_unchanged_and_json_is_valid(evil_client):
    client, article = evil_client
    data = json.loads(client.get("/xuat", query_string={"format": "json", "q": "nông thôn"}).data)
    titles = {r["title"] for r in data["results"]}
    assert article.title in titles  # data, not HTML: exact text, nothing to execute
    assert (
        client.get("/xuat", query_string={"format": "csv"})
        .headers["Content-Type"]
        .startswith("text/csv")
    )


def test_api_is_json_not_html(evil_client):
    client, article = evil_client
    response = client.get("/api/search", query_string={"q": "nông thôn"})
    assert response.mimetype == "application/json"
    snippets = " ".join(r["snippet"] for r in response.get_json()["results"])
    assert "<script>" not in snippets and "&lt;script&gt;" in snippets
