"""Indexing while importing (``indexer.stream``, issue 18): a tantivy import writes the index
in the same pass, and the index it builds holds what importing then indexing gives."""

from __future__ import annotations

import json

import pytest

pytest.importorskip(
    "tantivy", reason="tantivy (optional engine) is not installed: pip install tantivy"
)

from indexer import SearchQuery, live_engine_name, location, open_engine  # noqa: E402
from indexer.fields import TEXT_FIELDS  # noqa: E402
from indexer.stream import stream_plan  # noqa: E402
from indexer.tantivy_schema import document_fields, open_index  # noqa: E402
from tracuu import import_stage, pipeline  # noqa: E402

PLACES = ("Hà Tĩnh", "Nghệ An", "Quảng Bình")
WORDS = ("nông thôn mới", "thủy điện", "giáo dục", "hoà bình", "covid-19")


def record(n: int, **changes) -> dict:
    data = {
        "url": f"https://baotinh.example.vn/bai-{n}.html",
        "title": f"Ông Nguyễn Văn An thăm {PLACES[n % 3]} lần {n}",
        "body": f"Chủ tịch UBND tỉnh Trần Thị Bình nói về {WORDS[n % 5]}. Bài số {n}.",
        "date": f"2021-04-{n % 28 + 1:02d}",
    }
    return {**data, **changes}


def write_jsonl(path, records) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture()
def small_batches(monkeypatch):
    """The worker path on a handful of articles: tiny threshold, batches and chunks."""
    monkeypatch.setattr(import_stage, "PARALLEL_MIN", 10)
    monkeypatch.setattr(import_stage, "BATCH", 7)
    monkeypatch.setattr(import_stage, "CHUNK", 2)
    monkeypatch.setattr(import_stage.os, "cpu_count", lambda: 2)


def indexed_documents(data_dir) -> dict[str, dict]:
    """url → the stored document, for every live document of the live index."""
    searcher = open_index(location.current_index_dir(data_dir)).searcher()
    from tantivy import Query

    hits = searcher.search(Query.all_query(), 1000, count=False).hits
    docs = [searcher.doc(address).to_dict() for _, address in hits]
    return {json.loads(doc["doc"][0])["url"]: doc for doc in docs}


def term_frequencies(data_dir, articles) -> dict[tuple[str, str], int]:
    """Document frequency of every term the articles' analysed fields hold."""
    searcher = open_index(location.current_index_dir(data_dir)).searcher()
    terms = {
        (field.name, term)
        for article in articles
        for field in TEXT_FIELDS
        for term in document_fields(article)[field.name].split()
    }
    return {(name, term): searcher.doc_freq(name, term) for name, term in sorted(terms)}


def results(data_dir, texts) -> list[list[tuple[float, str]]]:
    """Each query's hits as (score, url), best first; equal scores by URL (among ties the
    order follows document addresses, which depend on the order articles were written)."""
    engine = open_engine(data_dir)
    try:
        pages = [engine.search(SearchQuery(text=t, per_page=50)) for t in texts]
    finally:
        engine.close()
    return [sorted((-round(h.score, 4), h.url) for h in page.hits) for page in pages]


QUERIES = ["nông thôn", "nong thon", '"Hà Tĩnh"', "thuy dien", "Trần Thị Bình", "covid", "bài"]


def import_then_index(data_dir, source) -> None:
    pipeline.import_files(data_dir, [source])
    pipeline.index_articles(data_dir, engine="tantivy")


@pytest.mark.parametrize("parallel", [True, False])
def test_a_streamed_import_indexes_what_import_then_index_gives(
    tmp_path, small_batches, parallel, monkeypatch
):
    source = tmp_path / "bai.jsonl"
    write_jsonl(source, [record(n) for n in range(40)])
    import_then_index(tmp_path / "two", source)
    if not parallel:
        monkeypatch.setattr(import_stage, "PARALLEL_MIN", 10_000)
    summary = pipeline.import_files(tmp_path / "one", [source], index=True, engine="tantivy")
    assert summary.indexed == 40 and summary.outcomes["new"] == 40
    assert live_engine_name(tmp_path / "one") == "tantivy"
    streamed, separate = indexed_documents(tmp_path / "one"), indexed_documents(tmp_path / "two")
    assert len(streamed) == 40
    assert streamed == separate
    with pipeline.open_store(tmp_path / "two") as store:
        articles = list(store.iter_latest())
    assert term_frequencies(tmp_path / "one", articles) == term_frequencies(
        tmp_path / "two", articles
    )
    assert results(tmp_path / "one", QUERIES) == results(tmp_path / "two", QUERIES)
    with pipeline.open_store(tmp_path / "one") as store:
        assert list(store.pending_index()) == []  # the store knows the index holds them
    after = pipeline.index_articles(tmp_path / "one", engine="tantivy")
    assert (after.indexed, after.documents) == (0, 40)


def test_a_url_twice_in_one_new_index_is_replaced_not_duplicated(tmp_path, small_batches):
    source = tmp_path / "bai.jsonl"
    write_jsonl(source, [record(n) for n in range(20)] + [record(3, title="Tin đã sửa")])
    summary = pipeline.import_files(tmp_path / "data", [source], index=True, engine="tantivy")
    assert summary.outcomes == {"new": 20, "changed": 1, "unchanged": 0}
    docs = indexed_documents(tmp_path / "data")
    assert len(docs) == 20
    stored_title = json.loads(docs["https://baotinh.example.vn/bai-3.html"]["doc"][0])["title"]
    assert stored_title == "Tin đã sửa"


def test_a_streamed_import_updates_the_live_index(tmp_path, small_batches):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_jsonl(first, [record(n) for n in range(12)])
    write_jsonl(second, [record(n) for n in range(8, 20)] + [record(2, title="Tin mới sửa")])
    data_dir = tmp_path / "data"
    pipeline.import_files(data_dir, [first], index=True, engine="tantivy")
    live = location.current_index_dir(data_dir)
    summary = pipeline.import_files(data_dir, [second], index=True)
    assert summary.indexed == 9  # 8 new, 1 changed; 4 unchanged are not written again
    assert location.current_index_dir(data_dir) == live  # written in place, no rebuild
    docs = indexed_documents(data_dir)
    assert len(docs) == 20
    stored_title = json.loads(docs["https://baotinh.example.vn/bai-2.html"]["doc"][0])["title"]
    assert stored_title == "Tin mới sửa"


def test_no_stream_where_the_index_needs_more_than_the_import(tmp_path, small_batches):
    data_dir = tmp_path / "data"
    first = tmp_path / "first.jsonl"
    write_jsonl(first, [record(n) for n in range(5)])
    pipeline.import_files(data_dir, [first])  # stored, not indexed
    assert stream_plan(data_dir, engine="tantivy", store_empty=False, pending=True) is None
    second = tmp_path / "second.jsonl"
    write_jsonl(second, [record(n) for n in range(5, 15)])
    assert pipeline.import_files(data_dir, [second], index=True, engine="tantivy").indexed == 0
    summary = pipeline.index_articles(data_dir, engine="tantivy")
    assert (summary.indexed, summary.documents) == (15, 15)
    # A live index of another engine: the indexing after the import rebuilds, no stream.
    assert stream_plan(data_dir, engine="whoosh", store_empty=False, pending=False) is None
    # Whoosh has no prepared writer: it indexes after the import.
    assert stream_plan(tmp_path / "new", engine="whoosh", store_empty=True, pending=False) is None


def test_a_failing_import_leaves_the_index_untouched(tmp_path, small_batches, monkeypatch):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_jsonl(first, [record(n) for n in range(12)])
    write_jsonl(second, [record(n) for n in range(12, 40)])
    data_dir = tmp_path / "data"
    pipeline.import_files(data_dir, [first], index=True, engine="tantivy")
    real_put = pipeline.ArticleStore.put

    def put(self, article, *args, **kwargs):
        if article.url.endswith("bai-30.html"):
            raise OSError("đĩa đầy")
        return real_put(self, article, *args, **kwargs)

    monkeypatch.setattr(pipeline.ArticleStore, "put", put)
    with pytest.raises(OSError):
        pipeline.import_files(data_dir, [second], index=True)
    assert len(indexed_documents(data_dir)) == 12  # nothing of the failed import
    monkeypatch.setattr(pipeline.ArticleStore, "put", real_put)
    summary = pipeline.index_articles(data_dir)  # the batches stored before the error
    assert summary.documents == 12 + summary.indexed > 12


def test_the_cli_import_says_how_many_it_indexed(tmp_path):
    from test_update_helpers import run_tracuu, tracuu_args

    source = tmp_path / "bai.jsonl"
    write_jsonl(source, [record(n) for n in range(6)])
    result = run_tracuu(
        *tracuu_args("import", tmp_path / "data"), "--engine", "tantivy", str(source)
    )
    assert result.returncode == 0, result.stderr
    assert "Chỉ mục: 6 bài được cập nhật, tổng cộng 6 bài." in result.stderr
