"""Raw capture: every HTTP exchange goes to gzip WARC files; extraction again from them.

Writing: request + response record pairs, flushed per record, rotated at ~100 MB, so a
kill -9 loses at most the record being written. Reading (ours and other tools' files,
verified record by record) lives in crawler.warc_read; ``reextract`` turns what it reads
into Articles again, with no network.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.article import Article, is_http_url
from crawler.capture import (
    Capture,
    Decoder,
    Extractor,
    default_decoder,
    default_extractor,
    extract_capture,
)
from crawler.failures import Failure
from crawler.fetch import HTML_TYPES, Exchange
from crawler.host_template import TemplateLearner
from crawler.sources import Source
from crawler.warc_read import CapturedResponse, DamagedRecord, dechunk, iter_warc_responses

# Readers import these from here, where they always lived.
__all__ = ["CapturedResponse", "DamagedRecord", "dechunk", "iter_warc_responses"]
__all__ += ["ReextractReport", "WarcRecorder", "reextract"]

ROTATE_BYTES = 100 * 1024 * 1024
_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}
NOT_HTTP_URL = "not an http(s) URL"
TRUNCATED_CAPTURE = "truncated when captured (WARC-Truncated)"


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
class ReextractReport:
    counts: dict[str, int]  # sink answer ("new"/"changed"/"unchanged") -> n
    skipped: int  # responses that are not article HTML with status 200
    errors: dict[str, list[str]]  # Failure reason -> URLs (extractor bugs: "crash: ...")
    damaged: list[DamagedRecord] = field(default_factory=list)  # never extracted
    details: dict[str, str] = field(default_factory=dict)  # URL -> what the rejection measured

    def to_dict(self) -> dict[str, object]:
        return {
            "counts": self.counts,
            "skipped": self.skipped,
            "errors": self.errors,
            "rejections": self.details,
            "damaged": [asdict(d) for d in self.damaged],
        }


def reextract(
    paths: Iterable[str | Path],
    sink: Callable[[Article], str],
    *,
    extractor: Extractor | None = None,
    decoder: Decoder | None = None,
    sources: list[Source] | None = None,
) -> ReextractReport:
    """Extract Articles again from captured HTML, without any network.

    With ``sources``, only URLs a source calls articles are extracted (and get its name and
    selectors), exactly as the crawl did; without, every 200 HTML response is tried. The default
    extractor first reads every page once to learn each host's template (what its pages share),
    and receives it with each page.
    """
    paths = list(paths)  # read twice: once to learn templates, once to extract
    templates = None
    if extractor is None:
        extractor = default_extractor()
        templates = learn_templates(paths, decoder)
    decoder = decoder or default_decoder()
    report = ReextractReport({}, 0, {})
    for captured in iter_warc_responses(paths, on_damaged=report.damaged.append):
        if not is_http_url(captured.url):  # a foreign WARC may hold javascript:, dns:, file:
            report.errors.setdefault(NOT_HTTP_URL, []).append(captured.url[:200])
            continue
        if captured.truncated:  # part of a page is no version of it
            report.errors.setdefault(TRUNCATED_CAPTURE, []).append(captured.url)
            continue
        source = _article_source(captured.url, sources)
        mime = captured.content_type.split(";")[0].strip().lower()
        if captured.status != 200 or mime not in HTML_TYPES or source is False:
            report.skipped += 1
            continue
        template = templates.template(captured.url) if templates else None
        capture = Capture(captured.url, captured.body, captured.content_type,
                          captured.fetched_at, source=source, template=template)  # fmt: skip
        article = extract_capture(capture, extractor=extractor, decoder=decoder)
        if isinstance(article, Failure):  # recorded and skipped (crawler.capture)
            report.errors.setdefault(article.reason, []).append(captured.url)
            report.details[captured.url] = article.detail
            continue
        status = sink(article)
        report.counts[status] = report.counts.get(status, 0) + 1
    return report


def learn_templates(paths: Iterable[str | Path], decoder: Decoder | None = None) -> TemplateLearner:
    """Read every captured HTML page once and count what each host's pages share."""
    decoder = decoder or default_decoder()
    learner = TemplateLearner()
    for captured in iter_warc_responses(paths, on_damaged=lambda damaged: None):
        mime = captured.content_type.split(";")[0].strip().lower()
        if captured.status == 200 and mime in HTML_TYPES and not captured.truncated:
            learner.add(captured.url, decoder(captured.body, captured.content_type or None))
    return learner


def _article_source(url: str, sources: list[Source] | None) -> Source | None | bool:
    """The source that calls this URL an article; None without sources; False if none does."""
    if sources is None:
        return None
    from crawler.discover import classify

    for source in sources:
        if classify(url, source) == "article":
            return source
    return False
