"""Place mentions highlighted in snippets and titles when a query asks for places (issue 17).

A ``noi:`` condition matches by units, not words: the mention of the unit in the article's
text is what is marked, on every engine, and nothing is marked for a place the query excludes.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)
from test_place_search import CAM_BINH, CORPUS, NEW_HT, OLD_HT, THANH_SEN

from crawler.article import Article, Place, PlaceRef
from indexer import SearchQuery, open_engine, rebuild_index
from indexer.highlight import mark_text, snippet
from indexer.place_marks import PLACE_KEY_PREFIX, place_matches

HT_CITY = PlaceRef("Hà Tĩnh", "thành phố", "436", "Hà Tĩnh", "pre-2025")
FILLER = "Người dân trong vùng tiếp tục sản xuất và chăm lo đời sống. " * 30

LONG = Article(
    url="https://baotinh.example.vn/dai.html",
    title="Nông thôn mới ở Cẩm Bình",
    sapo="Bài dài.",
    body=f"{FILLER}Ngày hội ở xã Cẩm Bình, tỉnh Hà Tĩnh thu hút người dân. {FILLER}"
    "Sau đó xã Cẩm Bình còn đón đoàn khách từ thành phố Hà Tĩnh.",
    source="baotinh.example.vn",
    published=datetime(2024, 11, 21, 8, 0),
    places=[
        Place("xã Cẩm Bình", CAM_BINH, len(FILLER) + 11, (THANH_SEN,)),
        Place("Hà Tĩnh", OLD_HT, len(FILLER) + 29, (NEW_HT,)),
        Place("thành phố Hà Tĩnh", HT_CITY, -1),
    ],
)


def _marked(html: str) -> list[str]:
    return [part.split("</mark>")[0] for part in html.split("<mark>")[1:]]


# -- locating mentions -------------------------------------------------------------------------
def test_every_occurrence_of_a_wanted_mention_is_found_token_by_token():
    text = f"{LONG.sapo}\n{LONG.body}"
    found = place_matches(text, LONG.places, frozenset({CAM_BINH.key}))
    assert [text[s:e] for s, e, _ in found] == ["xã", "Cẩm", "Bình"] * 2
    assert {key for _, _, key in found} == {PLACE_KEY_PREFIX + CAM_BINH.key}
    assert text.index("xã Cẩm Bình") == found[0][0]


def test_a_mention_after_another_units_type_word_is_not_that_unit():
    text = LONG.body
    found = place_matches(text, LONG.places, frozenset({OLD_HT.key}))
    # "tỉnh Hà Tĩnh" is the province; "thành phố Hà Tĩnh" (a district-level city) is not.
    assert [s for s, _, _ in found] == [text.index("Hà Tĩnh thu"), text.index("Tĩnh thu")]


def test_nothing_wanted_or_nothing_named_finds_nothing():
    assert place_matches(LONG.body, LONG.places, frozenset()) == []
    assert place_matches(LONG.body, LONG.places, frozenset({"2025:99"})) == []
    assert place_matches("xã Cẩm Bình", [], frozenset({CAM_BINH.key})) == []


def test_a_text_naming_two_units_alike_marks_neither():
    places = [Place("xã Tân Lập", PlaceRef("Tân Lập", "xã", "1", "A", "2025"), 0),
              Place("xã Tân Lập", PlaceRef("Tân Lập", "xã", "2", "B", "2025"), 20)]  # fmt: skip
    assert place_matches("xã Tân Lập và xã Tân Lập", places, frozenset({"2025:1"})) == []


def test_snippet_window_goes_to_the_place_and_marks_it_with_the_words():
    text = f"{LONG.sapo}\n{LONG.body}"
    places = place_matches(text, LONG.places, frozenset({CAM_BINH.key}))
    html = snippet(text, frozenset({"hội"}), places=places)
    assert _marked(html) == ["hội", "xã", "Cẩm", "Bình"]
    assert snippet(text, frozenset({"hội"})).count("<mark>") == 1  # no places asked: as before
    only_place = snippet(text, frozenset(), places=places)
    assert _marked(only_place) == ["xã", "Cẩm", "Bình"]
    assert mark_text(LONG.title, frozenset(), place_matches(LONG.title, LONG.places,
                     frozenset({CAM_BINH.key}))) == "Nông thôn mới ở Cẩm Bình"  # fmt: skip


# -- on every engine -----------------------------------------------------------------------------
@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"place-marks-{request.param}")
    rebuild_index(data_dir, [*CORPUS, LONG], engine=request.param)
    found = open_engine(data_dir)
    yield found
    found.close()


def _hits(engine, text: str, **options) -> dict[str, object]:
    page = engine.search(SearchQuery(text=text, per_page=50, **options))
    return {h.url.rsplit("/", 1)[1].removesuffix(".html"): h for h in page.hits}


def test_a_place_query_marks_the_mention_in_snippet_and_title(engine):
    hits = _hits(engine, 'noi:"xã Cẩm Bình"')
    assert set(hits) == {"cam-binh", "dai"}
    assert _marked(hits["cam-binh"].snippet) == ["Xã", "Cẩm", "Bình"]
    assert _marked(hits["cam-binh"].title_html) == ["Xã", "Cẩm", "Bình"]
    assert _marked(hits["dai"].snippet) == ["xã", "Cẩm", "Bình"]
    assert "Ngày hội ở" in hits["dai"].snippet  # the window moved to the mention


def test_words_and_places_are_marked_together(engine):
    hits = _hits(engine, 'hội noi:"xã Cẩm Bình"')
    assert _marked(hits["dai"].snippet) == ["hội", "xã", "Cẩm", "Bình"]


def test_with_history_the_merged_units_mentions_are_marked(engine):
    hits = _hits(engine, 'noi:"phường Thành Sen"', history=True)
    assert _marked(hits["thanh-sen"].snippet) == ["Phường", "Thành", "Sen"]
    assert _marked(hits["cam-binh"].snippet) == ["Xã", "Cẩm", "Bình"]


def test_an_excluded_place_or_a_word_query_marks_no_place(engine):
    hits = _hits(engine, 'hội -noi:"tỉnh Quảng Bình"')
    assert _marked(hits["dai"].snippet) == ["hội"]
    assert _marked(_hits(engine, "nông thôn")["cam-binh"].snippet) == ["nông", "thôn"]
