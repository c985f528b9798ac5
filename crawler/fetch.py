"""Polite HTTP fetching: per-host pacing, retries with backoff, size and redirect caps.

Redirects are followed by hand so that every hop is checked against the host rules and
robots.txt, and every hop (and every retried attempt) is handed to ``on_exchange`` — the
WARC writer — before the caller sees the result.
"""

from __future__ import annotations

import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests
import urllib3

from crawler.peer_guard import GuardedAdapter, refused_private_peer
from crawler.urls import try_canonicalize

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml")
RETRY_STATUSES = {429, 500, 502, 503, 504}
RETRY_OUTCOMES = {"timeout", "connection_error", "truncated"}


@dataclass
class FetchSettings:
    """Every knob is here so tests can shrink delays and caps to milliseconds."""

    contact: str = "https://github.com/tracuu"
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    retry_after_cap: float = 120.0
    per_host_concurrency: int = 1

    @property
    def user_agent(self) -> str:
        return f"tracuu/0.1 (+{self.contact})"


@dataclass
class Exchange:
    """One HTTP request and what came back (possibly partial), as it goes into the WARC."""

    url: str
    request_headers: dict[str, str]
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    truncated: str | None = None  # WARC-Truncated value: "length", "disconnect", "time"


@dataclass
class FetchResult:
    url: str
    final_url: str
    outcome: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""  # content-decoded
    attempts: int = 0
    error: str = ""
    hops: list[Exchange] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class HostGate:
    """Spaces request starts per host by a minimum delay and caps in-flight requests per host."""

    def __init__(self, concurrency: int = 1) -> None:
        self._concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str, delay: float) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._concurrency))
        with semaphore:
            with self._lock:
                start = max(time.monotonic(), self._next_start.get(host, 0.0))
                self._next_start[host] = start + delay
            time.sleep(max(0.0, start - time.monotonic()))
            yield


def parse_retry_after(value: str | None, cap: float) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped; None if absent/garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), cap)


def classify_status(status: int, content_type: str) -> str:
    if status == 304:
        return "not_modified"
    if status in (404, 410):
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "http_error"
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in HTML_TYPES and mime not in XML_TYPES and mime != "text/plain":
        return "not_html"
    return "ok"


def _decode_content(raw: bytes, encoding: str, limit: int) -> bytes:
    """Undo Content-Encoding gzip/deflate, refusing to inflate past ``limit`` bytes."""
    encoding = encoding.strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return raw
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32) if "gzip" in encoding else None
    try:
        if inflater is None:
            inflater = zlib.decompressobj()
            return inflater.decompress(raw, limit + 1)
        return inflater.decompress(raw, limit + 1)
    except zlib.error:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, limit + 1)


Permit = Callable[[str], "str | None"]


class Fetcher:
    """Fetch one URL politely; thread-safe (share one per crawl)."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        on_exchange: Callable[[Exchange], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.gate = HostGate(self.settings.per_host_concurrency)
        self._on_exchange = on_exchange or (lambda exchange: None)
        self._sleep = sleep
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # requests.Session is not guaranteed thread-safe: one per worker thread.
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Direct connections check the address they reached (crawler.peer_guard).
            session.mount("http://", GuardedAdapter())
            session.mount("https://", GuardedAdapter())
            session.headers.update(
                {
                    "User-Agent": self.settings.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                    "Accept-Encoding": "gzip, deflate",
                    "Accept-Language": "vi,en;q=0.5",
                }
            )
            self._local.session = session
        return session

    def fetch(
        self,
        url: str,
        *,
        delay: float = 0.0,
        permit: Permit | None = None,
        conditional: dict[str, str] | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects by hand. Never raises for network trouble."""
        permit = permit or (lambda u: None)
        visited: list[str] = []
        current = url
        headers = dict(conditional or {})
        hops: list[Exchange] = []
        total_attempts = 0
        while True:
            visited.append(current)
            result = self._fetch_with_retries(current, delay, headers)
            total_attempts += result.attempts
            hops += result.hops
            result.url, result.hops, result.attempts = url, hops, total_attempts
            location = result.headers.get("location")
            if result.status not in (301, 302, 303, 307, 308) or not location:
                return result
            target = try_canonicalize(location, base=current)
            problem = self._redirect_problem(target, visited, permit)
            if problem:
                result.outcome, result.error = problem, f"{current} -> {target}"
                return result
            current, headers = target, {}

    def _redirect_problem(
        self, target: str | None, visited: list[str], permit: Permit
    ) -> str | None:
        if target is None:
            return "bad_redirect"
        if target in visited:
            return "redirect_loop"
        if len(visited) > self.settings.max_redirects:
            return "too_many_redirects"
        reason = permit(target)
        return f"redirect_{reason}" if reason else None

    def _fetch_with_retries(self, url: str, delay: float, headers: dict[str, str]) -> FetchResult:
        hops: list[Exchange] = []
        attempt = 0
        while True:
            attempt += 1
            host = url.split("/")[2]
            with self.gate.slot(host, delay):
                result = self._attempt(url, headers)
            hops += result.hops
            result.hops, result.attempts = hops, attempt
            if not self._should_retry(result) or attempt > self.settings.retries:
                return result
            self._sleep(self._backoff(attempt, result))

    def _should_retry(self, result: FetchResult) -> bool:
        return result.outcome in RETRY_OUTCOMES or (result.status or 0) in RETRY_STATUSES

    def _backoff(self, attempt: int, result: FetchResult) -> float:
        s = self.settings
        retry_after = parse_retry_after(result.headers.get("retry-after"), s.retry_after_cap)
        if retry_after is not None:
            return retry_after
        base = min(s.backoff_max, s.backoff_base * 2 ** (attempt - 1))
        return base * (0.5 + random.random() / 2)  # jitter: don't retry in lockstep

    def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        fetched_at = datetime.now(UTC)
        try:
            response = self._session().get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=self.settings.timeout,
            )
        except requests.Timeout as exc:
            return FetchResult(url, url, "timeout", error=str(exc))
        except requests.RequestException as exc:
            refused = refused_private_peer(exc)
            if refused is not None:
                return FetchResult(url, url, "private_address", error=str(refused))
            return FetchResult(url, url, "connection_error", error=str(exc))
        with response:
            return self._read(url, response, fetched_at)

    def _read(self, url: str, response: requests.Response, fetched_at: datetime) -> FetchResult:
        raw, truncated, error = self._read_capped(response)
        header_pairs = list(response.raw.headers.items())
        headers = {k.lower(): v for k, v in header_pairs}
        exchange = Exchange(
            url=url,
            request_headers=dict(response.request.headers),
            status=response.status_code,
            reason=response.reason or "",
            headers=header_pairs,
            body=raw,
            fetched_at=fetched_at,
            truncated=truncated,
        )
        self._on_exchange(exchange)
        result = FetchResult(url, url, "", response.status_code, headers, hops=[exchange])
        if truncated == "length":
            result.outcome, result.error = "too_large", f"> {self.settings.max_bytes} bytes"
        elif truncated:
            result.outcome, result.error = error.split(":")[0] or "truncated", error
        else:
            result.outcome = classify_status(response.status_code, result.content_type)
            limit = self.settings.max_bytes
            result.body = _decode_content(raw, headers.get("content-encoding", ""), limit)
            if len(result.body) > limit:
                result.outcome, result.body = "too_large", b""
        return result

    def _read_capped(self, response: requests.Response) -> tuple[bytes, str | None, str]:
        """Body bytes as sent (still content-encoded), stopping past max_bytes."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.raw.stream(64 * 1024, decode_content=False):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.settings.max_bytes:
                    return b"".join(chunks), "length", ""
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            return b"".join(chunks), "time", f"timeout: {exc}"
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return b"".join(chunks), "disconnect", f"truncated: {exc}"
        return b"".join(chunks), None, ""
