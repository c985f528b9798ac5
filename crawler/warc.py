"""Raw capture: every HTTP exchange goes to gzip WARC files, and can be read back later.

Writing: request + response record pairs, flushed per record, rotated at ~100 MB, so a
kill -9 loses at most the record being written. Reading: our files and those of other tools
(Heritrix, wget, Browsertrix): revisit records are resolved by payload digest, chunked and
gzip transfer/content encodings are undone, missing request records do not matter.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.article import Article, is_http_url
from crawler.fetch import HTML_TYPES, Exchange, _decode_content
from crawler.sources import Source

log = logging.getLogger("tracuu.warc")
ROTATE_BYTES = 100 * 1024 * 1024
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}
_READ_LIMIT = 64 * 1024 * 1024
NOT_HTTP_URL = "not an http(s) URL"


class WarcRecorder:
    """Thread-safe WARC writer for Exchanges (see module doc)."""

    def __init__(self, directory: Path, *, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.rotate_bytes = rotate_bytes
        self.paths: list[Path] = []
        self.records = 0
        self._lock = threading.Lock()
        self._file: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._serial = 0

    def _create_unique_file(self) -> tuple[io.BufferedWriter, Path]:
        """A new WARC file, never an existing one: two runs in the same second and process
        (tests, a quick re-crawl) must not append to each other's capture."""
        while True:
            self._serial += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            path = self.directory / f"tracuu-{stamp}-{os.getpid()}-{self._serial}.warc.gz"
            try:
                return open(path, "xb"), path  # noqa: SIM115 - lives as long as the recorder
            except FileExistsError:
                continue

    def _open_next(self) -> None:
        self.close()
        self._file, path = self._create_unique_file()
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        self.paths.append(path)
        info = self._writer.create_warcinfo_record(
            path.name, {"software": "tracuu/0.1", "format": "WARC File Format 1.1"}
        )
        self._writer.write_record(info)
        self._file.flush()

    def write(self, exchange: Exchange) -> None:
        with self._lock:
            if self._file is None or self._file.tell() >= self.rotate_bytes:
                self._open_next()
            assert self._writer is not None and self._file is not None
            request, response = self._records(exchange)
            self._writer.write_request_response_pair(request, response)
            self._file.flush()
            os.fsync(self._file.fileno())
            self.records += 2

    def _records(self, exchange: Exchange) -> tuple[object, object]:
        assert self._writer is not None
        # WARC 1.1 dates carry fractions of a second: two captures of one page in the same
        # second (a quick re-crawl after an edit) must still replay in the order they happened.
        date = exchange.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts = urlsplit(exchange.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        req_headers = [("Host", parts.netloc)] + list(exchange.request_headers.items())
        request = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {target} HTTP/1.1", req_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        # The body is stored de-chunked, so hop-by-hop framing headers would lie about it.
        headers = [(k, v) for k, v in exchange.headers if k.lower() not in _HOP_BY_HOP]
        warc_headers = {"WARC-Date": date}
        if exchange.truncated:
            warc_headers["WARC-Truncated"] = exchange.truncated
        response = self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(), headers, protocol="HTTP/1.1"
            ),
            warc_headers_dict=warc_headers,
        )
        return request, response

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None


@dataclass
class CapturedResponse:
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes  # transfer- and content-decoded
    fetched_at: datetime | None

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


def _payload(record, headers: dict[str, str]) -> bytes:  # noqa: ANN001 - warcio record
    raw = record.raw_stream.read(_READ_LIMIT)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raw = dechunk(raw)
    try:
        return _decode_content(raw, headers.get("content-encoding", ""), _READ_LIMIT)
    except Exception:  # a truncated gzip body: keep what we have rather than nothing
        return raw


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
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        _, headers = _http_headers(record)
        return _payload(record, headers)


def iter_warc_responses(paths: Iterable[str | Path]) -> Iterator[CapturedResponse]:
    """Every HTTP response in the given WARC files, in file order, bodies decoded.

    Revisit records become responses too when the payload they point at (by digest) was
    seen earlier in the same set of files; otherwise they are skipped (there is no body).
    """
    by_digest: dict[str, tuple[Path, int]] = {}
    for path in map(Path, paths):
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            try:
                for record in iterator:
                    captured = _captured(record, path, iterator, by_digest)
                    if captured is not None:
                        yield captured
            except (ArchiveLoadFailed, EOFError, zlib.error) as exc:
                # A crawl killed mid-write leaves a torn last record: keep everything before it.
                log.warning("%s: unreadable tail skipped (%s)", path, exc)


def _captured(
    record, path: Path, iterator: ArchiveIterator, by_digest: dict
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
        body = _payload(record, headers)
        if digest:
            # Only after the payload is read: warcio's get_record_offset() skips to the end.
            by_digest.setdefault(digest, (path, iterator.get_record_offset()))
        return CapturedResponse(url, status, headers, body, fetched_at)
    original = by_digest.get(digest or "")
    if original is None:
        return None
    body = _read_record_at(*original)
    if not status or status == 304:
        status = 200
    return CapturedResponse(url, status, headers, body, fetched_at)


@dataclass
class ReextractReport:
    counts: dict[str, int]  # sink answer ("new"/"changed"/"unchanged") -> n
    skipped: int  # responses that are not article HTML with status 200
    errors: dict[str, list[str]]  # extraction failure reason -> URLs

    def to_dict(self) -> dict[str, object]:
        return {"counts": self.counts, "skipped": self.skipped, "errors": self.errors}


def reextract(
    paths: Iterable[str | Path],
    sink: Callable[[Article], str],
    *,
    extractor: Callable[..., Article] | None = None,
    decoder: Callable[[bytes, str | None], str] | None = None,
    sources: list[Source] | None = None,
) -> ReextractReport:
    """Extract Articles again from captured HTML, without any network.

    With ``sources``, only URLs a source calls articles are extracted (and get its name and
    selectors), exactly as the crawl did; without, every 200 HTML response is tried.
    """
    if extractor is None:
        from crawler.extract import extract_article as extractor
    if decoder is None:
        from crawler.encoding import decode_html as decoder
    report = ReextractReport({}, 0, {})
    for captured in iter_warc_responses(paths):
        if not is_http_url(captured.url):  # a foreign WARC may hold javascript:, dns:, file:
            report.errors.setdefault(NOT_HTTP_URL, []).append(captured.url[:200])
            continue
        source = _article_source(captured.url, sources)
        mime = captured.content_type.split(";")[0].strip().lower()
        if captured.status != 200 or mime not in HTML_TYPES or source is False:
            report.skipped += 1
            continue
        selectors = source.extract_selectors() if source else None
        try:
            html = decoder(captured.body, captured.content_type or None)
            article = extractor(html, captured.url, selectors=selectors)
        except Exception as exc:
            if type(exc).__name__ != "ExtractionError":
                raise
            report.errors.setdefault(str(getattr(exc, "reason", exc)), []).append(captured.url)
            continue
        changes: dict[str, object] = {"url": captured.url, "fetched_at": captured.fetched_at}
        if source:
            changes["source"] = source.name
        status = sink(article.with_changes(**changes))
        report.counts[status] = report.counts.get(status, 0) + 1
    return report


def _article_source(url: str, sources: list[Source] | None) -> Source | None | bool:
    """The source that calls this URL an article; None without sources; False if none does."""
    if sources is None:
        return None
    from crawler.discover import classify

    for source in sources:
        if classify(url, source) == "article":
            return source
    return False
