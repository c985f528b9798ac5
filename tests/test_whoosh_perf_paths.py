"""The Whoosh engine's fast paths give the answers Whoosh's slow ones gave.

Totals come from one unscored pass, facets from per-document value arrays, pages from a
limited scored search, snippets from progressively tokenized text, and indexes are written
without compound segment files. Each test checks the fast path against Whoosh's own
machinery (``groupedby`` facets, unlimited searches) on a small generated corpus.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from whoosh import sorting

from crawler.article import Article
from indexer import SearchQuery, open_engine, rebuild_index
from indexer.api import FacetCount
from indexer.engine_common import order_facet
from indexer.highlight import CHUNK_CHARS, SNIPPET_TOKENS, query_keys, snippet
from indexer.querylang import parse_query
from indexer.queryplan import build_plan
from indexer.whoosh_facets import matching_docnums, without_boosts
from indexer.whoosh_query import build_query


def _no_runs(_tokens, fold: bool = False) -> bool:
    """Reading plain words: the archive holds no run of them (each word stands alone)."""
    return False


SOURCES = ("baohatinh.vn", "baobacgiang.vn", "baodanang.vn")
CATEGORIES = ("Thời sự", "Kinh tế", "Thể thao", "Xã hội")
PEOPLE = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Dũng")
TOPICS = ("mưa bão gây ngập", "giá lúa tăng", "đội bóng thắng trận", "trường học khai giảng")
FILLER = "Người dân địa phương cho biết tình hình đã ổn định trở lại sau nhiều ngày. "


def _article(i: int) -> Article:
    topic = TOPICS[i % len(TOPICS)]
    return Article(
        url=f"https://{SOURCES[i % 3]}/bai-{i}.html",
        title=f"Tin số {i}: {topic}",
        sapo=f"Bản tin {i} về {topic} tại tỉnh.",
        body=f"{FILLER * (i % 5)}Chuyện {topic} ở xã {i}.",
        source=SOURCES[i % 3],
        category=CATEGORIES[i % 4],
        published=datetime(2020, 1 + i % 12, 1 + i % 27, 8, 0),
        people=[PEOPLE[j] for j in range(len(PEOPLE)) if (i >> j) & 1],
    )


CORPUS = [_article(i) for i in range(120)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("perf-paths")
    rebuild_index(data_dir, CORPUS)
    engine = open_engine(data_dir)
    yield engine
    engine.close()


def _whoosh_facets(searcher, whoosh_query) -> dict:
    """Facets as the engine used to count them: Whoosh groupings over all matches."""
    facets = {
        "source": sorting.FieldFacet("source", maptype=sorting.Count),
        "category": sorting.FieldFacet("category", maptype=sorting.Count),
        "month": sorting.FieldFacet("month", maptype=sorting.Count),
        "person": sorting.FieldFacet("people_kw", allow_overlap=True, maptype=sorting.Count),
    }
    results = searcher.search(whoosh_query, limit=None, groupedby=facets)
    return {name: order_facet(name, results.groups(name).items()) for name in facets}


@pytest.mark.parametrize("text", ["bão", "gia lua", '"đội bóng"', "tin -trường", ""])
def test_total_and_facets_equal_whoosh_groupings(engine, text):
    query = SearchQuery(text=text, facets=True, sources=() if text else ("baodanang.vn",))
    page = engine.search(query)
    searcher = engine._fresh_searcher()
    whoosh_query = engine._full_query(
        query, parsed := parse_query(text), engine._planner.plan(parsed, query)
    )
    full = searcher.search(whoosh_query, limit=None)
    assert page.total == len(full.top_n) > 0
    expected = _whoosh_facets(searcher, whoosh_query)
    assert {name: page.facets[name] for name in expected} == expected  # places: test_place_*


def test_without_boosts_matches_the_same_documents(engine):
    searcher = engine._fresh_searcher()
    whoosh_query = build_query(build_plan(parse_query("mưa bão ngập").root, _no_runs))
    assert without_boosts(whoosh_query) != whoosh_query  # the optional side is gone
    expected = sorted(d for _, d in searcher.search(whoosh_query, limit=None).top_n)
    assert sorted(matching_docnums(searcher, whoosh_query)) == expected


@pytest.mark.parametrize("text", ["tin", '"giá lúa"'])  # unscored pass; recorded phrase pass
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_later_pages_continue_the_first(engine, sort, text):
    whole = engine.search(SearchQuery(text=text, per_page=30, sort=sort))
    second = engine.search(SearchQuery(text=text, per_page=10, page=2, sort=sort))
    assert [h.url for h in second.hits] == [h.url for h in whole.hits[10:20]]
    assert second.total == whole.total
    # A page past the end is empty, with the true total (a client paging until an empty
    # page stops; every engine answers so).
    last = engine.search(SearchQuery(text=text, page=second.pages, sort=sort))
    beyond = engine.search(SearchQuery(text=text, page=second.pages + 3, sort=sort))
    assert last.hits and beyond.hits == [] and beyond.total == last.total


def test_person_stats_counts_match_searches(engine):
    name = PEOPLE[1]
    stats = engine.person_stats(name)
    page = engine.search(SearchQuery(text="", people=(name,), facets=True))
    assert stats.total == page.total
    assert list(stats.months) == page.facets["month"]
    others = [f for f in page.facets["person"] if f.value != name]
    assert list(stats.co_mentioned) == others


def test_index_has_no_compound_segment_files(engine):
    files = list(engine._index_dir.iterdir())
    assert files and not [f for f in files if f.suffix == ".seg"]


def test_facets_follow_an_added_article(tmp_path):
    rebuild_index(tmp_path, CORPUS[:20])
    engine = open_engine(tmp_path)
    try:
        before = engine.search(SearchQuery(text="bão", facets=True))
        added = replace(_article(1000), source="baomoi.com", people=["Võ Thị Én"])
        engine.add([added])
        after = engine.search(SearchQuery(text="bão", facets=True))
    finally:
        engine.close()
    assert after.total == before.total + 1
    assert FacetCount("baomoi.com", 1) in after.facets["source"]
    assert "Võ Thị Én" in [f.value for f in after.facets["person"]]


def test_snippet_finds_a_match_beyond_the_first_chunk():
    text = FILLER * (3 * CHUNK_CHARS // len(FILLER)) + "Cơn bão số 9 đổ bộ vào miền Trung."
    html = snippet(text, query_keys(["bão"]))
    assert html.startswith("… ") and "<mark>bão</mark>" in html


def test_snippet_window_is_not_cut_at_a_chunk_boundary():
    words = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]
    prefix = ""
    while len(prefix) < CHUNK_CHARS - 12:  # the match ends the first chunk
        prefix += words[len(prefix) % len(words)] + " "
    text = prefix + "bão " + " ".join(words * 20)
    html = snippet(text, query_keys(["bão"]))
    assert "<mark>bão</mark>" in html
    # A full window: a little context, the match, then the syllables after it.
    plain = html.replace("<mark>", "").replace("</mark>", "").strip("… ")
    assert len(plain.split()) == SNIPPET_TOKENS


def test_snippet_without_a_match_shows_the_start():
    text = FILLER * 200
    html = snippet(text, query_keys(["bão"]))
    assert text.startswith(html.removesuffix(" …")) and html.endswith(" …")
    assert snippet("", query_keys(["bão"])) == ""
