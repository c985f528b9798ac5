"""Archive access: the captures of a URL, found in the CDXJ index and read from the WARCs.

The one place that turns "this URL at this time" into stored bytes. It is I/O at the edge,
with no knowledge of pages or HTTP serving: the web app receives a CaptureArchive from the
composition root (tracuu.pipeline.archive_views), as it receives the store's views, and never
opens a WARC itself. Lookups binary-search the sorted index, re-read when it changes.
"""

from __future__ import annotations

import json
import mmap
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.cdxj import index_path, url_key
from crawler.wacz_io import open_capture_file
from crawler.warc_read import _decoded, _http_headers

MAX_BODY = 64 * 1024 * 1024
TIMESTAMP_DIGITS = 14  # YYYYMMDDhhmmss, CDXJ's and Memento URLs' precision


class BadTimestamp(ValueError):
    """A capture time that is not 4 to 20 digits of a real date."""


@dataclass(frozen=True)
class IndexedCapture:
    """A capture as the CDXJ index lists it (not crawler.capture.Capture, the extraction input)."""

    url: str
    fetched_at: datetime  # UTC, with the WARC-Date's fractions of a second
    status: int
    mime: str
    filename: str  # as the CDXJ line names it (see crawler.cdxj)
    offset: int
    length: int
    record_id: str
    digest: str
    kind: str  # "response" or "revisit"

    @property
    def timestamp(self) -> str:
        """The 14-digit CDXJ timestamp; with microseconds when the WARC-Date has them, so two
        captures within one second keep distinct addresses."""
        stamp = self.fetched_at.strftime("%Y%m%d%H%M%S")
        return stamp + (f"{self.fetched_at.microsecond:06d}" if self.fetched_at.microsecond else "")


@dataclass(frozen=True)
class StoredBody:
    capture: IndexedCapture
    headers: dict[str, str]  # lower-cased HTTP response headers as stored
    body: bytes  # transfer- and content-decoded


def parse_timestamp(text: str) -> datetime:
    """A (partial) 14-digit timestamp, optionally with 6 more digits of microseconds, as pywb
    accepts them: missing digits are the earliest moment ("2024" is 1 January 2024)."""
    if not text.isdigit() or not 4 <= len(text) <= 20:
        raise BadTimestamp(f"Mốc thời gian không hợp lệ: {text[:40]!r} (cần 4–20 chữ số).")
    padded = (text + "0101000000"[len(text) - 4 :] if len(text) < 14 else text).ljust(20, "0")
    try:
        moment = datetime.strptime(padded[:14], "%Y%m%d%H%M%S")
    except ValueError:
        raise BadTimestamp(f"Mốc thời gian không hợp lệ: {text!r}.") from None
    return moment.replace(microsecond=int(padded[14:]), tzinfo=UTC)


class CaptureArchive:
    """Lookups over ``DATA_DIR/cdxj/index.cdxj``; reads records from ``DATA_DIR/warc``."""

    parse_timestamp = staticmethod(parse_timestamp)  # for callers that import no crawler code

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._map: mmap.mmap | bytes = b""  # the sorted index, searched where it lies

    # -- the index ---------------------------------------------------------------------
    def _index(self) -> mmap.mmap | bytes:
        """The index file, memory-mapped (never read whole: it grows with the archive);
        mapped again when a crawl has replaced it (the old mapping stays valid meanwhile)."""
        path = index_path(self.data_dir)
        try:
            info = path.stat()
            stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._map = b""
                if stamp and stamp[2]:
                    with open(path, "rb") as fh:
                        self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                self._stamp = stamp
            return self._map

    def query(self, url: str, *, prefix: bool = False) -> list[dict]:
        """CDXJ rows (pywb's JSON output: urlkey, timestamp and the line's fields) for a URL,
        or every URL starting with it; in index order (by URL key, then time)."""
        data = self._index()
        key = url_key(url)
        if not prefix:
            key += " "
        elif key.endswith(")/"):  # "a.vn/" asks for the whole host, "a.vn/x" for x*
            key = key[:-1]
        wanted = key.encode("utf-8")
        rows = []
        position = _first_line_at_or_after(data, wanted)
        while position < len(data):
            end = data.find(b"\n", position)
            end = len(data) if end < 0 else end
            line = data[position:end]
            if not line.startswith(wanted):
                break
            urlkey, timestamp, fields = line.decode("utf-8").split(" ", 2)
            rows.append({"urlkey": urlkey, "timestamp": timestamp, **json.loads(fields)})
            position = end + 1
        return rows

    def captures(self, url: str) -> list[IndexedCapture]:
        """Every capture of exactly this URL, oldest first (HTTP responses and revisits)."""
        found = [_capture(row) for row in self.query(url)]
        return sorted((c for c in found if c is not None), key=lambda c: c.fetched_at)

    # -- the records -------------------------------------------------------------------
    def read(self, capture: IndexedCapture) -> StoredBody:
        """The stored response of a capture. A revisit reads the earlier record it repeats;
        a 304 (the page had not changed since the last fetch) shows the latest capture with
        content before it, with the 304's own headers kept out of it."""
        if capture.kind == "revisit" or capture.status == 304:
            original = self._revisited(capture)
            if original is not None:
                stored = self.read(original)
                return StoredBody(capture, stored.headers, stored.body)
            return StoredBody(capture, {}, b"")
        with open_capture_file(self.file_of(capture)) as fh:
            fh.seek(capture.offset)
            record = next(iter(ArchiveIterator(fh)))
            _, headers = _http_headers(record)
            return StoredBody(capture, headers, _decoded(record.raw_stream.read(MAX_BODY), headers))

    def read_html(self, capture: IndexedCapture) -> str:
        """The stored page as text, decoded as the extractor decodes it (crawler.encoding)."""
        from crawler.encoding import decode_html

        stored = self.read(capture)
        return decode_html(stored.body, stored.headers.get("content-type") or None)

    def _revisited(self, capture: IndexedCapture) -> IndexedCapture | None:
        earlier = [
            c
            for c in self.captures(capture.url)
            if c.kind == "response" and c.status != 304 and c.fetched_at <= capture.fetched_at
        ]
        if capture.kind == "revisit":
            earlier = [c for c in earlier if c.digest == capture.digest] or earlier
        return earlier[-1] if earlier else None

    def file_of(self, capture: IndexedCapture) -> str:
        """The WARC path (or WACZ member label) holding a capture's record."""
        if Path(capture.filename.split("#")[0]).is_absolute():
            return capture.filename
        return str(self.data_dir / "warc" / capture.filename)


def _first_line_at_or_after(data: mmap.mmap | bytes, key: bytes) -> int:
    """Where the first line >= ``key`` starts in sorted lines (a binary search by bytes;
    the index is sorted in code-point order, which UTF-8 bytes keep)."""
    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        start = data.rfind(b"\n", 0, middle) + 1  # the line holding ``middle``
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start:end] < key:
            low = end + 1
        else:
            high = start
    return low


def _capture(row: dict) -> IndexedCapture | None:
    mime = row.get("mime", "")
    kind = "revisit" if mime == "warc/revisit" else "response"
    if "status" not in row and kind == "response":
        return None  # resource/metadata records: no HTTP response to show
    try:
        fetched_at = datetime.fromisoformat(row.get("warc-date", "").replace("Z", "+00:00"))
    except ValueError:
        fetched_at = parse_timestamp(row["timestamp"])
    return IndexedCapture(
        url=row.get("url", ""),
        fetched_at=fetched_at.astimezone(UTC),
        status=int(row.get("status") or 0),
        mime=mime,
        filename=row.get("filename", ""),
        offset=int(row.get("offset", 0)),
        length=int(row.get("length", 0)),
        record_id=row.get("warc-record-id", ""),
        digest=row.get("digest", ""),
        kind=kind,
    )
