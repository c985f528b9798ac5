"""Search by place across the 2025 reorganisation, on both engines (issue 17, search side).

The corpus is built by hand on the Article contract (``Article.places``): each article names
units of the register valid at its date, with the units of the other register they were
merged into or from. Codes and mergers are made up for the test (not the official register):
what matters is the shapes the contract allows — a province merged into another (Quảng Bình
and the old Quảng Trị → the 2025 Quảng Trị, which repeats the code of the old Quảng Bình),
two communes merged into a new ward, two different "xã Tân Lập", a name that differs from
another by its diacritics only, and a mention left unresolved.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)

from crawler.article import Article, Person, Place, PlaceRef
from indexer import QueryError, SearchQuery, open_engine, rebuild_index
from indexer.querylang import parse_query, unparse

HAS_TANTIVY = importlib.util.find_spec("tantivy") is not None

OLD_QB = PlaceRef("Quảng Bình", "tỉnh", "44", "Quảng Bình", "pre-2025")
OLD_QT = PlaceRef("Quảng Trị", "tỉnh", "45", "Quảng Trị", "pre-2025")
NEW_QT = PlaceRef("Quảng Trị", "tỉnh", "44", "Quảng Trị", "2025")  # code 44, as old Quảng Bình
OLD_HT = PlaceRef("Hà Tĩnh", "tỉnh", "42", "Hà Tĩnh", "pre-2025")
NEW_HT = PlaceRef("Hà Tĩnh", "tỉnh", "42", "Hà Tĩnh", "2025")
CAM_BINH = PlaceRef("Cẩm Bình", "xã", "18385", "Hà Tĩnh", "pre-2025")
CAM_VINH = PlaceRef("Cẩm Vịnh", "xã", "18388", "Hà Tĩnh", "pre-2025")
CAM_BINH_2 = PlaceRef("Cầm Bình", "xã", "18901", "Hà Tĩnh", "pre-2025")  # other diacritics
THANH_SEN = PlaceRef("Thành Sen", "phường", "18400", "Hà Tĩnh", "2025")
TAN_LAP_PT = PlaceRef("Tân Lập", "xã", "07912", "Phú Thọ", "pre-2025")
TAN_LAP_DL = PlaceRef("Tân Lập", "xã", "24121", "Đắk Lắk", "pre-2025")


def _article(slug: str, title: str, when: datetime, places: list[Place], **extra) -> Article:
    return Article(
        url=f"https://baotinh.example.vn/{slug}.html",
        title=title,
        body=f"{title}. Tin của phóng viên thường trú.",
        source="baotinh.example.vn",
        published=when,
        places=places,
        **extra,
    )


CORPUS = [
    _article(
        "lu-quang-binh",
        "Lũ lớn ở tỉnh Quảng Bình",
        datetime(2024, 9, 10, 8, 0),
        [Place("tỉnh Quảng Bình", OLD_QB, 10, (NEW_QT,))],
        people=[Person("Trần Thắng", "Chủ tịch UBND tỉnh")],
    ),
    _article(
        "quang-tri-cu",
        "Quảng Trị khánh thành cầu mới",
        datetime(2024, 10, 2, 8, 0),
        [Place("Quảng Trị", OLD_QT, 0, (NEW_QT,))],
    ),
    _article(
        "quang-tri-moi",
        "Tỉnh Quảng Trị mới họp phiên đầu tiên",
        datetime(2025, 8, 15, 8, 0),  # after 1 July 2025: the 2025 unit
        [Place("Tỉnh Quảng Trị", NEW_QT, 0, (OLD_QB, OLD_QT))],
        people=[Person("Trần Thắng", "Chủ tịch UBND tỉnh")],
    ),
    _article(
        "cam-binh",
        "Xã Cẩm Bình về đích nông thôn mới",
        datetime(2024, 11, 20, 8, 0),
        [
            Place("xã Cẩm Bình", CAM_BINH, 0, (THANH_SEN,)),
            Place("tỉnh Hà Tĩnh", OLD_HT, 30, (NEW_HT,)),
        ],
        people=[Person("Võ Trọng Hải", "Chủ tịch UBND tỉnh")],
    ),
    _article(
        "cam-vinh",
        "Cẩm Vịnh làm đường giao thông",
        datetime(2024, 12, 5, 8, 0),
        [Place("xã Cẩm Vịnh", CAM_VINH, 0, (THANH_SEN,))],
    ),
    _article(
        "thanh-sen",
        "Phường Thành Sen ra mắt",
        datetime(2025, 7, 2, 8, 0),
        [
            Place("phường Thành Sen", THANH_SEN, 0, (CAM_BINH, CAM_VINH)),
            Place("tỉnh Hà Tĩnh", NEW_HT, 40, (OLD_HT,)),
        ],
        people=[Person("Võ Trọng Hải", "Chủ tịch UBND tỉnh")],
    ),
    _article(
        "cam-binh-khac",
        "Xã Cầm Bình trồng rừng",
        datetime(2024, 6, 1, 8, 0),
        [Place("xã Cầm Bình", CAM_BINH_2, 0)],
    ),
    _article(
        "tan-lap-phu-tho",
        "Xã Tân Lập làm lúa",
        datetime(2024, 5, 1, 8, 0),
        [Place("xã Tân Lập", TAN_LAP_PT, 0)],
    ),
    _article(
        "tan-lap-dak-lak",
        "Xã Tân Lập trồng cà phê",
        datetime(2024, 5, 2, 8, 0),
        [Place("xã Tân Lập", TAN_LAP_DL, 0)],
    ),
    _article(
        "tan-lap-khong-ro",
        "Một xã Tân Lập không rõ tỉnh",
        datetime(2024, 5, 3, 8, 0),
        [Place("xã Tân Lập", None, 0)],  # unresolved: kept as text, never guessed
    ),
    _article("khong-dia-danh", "Giá lúa tăng", datetime(2024, 5, 4, 8, 0), []),
]


def _slugs(page) -> set[str]:
    return {h.url.rsplit("/", 1)[1].removesuffix(".html") for h in page.hits}


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"places-{request.param}")
    rebuild_index(data_dir, CORPUS, engine=request.param)
    found = open_engine(data_dir)
    yield found
    found.close()


def _search(engine, text: str = "", **options):
    return engine.search(SearchQuery(text=text, per_page=50, **options))


# -- the 2025 reorganisation -----------------------------------------------------------------
def test_province_merged_into_another_found_with_history_only(engine):
    without = _search(engine, "noi:2025:44")
    assert _slugs(without) == {"quang-tri-moi"}
    with_history = _search(engine, "noi:2025:44", history=True)
    assert _slugs(with_history) == {"quang-tri-moi", "lu-quang-binh", "quang-tri-cu"}
    assert _slugs(_search(engine, "noi:2025:44 +lịch sử")) == _slugs(with_history)


def test_old_name_reaches_the_new_unit_with_history(engine):
    assert _slugs(_search(engine, 'noi:"tỉnh Quảng Bình"')) == {"lu-quang-binh"}
    found = _search(engine, 'noi:"tỉnh Quảng Bình" +lichsu')
    assert _slugs(found) == {"lu-quang-binh", "quang-tri-moi"}
    unit = found.reading.units[0]
    assert [(r.ref.key, bool(r.via)) for r in unit.places] == [
        ("pre-2025:44", False),
        ("2025:44", True),
    ]


def test_commune_merged_into_a_new_ward_found_both_ways_with_history(engine):
    assert _slugs(_search(engine, 'noi:"xã Cẩm Bình"')) == {"cam-binh"}
    assert _slugs(_search(engine, 'noi:"phường Thành Sen"')) == {"thanh-sen"}
    old_to_new = _search(engine, 'noi:"xã Cẩm Bình"', history=True)
    assert _slugs(old_to_new) == {"cam-binh", "thanh-sen"}
    new_to_old = _search(engine, 'noi:"phường Thành Sen"', history=True)
    assert _slugs(new_to_old) == {"thanh-sen", "cam-binh", "cam-vinh"}
    listed = {r.ref.name for r in new_to_old.reading.units[0].places if r.via}
    assert listed == {"Cẩm Bình", "Cẩm Vịnh"}


def test_article_after_1_july_2025_is_found_under_the_new_unit(engine):
    found = _search(engine, "", places=("2025:42",))
    assert _slugs(found) == {"thanh-sen"}
    assert all(h.published >= datetime(2025, 7, 1, tzinfo=h.published.tzinfo) for h in found.hits)
    assert _slugs(_search(engine, "", places=("pre-2025:42",))) == {"cam-binh"}


# -- names, types, diacritics, codes ----------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"xã Cẩm Bình"', {"cam-binh"}),
        ('"Cẩm Bình"', {"cam-binh"}),  # without the type word
        ('"xa cam binh"', {"cam-binh", "cam-binh-khac"}),  # without diacritics: every form
        ('"cam binh"', {"cam-binh", "cam-binh-khac"}),
        ('"Cầm Bình"', {"cam-binh-khac"}),  # diacritics typed are meant
        ('"phường Cẩm Bình"', set()),  # a type that does not fit
        ("18385", {"cam-binh"}),  # a code
        ("pre-2025:18385", {"cam-binh"}),  # a key
    ],
)
def test_place_names_follow_the_matching_contract(engine, typed, expected):
    assert _slugs(_search(engine, f"noi:{typed}")) == expected


def test_ignoring_diacritics_loosens_place_names_too(engine):
    typed = _search(engine, 'noi:"Cẩm Bình"', loosen_counts=True)
    assert [(x.kind, x.total) for x in typed.reading.loosen] == [("accents", 2)]
    loose = _search(engine, 'noi:"Cẩm Bình"', exact_accents=False)
    assert _slugs(loose) == {"cam-binh", "cam-binh-khac"}


def test_ambiguous_name_matches_every_unit_and_says_which(engine):
    found = _search(engine, 'noi:"xã Tân Lập"')
    assert _slugs(found) == {"tan-lap-phu-tho", "tan-lap-dak-lak"}  # not the unresolved one
    unit = found.reading.units[0]
    assert unit.field == "place"
    assert {(r.ref.province, r.ref.register) for r in unit.places} == {
        ("Phú Thọ", "pre-2025"),
        ("Đắk Lắk", "pre-2025"),
    }
    as_json = found.to_dict()["understood_as"]["units"][0]["places"]
    assert {p["province"] for p in as_json} == {"Phú Thọ", "Đắk Lắk"}
    assert all(set(p) >= {"name", "type", "code", "province", "register"} for p in as_json)


def test_a_code_repeated_across_registers_matches_both_units(engine):
    found = _search(engine, "noi:44")
    assert _slugs(found) == {"lu-quang-binh", "quang-tri-moi"}
    assert {r.ref.key for r in found.reading.units[0].places} == {"pre-2025:44", "2025:44"}


def test_unknown_place_matches_nothing_and_says_so(engine):
    found = _search(engine, "noi:Atlantis")
    assert found.total == 0
    assert any("Atlantis" in w for w in found.warnings)
    assert found.reading.units[0].places == ()


def test_place_combines_with_words_dates_and_exclusions(engine):
    assert _slugs(_search(engine, 'nông thôn noi:"Hà Tĩnh"')) == {"cam-binh"}
    assert _slugs(_search(engine, 'noi:"Tân Lập" -noi:24121')) == {"tan-lap-phu-tho"}
    dated = _search(engine, "noi:44 ngay:2025", history=True)
    assert _slugs(dated) == {"quang-tri-moi"}


def test_places_only_query_lists_newest_first(engine):
    found = _search(engine, 'noi:"Quảng Trị"', history=True)
    dates = [h.published for h in found.hits]
    assert dates == sorted(dates, reverse=True) and found.query.sort == "newest"


# -- facets, results, stats -------------------------------------------------------------------
def test_province_facet_counts_are_matching_articles(engine):
    found = _search(engine, "Tin", facets=True)
    expected = Counter()
    for article in CORPUS:
        provinces = set()
        for place in article.places:
            if place.unit is not None:
                provinces.add(f"{place.unit.register}|{place.unit.province}")
        expected.update(provinces)
    assert {f.value: f.count for f in found.facets["province"]} == dict(expected)
    for facet in found.facets["province"]:
        assert _search(engine, "Tin", provinces=(facet.value,)).total == facet.count


def test_units_of_a_chosen_province_are_listed_with_their_counts(engine):
    found = _search(engine, "Tin", facets=True, provinces=("pre-2025|Hà Tĩnh",))
    units = {f.value: f.count for f in found.facets["place"]}
    assert units == {"pre-2025:18385": 1, "pre-2025:18388": 1, "pre-2025:18901": 1}
    assert "xã Cẩm Bình" in next(f.label for f in found.facets["place"] if f.value.endswith("385"))
    assert _search(engine, "Tin", facets=True).facets["place"] == []  # no province chosen


def test_results_carry_each_unit_once(engine):
    hit = _search(engine, "", places=("phường Thành Sen",)).hits[0]
    assert [p.key for p in hit.places] == ["2025:18400", "2025:42"]
    assert hit.to_dict()["places"][0] == {
        "name": "Thành Sen",
        "type": "phường",
        "code": "18400",
        "province": "Hà Tĩnh",
        "register": "2025",
    }


def test_place_stats_names_over_time_months_and_people(engine):
    stats = engine.place_stats("2025:18400")
    assert stats.total == 1 and stats.unit.name == "Thành Sen"
    assert [(r.ref.key, r.count) for r in stats.related] == [
        ("pre-2025:18385", 1),
        ("pre-2025:18388", 1),
    ]
    with_history = engine.place_stats("2025:18400", history=True)
    assert with_history.total == 3
    assert [m.value for m in with_history.months] == ["2024-11", "2024-12", "2025-07"]
    assert [(f.value, f.count) for f in with_history.co_mentioned] == [("Võ Trọng Hải", 2)]
    assert engine.place_stats("2025:99999") is None


def test_person_stats_list_the_places_named_with_the_person(engine):
    stats = engine.person_stats("Trần Thắng")
    assert {(p.ref.key, p.count) for p in stats.places} == {("pre-2025:44", 1), ("2025:44", 1)}


def test_bad_place_values_are_refused():
    with pytest.raises(QueryError):
        SearchQuery(places=("",))
    with pytest.raises(QueryError):
        SearchQuery(places=("1990:12",))
    with pytest.raises(QueryError):
        SearchQuery(places=("x" * 101,))
    with pytest.raises(QueryError):
        SearchQuery(provinces=("Quảng Trị",))


# -- the query language -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ['noi:"xã Cẩm Bình"', "noi:44 +lichsu", 'noi:"Tân Lập" -noi:24121 bão', "noi:2025:44"],
)
def test_place_queries_round_trip(text):
    parsed = parse_query(text)
    assert parse_query(unparse(parsed)) == parsed


@pytest.mark.parametrize("flag", ["+lịch sử", "+lich su", "+lichsu", "+LỊCH SỬ"])
def test_history_flag_spellings(flag):
    parsed = parse_query(f"noi:44 {flag}")
    assert parsed.history and parsed.terms() == []


def test_plus_words_that_are_not_the_flag_stay_words():
    parsed = parse_query("+lịch sửa")
    assert not parsed.history and parsed.terms() == ["lịch", "sửa"]


# -- both engines agree -----------------------------------------------------------------------
PARITY_QUERIES = [
    ('noi:"Quảng Trị"', False),
    ('noi:"Quảng Trị"', True),
    ("noi:cam binh", False),
    ('noi:"Tân Lập" Tin', False),
    ("Tin noi:44", True),
    ("Tin", False),
]


@pytest.mark.skipif(not HAS_TANTIVY, reason="tantivy (optional engine) not installed")
def test_engines_agree_on_place_searches(tmp_path):
    engines = {}
    for name in ("whoosh", "tantivy"):
        rebuild_index(tmp_path / name, CORPUS, engine=name)
        engines[name] = open_engine(tmp_path / name)
    for text, history in PARITY_QUERIES:
        pages = [
            e.search(SearchQuery(text=text, history=history, facets=True, per_page=50))
            for e in engines.values()
        ]
        w, t = pages
        # Places-only queries list newest first: the same order; with words, the bodies
        # here are alike (scores tie), so the same set.
        assert _slugs(w) == _slugs(t), text
        if w.query.sort == "newest":
            assert [h.url for h in w.hits] == [h.url for h in t.hits], text
        assert w.total == t.total and w.facets == t.facets, text
        assert w.reading == t.reading and w.warnings == t.warnings, text
    stats = [e.place_stats("2025:44", history=True) for e in engines.values()]
    assert stats[0] == stats[1]
    for e in engines.values():
        e.close()


def test_the_command_line_names_the_units_a_place_was_read_as(tmp_path_factory, capsys):
    from tracuu.cli import main

    data_dir = tmp_path_factory.mktemp("cli-places")
    rebuild_index(data_dir, CORPUS)
    assert main(["search", 'noi:"Quảng Bình" +lịch sử', "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert "[Quảng Bình] = tỉnh Quảng Bình (trước 1/7/2025)" in err
    assert "gồm cả tên cũ/mới: tỉnh Quảng Trị (từ 1/7/2025)" in err
    assert out.startswith("2 kết quả")  # the old Quảng Bình and the new Quảng Trị
