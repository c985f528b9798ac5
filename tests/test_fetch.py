"""The polite fetcher: Retry-After, backoff, redirects checked hop by hop, per-host limit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from fault_server import FaultServer

from crawler.fetch import Fetcher, FetchSettings, HostGate, classify_status, parse_retry_after
from crawler.robots import RobotsCache


def test_parse_retry_after() -> None:
    assert parse_retry_after("7", cap=120) == 7
    assert parse_retry_after("7000", cap=120) == 120
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < parse_retry_after(later, cap=120) <= 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", cap=120) == 0
    assert parse_retry_after("soon", cap=120) is None
    assert parse_retry_after(None, cap=120) is None


@pytest.mark.parametrize(
    ("status", "content_type", "outcome"),
    [
        (200, "text/html; charset=utf-8", "ok"),
        (200, "application/pdf", "not_html"),
        (200, "image/jpeg", "not_html"),
        (304, "", "not_modified"),
        (410, "text/html", "not_found"),
        (503, "text/html", "server_error"),
    ],
)
def test_classify_status(status: int, content_type: str, outcome: str) -> None:
    assert classify_status(status, content_type) == outcome


@pytest.fixture(scope="module")
def server():
    with FaultServer() as running:
        yield running


def fetcher(sleeps: list[float], exchanges: list | None = None, **overrides) -> Fetcher:
    settings = FetchSettings(timeout=0.3, retries=2, backoff_base=0.01, retry_after_cap=0.05)
    for name, value in overrides.items():
        setattr(settings, name, value)
    sink = exchanges.append if exchanges is not None else None
    return Fetcher(settings, on_exchange=sink, sleep=sleeps.append)


def test_retry_after_is_honoured_but_capped(server: FaultServer) -> None:
    sleeps: list[float] = []
    result = fetcher(sleeps).fetch(server.base_url + "/a/busy.html")
    # Only this test asks for busy.html from this server: 429 (Retry-After: 1) then 200.
    assert result.outcome == "ok" and result.attempts == 2
    assert sleeps == [0.05]


def test_backoff_grows_exponentially_with_jitter(server: FaultServer) -> None:
    sleeps: list[float] = []
    exchanges: list = []
    result = fetcher(sleeps, exchanges).fetch(server.base_url + "/a/reset.html")
    assert result.outcome == "connection_error" and result.attempts == 3
    assert len(sleeps) == 2
    assert 0.005 <= sleeps[0] <= 0.01 and 0.01 <= sleeps[1] <= 0.02
    assert exchanges == []  # nothing came back, so nothing to archive


def test_redirect_to_another_host_is_refused(server: FaultServer) -> None:
    sleeps: list[float] = []
    exchanges: list = []

    def permit(url: str) -> str | None:
        return None if url.endswith("/a/moved.html") else "host_not_allowed"

    result = fetcher(sleeps, exchanges).fetch(server.base_url + "/a/moved.html", permit=permit)
    assert result.outcome == "redirect_host_not_allowed"
    assert [e.status for e in exchanges] == [301]  # the hop itself is recorded


def test_conditional_headers_are_sent(server: FaultServer) -> None:
    fetcher([]).fetch(server.base_url + "/a/ok.html", conditional={"If-None-Match": '"abc"'})
    assert server.requests[-1][1].get("If-None-Match") == '"abc"'


def test_size_cap_aborts_the_download(server: FaultServer) -> None:
    exchanges: list = []
    result = fetcher([], exchanges, max_bytes=100_000).fetch(server.base_url + "/a/huge.html")
    assert result.outcome == "too_large" and result.body == b""
    assert exchanges[0].truncated == "length" and len(exchanges[0].body) < 200_000


def test_host_gate_allows_one_request_in_flight_per_host() -> None:
    gate = HostGate(concurrency=1)
    in_flight = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0}
    lock = threading.Lock()

    def work(host: str) -> None:
        with gate.slot(host, 0.0):
            with lock:
                in_flight[host] += 1
                peak[host] = max(peak[host], in_flight[host])
            threading.Event().wait(0.005)
            with lock:
                in_flight[host] -= 1

    threads = [threading.Thread(target=work, args=(h,)) for h in "abab" * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == {"a": 1, "b": 1}


def test_robots_rules_crawl_delay_and_unreachable_robots() -> None:
    answers = {
        "http://a.vn/robots.txt": (200, "User-agent: *\nCrawl-delay: 4\nDisallow: /quan-tri/\n"),
        "http://b.vn/robots.txt": (404, ""),
        "http://c.vn/robots.txt": (503, ""),
    }
    asked: list[str] = []

    def fetch_text(url: str):
        asked.append(url)
        return answers[url]

    robots = RobotsCache(fetch_text, "tracuu/0.1 (+x)")
    assert robots.allowed("http://a.vn/tin/1.htm")
    assert not robots.allowed("http://a.vn/quan-tri/login")
    assert robots.crawl_delay("http://a.vn/") == 4
    assert robots.allowed("http://b.vn/anything")  # no robots.txt: no rules
    assert not robots.allowed("http://c.vn/tin/1.htm")  # server trouble: stay away
    assert sorted(asked) == sorted(answers)  # each fetched once
