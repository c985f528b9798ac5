"""The CDXJ index kept current: only changed WARCs re-read, vanished ones dropped, WARCs
extracted from elsewhere kept; timestamps as pywb reads them."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.archive_access import BadTimestamp, CaptureArchive, parse_timestamp
from crawler.cdxj import index_path, update_index
from crawler.fetch import Exchange
from crawler.warc import WarcRecorder


def _record(folder: Path, urls: list[str], when: datetime) -> Path:
    recorder = WarcRecorder(folder)
    for url in urls:
        body = f"<html><title>{url}</title></html>".encode()
        recorder.write(
            Exchange(
                url=url,
                request_headers={},
                status=200,
                reason="OK",
                headers=[("Content-Type", "text/html")],
                body=body,
                fetched_at=when,
            )
        )
    recorder.close()
    return recorder.paths[0]


def test_only_changed_warcs_are_reread_and_vanished_ones_leave(tmp_path: Path) -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    first = _record(tmp_path / "warc", ["http://a.vn/1", "http://a.vn/2"], when)
    assert (update_index(tmp_path).reindexed, update_index(tmp_path).reindexed) == (1, 0)
    second = _record(tmp_path / "warc", ["http://a.vn/3"], when)
    update = update_index(tmp_path)
    assert (update.files, update.reindexed, update.records) == (2, 1, 3)
    first.unlink()
    assert update_index(tmp_path).records == 1
    assert CaptureArchive(tmp_path).captures("http://a.vn/1") == []
    assert [c.url for c in CaptureArchive(tmp_path).captures("http://a.vn/3")] == ["http://a.vn/3"]
    assert second.name in index_path(tmp_path).read_text()


def test_the_index_does_not_depend_on_the_wacz_package_being_imported(tmp_path: Path) -> None:
    import wacz.waczindexer  # noqa: F401 - appends "warcinfo" to cdxj-indexer's defaults

    _record(tmp_path / "warc", ["http://a.vn/1"], datetime(2024, 5, 1, tzinfo=UTC))
    assert update_index(tmp_path).records == 1  # the response; not the warcinfo record


def test_a_warc_extracted_from_elsewhere_stays_indexed_by_its_path(tmp_path: Path) -> None:
    outside = _record(tmp_path / "elsewhere", ["http://b.vn/x"], datetime(2023, 1, 2, tzinfo=UTC))
    data_dir = tmp_path / "data"
    update_index(data_dir, extra=[outside])
    update_index(data_dir)  # a later crawl's update keeps it
    (capture,) = CaptureArchive(data_dir).captures("http://b.vn/x")
    assert capture.filename == str(outside.resolve())
    assert (
        CaptureArchive(data_dir).read(capture).body == b"<html><title>http://b.vn/x</title></html>"
    )
    shutil.rmtree(outside.parent)
    assert update_index(data_dir).records == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", datetime(2024, 1, 1, tzinfo=UTC)),
        ("202403", datetime(2024, 3, 1, tzinfo=UTC)),
        ("20240315081502", datetime(2024, 3, 15, 8, 15, 2, tzinfo=UTC)),
        ("20240315081502123456", datetime(2024, 3, 15, 8, 15, 2, 123456, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_as_pywb_reads_them(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["", "20x4", "123", "20241399", "2" * 21])
def test_bad_timestamps_are_refused(text: str) -> None:
    with pytest.raises(BadTimestamp):
        parse_timestamp(text)


@given(
    lines=st.lists(st.text(alphabet="ab ,)/:ệ1", min_size=1, max_size=6), max_size=30),
    key=st.text(alphabet="ab ,)/:ệ1", max_size=4),
)
def test_the_index_search_finds_what_a_scan_finds(lines: list[str], key: str) -> None:
    from crawler.archive_access import _first_line_at_or_after

    data = "".join(sorted(line + "\n" for line in lines)).encode("utf-8")
    found = _first_line_at_or_after(data, key.encode("utf-8"))
    starts = ([0] if data else []) + [i + 1 for i, byte in enumerate(data) if byte == 10][:-1]
    expected = next(
        (s for s in starts if data[s : data.index(b"\n", s)] >= key.encode()), len(data)
    )
    assert found == expected
