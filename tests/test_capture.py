"""One extraction step for crawl and re-extraction: Article | Failure, one failure policy."""

from __future__ import annotations

from datetime import UTC, datetime

from fault_server import FaultServer, simple_extract
from test_crawl_faults import fast_settings
from test_warc import exchange

from crawler.article import Article
from crawler.capture import Capture, extract_capture
from crawler.crawl import run_crawl
from crawler.failures import ExtractionError, Failure
from crawler.sources import Source
from crawler.warc import WarcRecorder, reextract

PAGE = "<html><body><h1>Lũ về</h1><p>Nước sông dâng cao trong đêm.</p></body></html>".encode()
WHEN = datetime(2024, 2, 28, 1, 2, 3, tzinfo=UTC)


def crashing_on(bad_url: str):
    """simple_extract with a bug that shows on one page only."""

    def extract(html: str, url: str, *, selectors: object = None) -> Article:
        if url == bad_url:
            raise KeyError("selector")
        return simple_extract(html, url)

    return extract


def capture(url: str = "http://a.vn/1.html", body: bytes = PAGE, **extra) -> Capture:
    return Capture(url, body, "text/html; charset=utf-8", WHEN, **extra)


def test_an_article_is_stamped_with_what_the_capture_knows():
    source = Source(name="a", display_name="Báo A", start_urls=["http://a.vn/"])
    article = extract_capture(capture(source=source), extractor=simple_extract)
    assert isinstance(article, Article)
    assert (article.url, article.fetched_at, article.source) == (
        "http://a.vn/1.html",
        WHEN,
        "Báo A",
    )
    assert article.title == "Lũ về"


def test_a_page_without_an_article_is_a_failure_with_its_reason():
    failure = extract_capture(capture(body=b"<html><body><p>menu</p></body></html>"))
    assert isinstance(failure, Failure) and not failure.crashed
    assert failure.reason == "no body text" and failure.detail


def test_an_extractor_bug_is_a_crashed_failure_not_an_exception(caplog):
    failure = extract_capture(capture(), extractor=crashing_on("http://a.vn/1.html"))
    assert isinstance(failure, Failure) and failure.crashed
    assert failure.reason == "crash: KeyError: 'selector'"
    assert "extractor crashed on http://a.vn/1.html" in caplog.text  # with its traceback


def test_extraction_error_is_one_class_wherever_it_is_imported_from():
    from crawler.extract import ExtractionError as from_extract

    assert from_extract is ExtractionError


def test_reextraction_records_an_extractor_bug_and_goes_on(tmp_path):
    recorder = WarcRecorder(tmp_path)
    for n in range(3):
        recorder.write(exchange(f"http://a.vn/{n}.html", body=PAGE))
    recorder.close()
    stored = []
    report = reextract(
        recorder.paths,
        lambda a: stored.append(a.url) or "new",
        extractor=crashing_on("http://a.vn/1.html"),
    )
    assert stored == ["http://a.vn/0.html", "http://a.vn/2.html"]
    assert report.errors == {"crash: KeyError: 'selector'": ["http://a.vn/1.html"]}
    assert report.details["http://a.vn/1.html"] == "KeyError: 'selector'"


def test_the_crawl_records_an_extractor_bug_the_same_way(tmp_path):
    stored = {}
    with FaultServer() as server:
        bad = server.base_url + "/a/ok.html"
        source = Source(name="loi", start_urls=[server.base_url + "/"], article_pattern=r"^/a/",
                        allow_private=True)  # fmt: skip
        settings = fast_settings()
        settings.extractor = crashing_on(bad)
        report = run_crawl([source], tmp_path, lambda a: stored.setdefault(a.url, "new"),
                           settings=settings, progress=False)  # fmt: skip
    failed = {e["url"]: e["error"] for e in report.errors["extraction_failed"]}
    assert failed[bad] == "crash: KeyError: 'selector'"
    assert bad not in stored and stored  # the other pages went on to the sink
