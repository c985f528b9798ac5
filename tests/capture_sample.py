"""A small archive for the capture view's tests: the sample portal crawled twice (one
article edited, one removed in between) plus hand-recorded pages with and without captured
images and a page captured twice on known dates."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.fetch import Exchange
from crawler.warc import WarcRecorder
from tests.conftest import fast_settings
from tracuu import pipeline
from tracuu.archive import refresh_cdxj
from tracuu.demo import sample_source
from tracuu.sample_portal.catalog import load_sample_articles
from tracuu.sample_portal.server import SamplePortal


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = png(240, 120, (40, 110, 170))
WITH_IMAGES = "http://anh.example.vn/bai-co-anh.html"
WITHOUT_IMAGES = "http://anh.example.vn/bai-khong-anh.html"
TWICE = "http://anh.example.vn/hai-lan.html"
PDF = "http://anh.example.vn/van-ban.pdf"
TWICE_AT = (datetime(2024, 3, 1, 2, 0, tzinfo=UTC), datetime(2024, 3, 10, 2, 0, tzinfo=UTC))


def _exchange(url: str, body: bytes, content_type: str, when: datetime) -> Exchange:
    return Exchange(
        url=url,
        request_headers={"User-Agent": "tracuu/0.1"},
        status=200,
        reason="OK",
        headers=[("Content-Type", content_type)],
        body=body,
        fetched_at=when,
    )


def _record_image_pages(data_dir: Path) -> None:
    """One page whose image and stylesheet were captured too, one whose image was not."""
    when = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    page = (
        '<html><head><title>Có ảnh</title><link rel="stylesheet" href="/kieu.css">'
        '<script>alert(1)</script></head><body onload="alert(2)"><h1>Bài có ảnh</h1>'
        "<p>Ảnh dưới đây được lưu cùng trang, nên bản lưu hiện nó:</p>"
        '<img src="/anh/a.png" alt="ảnh"><p>Ảnh từ trang khác, không được lưu (bị chặn):</p>'
        '<img src="http://ngoai.example.com/x.png" alt="ảnh ngoài, chưa lưu">'
        '<p><a href="javascript:alert(3)">liên kết có mã</a></p></body></html>'
    )
    bare = '<html><head><title>Không ảnh</title></head><body><img src="/anh/b.png"></body></html>'
    recorder = WarcRecorder(data_dir / "warc")
    recorder.write(_exchange(WITH_IMAGES, page.encode(), "text/html; charset=utf-8", when))
    recorder.write(_exchange("http://anh.example.vn/anh/a.png", PNG, "image/png", when))
    css = (
        b"body { font-family: sans-serif; color: #223 } h1 { color: #a11; border-bottom: 2px solid }"
        b" .logo { background: url('/anh/a.png') } .nen { background: url(/anh/nen.png) }"
    )
    recorder.write(_exchange("http://anh.example.vn/kieu.css", css, "text/css", when))
    recorder.write(_exchange(WITHOUT_IMAGES, bare.encode(), "text/html", when))
    recorder.write(_exchange(PDF, b"%PDF-1.4 ...", "application/pdf", when))
    for n, moment in enumerate(TWICE_AT):
        recorder.write(_exchange(TWICE, f"<p>lần {n}</p>".encode(), "text/html", moment))
    recorder.close()


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A sample portal crawled twice (one article edited, one removed in between), indexed,
    plus two hand-recorded pages with and without captured images."""
    data_dir = tmp_path_factory.mktemp("captures")
    with SamplePortal(load_sample_articles()[:12]) as portal:
        source = sample_source(portal.base_url)
        pipeline.crawl_sources(data_dir, [source], settings=fast_settings(), progress=False)
        urls = portal.article_urls()
        edited = portal.edit_article(urls[0], title="Tiêu đề đã sửa sau khi đăng")
        removed = portal.remove_article(urls[1])
        pipeline.crawl_sources(data_dir, [source], settings=fast_settings(), progress=False)
    _record_image_pages(data_dir)
    refresh_cdxj(data_dir)
    pipeline.index_articles(data_dir, progress=False)
    return {"dir": data_dir, "edited": edited, "removed": removed, "plain": urls[2]}
