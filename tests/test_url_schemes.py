"""Only http(s) article URLs: refused on the way in (import, WARC), never a link on the way out."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.article import VN_TZ, Article, is_http_url
from crawler.warc import NOT_HTTP_URL, reextract
from indexer import rebuild_index
from tracuu import pipeline

ATOM = "{http://www.w3.org/2005/Atom}"
BAD_URLS = ["javascript:alert(document.cookie)//x.vn/a", "data:text/html,<b>x</b>", "file:///etc"]
PARAGRAPH = (
    "<p>Sáng nay, tỉnh Hà Tĩnh tổ chức lễ khởi công dự án đường ven biển dài 30 km, "
    "nối các huyện phía nam với khu kinh tế Vũng Áng.</p>"
)
HTML = (
    "<html><head><title>Khởi công</title></head><body><article>"
    f"<h1>Khởi công đường ven biển Hà Tĩnh</h1>{PARAGRAPH * 6}</article></body></html>"
).encode()


@pytest.mark.parametrize("url", BAD_URLS + ["/tin/bai.html", "http://", "http://[::1"])
def test_only_absolute_http_urls_pass(url):
    assert not is_http_url(url)
    assert is_http_url("https://baotinh.vn/tin/bai-1.html")


def test_import_refuses_non_http_urls_as_bad_lines(tmp_path):
    path = tmp_path / "bai.jsonl"
    records = [{"url": url, "title": "Tiêu đề", "body": "Nội dung."} for url in BAD_URLS]
    records.append({"url": "https://baotinh.vn/a.html", "title": "Tiêu đề", "body": "Nội dung."})
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    summary = pipeline.import_files(tmp_path / "data", [path])
    assert summary.read == 1
    assert [b.line for b in summary.bad_lines] == [1, 2, 3]
    assert all("http(s)" in b.reason for b in summary.bad_lines)
    with pipeline.open_store(tmp_path / "data") as store:
        assert store.urls() == {"https://baotinh.vn/a.html"}


def _warc_with(path: Path, urls: list[str]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url in urls:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(HTML), http_headers=headers
            )
            writer.write_record(record)


def test_warc_extraction_refuses_target_uris_that_are_not_http_urls(tmp_path):
    # warcio parses HTTP headers of http:/https: records only, so a javascript: record is
    # no response at all; an "http:" URI without a host is one, and must not become an Article.
    path = tmp_path / "foreign.warc.gz"
    no_host = "http:javascript:alert(1)"
    _warc_with(path, [BAD_URLS[0], no_host, "https://baotinh.vn/tin/bai-1.html"])
    stored: list[Article] = []
    report = reextract([path], lambda a: stored.append(a) or "new")
    assert [a.url for a in stored] == ["https://baotinh.vn/tin/bai-1.html"]
    assert report.errors[NOT_HTTP_URL] == [no_host]


@pytest.fixture(scope="module")
def old_index_client(tmp_path_factory):
    """An index built before URLs were checked: it holds a javascript: article URL."""
    from search_app.app import create_app

    data_dir = tmp_path_factory.mktemp("old-index")
    when = datetime(2024, 5, 6, 9, 0, tzinfo=VN_TZ)
    evil = Article(
        url=BAD_URLS[0], title="Nông thôn mới độc hại", body="Bài về nông thôn mới.", published=when
    )
    rebuild_index(data_dir, [evil])
    return create_app({"DATA_DIR": str(data_dir), "TESTING": True}).test_client()


def test_article_page_shows_a_non_http_url_as_text_not_a_link(old_index_client):
    response = old_index_client.get("/bai-viet", query_string={"url": BAD_URLS[0]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="javascript:' not in html
    assert 'class="original">javascript:alert' in html


def test_atom_feed_never_links_a_non_http_url(old_index_client):
    response = old_index_client.get("/feed.atom", query_string={"q": "nông thôn"})
    root = ET.fromstring(response.data)
    (entry,) = root.findall(f"{ATOM}entry")
    hrefs = [link.get("href") for link in entry.findall(f"{ATOM}link")]
    assert hrefs and all(h.startswith("http://localhost/") for h in hrefs)
    assert entry.find(f"{ATOM}id").text.startswith("http://localhost/bai-viet")
