"""The tantivy engine: what is specific to it (tokens handed over pre-analysed, the index
checks used before a switch, migrating an archive with the CLI). Behaviour shared with
Whoosh is tested for both engines in test_engine_parity.py."""

from __future__ import annotations

import json

import pytest

pytest.importorskip(
    "tantivy", reason="tantivy (optional engine) is not installed: pip install tantivy"
)

from crawler.article import Article  # noqa: E402
from indexer import (  # noqa: E402
    SearchQuery,
    document_count,
    index_status,
    indexed_urls,
    location,
    open_engine,
    rebuild_index,
    verify_index,
)
from indexer.tantivy_engine import TantivyEngine  # noqa: E402
from tracuu import cli  # noqa: E402

LONG_WORD = "x" * 30 + "đặcbiệt" + "9" * 20  # > 40 bytes: tantivy's own tokenizers drop it
ARTICLES = [
    Article(
        url="https://baotinh.example.vn/a.html",
        title="Thủy điện Hoà Bình xả lũ",
        body=f"Mã hồ sơ {LONG_WORD}. Hồ chứa ở Hòa Bình đầy nước; covid-19 giảm.",
        source="baotinh.example.vn",
    ),
    Article(
        url="https://baotinh.example.vn/b.html",
        title="Nông dân bàn chuyện thôn",
        body="Người nông dân ở thôn Đông. Thôn trưởng họp.",
        source="baotinh.example.vn",
    ),
]


@pytest.fixture()
def engine(tmp_path):
    rebuild_index(tmp_path, ARTICLES, engine="tantivy")
    engine = open_engine(tmp_path)
    yield engine
    engine.close()


def urls(engine, text: str) -> list[str]:
    return [h.url.rsplit("/", 1)[1] for h in engine.search(SearchQuery(text=text)).hits]


def test_open_engine_picks_tantivy_from_the_index_meta(engine):
    assert isinstance(engine, TantivyEngine)


def test_tokens_come_from_our_analyzer(engine):
    assert urls(engine, LONG_WORD) == ["a.html"]  # not dropped as "too long"
    assert urls(engine, "covid-19") == ["a.html"]
    assert urls(engine, "covid") == ["a.html"]  # a hyphenated run is split into its parts
    assert urls(engine, "hòa bình") == ["a.html"]  # hoà and hòa are one spelling


def test_phrases_use_syllable_positions(engine):
    assert urls(engine, '"nông dân"') == ["b.html"]
    assert urls(engine, '"dân bàn chuyện"') == ["b.html"]
    assert urls(engine, '"nông thôn"') == []  # both words are there, never adjacent


def test_index_checks_before_a_switch(tmp_path):
    rebuild_index(tmp_path, ARTICLES, engine="tantivy")
    index_dir = location.current_index_dir(tmp_path)
    assert document_count(index_dir) == 2
    assert indexed_urls(index_dir) == {a.url for a in ARTICLES}
    assert verify_index(index_dir, [(a.url, a.title) for a in ARTICLES]) == []
    assert verify_index(index_dir, [("https://x.vn/khac.html", "Tiêu đề không hề có")])
    assert index_status(tmp_path) == (index_dir, None)


def _jsonl(path, articles) -> None:
    lines = (json.dumps(a.to_dict(), ensure_ascii=False) for a in articles)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_import_then_migrate_between_engines(tmp_path, capsys):
    data_dir, feed = tmp_path / "data", tmp_path / "feed.jsonl"
    _jsonl(feed, ARTICLES)
    assert cli.main(["import", "--data-dir", str(data_dir), "--engine", "tantivy", str(feed)]) == 0
    first = location.current_index_dir(data_dir)
    assert location.read_meta(first)["engine"] == "tantivy"
    assert cli.main(["reindex", "--full", "--data-dir", str(data_dir), "--engine", "whoosh"]) == 0
    assert location.read_meta(location.current_index_dir(data_dir))["engine"] == "whoosh"
    assert cli.main(["index", "--data-dir", str(data_dir), "--engine", "tantivy"]) == 0
    live = location.current_index_dir(data_dir)
    assert live != first and location.read_meta(live)["engine"] == "tantivy"
    assert "xây lại toàn bộ" in capsys.readouterr().err
    engine = open_engine(data_dir)
    try:
        assert engine.stats().documents == len(ARTICLES)
    finally:
        engine.close()
