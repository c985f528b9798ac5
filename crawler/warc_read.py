"""Reading WARC files back, ours and other tools' (Heritrix, wget, Browsertrix), verified.

Revisit records are resolved by payload digest, chunked and gzip transfer/content encodings
are undone, missing request records do not matter. Every response record is checked against
its Content-Length and, where present, its WARC-Block-Digest/WARC-Payload-Digest (warcio
verifies them, as `warcio check` does): a damaged record is reported, never returned, and the
records after it are still read.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.fetch import _decode_content
from crawler.wacz_io import expand_capture_paths, open_capture_file

log = logging.getLogger("tracuu.warc")
_READ_LIMIT = 64 * 1024 * 1024  # no HTML page we would extract is larger


@dataclass
class CapturedResponse:
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes  # transfer- and content-decoded
    fetched_at: datetime | None
    truncated: str | None = None  # WARC-Truncated: the capturing tool kept part of the body

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def dechunk(data: bytes) -> bytes:
    """Undo HTTP chunked framing; data that is not validly chunked is returned as is."""
    out = bytearray()
    pos = 0
    try:
        while pos < len(data):
            line_end = data.index(b"\r\n", pos)
            size = int(data[pos:line_end].split(b";")[0].strip(), 16)
            if size == 0:
                return bytes(out)
            start = line_end + 2
            out += data[start : start + size]
            pos = start + size + 2
    except ValueError:
        return data
    return bytes(out)


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class DamagedRecord:
    """A WARC record that cannot be trusted: cut short, failing its digest, unreadable."""

    path: str
    offset: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path} @ {self.offset} ({self.url or 'không rõ URL'}): {self.reason}"


OnDamaged = Callable[[DamagedRecord], None]


def _log_damaged(damaged: DamagedRecord) -> None:
    log.warning("damaged WARC record skipped: %s", damaged)


def _decoded(raw: bytes, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raw = dechunk(raw)
    try:
        return _decode_content(raw, headers.get("content-encoding", ""), _READ_LIMIT)
    except Exception:  # a gzip body the server itself cut: keep what we have rather than nothing
        return raw


def _verified_payload(record) -> tuple[bytes, str | None]:  # noqa: ANN001 - warcio record
    """The record's raw payload and why it cannot be trusted (None when it can).

    The iterator verifies WARC-Block-Digest/WARC-Payload-Digest as the payload is read (as
    `warcio check` does); a payload that ends before its Content-Length was cut (a damaged
    copy, a disk error) and is never checked by digest, so the bytes still owed tell."""
    raw = record.raw_stream.read(_READ_LIMIT)
    owed = record.raw_stream.limit
    if owed and len(raw) < _READ_LIMIT:
        return raw, f"cut short: {owed} bytes missing of its Content-Length"
    if owed:
        return raw, f"larger than {_READ_LIMIT} bytes: cannot be verified"
    if record.digest_checker.passed is False:
        return raw, "; ".join(record.digest_checker.problems)
    return raw, None


def _http_headers(record) -> tuple[int, dict[str, str]]:  # noqa: ANN001
    http = record.http_headers
    if http is None:
        return 0, {}
    try:
        status = int(http.get_statuscode() or 0)
    except ValueError:
        status = 0
    return status, {k.lower(): v for k, v in http.headers}


def _read_record_at(path: Path, offset: int) -> bytes:
    with open_capture_file(path) as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        _, headers = _http_headers(record)
        return _decoded(record.raw_stream.read(_READ_LIMIT), headers)


def iter_warc_responses(
    paths: Iterable[str | Path], *, on_damaged: OnDamaged = _log_damaged
) -> Iterator[CapturedResponse]:
    """Every HTTP response in the given WARC files, in file order, bodies decoded.

    Revisit records become responses too when the payload they point at (by digest) was
    seen earlier in the same set of files; otherwise they are skipped (there is no body).
    A damaged record (see _verified_payload) is handed to ``on_damaged``, never yielded;
    the records after it are still read. A ``.wacz`` stands for the WARCs inside it.
    """
    by_digest: dict[str, tuple[Path, int]] = {}
    for path in map(Path, expand_capture_paths(paths)):
        yield from _file_responses(path, by_digest, on_damaged)


_GZIP_MEMBER = b"\x1f\x8b\x08"  # each record of a .warc.gz is its own gzip member


def _file_responses(path: Path, by_digest: dict, on_damaged: OnDamaged) -> Iterator:
    """One file's responses; past a gzip member that cannot be read, on from the next one."""
    with open_capture_file(path) as fh:
        start: int | None = 0
        resyncing = False
        while start is not None:
            fh.seek(start)
            iterator = ArchiveIterator(fh, check_digests=True)
            url = ""
            try:
                for record in iterator:
                    resyncing = False
                    url = record.rec_headers.get_header("WARC-Target-URI") or ""
                    captured = _captured(record, path, iterator, by_digest, on_damaged)
                    if captured is not None:
                        yield captured
                return
            except (ArchiveLoadFailed, EOFError, zlib.error) as exc:
                # A torn tail (a crawl killed mid-write) or a hole inside the file.
                if not resyncing:  # a false gzip magic inside a member is no news
                    on_damaged(DamagedRecord(str(path), iterator.offset, url, f"unreadable: {exc}"))
                start, resyncing = _next_gzip_member(fh, iterator.offset + 1), True


def _next_gzip_member(fh, offset: int) -> int | None:  # noqa: ANN001 - a binary file
    """Where the next gzip member may start at or after ``offset`` (None: none does)."""
    fh.seek(0)
    if fh.read(2) != _GZIP_MEMBER[:2]:
        return None  # not a gzip WARC: no member boundaries to find
    fh.seek(offset)
    data = fh.read(_READ_LIMIT)  # no record (member) we would read is larger
    found = data.find(_GZIP_MEMBER)
    return None if found < 0 else offset + found


def _captured(
    record, path: Path, iterator: ArchiveIterator, by_digest: dict, on_damaged: OnDamaged
) -> CapturedResponse | None:  # noqa: ANN001
    kind = record.rec_type
    if kind not in ("response", "revisit"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    status, headers = _http_headers(record)
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if kind == "response":
        if record.http_headers is None:  # e.g. dns: records
            return None
        raw, problem = _verified_payload(record)
        # Only after the payload is read: warcio's get_record_offset() skips to the end.
        offset = iterator.get_record_offset()
        if problem:
            on_damaged(DamagedRecord(str(path), offset, url, problem))
            return None
        if digest:
            by_digest.setdefault(digest, (path, offset))
        truncated = record.rec_headers.get_header("WARC-Truncated")
        body = _decoded(raw, headers)
        return CapturedResponse(url, status, headers, body, fetched_at, truncated)
    original = by_digest.get(digest or "")
    if original is None:
        return None
    body = _read_record_at(*original)
    if not status or status == 304:
        status = 200
    return CapturedResponse(url, status, headers, body, fetched_at)
