"""WACZ out and in, checked by the real tools: `wacz validate` and pywb's replay."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import fast_settings
from tracuu import cli, pipeline
from tracuu.demo import sample_source
from tracuu.sample_portal.catalog import load_sample_articles
from tracuu.sample_portal.server import SamplePortal

ROOT = Path(__file__).resolve().parent.parent
PYWB_BIN = Path(os.environ.get("TRACUU_PYWB_VENV", ROOT / ".venv-pywb")) / "bin"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """(data dir, {url: title}): six sample articles crawled over HTTP and indexed."""
    data_dir = tmp_path_factory.mktemp("wacz-data")
    with SamplePortal(load_sample_articles()[:6]) as portal:
        source = sample_source(portal.base_url)
        pipeline.crawl_sources(data_dir, [source], settings=fast_settings(), progress=False)
        titles = {url: portal.expected_article(url)["title"] for url in portal.article_urls()}
    pipeline.index_articles(data_dir, progress=False)
    return data_dir, titles


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def _pages(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as wacz:
        lines = wacz.read("pages/pages.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]  # the first line is the header


def _record_urls(path: Path) -> dict[str, set[str]]:
    """record type -> target URLs, over every WARC inside a WACZ."""
    found: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as wacz:
        for name in wacz.namelist():
            if name.startswith("archive/"):
                for record in ArchiveIterator(io.BytesIO(wacz.read(name))):
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    found.setdefault(record.rec_type, set()).add(url)
    return found


def test_wacz_of_the_whole_archive_is_valid_with_titled_pages(crawled, tmp_path):
    data_dir, titles = crawled
    out = tmp_path / "kho.wacz"
    assert cli.main(["--data-dir", str(data_dir), "wacz", "--out", str(out)]) == 0
    checked = _validate(out)
    assert checked.returncode == 0 and "is valid" in checked.stdout, checked.stdout
    pages = {p["url"]: p for p in _pages(out)}
    assert {url: p["title"] for url, p in pages.items()} == titles
    assert all(p["ts"].endswith("Z") for p in pages.values())
    with zipfile.ZipFile(out) as wacz:
        cdxj = gzip.decompress(wacz.read("indexes/index.cdx.gz")).decode()
    assert all(url in cdxj for url in titles)


def test_wacz_of_a_query_holds_only_its_results(crawled, tmp_path):
    data_dir, titles = crawled
    url, title = next(iter(sorted(titles.items())))
    out = tmp_path / "mot-bai.wacz"
    argv = ["--data-dir", str(data_dir), "wacz", "--out", str(out), f'"{title}"']
    assert cli.main(argv) == 0
    assert _validate(out).returncode == 0
    records = _record_urls(out)
    assert records["response"] == {url} and records["request"] == {url}
    assert [p["url"] for p in _pages(out)] == [url]


def test_wacz_refuses_an_empty_result_set(crawled, tmp_path, capsys):
    data_dir, _ = crawled
    argv = ["--data-dir", str(data_dir), "wacz", "--out", str(tmp_path / "x.wacz"), "zzqxv"]
    assert cli.main(argv) == 2
    assert "không có kết quả" in capsys.readouterr().err


# -- a foreign WACZ becomes searchable ------------------------------------------------------
FOREIGN_URL = "https://baongoai.example.vn/thoi-su/cau-vuot-song-lam-hoan-thanh-123.html"
FOREIGN_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Cầu vượt sông Lam hoàn thành sớm</title>
<meta property="og:title" content="Cầu vượt sông Lam hoàn thành sớm">
<meta property="article:published_time" content="2024-05-02T09:30:00+07:00"></head>
<body><article><h1>Cầu vượt sông Lam hoàn thành sớm</h1>
<p class="date">02/05/2024 09:30</p>
<p>Sáng nay, công trình cầu vượt sông Lam nối hai huyện đã hoàn thành sớm hai tháng so với kế
hoạch, theo Ban quản lý dự án giao thông tỉnh.</p>
<p>Cây cầu dài 1.200 mét, vốn đầu tư hơn 800 tỷ đồng, giúp người dân đi lại thuận tiện hơn và
rút ngắn quãng đường vận chuyển hàng hóa giữa các xã ven sông.</p>
<p>Lãnh đạo tỉnh đánh giá cao nỗ lực của nhà thầu và đề nghị sớm hoàn thiện đường dẫn hai đầu
cầu trước mùa mưa lũ năm nay.</p></article></body></html>"""


def _foreign_warc(path: Path) -> None:
    """A WARC 1.0 written the way other crawlers write it (no tracuu code involved)."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "khac/1.0"}))
        body = FOREIGN_HTML.encode("utf-8")
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            FOREIGN_URL,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-05-02T03:00:00Z"},
        )
        writer.write_record(record)


def _foreign_wacz(tmp_path: Path) -> Path:
    warc = tmp_path / "crawl-khac.warc.gz"
    _foreign_warc(warc)
    out = tmp_path / "khac.wacz"
    from wacz.main import main as wacz_main

    assert wacz_main(["create", "-o", str(out), "--detect-pages", str(warc)]) == 0
    return out


def test_a_foreign_wacz_is_extracted_searchable_and_viewable(tmp_path):
    from search_app.app import create_app

    (tmp_path / "src").mkdir()
    wacz = _foreign_wacz(tmp_path / "src")
    data_dir = tmp_path / "data"
    assert cli.main(["--data-dir", str(data_dir), "extract", str(wacz)]) == 0
    pipeline.index_articles(data_dir, progress=False)
    from indexer import SearchQuery, open_engine

    engine = open_engine(data_dir)
    hits = engine.search(SearchQuery(text="cầu vượt sông Lam")).hits
    engine.close()
    assert [h.url for h in hits] == [FOREIGN_URL]
    config = {"DATA_DIR": str(data_dir), "TESTING": True, **pipeline.archive_views(data_dir)}
    client = create_app(config).test_client()
    captures = client.get("/api/article", query_string={"url": FOREIGN_URL}).get_json()["captures"]
    assert [c["fetched_at"] for c in captures] == ["2024-05-02T03:00:00+00:00"]
    view = client.get("/ban-luu", query_string={"url": FOREIGN_URL, "t": "20240502030000"})
    assert "khac.wacz#archive/crawl-khac.warc.gz" in view.get_data(as_text=True)


def test_reindex_full_reads_a_wacz_in_the_data_directory(tmp_path):
    from crawler.sources import Source
    from tracuu.reindex import run_reindex

    wacz = _foreign_wacz(tmp_path)
    data_dir = tmp_path / "data"
    (data_dir / "warc").mkdir(parents=True)
    shutil.copy(wacz, data_dir / "warc" / "khac.wacz")
    source = Source(
        name="ngoai",
        start_urls=["https://baongoai.example.vn/"],
        article_pattern=r"^/thoi-su/.+-\d+\.html$",
    )
    result = run_reindex(data_dir, [source])
    assert result.ok, result.reason
    assert result.report["reextract"]["counts"] == {"new": 1}
    with pipeline.open_store(data_dir) as store:
        assert store.get(FOREIGN_URL).title == "Cầu vượt sông Lam hoàn thành sớm"


# -- pywb replays tracuu's WARCs through tracuu's CDXJ ------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # localhost only
                return response.read().decode("utf-8", errors="replace")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(
    not (PYWB_BIN / "wb-manager").exists(),
    reason=f"pywb is not installed in {PYWB_BIN.parent} (`make pywb`; it could not install here)",
)
def test_pywb_replays_a_captured_article_from_tracuus_warcs_and_cdxj(crawled, tmp_path):
    data_dir, titles = crawled
    subprocess.run([PYWB_BIN / "wb-manager", "init", "tracuu"], cwd=tmp_path, check=True)
    collection = tmp_path / "collections" / "tracuu"
    for warc in pipeline.warc_paths(data_dir):
        shutil.copy(warc, collection / "archive" / warc.name)
    # pywb finds records only through the index: tracuu's own CDXJ, not one pywb built.
    shutil.copy(data_dir / "cdxj" / "index.cdxj", collection / "indexes" / "index.cdxj")
    port = _free_port()
    server = subprocess.Popen(
        [PYWB_BIN / "wayback", "-p", str(port), "-b", "127.0.0.1", "-t", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url, title = next(iter(sorted(titles.items())))
        stamp = datetime.now(UTC).strftime("%Y")
        page = _get(f"http://127.0.0.1:{port}/tracuu/{stamp}mp_/{url}", time.monotonic() + 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert f"<title>{title}" in page
