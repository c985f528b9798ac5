"""WARC capture and reading, including files written by other tools."""

from __future__ import annotations

import gzip
import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.fetch import Exchange
from crawler.warc import WarcRecorder, dechunk, iter_warc_responses

HTML = "<html><body><h1>Tin Hà Tĩnh</h1><p>Nội dung.</p></body></html>".encode()


def exchange(url: str, status: int = 200, body: bytes = HTML, **extra) -> Exchange:
    return Exchange(
        url=url,
        request_headers={"User-Agent": "tracuu/0.1"},
        status=status,
        reason="OK",
        headers=[("Content-Type", "text/html; charset=utf-8"), *extra.get("headers", [])],
        body=body,
        fetched_at=datetime(2024, 2, 28, 1, 2, 3, tzinfo=UTC),
        truncated=extra.get("truncated"),
    )


def test_round_trip_of_our_records(tmp_path: Path) -> None:
    recorder = WarcRecorder(tmp_path)
    recorder.write(exchange("http://a.vn/1.html"))
    recorder.write(exchange("http://a.vn/2.html", 500, b"oops"))
    recorder.close()
    (path,) = recorder.paths
    assert path.name.startswith("tracuu-") and path.name.endswith(".warc.gz")
    got = list(iter_warc_responses([path]))
    assert [(r.url, r.status, r.body) for r in got] == [
        ("http://a.vn/1.html", 200, HTML),
        ("http://a.vn/2.html", 500, b"oops"),
    ]
    assert got[0].fetched_at == datetime(2024, 2, 28, 1, 2, 3, tzinfo=UTC)
    assert recorder.records == 4  # request + response each


def test_gzip_content_encoding_is_stored_raw_and_read_decoded(tmp_path: Path) -> None:
    recorder = WarcRecorder(tmp_path)
    packed = gzip.compress(HTML)
    recorder.write(exchange("http://a.vn/z", body=packed, headers=[("Content-Encoding", "gzip")]))
    recorder.close()
    (captured,) = iter_warc_responses(recorder.paths)
    assert captured.body == HTML


def test_rotation_starts_a_new_file(tmp_path: Path) -> None:
    recorder = WarcRecorder(tmp_path, rotate_bytes=1)
    for n in range(3):
        recorder.write(exchange(f"http://a.vn/{n}"))
    recorder.close()
    assert len(recorder.paths) == 3
    assert [r.url for r in iter_warc_responses(recorder.paths)] == [
        f"http://a.vn/{n}" for n in range(3)
    ]


def test_torn_last_record_after_kill_keeps_earlier_ones(tmp_path: Path) -> None:
    recorder = WarcRecorder(tmp_path)
    recorder.write(exchange("http://a.vn/1"))
    recorder.write(exchange("http://a.vn/2", body=HTML * 50))
    recorder.close()
    (path,) = recorder.paths
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])  # what kill -9 mid-write would leave
    urls = [r.url for r in iter_warc_responses([path])]
    assert urls[0] == "http://a.vn/1"


def foreign_warc(path: Path) -> None:
    """Like Heritrix/wget output: no request records, chunked + gzip, a revisit record."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        packed = gzip.compress(HTML)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
        headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "gzip"),
            ],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "http://b.vn/tin.html", "response", payload=io.BytesIO(chunked), http_headers=headers
        )
        writer.write_record(record)
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        revisit = writer.create_revisit_record(
            "http://b.vn/tin.html",
            digest=digest,
            refers_to_uri="http://b.vn/tin.html",
            refers_to_date="2024-01-01T00:00:00Z",
            http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            ),
        )
        writer.write_record(revisit)
        writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "wget"}))


def test_reads_warcs_written_by_other_tools(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    foreign_warc(path)
    got = list(iter_warc_responses([path]))
    assert [(r.url, r.status) for r in got] == [("http://b.vn/tin.html", 200)] * 2
    assert got[0].body == HTML  # de-chunked and gunzipped
    assert got[1].body == HTML  # revisit resolved through the payload digest


def test_dechunk_leaves_unchunked_data_alone() -> None:
    assert dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n") == b"Wikipedia"
    assert dechunk(b"<html>not chunked</html>") == b"<html>not chunked</html>"


def test_capture_times_keep_fractions_of_a_second(tmp_path: Path) -> None:
    # Two captures of one page in the same second (a quick re-crawl after an edit) must replay
    # in the order they happened: WARC 1.1 dates carry the microseconds.
    recorder = WarcRecorder(tmp_path)
    first = datetime(2024, 2, 28, 1, 2, 3, 200_000, tzinfo=UTC)
    second = datetime(2024, 2, 28, 1, 2, 3, 700_000, tzinfo=UTC)
    for moment in (first, second):
        recorder.write(replace(exchange("http://a.vn/1.html"), fetched_at=moment))
    recorder.close()
    got = list(iter_warc_responses(recorder.paths))
    assert [r.fetched_at for r in got] == [first, second]
