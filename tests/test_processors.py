"""The ordered item processors between extraction and the store (tracuu.processors)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from crawler.article import Article
from tracuu import pipeline, processors
from tracuu.processors import ORIGINS, processors_for, run_processors

ARTICLE = Article(
    url="https://a.vn/1.html",
    title="Chủ tịch UBND tỉnh thăm bà con vùng lũ",
    body="Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải thăm hỏi bà con vùng lũ.",
    fetched_at=datetime(2024, 3, 1, tzinfo=UTC),
)


def test_processors_run_in_order_and_the_first_outcome_ends_the_item():
    seen = []

    def step(name):
        def process(article):
            seen.append(name)
            return article

        return process

    assert run_processors([step("a"), step("b"), lambda a: "kept", step("c")], ARTICLE) == "kept"
    assert seen == ["a", "b"]


def test_every_origin_ends_with_the_store_and_warc_checks_age_before_enriching(tmp_path):
    with pipeline.open_store(tmp_path) as store:
        for origin in ORIGINS:
            steps = processors_for(store, origin)
            assert steps[-1].__name__ == "store_article"
            assert list(steps[-1 - len(processors.ENRICHERS) : -1]) == list(processors.ENRICHERS)
        assert processors_for(store, "warc")[0].__name__ == "skip_if_older"
        assert run_processors(processors_for(store, "crawl"), ARTICLE) == "new"
        older = ARTICLE.with_changes(fetched_at=datetime(2024, 2, 1, tzinfo=UTC), body="Cũ.")
        assert run_processors(processors_for(store, "warc"), older) == "older_capture"
        assert [p.name for p in store.get(ARTICLE.url).people] == ["Võ Trọng Hải"]


def test_a_new_enrichment_step_reaches_every_origin_with_one_line(tmp_path, monkeypatch):
    def tag(article: Article) -> Article:
        return article.with_changes(category="đã gắn")

    monkeypatch.setattr(processors, "ENRICHERS", (*processors.ENRICHERS, tag))
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps(ARTICLE.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    pipeline.import_files(tmp_path / "data", [jsonl])
    with pipeline.open_store(tmp_path / "data") as store:
        stored = store.get(ARTICLE.url)
    assert stored.category == "đã gắn" and stored.people  # people still ran, before the tag
    assert processors.enrich(ARTICLE).category == "đã gắn"
