"""Engine-neutral behaviour, run against every engine, and Whoosh/tantivy agreement.

Each behaviour test is parametrized over every registered engine (one whose library is not
installed, such as tantivy, skips) and over ``tests/memory_engine.py``, a third engine built
only on the engine contract: every ``SearchEngine`` method is exercised, paging past the end
included. Expected values are computed from the small corpus below, not written by hand.
The agreement tests build both engines from the same corpus and compare what a user sees:
totals, result sets, first result, facets, suggestions and highlighted snippets.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)

from crawler.article import Article, Person
from indexer import (
    SearchQuery,
    location,
    open_engine,
    rebuild_index,
    update_index,
)
from indexer.engine_common import NOTHING_TO_MATCH

HAS_TANTIVY = importlib.util.find_spec("tantivy") is not None


SITE = "https://baotinh.example.vn"


def _article(slug: str, title: str, body: str, **extra) -> Article:
    extra.setdefault("source", "baotinh.example.vn")
    extra.setdefault("fetched_at", datetime(2024, 10, 1, 9, 0))
    return Article(url=f"{SITE}/{slug}.html", title=title, body=body, **extra)


CORPUS = [
    _article(
        "bao-so-3",
        "Bão số 3 đổ bộ vào miền Trung",
        "Cơn bão mạnh gây mưa lớn ở ven biển Hà Tĩnh.",
        category="Thời sự",
        published=datetime(2024, 9, 7, 10, 0),
    ),
    _article(
        "bao-tan",
        "Bão tan dần trên đất liền",
        "Sau khi bão đi qua, nông dân dọn dẹp.",
        category="Thời sự",
        published=datetime(2024, 9, 9, 8, 30),
    ),
    _article(
        "bao-chi",
        "Báo chí cách mạng tròn 95 năm",
        "Các tòa báo tổ chức kỷ niệm ngày báo chí.",
        category="Văn hóa",
        published=datetime(2020, 6, 21, 7, 0),
    ),
    _article(
        "nong-thon-moi",
        "Xây dựng nông thôn mới ở huyện miền núi",
        "Huyện đạt chuẩn nông thôn mới sau năm năm.",
        category="Kinh tế",
        source="baomoi.example.vn",
        published=datetime(2023, 12, 1, 9, 0),
    ),
    _article(
        "nong-dan-thon",
        "Hội nghị của nông dân các thôn",
        "Người làm nông nghiệp ở thôn Đông họp bàn về giống lúa.",
        category="Kinh tế",
        published=datetime(2023, 11, 15, 14, 0),
    ),
    _article(
        "ubnd",
        "Ủy ban nhân dân tỉnh Hà Tĩnh họp thường kỳ",
        "Chủ tịch Võ Trọng Hải chủ trì phiên họp; Phó Chủ tịch Lê Ngọc Châu dự.",
        category="Chính trị",
        people=[Person("Võ Trọng Hải"), Person("Lê Ngọc Châu")],
        published=datetime(2024, 2, 28, 9, 0),
    ),
    _article(
        "tiep-doan",
        "Tỉnh Hà Tĩnh tiếp đoàn công tác",
        "Ông Võ Trọng Hải đón đoàn tại trụ sở.",
        category="Chính trị",
        source="baomoi.example.vn",
        people=[Person("Võ Trọng Hải")],
        published=datetime(2024, 3, 2, 16, 0),
    ),
    _article(
        "hoa-binh",
        "Thủy điện Hoà Bình xả lũ",
        "Nhà máy thuỷ điện mở cửa xả đáy.",
        category="Thời sự",
        published=datetime(2022, 7, 1, 6, 0),
    ),
    _article(
        "covid",
        "Tiêm vắc xin phòng Covid-19 cho trẻ em",
        "Hà Tĩnh tiêm mũi 3 vắc xin SARS-CoV-2 cho trẻ.",
        category="Sức khỏe",
        published=datetime(2022, 4, 2, 8, 0),
    ),
]
AGREEMENT_QUERIES = [
    "bão",
    "bao",
    "báo chí",
    "nong thon",
    '"nông thôn"',
    "Hà Tĩnh",
    "ha tinh",
    "bão OR báo",
    "bao -chí",
    "tieude:bão",
    'nguoi:"Võ Trọng Hải"',
    "thủy điện",
    # Long runs: the title boost stops and the boosts are capped (indexer.whoosh_query).
    "Ủy ban nhân dân tỉnh Hà Tĩnh họp thường kỳ",
    "uy ban nhan dan tinh ha tinh hop thuong ky",
    "bão số 3 đổ bộ vào miền Trung",
    "covid",
    '"covid-19"',
    # The matching contract: mixed diacritics, names, loosened readings, punctuation.
    "Hà tinh",
    "nông thôn moi",
    "Võ Trọng",
    "Hà Tĩnh, bão",
    'tieude:"Hà Tĩnh"',
]


@pytest.mark.parametrize("text", ["Hà Tĩnh", "nông thôn", "ha tinh bão", "Võ Trọng Hải"])
@pytest.mark.parametrize("loose", [{"group_words": False}, {"exact_accents": False}])
def test_engines_agree_on_the_loosened_readings(both, text, loose):
    sets = {
        name: {h.url for h in e.search(SearchQuery(text=text, per_page=100, **loose)).hits}
        for name, e in both.items()
    }
    assert sets["whoosh"] == sets["tantivy"]


def slug(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".html")


def _build(tmp_path_factory, engine: str, name: str):
    data_dir = tmp_path_factory.mktemp(f"{name}-{engine}")
    rebuild_index(data_dir, CORPUS, engine=engine)
    return data_dir


@pytest.fixture(scope="module", params=ENGINES)
def built(request, tmp_path_factory):
    data_dir = _build(tmp_path_factory, request.param, "parity")
    engine = open_engine(data_dir)
    yield request.param, data_dir, engine
    engine.close()


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    if not HAS_TANTIVY:
        pytest.skip("tantivy (optional engine) is not installed: pip install tantivy")
    yield from _opened_engines(tmp_path_factory, ("whoosh", "tantivy"), "both")


def _opened_engines(tmp_path_factory, names: tuple[str, ...], label: str):
    engines = {e: open_engine(_build(tmp_path_factory, e, label)) for e in names}
    yield engines
    for engine in engines.values():
        engine.close()


def everything(engine, **kwargs) -> list:
    page = engine.search(SearchQuery(text=kwargs.pop("text", ""), per_page=100, **kwargs))
    return page.hits


# -- behaviour every engine must have ------------------------------------------------------
def test_index_meta_names_the_engine(built):
    name, data_dir, engine = built
    assert location.read_meta(location.current_index_dir(data_dir))["engine"] == name
    assert engine.stats().documents == len(CORPUS)


def test_facets_count_the_whole_result_set(built):
    _, _, engine = built
    page = engine.search(SearchQuery(text="", facets=True))
    got = {name: {f.value: f.count for f in counts} for name, counts in page.facets.items()}
    assert got["source"] == Counter(a.source for a in CORPUS)
    assert got["category"] == Counter(a.category for a in CORPUS)
    assert got["month"] == Counter(a.published.strftime("%Y-%m") for a in CORPUS)
    assert got["person"] == Counter(n for a in CORPUS for n in a.person_names)
    months = [f.value for f in page.facets["month"]]
    assert months == sorted(months)


def test_date_filter_is_inclusive_by_day(built):
    _, _, engine = built
    start, end = date(2024, 2, 28), date(2024, 9, 7)
    expected = {slug(a.url) for a in CORPUS if start <= a.published.date() <= end}
    assert {slug(h.url) for h in everything(engine, date_from=start, date_to=end)} == expected


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sorting_by_date(built, sort):
    _, _, engine = built
    expected = sorted(CORPUS, key=lambda a: a.published, reverse=sort == "newest")
    assert [h.url for h in everything(engine, sort=sort)] == [a.url for a in expected]


def test_pages_partition_the_results(built):
    _, _, engine = built
    full = engine.search(SearchQuery(text="", per_page=100, sort="oldest"))
    paged = []
    for page_no in range(1, 4):
        page = engine.search(SearchQuery(text="", page=page_no, per_page=3, sort="oldest"))
        assert page.total == full.total
        paged += [h.url for h in page.hits]
    assert paged == [h.url for h in full.hits]


@pytest.mark.parametrize("text", ["", "bao"])
@pytest.mark.parametrize("sort", ["relevance", "oldest"])
def test_relevance_and_date_pages_partition_the_results_too(built, text, sort):
    _, _, engine = built
    full = engine.search(SearchQuery(text=text, per_page=100, sort=sort))
    pages = [
        engine.search(SearchQuery(text=text, page=p, per_page=2, sort=sort))
        for p in (1, 2, 3, 4, 5)
    ]
    assert [h.url for page in pages for h in page.hits] == [h.url for h in full.hits]
    assert {page.total for page in pages} == {full.total}


@pytest.mark.parametrize("text", ["", "bão", "bao"])
def test_a_page_past_the_end_is_empty_with_the_true_total(built, text):
    _, _, engine = built
    total = engine.search(SearchQuery(text=text, per_page=100)).total
    assert total > 0
    beyond = engine.search(SearchQuery(text=text, page=total + 1, per_page=1, facets=True))
    assert beyond.hits == [] and beyond.total == total
    assert sum(f.count for f in beyond.facets["source"]) == total
    last = engine.search(SearchQuery(text=text, page=total, per_page=1))
    assert len(last.hits) == 1


@pytest.mark.parametrize(
    "text", ["", "bao", "Hà Tĩnh", "nông thôn moi", "bão OR báo", "-bão", 'nguoi:"Võ Trọng Hải"']
)
def test_count_is_the_search_total_whatever_the_page_sort_and_facets(built, text):
    _, _, engine = built
    query = SearchQuery(text=text, per_page=100)
    total = engine.search(query).total
    assert engine.count(query) == total
    assert engine.count(replace(query, page=3, per_page=1, sort="newest", facets=True)) == total


def test_a_query_with_nothing_positive_finds_nothing(built):
    _, _, engine = built
    page = engine.search(SearchQuery(text="-bão"))
    assert page.total == 0 and page.hits == [] and page.reading.nothing_to_match
    assert NOTHING_TO_MATCH in page.warnings


def test_loosened_readings_are_offered_with_their_counts(built):
    _, _, engine = built
    query = SearchQuery(text="Hà Tĩnh nông thôn", loosen_counts=True)
    page = engine.search(query)
    offered = {x.kind: x.total for x in page.reading.loosen}
    assert offered == {
        "words": engine.count(replace(query, group_words=False)),
        "accents": engine.count(replace(query, exact_accents=False)),
    }
    uncounted = engine.search(replace(query, loosen_counts=False)).reading.loosen
    assert {x.kind: x.total for x in uncounted} == {"words": None, "accents": None}


def test_suggestion_total_is_a_count_only_when_counts_are_asked(built):
    _, _, engine = built
    counted = engine.search(SearchQuery(text="ha tinh", loosen_counts=True))
    assert counted.suggestion == "hà tĩnh"
    assert counted.suggestion_total == engine.count(SearchQuery(text="hà tĩnh")) > 0
    assert engine.search(SearchQuery(text="ha tinh")).suggestion_total is None


def test_a_misspelt_query_finding_nothing_is_offered_a_spelling_the_archive_holds(built):
    _, _, engine = built
    page = engine.search(SearchQuery(text="Hà Tĩnhh"))
    assert page.total == 0
    assert page.suggestion == "Hà Tĩnh"


def test_person_stats_resolve_a_name_typed_without_diacritics(built):
    _, _, engine = built
    stats = engine.person_stats("vo trong hai")
    assert (stats.name, stats.asked, stats.total) == ("Võ Trọng Hải", "vo trong hai", 2)
    assert [f.value for f in stats.candidates] == ["Võ Trọng Hải"]
    unknown = engine.person_stats("Không Ai Cả")
    assert unknown.total == 0 and unknown.months == () and unknown.co_mentioned == ()


def test_filters_by_source_category_and_person(built):
    _, _, engine = built
    hits = everything(engine, sources=("baomoi.example.vn",), people=("Võ Trọng Hải",))
    expected = {
        slug(a.url)
        for a in CORPUS
        if a.source == "baomoi.example.vn" and "Võ Trọng Hải" in a.person_names
    }
    assert {slug(h.url) for h in hits} == expected
    assert {h.category for h in everything(engine, categories=("Kinh tế",))} == {"Kinh tế"}


@pytest.mark.parametrize("text", ["covid", "Covid-19", '"covid 19"', "sars cov 2", "SARS-CoV-2"])
def test_hyphenated_names_with_digits_are_found_by_their_parts(built, text):
    _, _, engine = built
    assert [slug(h.url) for h in everything(engine, text=text)] == ["covid"]


def test_highlights_come_from_the_stored_text(built):
    _, _, engine = built
    hit = engine.search(SearchQuery(text="nong thon")).hits[0]
    assert slug(hit.url) == "nong-thon-moi"
    assert "<mark>nông</mark> <mark>thôn</mark>" in hit.snippet
    assert "<mark>nông</mark> <mark>thôn</mark>" in hit.title_html


def test_suggestion_restores_diacritics(built):
    _, _, engine = built
    assert engine.search(SearchQuery(text="ha tinh")).suggestion == "hà tĩnh"
    assert engine.search(SearchQuery(text="Hà Tĩnh")).suggestion is None


def test_get_iter_results_related_and_person_stats(built):
    _, _, engine = built
    assert engine.get(CORPUS[0].url) == CORPUS[0]
    assert engine.get(f"{SITE}/khong-co.html") is None
    query = SearchQuery(text="bao", sort="newest")
    exported = list(engine.iter_results(query))
    assert [h.url for h in exported] == [
        h.url for h in everything(engine, text="bao", sort="newest")
    ]
    assert all(h.snippet == "" for h in exported)
    related = engine.more_like_this(CORPUS[0].url, 3)
    assert related and CORPUS[0].url not in {h.url for h in related}
    stats = engine.person_stats("Võ Trọng Hải")
    assert stats.total == 2
    assert [f.value for f in stats.co_mentioned] == ["Lê Ngọc Châu"]
    assert [(f.value, f.count) for f in stats.months] == [("2024-02", 1), ("2024-03", 1)]


def test_hits_carry_provenance(built):
    _, _, engine = built
    by_url = {a.url: a for a in CORPUS}
    hits = everything(engine, text="bão") + list(engine.iter_results(SearchQuery(text="bão")))
    assert hits
    for hit in hits:
        assert hit.content_hash == by_url[hit.url].content_hash
        assert hit.fetched_at == by_url[hit.url].fetched_at is not None


def test_a_pasted_text_over_the_limit_is_cut_and_finds_its_article(built):
    from indexer.api import MAX_QUERY_CHARS, cut_query_text

    _, _, engine = built
    article = CORPUS[3]
    text, warning = cut_query_text(" ".join([article.title, article.body] * 12))
    assert warning and len(text) <= MAX_QUERY_CHARS
    assert [h.url for h in everything(engine, text=text)][:1] == [article.url]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_readding_a_url_replaces_it(tmp_path, engine_name):
    rebuild_index(tmp_path, CORPUS, engine=engine_name)
    edited = CORPUS[0].with_changes(body="Tin sửa: hồ chứa Kẻ Gỗ xả tràn.")
    update_index(tmp_path, [edited, CORPUS[1]])
    engine = open_engine(tmp_path)
    try:
        assert engine.stats().documents == len(CORPUS)
        assert [h.url for h in everything(engine, text="Kẻ Gỗ")] == [edited.url]
        assert everything(engine, text="ven biển") == []
        assert engine.get(edited.url).body == edited.body
    finally:
        engine.close()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_add_through_the_engine_is_searchable_and_counted(tmp_path, engine_name, monkeypatch):
    monkeypatch.setattr("indexer.engine_base.REFRESH_EVERY_S", 0.0)
    with opened(tmp_path, CORPUS[:4], engine_name) as engine:
        before = engine.stats()
        added = _article("moi", "Tin mới về lúa gạo", "Giá lúa gạo tăng.")
        assert engine.add([added, CORPUS[0]]) == 2
        assert engine.stats().documents == before.documents + 1
        assert engine.stats().generation != before.generation
        assert [slug(h.url) for h in everything(engine, text="lúa gạo")] == ["moi"]
        assert engine.get(added.url) == added


@contextmanager
def opened(data_dir, articles, engine_name: str):
    """An engine over a new index of ``articles``, closed after use."""
    rebuild_index(data_dir, articles, engine=engine_name)
    engine = open_engine(data_dir)
    try:
        yield engine
    finally:
        engine.close()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_engine_follows_a_rebuild_and_switch(tmp_path, engine_name, monkeypatch):
    monkeypatch.setattr("indexer.engine_base.REFRESH_EVERY_S", 0.0)
    rebuild_index(tmp_path, CORPUS[:3], engine=engine_name)
    engine = open_engine(tmp_path)
    try:
        assert engine.stats().documents == 3
        before = engine.stats().generation
        rebuild_index(tmp_path, CORPUS, engine=engine_name)
        assert engine.stats().documents == len(CORPUS)
        assert engine.stats().generation != before
        update_index(tmp_path, [_article("moi", "Tin mới về lúa gạo", "Giá lúa gạo tăng.")])
        assert [slug(h.url) for h in everything(engine, text="lúa gạo")] == ["moi"]
    finally:
        engine.close()


# -- Whoosh and tantivy agree ----------------------------------------------------------------
@pytest.mark.parametrize("text", AGREEMENT_QUERIES)
def test_engines_return_the_same_results(both, text):
    pages = {name: e.search(SearchQuery(text=text, per_page=50)) for name, e in both.items()}
    whoosh, tantivy = pages["whoosh"], pages["tantivy"]
    assert whoosh.total == tantivy.total > 0
    assert {h.url for h in whoosh.hits} == {h.url for h in tantivy.hits}
    assert whoosh.hits[0].url == tantivy.hits[0].url
    assert whoosh.hits[0].snippet == tantivy.hits[0].snippet
    assert whoosh.suggestion == tantivy.suggestion
    assert whoosh.warnings == tantivy.warnings


@pytest.mark.parametrize("text", ["bão", "Hà Tĩnh", ""])
def test_engines_count_the_same_facets(both, text):
    pages = {n: e.search(SearchQuery(text=text, facets=True)) for n, e in both.items()}
    assert pages["whoosh"].facets == pages["tantivy"].facets


@pytest.mark.parametrize("text", ["ha tinh", "Thanh Hóaa", "bão"])
def test_engines_suggest_alike_with_and_without_counts(both, text):
    for counted in (False, True):
        pages = {
            name: e.search(SearchQuery(text=text, loosen_counts=counted))
            for name, e in both.items()
        }
        whoosh, tantivy = pages["whoosh"], pages["tantivy"]
        assert (whoosh.suggestion, whoosh.suggestion_total) == (
            tantivy.suggestion,
            tantivy.suggestion_total,
        )
        if not counted:
            assert whoosh.suggestion_total is None


# -- a third engine compiling the same plan matches the same articles ------------------------
@pytest.fixture(scope="module")
def whoosh_and_memory(tmp_path_factory):
    yield from _opened_engines(tmp_path_factory, ("whoosh", "memory"), "third")


@pytest.mark.parametrize("text", [*AGREEMENT_QUERIES, "Hà Tĩnhh", "-bão", ""])
@pytest.mark.parametrize("loose", [{}, {"group_words": False}, {"exact_accents": False}])
def test_the_memory_engine_matches_what_whoosh_matches(whoosh_and_memory, text, loose):
    pages = {
        name: e.search(SearchQuery(text=text, per_page=100, **loose))
        for name, e in whoosh_and_memory.items()
    }
    whoosh, memory = pages["whoosh"], pages["memory"]
    assert whoosh.total == memory.total
    assert {h.url for h in whoosh.hits} == {h.url for h in memory.hits}
    assert (whoosh.suggestion, whoosh.warnings) == (memory.suggestion, memory.warnings)
    assert whoosh.reading == memory.reading
