"""The Whoosh engine's faster query paths give the answers Whoosh's own machinery gives.

- ``PairPhrase`` (phrases of ≥3 syllables via their pair terms, then positions) matches what
  Whoosh's positional ``Phrase`` on ``text_f`` matches, wherever no sentence break splits
  the phrase; a two-syllable phrase is its one pair term.
- ``rank_all`` (one pass, set operations, BM25F by hand) finds every document Whoosh finds
  and gives each the score Whoosh's exhaustive scoring gives.
- Paging reuses one ranking; warm-up builds the facet arrays and vocabulary up front.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from whoosh import collectors
from whoosh import index as windex
from whoosh import query as wq

from crawler.article import Article
from indexer import SearchQuery, location, open_engine, rebuild_index
from indexer.analysis import tokenize
from indexer.querylang import parse_query
from indexer.queryplan import build_plan
from indexer.whoosh_facets import matching_docnums
from indexer.whoosh_query import build_query, phrase_query
from indexer.whoosh_rank import PairPhrase, rank_all, top_of
from indexer.whoosh_schema import article_document


def _no_runs(_tokens, fold: bool = False) -> bool:
    """Reading plain words: the archive holds no run of them (each word stands alone)."""
    return False


WORDS = [
    "thủ",
    "tướng",
    "chính",
    "phủ",
    "họp",
    "bàn",
    "giá",
    "vàng",
    "an",
    "toàn",
    "giao",
    "thông",
    "hà",
    "nội",
    "bão",
    "lũ",
    "miền",
    "trung",
    "tai",
    "nạn",
    "xe",
    "máy",
    "kinh",
    "tế",
    "giáo",
    "dục",
    "trường",
    "học",
]


def _body(i: int) -> str:
    # Deterministic word salad: phrases occur whole, split, reversed or across a break.
    words = [WORDS[(i * 7 + k * (i % 5 + 1)) % len(WORDS)] for k in range(40 + i % 30)]
    if i % 3 == 0:
        words[5:9] = ["thủ", "tướng", "chính", "phủ"]
    if i % 4 == 1:
        words[12:16] = ["an", "toàn", "giao", "thông"]
    if i % 5 == 2:
        words[20:23] = ["quốc", "lộ.", "mười"]  # only ever across a break
    return " ".join(words) + "."


CORPUS = [
    Article(
        url=f"https://bao.example.vn/bai-{i}.html",
        title=f"Bản tin số {i} {WORDS[i % len(WORDS)]} {WORDS[(i * 3) % len(WORDS)]}",
        body=_body(i),
        source="bao.example.vn",
        published=datetime(2021, 1 + i % 12, 1 + i % 27, 8, 0),
    )
    for i in range(90)
]

PHRASES = [
    "thủ tướng chính phủ",
    "an toàn giao thông",
    "giá vàng an toàn",
    "tai nạn xe máy",
    "chính phủ họp bàn giá",
]
QUERIES = [
    "bão",
    "giáo dục",
    "tai nan giao thong",
    "bão OR lũ",
    "kinh tế -giáo",
    '"giá vàng"',
    '"thủ tướng chính phủ" họp',
    '"an toàn giao thông" -"hà nội"',
    'tieude:"bản tin"',
    "vàng tieude:tin",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("query-speed")
    rebuild_index(data_dir, CORPUS)  # then a second segment through add()
    engine = open_engine(data_dir)
    engine.add(
        [
            Article(
                url="https://bao.example.vn/them.html",
                title="Thêm một bài",
                body="Thủ tướng Chính phủ chỉ đạo về an toàn giao thông và giá vàng.",
                source="bao.example.vn",
            )
        ]
    )
    # Replacing articles without a merge leaves deleted documents in the first segment.
    ix = windex.open_dir(str(location.current_index_dir(data_dir)))
    writer = ix.writer()
    for i in (0, 3, 6):
        writer.update_document(**article_document(replace(CORPUS[i], body="Cập nhật.")))
    writer.commit(merge=False)
    ix.close()
    engine.warm_up(wait=True)
    engine.search(SearchQuery(text="khởi động"))  # follow the commits
    yield engine
    engine.close()


def _folded(text: str) -> list[str]:
    return [t.folded for t in tokenize(text)]


@pytest.mark.parametrize("text", PHRASES)
def test_pair_phrase_matches_like_whoosh_phrase_without_breaks(engine, text):
    searcher = engine._fresh_searcher()
    tokens = tokenize(text)
    query = phrase_query(tokens, None)
    assert isinstance(query, PairPhrase)
    ours = set(matching_docnums(searcher, query))
    theirs = set(matching_docnums(searcher, wq.Phrase("text_f", _folded(text))))
    assert ours <= theirs
    # No break splits these phrases in the corpus: the two agree.
    assert ours == theirs


def test_two_syllable_phrase_is_one_pair_term():
    assert phrase_query(tokenize("Hà Nội"), None) == wq.Term("pairs_f", "ha_noi")
    # Prefixed fields have no pair field: positions as before.
    assert isinstance(phrase_query(tokenize("Hà Nội"), "title"), wq.Phrase)


def test_phrase_only_found_across_a_break_falls_back_to_positions(engine):
    searcher = engine._fresh_searcher()
    # "quốc lộ. mười" stands only across a break in the corpus (no strict match anywhere):
    # matched by positions, as a pasted title with punctuation must be.
    query = phrase_query(tokenize("quốc lộ mười"), None)
    found = set(matching_docnums(searcher, query))
    assert len(found) == len([i for i in range(len(CORPUS)) if i % 5 == 2])
    assert found == set(matching_docnums(searcher, wq.Phrase("text_f", ["quoc", "lo", "muoi"])))


@pytest.mark.parametrize("text", QUERIES)
def test_rank_all_scores_every_match_as_whoosh_does(engine, text):
    searcher = engine._fresh_searcher()
    assert any(leaf.has_deletions() for leaf, _offset in searcher.reader().leaf_readers())
    query = build_query(build_plan(parse_query(text).root, _no_runs))
    scores = rank_all(searcher, query, {})
    collector = collectors.TopCollector(10_000, usequality=False, replace=0)
    searcher.search_with_collector(query, collector)
    whoosh = {hit.docnum: hit.score for hit in collector.results()}
    if isinstance(query, wq.AndNot):
        # Whoosh's AndNot keeps a negative document that precedes the first positive one:
        # ours drops every negative document, and only those.
        negative = set(matching_docnums(searcher, query.b))
        assert not set(scores) & negative
        assert set(whoosh) - set(scores) <= negative
    else:
        assert set(scores) == set(whoosh) == set(matching_docnums(searcher, query))
    for docnum, score in scores.items():
        assert score == pytest.approx(whoosh[docnum], rel=1e-9)
    best = top_of(scores, 5)
    assert [d for _, d in best] == sorted(scores, key=lambda d: (-scores[d], d))[:5]


@pytest.mark.parametrize("sort", ["relevance", "newest"])
@pytest.mark.parametrize("text", ["giáo dục", '"an toàn giao thông"', "bão OR lũ"])
def test_pages_from_one_ranking_continue_each_other(engine, sort, text):
    engine.clear_result_caches()
    pages = [
        engine.search(SearchQuery(text=text, page=p, per_page=4, sort=sort)) for p in (1, 2, 3, 4)
    ]
    urls = [h.url for page in pages for h in page.hits]
    assert len(urls) == len(set(urls))
    every = engine.search(SearchQuery(text=text, page=1, per_page=16, sort=sort))
    assert urls == [h.url for h in every.hits][: len(urls)]
    assert {p.total for p in pages} == {every.total}


def test_warm_up_builds_facets_and_vocabulary(engine):
    engine.warm_up(wait=True)
    assert engine._generation.get("forms")
    assert engine._lengths
    page = engine.search(SearchQuery(text="giá vàng", facets=True))
    assert page.facets["source"]
    engine.clear_result_caches()
    assert not engine._pages and not engine._ranked


def test_a_replaced_article_is_found_once_after_refresh(engine):
    page = engine.search(SearchQuery(text='"Bản tin số 3"', per_page=50))
    urls = [h.url for h in page.hits]
    assert urls.count("https://bao.example.vn/bai-3.html") == 1
