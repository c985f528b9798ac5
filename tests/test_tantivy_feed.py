"""Fresh tantivy builds analyse articles in worker processes: same documents, same order,
errors still abort the build."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "tantivy", reason="tantivy (optional engine) is not installed: pip install tantivy"
)

from crawler.article import Article  # noqa: E402
from indexer import (  # noqa: E402
    SearchQuery,
    location,
    open_engine,
    rebuild_index,
    tantivy_feed,  # noqa: E402
)
from indexer.tantivy_schema import document_fields  # noqa: E402

WORDS = ["Hà Tĩnh", "nông thôn mới", "Thủy điện", "bão số 5", "giáo dục", "Đà Nẵng"]


def article(number: int) -> Article:
    word = WORDS[number % len(WORDS)]
    return Article(
        url=f"https://baotinh.example.vn/{number}.html",
        title=f"Tin {number}: {word}",
        body=f"Bài số {number} nói về {word}. Hoà Bình, uỷ ban.",
        source="baotinh.example.vn",
    )


@pytest.fixture()
def small_batches(monkeypatch):
    """The worker path on a handful of articles: tiny threshold, batches and chunks."""
    monkeypatch.setattr(tantivy_feed, "PARALLEL_MIN", 5)
    monkeypatch.setattr(tantivy_feed, "BATCH", 4)
    monkeypatch.setattr(tantivy_feed, "CHUNK", 2)
    monkeypatch.setattr(tantivy_feed.os, "cpu_count", lambda: 2)


def fields_in_feed(articles, parallel):
    with tantivy_feed.document_feed(articles, parallel=parallel) as documents:
        return [doc.to_dict() for doc in documents]


def test_workers_give_the_same_documents_in_the_same_order(small_batches):
    articles = [article(n) for n in range(23)]
    parallel = fields_in_feed(iter(articles), parallel=True)
    serial = fields_in_feed(iter(articles), parallel=False)
    assert len(parallel) == 23
    assert parallel == serial
    assert [d["url"] for d in parallel] == [[a.url] for a in articles]


def test_a_parallel_build_is_searchable(small_batches, tmp_path):
    rebuild_index(tmp_path, (article(n) for n in range(30)), engine="tantivy")
    engine = open_engine(tmp_path)
    try:
        assert engine.stats().documents == 30
        page = engine.search(SearchQuery(text="nong thon moi", per_page=50))
        assert page.total == 5
        assert {h.url for h in page.hits} == {article(n).url for n in range(1, 30, 6)}
    finally:
        engine.close()


class Unreadable(Article):
    """An article whose analysis fails inside a worker."""

    @property
    def person_names(self) -> list[str]:
        raise ValueError("broken article")


def test_a_failing_worker_aborts_the_build_and_keeps_the_live_index(small_batches, tmp_path):
    rebuild_index(tmp_path, [article(n) for n in range(3)], engine="tantivy")
    live = location.current_index_dir(tmp_path)
    broken = [article(n) for n in range(12)]
    broken[9] = Unreadable(url="https://baotinh.example.vn/x.html", title="x", body="y")
    with pytest.raises(ValueError, match="broken article"):
        rebuild_index(tmp_path, broken, engine="tantivy")
    assert location.current_index_dir(tmp_path) == live


def test_fields_are_plain_values_for_pickling():
    fields = document_fields(article(1))
    assert all(isinstance(v, str | bytes | int | list) for v in fields.values())
    assert fields["text_x"].startswith("tin 1 nông thôn mới")
    assert "hòa bình" in fields["text_x"] and "uỷ" not in fields["text_x"]
    # Exact pairs of the whole text; the short exact fields interleave exact and folded forms.
    assert "nông_thôn" in fields["pairs_x"].split() and "hòa_bình" in fields["pairs_x"].split()
    assert fields["title_x"].startswith("tin _tin 1 _1 nông _nong")
