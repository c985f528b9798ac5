"""Crawling the bundled sample portal: first crawl, re-crawl, edits, removals, WARC replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.article import Article
from crawler.crawl import CrawlSettings, run_crawl
from crawler.fetch import FetchSettings
from crawler.sources import Source
from crawler.warc import iter_warc_responses, reextract
from tracuu.sample_portal.catalog import load_sample_articles
from tracuu.sample_portal.server import SamplePortal

ARTICLE_COUNT = 40  # a slice of the bundled 330 keeps the suite fast


def portal_source(base_url: str, *, sitemap: bool = True) -> Source:
    return Source(
        name="mau",
        display_name="Cổng TTĐT tỉnh Mẫu",
        start_urls=[base_url + "/"],
        listing_patterns=[r"^/chuyen-muc/[^/]+/$"],
        pagination_patterns=[r"^/chuyen-muc/[^/]+/trang-\d+/$"],
        article_pattern=r"^/tin-tuc/[^/]+/[^/]+-\d+\.html$",
        sitemaps=[base_url + "/sitemap.xml"] if sitemap else [],
        allow_private=True,
    )


def fast_settings() -> CrawlSettings:
    fetch = FetchSettings(timeout=5, retries=1, backoff_base=0.01, backoff_max=0.02)
    return CrawlSettings(fetch=fetch, delay=0.0, workers=2)


class MemorySink:
    """Stands in for ArticleStore.put: new / changed / unchanged by content hash."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.calls = 0
        self.gone: list[str] = []

    def __call__(self, article: Article) -> str:
        self.calls += 1
        previous = self.articles.get(article.url)
        self.articles[article.url] = article
        if previous is None:
            return "new"
        return "unchanged" if previous.content_hash == article.content_hash else "changed"


def comparable(articles: dict[str, Article]) -> dict[str, dict]:
    """Articles without fetched_at (the one field two crawls legitimately differ in)."""
    return {url: {**a.to_dict(), "fetched_at": None} for url, a in articles.items()}


def crawl(portal: SamplePortal, data_dir: Path, sink: MemorySink, **source_options):
    source = portal_source(portal.base_url, **source_options)
    return run_crawl(
        [source], data_dir, sink, settings=fast_settings(), progress=False, on_gone=sink.gone.append
    )


def sample_articles() -> list[dict]:
    return load_sample_articles()[:ARTICLE_COUNT]


def test_first_crawl_finds_every_article_and_records_errors(tmp_path: Path) -> None:
    sink = MemorySink()
    with SamplePortal(sample_articles()) as portal:
        report = crawl(portal, tmp_path, sink)
        assert set(sink.articles) == set(portal.article_urls())
        for url, article in sink.articles.items():
            assert article.title == portal.expected_article(url)["title"]
            # the display name, never the key, reaches results, exports and citations
            assert article.source == "Cổng TTĐT tỉnh Mẫu" and article.fetched_at is not None
    assert report.new == ARTICLE_COUNT
    assert set(report.errors) == {"not_found", "server_error"}  # the portal's two broken links
    assert report.counts["listing"]["fetched"] >= 2  # home + categories, incl. pagination
    assert report.path is not None and report.path.exists()


@pytest.mark.parametrize("sitemap", [True, False])
def test_recrawl_of_unchanged_portal_only_makes_conditional_requests(
    tmp_path: Path, sitemap: bool
) -> None:
    sink = MemorySink()
    with SamplePortal(sample_articles()) as portal:
        crawl(portal, tmp_path, sink, sitemap=sitemap)
        calls_after_first = sink.calls
        report = crawl(portal, tmp_path, sink, sitemap=sitemap)
    assert sink.calls == calls_after_first  # nothing re-extracted
    assert (report.new, report.changed, report.unchanged) == (0, 0, ARTICLE_COUNT)
    statuses = {
        r.url.rsplit("/", 1)[-1] or "/": r.status for r in iter_warc_responses(report.warc_files)
    }
    full_answers = {u: s for u, s in statuses.items() if s == 200 and u != "robots.txt"}
    assert full_answers == {}
    if sitemap:  # lastmod unchanged: the article is not even asked for
        assert report.counts["article"]["lastmod_unchanged"] == ARTICLE_COUNT
    else:
        assert report.counts["article"]["not_modified"] == ARTICLE_COUNT


def test_edited_article_is_changed_and_removed_one_is_gone(tmp_path: Path) -> None:
    sink = MemorySink()
    with SamplePortal(sample_articles()) as portal:
        crawl(portal, tmp_path, sink)
        urls = portal.article_urls()
        edited = portal.edit_article(urls[3], title="Tiêu đề đã sửa")
        removed = portal.remove_article(urls[7])
        report = crawl(portal, tmp_path, sink)
    assert (report.new, report.changed, report.gone) == (0, 1, 1)
    assert report.unchanged == ARTICLE_COUNT - 2
    assert sink.articles[edited].title == "Tiêu đề đã sửa"
    assert sink.gone == [removed]


def test_reextract_from_warc_equals_crawl_output(tmp_path: Path) -> None:
    crawled = MemorySink()
    with SamplePortal(sample_articles()) as portal:
        report = crawl(portal, tmp_path, crawled)
        source = portal_source(portal.base_url)
    replayed = MemorySink()
    result = reextract(report.warc_files, replayed, sources=[source])
    assert comparable(replayed.articles) == comparable(crawled.articles)
    assert result.counts == {"new": ARTICLE_COUNT}
    for url, article in replayed.articles.items():
        assert article.fetched_at == crawled.articles[url].fetched_at  # WARC 1.1: microseconds
