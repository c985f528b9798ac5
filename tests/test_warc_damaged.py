"""Damaged WARC records (cut short, failing their digest, a hole in the file) are reported
with file, offset and URL, never become an article version, and the rest is still read."""

from __future__ import annotations

import gzip
import json
import random
import shutil
import sys
from pathlib import Path

import pytest
from test_update_helpers import fast_settings, load, run_tracuu, small_portal, write_sources
from test_warc import exchange
from warcio.archiveiterator import ArchiveIterator

from crawler.warc import DamagedRecord, WarcRecorder, iter_warc_responses
from tracuu import pipeline
from tracuu.reindex import run_reindex

WORDS = [
    "ngày",
    "tháng",
    "năm",
    "tỉnh",
    "huyện",
    "xã",
    "nông",
    "thôn",
    "mới",
    "đường",
    "giao",
    "thông",
    "Hà",
    "Tĩnh",
]


def page(n: int) -> bytes:
    # Varied words, so gzip cannot shrink the payload to a few bytes: a cut lands inside it.
    rng = random.Random(n)
    text = " ".join(rng.choice(WORDS) for _ in range(3000))
    return f"<html><body><h1>Bài {n}</h1><p>{text}</p></body></html>".encode()


def response_members(path: Path) -> list[tuple[str, int, int]]:
    """(url, offset, length) of each response record's gzip member."""
    members = []
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            record.raw_stream.read()
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                members.append((url, iterator.get_record_offset(), iterator.get_record_length()))
    return members


@pytest.fixture()
def warc(tmp_path) -> Path:
    recorder = WarcRecorder(tmp_path)
    for n in range(3):
        recorder.write(exchange(f"http://a.vn/{n}.html", body=page(n)))
    recorder.close()
    return recorder.paths[0]


def read(path: Path) -> tuple[list[str], list[DamagedRecord]]:
    damaged: list[DamagedRecord] = []
    urls = [r.url for r in iter_warc_responses([path], on_damaged=damaged.append)]
    return urls, damaged


def test_a_record_cut_in_its_payload_is_reported_not_read(warc):
    url, offset, length = response_members(warc)[1]
    data = warc.read_bytes()
    warc.write_bytes(data[: offset + length // 2])
    urls, damaged = read(warc)
    assert urls == ["http://a.vn/0.html"]
    assert [(d.path, d.offset, d.url) for d in damaged] == [(str(warc), offset, url)]
    assert "cut short" in damaged[0].reason


def test_a_payload_failing_its_digest_is_reported_and_the_next_records_read(warc):
    url, offset, length = response_members(warc)[1]
    data = warc.read_bytes()
    member = gzip.decompress(data[offset : offset + length])
    cut = member.index(b"<h1>")
    altered = gzip.compress(member[:cut] + b"<h2>" + member[cut + 4 :])  # same length
    warc.write_bytes(data[:offset] + altered + data[offset + length :])
    urls, damaged = read(warc)
    assert urls == ["http://a.vn/0.html", "http://a.vn/2.html"]
    assert [(d.offset, d.url) for d in damaged] == [(offset, url)]
    assert "digest failed" in damaged[0].reason


def test_a_hole_inside_a_gzip_file_costs_only_the_records_it_hits(warc):
    url, offset, length = response_members(warc)[1]
    data = warc.read_bytes()
    warc.write_bytes(data[: offset + length // 3] + data[offset + 2 * length // 3 :])
    urls, damaged = read(warc)
    assert urls == ["http://a.vn/0.html", "http://a.vn/2.html"]
    assert [d.offset for d in damaged] == [offset]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("damaged")
    portal = small_portal(6)
    try:
        sources_file = write_sources(data_dir / "sources.toml", portal.base_url)
        pipeline.crawl_sources(data_dir, load(sources_file), settings=fast_settings())
    finally:
        portal.stop()
    return data_dir, sources_file


def cut_last_article(data_dir: Path) -> str:
    """Cut the archive's last article capture in the middle of its payload; its URL."""
    (path,) = pipeline.warc_paths(data_dir)
    with pipeline.open_store(data_dir) as store:
        articles = store.urls()
    url, offset, length = [m for m in response_members(path) if m[0] in articles][-1]
    data = path.read_bytes()
    path.write_bytes(data[: offset + length // 2])
    return url


def test_extract_and_reindex_keep_the_stored_version_of_a_cut_capture(crawled, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(crawled[0], data_dir)
    url = cut_last_article(data_dir)
    with pipeline.open_store(data_dir) as store:
        before = store.get(url)
    assert before is not None

    result = run_tracuu(sys.executable, "-m", "tracuu.cli", "extract", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    (damaged,) = json.loads(result.stdout)["damaged"]
    assert damaged["url"] == url and damaged["path"].endswith(".warc.gz") and damaged["offset"]
    assert url in result.stderr  # reported where the operator sees it too

    reindex = run_reindex(data_dir, load(crawled[1]))
    assert reindex.ok, reindex.reason
    assert reindex.report["reextract"]["damaged"][0]["url"] == url
    with pipeline.open_store(data_dir) as store:
        assert len(store.versions(url)) == 1
        assert store.get(url).content_hash == before.content_hash


def test_a_capture_marked_truncated_is_read_but_never_extracted(tmp_path):
    from crawler.warc import TRUNCATED_CAPTURE, reextract

    recorder = WarcRecorder(tmp_path)
    recorder.write(exchange("http://a.vn/0.html", body=page(0)[:5000], truncated="length"))
    recorder.close()
    (captured,) = iter_warc_responses(recorder.paths)
    assert captured.truncated == "length"
    stored = []
    report = reextract(recorder.paths, stored.append)
    assert stored == [] and report.errors == {TRUNCATED_CAPTURE: ["http://a.vn/0.html"]}
