"""Frontier state across runs and crashes."""

from __future__ import annotations

from pathlib import Path

from crawler.frontier import Frontier


def urls(items) -> list[str]:
    return [i.url for i in items]


def test_crash_requeues_in_progress_and_keeps_done(tmp_path: Path) -> None:
    db = tmp_path / "crawl.sqlite"
    frontier = Frontier(db)
    assert frontier.begin_run(["s"]) is False
    for n in range(3):
        frontier.add(f"http://x.vn/{n}", "s", "article")
    claimed = frontier.claim(2)
    frontier.finish(claimed[0].url, "new", extracted=True)
    frontier.db.close()  # the process dies: no end_run

    again = Frontier(db)
    assert again.begin_run(["s"]) is True
    assert again.add("http://x.vn/0", "s", "article") is False  # done in this run: not re-queued
    assert urls(again.claim(10)) == ["http://x.vn/1", "http://x.vn/2"]


def test_new_run_revisits_with_validators_and_lastmod_skip(tmp_path: Path) -> None:
    frontier = Frontier(tmp_path / "crawl.sqlite")
    frontier.begin_run(["s"])
    frontier.add("http://x.vn/sitemap.xml", "s", "sitemap")
    frontier.add("http://x.vn/a", "s", "article", lastmod="2024-02-28")
    frontier.add("http://x.vn/b", "s", "article", lastmod="2024-02-28")
    assert urls(frontier.claim(10)) == ["http://x.vn/sitemap.xml"]  # sitemaps settle first
    frontier.finish("http://x.vn/sitemap.xml", "fetched")
    for item in frontier.claim(10):
        frontier.finish(item.url, "new", validators=('"e1"', None), extracted=True)
    frontier.end_run()

    assert frontier.begin_run(["s"]) is False
    assert urls(frontier.claim(10)) == ["http://x.vn/sitemap.xml"]  # re-read the sitemap
    frontier.add("http://x.vn/a", "s", "article", lastmod="2024-02-28")  # unchanged
    frontier.add("http://x.vn/b", "s", "article", lastmod="2024-03-01")  # moved
    frontier.finish("http://x.vn/sitemap.xml", "fetched")
    claimed = {i.url: i for i in frontier.claim(10)}
    assert "http://x.vn/a" not in claimed
    assert claimed["http://x.vn/b"].etag == '"e1"' and claimed["http://x.vn/b"].extracted
    assert frontier.outcome_counts()["article"] == {"lastmod_unchanged": 1}


def test_failures_are_grouped_by_reason(tmp_path: Path) -> None:
    frontier = Frontier(tmp_path / "crawl.sqlite")
    frontier.begin_run(["s"])
    frontier.add("http://x.vn/a", "s", "article")
    frontier.claim(1)
    frontier.finish("http://x.vn/a", "timeout", failed=True, error="read timed out", attempts=4)
    assert frontier.failures() == {"timeout": [{"url": "http://x.vn/a", "error": "read timed out"}]}
