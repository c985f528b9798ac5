"""run_crawl: discover, fetch politely, capture to WARC, extract, hand Articles to a sink.

Network work runs in a small thread pool (the per-host gate keeps one request in flight per
host); the frontier, the extractor and the sink are only touched from the calling thread.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.article import Article
from crawler.capture import (
    Capture,
    Decoder,
    Extractor,
    default_decoder,
    extract_capture,
)
from crawler.discover import Link, links_from_feed, links_from_html, links_from_sitemap
from crawler.failures import Failure
from crawler.fetch import Fetcher, FetchResult, FetchSettings
from crawler.frontier import Frontier, QueuedUrl
from crawler.peer_guard import private_peers_refused
from crawler.report import CrawlReport
from crawler.robots import RobotsCache
from crawler.sources import Source
from crawler.urls import canonicalize, check_url

log = logging.getLogger("tracuu.crawl")

Sink = Callable[[Article], str]


@dataclass
class CrawlSettings:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    delay: float = 1.0  # minimum seconds between requests to one host (a source may ask more)
    max_crawl_delay: float = 30.0  # robots.txt Crawl-delay above this is capped
    workers: int = 4
    warc_rotate_bytes: int = 100 * 1024 * 1024
    extractor: Extractor | None = None  # default: crawler.extract.extract_article
    decoder: Decoder | None = None  # default: crawler.encoding.decode_html
    log_every: int = 50


class _Crawl:
    def __init__(self, sources: list[Source], data_dir: Path, sink: Sink, settings: CrawlSettings,
                 on_gone: Callable[[str], Any] | None) -> None:  # fmt: skip
        from crawler.warc import WarcRecorder

        self.sources = {s.name: s for s in sources}
        self.data_dir = data_dir
        self.sink = sink
        self.on_gone = on_gone
        self.settings = settings
        self.extract = settings.extractor  # None: crawler.extract's, chosen by extract_capture
        self.decode = settings.decoder or default_decoder()
        self.frontier = Frontier(data_dir / "crawl.sqlite")
        self.recorder = WarcRecorder(data_dir / "warc", rotate_bytes=settings.warc_rotate_bytes)
        self.fetcher = Fetcher(settings.fetch, on_exchange=self.recorder.write)
        self.robots = RobotsCache(self._fetch_robots, settings.fetch.user_agent)
        self.settled = 0

    # -- politeness -------------------------------------------------------------------------
    def _fetch_robots(self, url: str) -> tuple[int, str] | None:
        result = self.fetcher.fetch(url, delay=self.settings.delay)
        if result.status is None:
            return None
        return result.status, result.body.decode("utf-8", "replace")

    def _delay(self, source: Source, url: str) -> float:
        wanted = source.delay if source.delay is not None else self.settings.delay
        crawl_delay = min(self.robots.crawl_delay(url), self.settings.max_crawl_delay)
        return max(wanted, crawl_delay)

    def _permit(self, source: Source) -> Callable[[str], str | None]:
        def permit(url: str) -> str | None:
            reason = check_url(url, source.allowed_hosts, allow_private=source.allow_private)
            if reason is None and not self.robots.allowed(url):
                reason = "robots_disallowed"
            return reason

        return permit

    # -- worker thread ------------------------------------------------------------------------
    def fetch(self, item: QueuedUrl) -> FetchResult:
        refuse = not self.sources[item.source].allow_private
        try:
            # robots.txt fetched for this item is held to the same rule (same thread).
            with private_peers_refused(refuse):
                return self._fetch(item)
        except Exception as exc:  # a bug here must cost one URL, not the crawl
            log.exception("fetch of %s failed", item.url)
            return FetchResult(item.url, item.url, "internal_error", error=repr(exc))

    def _fetch(self, item: QueuedUrl) -> FetchResult:
        source = self.sources[item.source]
        permit = self._permit(source)
        # Host rules first: robots.txt of a forbidden host is not fetched either.
        reason = check_url(item.url, source.allowed_hosts, allow_private=source.allow_private)
        reason = reason or permit(item.url)
        if reason:
            return FetchResult(item.url, item.url, reason, error="not fetched")
        conditional = {}
        if item.kind != "article" or item.extracted:
            if item.etag:
                conditional["If-None-Match"] = item.etag
            if item.last_modified:
                conditional["If-Modified-Since"] = item.last_modified
        delay = self._delay(source, item.url)
        return self.fetcher.fetch(item.url, delay=delay, permit=permit, conditional=conditional)

    # -- main thread ---------------------------------------------------------------------------
    def seed(self) -> None:
        for source in self.sources.values():
            for url in source.start_urls:
                self.frontier.add(canonicalize(url), source.name, "listing")
            for url in source.sitemaps:
                self.frontier.add(canonicalize(url), source.name, "sitemap")
            for url in source.rss:
                self.frontier.add(canonicalize(url), source.name, "rss")

    def settle(self, item: QueuedUrl, result: FetchResult) -> None:
        validators = (result.headers.get("etag"), result.headers.get("last-modified"))
        attempts = result.attempts
        if result.outcome in ("ok", "not_modified"):
            if item.kind == "article":
                self._settle_article(item, result, validators)
            else:
                self._settle_links_page(item, result, validators)
        elif result.outcome == "not_found" and item.kind == "article" and item.extracted:
            if self.on_gone is not None:
                self.on_gone(item.url)
            self.frontier.finish(item.url, "gone", attempts=attempts)
        elif result.outcome == "not_html":
            self.frontier.finish(item.url, "not_html", attempts=attempts, validators=validators)
        else:
            error = result.error or (f"HTTP {result.status}" if result.status else "")
            self.frontier.finish(item.url, result.outcome, failed=True, error=error,
                                 attempts=attempts)  # fmt: skip
        self.settled += 1

    def _settle_links_page(self, item: QueuedUrl, result: FetchResult, validators: tuple) -> None:
        source = self.sources[item.source]
        if result.outcome == "not_modified":
            links = self.frontier.links_of(item.url)
        else:
            links = self._links(item.kind, result, source)
            self.frontier.save_links(item.url, links)
        for url, kind, lastmod in links:
            self.frontier.add(url, source.name, kind, lastmod=lastmod)
        outcome = "not_modified" if result.outcome == "not_modified" else "fetched"
        self.frontier.finish(item.url, outcome, attempts=result.attempts, validators=validators)

    def _links(self, kind: str, result: FetchResult, source: Source) -> list[Link]:
        if kind == "sitemap":
            return links_from_sitemap(result.body, source)
        if kind == "rss":
            return links_from_feed(result.body, source)
        html = self.decode(result.body, result.content_type or None)
        return links_from_html(html, result.final_url, source)

    def _settle_article(self, item: QueuedUrl, result: FetchResult, validators: tuple) -> None:
        if result.outcome == "not_modified":
            self.frontier.finish(item.url, "not_modified", attempts=result.attempts)
            return
        fetched_at = result.hops[-1].fetched_at if result.hops else datetime.now(UTC)
        capture = Capture(item.url, result.body, result.content_type, fetched_at,
                          source=self.sources[item.source])  # fmt: skip
        article = extract_capture(capture, extractor=self.extract, decoder=self.decode)
        if isinstance(article, Failure):  # recorded; no validators, so fetched whole next run
            self.frontier.finish(item.url, "extraction_failed", failed=True, error=article.reason,
                                 attempts=result.attempts, validators=(None, None))  # fmt: skip
            return
        status = self.sink(article)
        self.frontier.finish(item.url, status, attempts=result.attempts, validators=validators,
                             content_hash=article.content_hash, extracted=True)  # fmt: skip

    def claim_more(self, room: int) -> list[QueuedUrl]:
        ready = []
        for item in self.frontier.claim(room):
            source = self.sources[item.source]
            if self.frontier.fetched_count(source.name) >= source.max_pages:
                self.frontier.finish(item.url, "skipped_max_pages")
                continue
            ready.append(item)
        return ready


def _progress_bar(progress: bool | None) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(desc="Thu thập", unit=" trang")


def run_crawl(
    sources: list[Source],
    data_dir: Path,
    sink: Sink,
    *,
    settings: CrawlSettings | None = None,
    progress: bool | None = None,
    on_gone: Callable[[str], Any] | None = None,
) -> CrawlReport:
    """Crawl every source into ``sink``; resumes an interrupted run in the same data_dir.

    ``sink(article)`` returns "new", "changed" or "unchanged"; ``on_gone(url)`` is told about
    articles seen before that now answer 404/410 (e.g. ``ArticleStore.mark_gone``).
    """
    settings = settings or CrawlSettings()
    data_dir = Path(data_dir)
    began = time.monotonic()
    crawl = _Crawl(sources, data_dir, sink, settings, on_gone)
    resumed = crawl.frontier.begin_run(crawl.sources)
    crawl.seed()
    bar = _progress_bar(progress)
    try:
        _drive(crawl, settings, bar)
        crawl.frontier.end_run()
        report = _report(crawl, resumed, time.monotonic() - began)
    finally:
        crawl.recorder.close()
        if bar is not None:
            bar.close()
    report.write(data_dir / "reports")
    crawl.frontier.close()
    log.info(report.summary())
    return report


def _drive(crawl: _Crawl, settings: CrawlSettings, bar: Any) -> None:
    workers = max(1, settings.workers)
    with ThreadPoolExecutor(workers, thread_name_prefix="tracuu-fetch") as pool:
        inflight: dict[Future[FetchResult], QueuedUrl] = {}
        while True:
            for item in crawl.claim_more(2 * workers - len(inflight)):
                inflight[pool.submit(crawl.fetch, item)] = item
            if not inflight:
                return
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            for future in done:
                crawl.settle(inflight.pop(future), future.result())
                _show_progress(crawl, bar, settings.log_every)


def _show_progress(crawl: _Crawl, bar: Any, every: int) -> None:
    if bar is not None:
        bar.update(1)
    elif crawl.settled % every == 0:
        log.info("đã xử lý %d URL", crawl.settled)


def _report(crawl: _Crawl, resumed: bool, duration: float) -> CrawlReport:
    return CrawlReport(
        run_id=crawl.frontier.run_id,
        started=crawl.frontier.run_started(),
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        duration_s=duration,
        resumed=resumed,
        counts=crawl.frontier.outcome_counts(),
        errors=crawl.frontier.failures(),
        requests=crawl.recorder.records // 2,
        warc_files=[str(p) for p in crawl.recorder.paths],
    )
