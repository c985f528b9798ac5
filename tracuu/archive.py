"""The archive as a web archive: its CDXJ index kept current, and WACZ packages of it.

`tracuu wacz` packs either every WARC of the data directory as it is, or, for a query, a new
WARC holding only the result set's records (each response with the request that asked for
it, copied byte for byte). Webrecorder's `wacz` package writes the package: the WARCs under
archive/, its CDXJ index, datapackage.json with digests, and our pages.jsonl (each article's
title and the time of its capture), so ReplayWeb.page and pywb list the articles by title.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.archive_access import CaptureArchive, IndexedCapture
from crawler.cdxj import IndexUpdate, update_index
from crawler.wacz_io import open_capture_file

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "tracuu"}


def refresh_cdxj(data_dir: Path, extra: Iterable[str | Path] = ()) -> IndexUpdate:
    """Bring the CDXJ index up to date (after a crawl or an extraction)."""
    return update_index(Path(data_dir), extra)


@dataclass
class WaczSummary:
    path: Path
    pages: int  # articles listed in pages.jsonl
    warc_files: int
    records: int | None  # records copied for a query's result set (None: whole files)
    bytes: int


def pack_wacz(
    data_dir: Path,
    out: Path,
    titles: dict[str, str],
    *,
    selection: bool,
    description: str = "",
) -> WaczSummary:
    """Write ``out``: the whole archive's WARCs, or (``selection``) only the records of the
    URLs in ``titles`` (url -> title); pages.jsonl lists each titled URL's latest capture."""
    data_dir = Path(data_dir)
    refresh_cdxj(data_dir)
    archive = CaptureArchive(data_dir)
    pages = [_page(url, title, archive) for url, title in sorted(titles.items())]
    pages = [page for page in pages if page is not None]
    with tempfile.TemporaryDirectory(prefix="tracuu-wacz-") as tmp:
        if selection:
            warc = Path(tmp) / "tracuu-selection.warc.gz"
            records = _copy_records(archive, list(titles), warc)
            inputs = [warc] if records else []
        else:
            records = None
            inputs = sorted((data_dir / "warc").glob("*.warc.gz")) + sorted(
                (data_dir / "warc").glob("*.warc")
            )
        if not inputs:
            raise ValueError("không có bản lưu nào để đóng gói")
        pages_file = Path(tmp) / "pages.jsonl"
        lines = [PAGES_HEADER, *pages]
        pages_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines))
        _create_wacz(out, inputs, pages_file if pages else None, description)
    return WaczSummary(out, len(pages), len(inputs), records, out.stat().st_size)


def _page(url: str, title: str, archive: CaptureArchive) -> dict | None:
    """The pages.jsonl entry of an article: its latest successful capture, by title."""
    good = [c for c in archive.captures(url) if c.status == 200]
    if not good:
        return None
    latest = good[-1]
    stamp = latest.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"url": url, "ts": stamp, "title": title}


def _create_wacz(out: Path, inputs: list[Path], pages: Path | None, description: str) -> None:
    from wacz.main import main as wacz_main

    args = ["create", "-o", str(out), "--title", "tracuu"]
    if description:
        args += ["--desc", description]
    if pages is not None:
        args += ["-p", str(pages)]
    # The package prints its progress on stdout; shown only when it fails.
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        code = wacz_main(args + [str(p) for p in inputs])
    if code not in (0, None):
        raise RuntimeError(f"wacz create thất bại (mã {code}): {said.getvalue()[-500:]}")


def _copy_records(archive: CaptureArchive, urls: list[str], out: Path) -> int:
    """Copy every capture record of ``urls`` (and each one's request record) into ``out``."""
    count = 0
    with open(out, "wb") as sink:
        for url in urls:
            for capture in archive.captures(url):
                for chunk in _record_chunks(archive, capture):
                    sink.write(chunk if chunk[:2] == b"\x1f\x8b" else gzip.compress(chunk))
                    count += 1
    return count


def _record_chunks(archive: CaptureArchive, capture: IndexedCapture) -> list[bytes]:
    """The capture's record as stored, and the request record written beside it, if any."""
    label = archive.file_of(capture)
    with open_capture_file(label) as fh:
        fh.seek(capture.offset)
        chunks = [fh.read(capture.length)]
        iterator = ArchiveIterator(fh)
        try:
            record = next(iter(iterator))
        except StopIteration:
            return chunks
        concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
        if record.rec_type == "request" and concurrent == capture.record_id:
            record.raw_stream.read()
            length = iterator.get_record_length()
            fh.seek(capture.offset + capture.length)
            chunks.append(fh.read(length))
    return chunks
