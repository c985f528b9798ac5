"""Extraction over a WARC collection: host templates, rejections in the report, --explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_extract_generalize import _host_page
from test_warc import exchange

from crawler.warc import WarcRecorder, reextract
from tracuu.cli import main as tracuu_main

HOST = "http://nhipsong.test"
LISTING = f"""<html><head><title>Kinh tế - Nhịp sống Mẫu Sơn</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/kinh-te/">Kinh tế</a></nav><h1>Kinh tế</h1><ul>
{"".join(f'<li><a href="/tin-{i}.html">Tin số {i} trong tuần về kinh tế tỉnh</a><p>Tóm tắt tin số {i}: sự kiện đáng chú ý.</p></li>' for i in range(3))}
</ul></body></html>"""


@pytest.fixture
def warcs(tmp_path: Path) -> list[Path]:
    recorder = WarcRecorder(tmp_path / "warc")
    for n in range(6):
        recorder.write(exchange(f"{HOST}/tin-{n}.html", body=_host_page(n).encode()))
    recorder.write(exchange(f"{HOST}/kinh-te/trang-2/", body=LISTING.encode()))
    recorder.close()
    return recorder.paths


def test_plain_reextract_learns_the_template_and_reports_each_rejection(warcs):
    stored = []
    report = reextract(warcs, lambda a: stored.append(a) or "new")
    assert len(stored) == 6 and all("Mời bạn đọc" not in a.body for a in stored)
    assert report.errors == {"not an article page": [f"{HOST}/kinh-te/trang-2/"]}
    assert report.to_dict()["rejections"][f"{HOST}/kinh-te/trang-2/"].startswith("section page")


def test_explain_prints_each_field_and_why(warcs, tmp_path, capsys):
    argv = ["extract", "--data-dir", str(tmp_path / "d"), "--explain", f"{HOST}/tin-3.html"]
    assert tracuu_main([*argv, *map(str, warcs)]) == 0
    account = json.loads(capsys.readouterr().out)
    assert account["outcome"] == "article" and account["host_template"]["pages_of_host"] == 7
    assert account["fields"]["title"]["value"] == "Tin số 3 trong tuần"
    assert account["encoding"] == "valid UTF-8 without legacy-font glyphs"
    missing = ["extract", "--data-dir", str(tmp_path / "d"), "--explain", f"{HOST}/none"]
    assert tracuu_main([*missing, *map(str, warcs)]) == 1
