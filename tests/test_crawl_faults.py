"""A crawl against a misbehaving server finishes, settles every URL and captures retries."""

from __future__ import annotations

import json

import pytest
from fault_server import ARTICLE_PATHS, FaultServer, simple_extract

from crawler.crawl import CrawlSettings, run_crawl
from crawler.fetch import FetchSettings
from crawler.sources import Source
from crawler.warc import iter_warc_responses


def fast_settings(**fetch_overrides: object) -> CrawlSettings:
    fetch = FetchSettings(
        timeout=0.3, retries=2, backoff_base=0.01, backoff_max=0.02, retry_after_cap=0.05
    )
    for name, value in fetch_overrides.items():
        setattr(fetch, name, value)
    return CrawlSettings(fetch=fetch, delay=0.0, workers=3, extractor=simple_extract)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    data_dir = tmp_path_factory.mktemp("fault-crawl")
    articles = {}

    def sink(article):
        articles[article.url] = article
        return "new"

    with FaultServer() as server:
        source = Source(
            name="loi",
            start_urls=[server.base_url + "/"],
            article_pattern=r"^/(a|private)/",
            allow_private=True,
        )
        report = run_crawl([source], data_dir, sink, settings=fast_settings(), progress=False)
        yield server, report, articles, data_dir


def outcome_of(report, url: str) -> str:
    for kind_counts in report.errors.items():
        reason, entries = kind_counts
        if any(e["url"] == url for e in entries):
            return reason
    return ""


def test_every_url_ends_in_a_recorded_outcome(crawled) -> None:
    server, report, articles, data_dir = crawled
    import sqlite3

    db = sqlite3.connect(data_dir / "crawl.sqlite")
    rows = dict(db.execute("SELECT url, state || ':' || outcome FROM urls").fetchall())
    expected = {server.base_url + p for p in ARTICLE_PATHS} | {server.base_url + "/"}
    assert expected <= set(rows)
    assert not [u for u, s in rows.items() if s.startswith(("queued", "in_progress"))]
    base = server.base_url
    assert rows[base + "/a/ok.html"] == "done:new"
    assert rows[base + "/a/flaky.html"] == "done:new"
    assert rows[base + "/a/busy.html"] == "done:new"
    assert rows[base + "/a/charset.html"] == "done:new"
    assert rows[base + "/a/moved.html"] == "done:new"
    assert rows[base + "/a/timeout.html"] == "failed:timeout"
    assert rows[base + "/a/reset.html"] == "failed:connection_error"
    assert rows[base + "/a/loop.html"] == "failed:redirect_loop"
    assert rows[base + "/a/truncated.html"] == "failed:truncated"
    assert rows[base + "/a/huge.html"] == "failed:too_large"
    assert rows[base + "/a/report.pdf"] == "done:not_html"
    assert rows[base + "/a/missing.html"] == "failed:not_found"
    assert rows[base + "/a/empty.html"] == "failed:extraction_failed"
    assert rows[base + "/private/secret.html"] == "failed:robots_disallowed"


def test_report_counts_and_lists_errors_with_urls(crawled) -> None:
    server, report, articles, data_dir = crawled
    assert report.new == len(articles) == 5
    assert outcome_of(report, server.base_url + "/a/huge.html") == "too_large"
    saved = json.loads(report.path.read_text("utf-8"))
    assert saved["articles"]["new"] == 5
    assert saved["errors"]["extraction_failed"][0]["error"] == "no_title"


def test_disallowed_paths_are_never_requested(crawled) -> None:
    server, *_ = crawled
    paths = server.paths()
    assert "/robots.txt" in paths
    assert not [p for p in paths if p.startswith("/private/")]


def test_retries_are_bounded_and_use_our_user_agent(crawled) -> None:
    server, *_ = crawled
    paths = server.paths()
    assert paths.count("/a/timeout.html") == 3  # 1 try + 2 retries
    assert paths.count("/a/flaky.html") == 2
    assert paths.count("/a/busy.html") == 2
    assert paths.count("/a/loop.html") == 1 and paths.count("/a/loop2.html") == 1
    agents = {headers.get("User-Agent") for _, headers in server.requests}
    assert agents == {"tracuu/0.1 (+https://github.com/tracuu)"}


def test_retried_and_error_responses_are_captured_in_warc(crawled) -> None:
    server, report, articles, data_dir = crawled
    captured = [
        (r.url.removeprefix(server.base_url), r.status)
        for r in iter_warc_responses(sorted((data_dir / "warc").glob("*.warc.gz")))
    ]
    assert ("/a/flaky.html", 500) in captured and ("/a/flaky.html", 200) in captured
    assert ("/a/busy.html", 429) in captured and ("/a/busy.html", 200) in captured
    assert ("/a/loop.html", 302) in captured and ("/a/loop2.html", 302) in captured
    assert ("/a/missing.html", 404) in captured
    assert ("/a/truncated.html", 200) in captured  # partial, marked WARC-Truncated
    assert ("/robots.txt", 200) in captured


def test_wrong_charset_header_still_reads_vietnamese(crawled) -> None:
    server, report, articles, data_dir = crawled
    assert articles[server.base_url + "/a/charset.html"].title == "Tiếng Việt có dấu"


def test_redirect_target_is_canonical(crawled) -> None:
    server, *_ = crawled
    paths = server.paths()
    # The Location carried a tracking parameter: the hop is fetched without it.
    assert paths.count("/a/ok.html") == 2 and not [p for p in paths if "utm_" in p]
    assert server.base_url + "/a/moved.html" in crawled[2]
