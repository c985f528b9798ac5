"""The matching contract, on both engines: the result set is what the journalist asked for.

Diacritics typed are meant (per syllable, tone-mark placement ignored); a word of several
syllables matches only where they stand together; everything a user sees — total, facets,
every sort, paging, the export, ``nguoi:`` — is built on that one set. Expected sets are
written from the corpus below, which puts each collision the contract must separate beside
its true match.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)

from crawler.article import Article, Person
from indexer import SearchQuery, open_engine, rebuild_index


def _article(slug: str, title: str, body: str, day: int, **extra) -> Article:
    return Article(
        url=f"https://baotinh.example.vn/{slug}.html",
        title=title,
        body=body,
        source=extra.pop("source", "baotinh.example.vn"),
        published=datetime(2024, 3, day, 8, 0),
        **extra,
    )


CORPUS = [
    _article("bao-so-3", "Bão số 3 đổ bộ", "Cơn bão mạnh gây mưa lớn.", 1),
    _article("bao-chi", "Báo chí cách mạng", "Các tòa báo kỷ niệm ngày báo chí.", 2),
    _article("bao-ve", "Bảo vệ rừng đầu nguồn", "Lực lượng bảo vệ rừng tuần tra.", 3),
    _article("bao-bi", "Bao bì nông sản", "Doanh nghiệp thay bao bì mới.", 4),
    _article("ha-tinh", "Hà Tĩnh đón khách du lịch", "Du khách đến Hà Tĩnh dịp hè.", 5),
    _article("ha-noi", "Hà Nội mưa lớn", "Người dân Hà Nội tính chuyện đi lại.", 6),
    _article("son-tinh", "Sự tích Sơn Tinh", "Hà Bá và Sơn Tinh trong truyền thuyết.", 7),
    _article("tinh-toan", "Tính toán ngân sách", "Hà đã tính kỹ phương án.", 8),
    _article("thanh-hoa-1", "Thanh Hoá mùa lúa", "Nông dân Thanh Hoá thu hoạch.", 9),
    _article("thanh-hoa-2", "Thanh Hóa đón mưa", "Mưa lớn ở Thanh Hóa.", 10),
    _article("thanh-hoa-3", "Thanh hoa nở rộ", "Vườn thanh hoa trước nhà.", 11),
    _article(
        "phong-1",
        "Ông Nguyễn Thành Phong làm việc",
        "Chủ tịch Nguyễn Thành Phong kiểm tra công trình.",
        12,
        people=[Person("Nguyễn Thành Phong", "Chủ tịch")],
    ),
    _article(
        "phong-2",
        "Ông Nguyễn Thanh Phong phát biểu",
        "Giám đốc Nguyễn Thanh Phong phát biểu tại hội nghị.",
        13,
        people=[Person("Nguyễn Thanh Phong", "Giám đốc")],
    ),
    _article(
        "vo-trong",
        "Ông Võ Trọng Nghĩa thăm trường",
        "Ông Võ Trọng Nghĩa thăm Trường Hải Phòng; cô Hải đón.",
        14,
    ),
    _article(
        "ocop",
        "Chè Tân Cương đạt chuẩn OCOP",
        "Sản phẩm chè Tân Cương đạt chuẩn OCOP 4 sao.",
        15,
    ),
    _article("nghe-an", "Hà Tĩnh và Nghệ An hợp tác", "Hai tỉnh Nghệ An, Hà Tĩnh ký kết.", 16),
    # The same letters in a row with other diacritics, before the real phrase.
    _article("thu-tuong-gia", "Hội thi thủ tượng chính phụ", "Tượng gỗ thi tài.", 17),
    _article("thu-tuong", "Thủ tướng Chính phủ họp", "Thủ tướng Chính phủ chủ trì.", 18),
]


def slugs_of(hits) -> set[str]:
    return {h.url.rsplit("/", 1)[1].removesuffix(".html") for h in hits}


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"precise-{request.param}")
    rebuild_index(data_dir, CORPUS, engine=request.param)
    engine = open_engine(data_dir)
    yield engine
    engine.close()


def found(engine, text: str, **options) -> set[str]:
    page = engine.search(SearchQuery(text=text, per_page=100, **options))
    assert page.total == len(page.hits)
    return slugs_of(page.hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bão", {"bao-so-3"}),
        ("báo", {"bao-chi"}),
        ("bảo", {"bao-ve"}),
        ("bao", {"bao-so-3", "bao-chi", "bao-ve", "bao-bi"}),
        ("BÃO", {"bao-so-3"}),
    ],
)
def test_a_syllable_typed_with_diacritics_matches_only_that_syllable(engine, text, expected):
    assert found(engine, text) == expected


def test_a_place_matches_only_where_its_syllables_stand_together(engine):
    assert found(engine, "Hà Tĩnh") == {"ha-tinh", "nghe-an"}
    # Without diacritics: every accented form, but still together ("Hà Bá … Sơn Tinh" and
    # "Hà đã tính" hold both syllables apart).
    assert found(engine, "ha tinh") == {"ha-tinh", "nghe-an"}
    assert found(engine, "hà tĩnh") == {"ha-tinh", "nghe-an"}


@pytest.mark.parametrize("text", ["Thanh Hoá", "Thanh Hóa", "thanh hoá", "THANH HÓA"])
def test_tone_mark_placement_is_ignored(engine, text):
    assert found(engine, text) == {"thanh-hoa-1", "thanh-hoa-2"}


def test_mixed_queries_are_read_per_word(engine):
    # "báo" exact, "chi" with its word: "báo chí" is a word the archive holds, "báo chi" not,
    # so they are two words: "báo" exactly and "chi" in any form.
    assert found(engine, "báo chi") == {"bao-chi"}
    page = engine.search(SearchQuery(text="báo chi"))
    assert [(u.text, u.exact) for u in page.reading.units] == [("báo", True), ("chi", False)]
    # Inside one word typed with diacritics, a bare syllable is meant bare.
    assert found(engine, '"thanh hoá"') == {"thanh-hoa-1", "thanh-hoa-2"}
    assert found(engine, "thanh hoa") == {"thanh-hoa-1", "thanh-hoa-2", "thanh-hoa-3"}


def test_a_name_nobody_wrote_finds_nothing(engine):
    assert found(engine, "Võ Trọng Hải") == set()
    page = engine.search(SearchQuery(text="Võ Trọng Hải", loosen_counts=True))
    assert [u.text for u in page.reading.units] == ["Võ Trọng Hải"]
    loosened = {x.kind: x.total for x in page.reading.loosen}
    assert loosened["words"] == 1  # "Võ Trọng Nghĩa … Hải Phòng"
    assert found(engine, "Võ Trọng Hải", group_words=False) == {"vo-trong"}


def test_person_prefix_keeps_diacritics(engine):
    assert found(engine, 'nguoi:"Nguyễn Thành Phong"') == {"phong-1"}
    assert found(engine, 'nguoi:"Nguyễn Thanh Phong"') == {"phong-2"}
    assert found(engine, 'nguoi:"nguyen thanh phong"') == {"phong-1", "phong-2"}


def test_an_acronym_is_not_part_of_a_name(engine):
    page = engine.search(SearchQuery(text="Tân Cương OCOP"))
    assert slugs_of(page.hits) == {"ocop"}
    assert [u.text for u in page.reading.units] == ["Tân Cương", "OCOP"]


def test_two_names_side_by_side_are_two_words(engine):
    page = engine.search(SearchQuery(text="Hà Tĩnh Nghệ An"))
    assert [u.text for u in page.reading.units] == ["Hà Tĩnh", "Nghệ An"]
    assert slugs_of(page.hits) == {"nghe-an"}


def test_a_repeated_word_keeps_its_neighbours(engine):
    page = engine.search(SearchQuery(text="Hà Nội Hà Tĩnh"))
    assert [u.text for u in page.reading.units] == ["Hà Nội", "Hà Tĩnh"]
    assert page.total == 0


@pytest.mark.parametrize("text", ["-bão", "*", "OR", '"', "()", "-bão -lũ"])
def test_a_query_with_nothing_positive_returns_nothing(engine, text):
    page = engine.search(SearchQuery(text=text, facets=True))
    assert page.total == 0 and page.hits == []
    assert page.reading.nothing_to_match
    assert any("Không có từ nào để tìm" in w for w in page.warnings)
    assert list(engine.iter_results(SearchQuery(text=text))) == []


def test_an_empty_query_still_browses_the_archive(engine):
    assert engine.search(SearchQuery(text="")).total == len(CORPUS)


def test_every_number_counts_the_same_set(engine):
    query = SearchQuery(text="bão", facets=True, per_page=100)
    page = engine.search(query)
    exported = list(engine.iter_results(query))
    newest = engine.search(SearchQuery(text="bão", sort="newest", per_page=100))
    assert page.total == 1
    assert slugs_of(exported) == slugs_of(newest.hits) == slugs_of(page.hits) == {"bao-so-3"}
    assert sum(f.count for f in page.facets["month"]) == page.total
    assert sum(f.count for f in page.facets["source"]) == page.total


def test_the_reading_offers_each_loosening_with_its_count(engine):
    uncounted = engine.search(SearchQuery(text="Hà Tĩnh"))
    assert [(x.kind, x.total) for x in uncounted.reading.loosen] == [
        ("words", None),
        ("accents", None),
    ]
    page = engine.search(SearchQuery(text="Hà Tĩnh", loosen_counts=True))
    units = page.reading.units
    assert [(u.text, u.exact) for u in units] == [("Hà Tĩnh", True)]
    loosened = {x.kind: x.total for x in page.reading.loosen}
    # Apart: every article holding both syllables; without diacritics: "ha tinh" together.
    assert loosened == {
        "words": engine.search(SearchQuery(text="Hà Tĩnh", group_words=False)).total,
        "accents": engine.search(SearchQuery(text="Hà Tĩnh", exact_accents=False)).total,
    }
    assert loosened["words"] == len(found(engine, "Hà Tĩnh", group_words=False))
    assert found(engine, "Hà Tĩnh", group_words=False) == {"ha-tinh", "nghe-an"}
    assert found(engine, "ha tinh", group_words=False) >= {"son-tinh", "tinh-toan", "ha-noi"}


def test_paging_past_the_end_is_an_empty_page_with_the_true_total(engine):
    page = engine.search(SearchQuery(text="bao", per_page=2, page=99))
    assert page.hits == [] and page.total == 4


def test_a_person_typed_without_diacritics_lists_the_names_it_may_mean(engine):
    stats = engine.person_stats("nguyen thanh phong")
    assert {f.value for f in stats.candidates} == {"Nguyễn Thành Phong", "Nguyễn Thanh Phong"}
    exact = engine.person_stats("Nguyễn Thành Phong")
    assert exact.total == 1 and exact.candidates == ()
    # One name fits: its page, saying what was asked.
    one = engine.person_stats("NGUYỄN THÀNH PHONG")
    assert one.name == "Nguyễn Thành Phong" and one.total == 1
    assert one.asked == "NGUYỄN THÀNH PHONG"
    assert engine.person_stats("Võ Trọng Hải").total == 0


def test_a_misspelling_with_no_results_gets_a_spelling_the_archive_holds(engine):
    page = engine.search(SearchQuery(text="Thanh Hóaa", loosen_counts=True))
    assert page.total == 0
    assert page.suggestion == "Thanh Hóa" and page.suggestion_total == 2
    assert engine.search(SearchQuery(text="Thanh Hóaa")).suggestion == "Thanh Hóa"


def test_no_suggestion_the_archive_does_not_support(engine):
    page = engine.search(SearchQuery(text="vo trong hai", loosen_counts=True))
    assert page.suggestion is None or page.suggestion_total > 0
    restored = engine.search(SearchQuery(text="ha tinh", loosen_counts=True))
    assert restored.suggestion == "hà tĩnh" and restored.suggestion_total == 2
    # Unsupported: "Võ Trọng Hải" is named nowhere, so "vo trong hai" never suggests it.
    assert engine.search(SearchQuery(text="vo trong hai")).suggestion != "võ trọng hải"


def test_a_word_never_spans_the_punctuation_the_user_wrote(engine):
    # "Tĩnh, Nghệ" is not a word: the comma ends one.
    page = engine.search(SearchQuery(text="Hà Tĩnh, Nghệ An"))
    assert [u.text for u in page.reading.units] == ["Hà Tĩnh", "Nghệ An"]
    assert slugs_of(page.hits) == {"nghe-an"}
    # A pasted phrase with punctuation inside the quotes still finds its text.
    assert found(engine, '"Nghệ An, Hà Tĩnh ký kết"') == {"nghe-an"}


def test_a_capitalised_first_word_joins_a_name_the_archive_holds_in_any_form(engine):
    # "Nguyen" typed bare is the start of the name (the archive writes "Nguyễn Thành"); the
    # word carries diacritics, so its bare syllable is meant bare: nothing, and the page offers
    # the reading without diacritics.
    page = engine.search(SearchQuery(text="Nguyen Thành Phong", loosen_counts=True))
    assert [u.text for u in page.reading.units] == ["Nguyen Thành Phong"]
    assert page.total == 0
    assert {x.kind: x.total for x in page.reading.loosen}["accents"] == 2  # Thành, Thanh
    # A capitalised common word starting the sentence is not part of the name after it.
    page = engine.search(SearchQuery(text="Bão Hà Tĩnh"))
    assert [u.text for u in page.reading.units] == ["Bão", "Hà Tĩnh"]


def test_the_command_line_says_how_it_read_the_query_and_loosens_on_request(
    tmp_path_factory, capsys
):
    from tracuu.cli import main

    data_dir = tmp_path_factory.mktemp("cli-precise")
    rebuild_index(data_dir, CORPUS)
    assert main(["search", "Hà Tĩnh", "--data-dir", str(data_dir), "--json"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert strict["total"] == 2 and strict["understood_as"]["units"][0]["text"] == "Hà Tĩnh"
    assert main(["search", "ha tinh", "--data-dir", str(data_dir), "--apart"]) == 0
    out, err = capsys.readouterr()
    assert "Đã hiểu là: [ha] + [tinh]" in err
    assert out.startswith("5 kết quả")  # Hà Tĩnh (2), Hà Nội … tính, Sơn Tinh, Hà đã tính


@pytest.mark.parametrize(
    "text", ["bão", "Hà Tĩnh", "ha tinh", "bao -báo", "Võ Trọng Hải", "-bão", "", "bão OR báo"]
)
def test_count_equals_the_total_of_a_search(engine, text):
    for options in ({}, {"group_words": False}, {"exact_accents": False}):
        query = SearchQuery(text=text, **options)
        assert engine.count(query) == engine.search(query).total


def test_a_word_never_spans_a_parenthesis(engine):
    page = engine.search(SearchQuery(text="Hà Tĩnh (Nghệ An) đón"))
    assert [u.text for u in page.reading.units][:2] == ["Hà Tĩnh", "Nghệ An"]


def test_a_word_the_archive_holds_later_is_still_read_as_one(engine):
    # "thủ tượng chính phụ" comes first and holds the same letters in a row: the reading
    # must still find that the archive holds "thủ tướng chính phủ" as typed.
    page = engine.search(SearchQuery(text="thủ tướng chính phủ"))
    assert [u.text for u in page.reading.units] == ["thủ tướng chính phủ"]
    assert slugs_of(page.hits) == {"thu-tuong"}
    assert found(engine, "thu tuong chinh phu") == {"thu-tuong", "thu-tuong-gia"}


def test_an_excluded_word_is_read_as_excluded(engine):
    page = engine.search(SearchQuery(text="bao -bão"))
    assert [(u.text, u.excluded) for u in page.reading.units] == [("bao", False), ("bão", True)]
    assert slugs_of(page.hits) == {"bao-chi", "bao-ve", "bao-bi"}
