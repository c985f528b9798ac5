"""Places in articles (crawler/places.py): mentions, resolution across the 2025 reorganisation.

The texts are written for the tests; the register is the committed
crawler/data/places_register.tsv (nothing from the shared corpus).
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawler.article import VN_TZ, Article
from crawler.places import enrich_places, extract_places, find_mentions, is_place_name
from crawler.places_register import REGISTER_FILE, register, register_at
from crawler.sources import check_sources, source_provinces

BEFORE = datetime(2017, 5, 3, tzinfo=VN_TZ)
AFTER = datetime(2026, 1, 5, tzinfo=VN_TZ)


def mentions(text: str, when=BEFORE, **kw) -> list[tuple[str, str]]:
    """(mention text, "type name (province) register" or "-") for each mention."""
    reg = register()
    out = []
    for m in find_mentions(text, when, **kw):
        ref = reg.units[m.unit].ref if m.unit else None
        out.append(
            (m.text, f"{ref.type} {ref.name} ({ref.province}) {ref.register}" if ref else "-")
        )
    return out


def place(text: str, mention: str, when=BEFORE, **kw):
    return next(p for p in extract_places(text, when, **kw) if p.mention == mention)


# -- mentions -------------------------------------------------------------------------------
def test_type_words_and_chains_give_every_level():
    text = "Ông A (trú xã Cẩm Quang, huyện Cẩm Xuyên, tỉnh Hà Tĩnh) cho biết."
    assert mentions(text) == [
        ("xã Cẩm Quang", "xã Cẩm Quang (Hà Tĩnh) pre-2025"),
        ("huyện Cẩm Xuyên", "huyện Cẩm Xuyên (Hà Tĩnh) pre-2025"),
        ("tỉnh Hà Tĩnh", "tỉnh Hà Tĩnh (Hà Tĩnh) pre-2025"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Về TP.HCM công tác", [("TP.HCM", "thành phố Hồ Chí Minh (Hồ Chí Minh) pre-2025")]),
        ("Công an TP. Vinh cho biết", [("TP. Vinh", "thành phố Vinh (Nghệ An) pre-2025")]),
        ("ở TP Hà Tĩnh", [("TP Hà Tĩnh", "thành phố Hà Tĩnh (Hà Tĩnh) pre-2025")]),
        ("ở Thanh Hoá", [("Thanh Hoá", "tỉnh Thanh Hóa (Thanh Hóa) pre-2025")]),  # tone mark
        ("huyện Đakrông", [("huyện Đakrông", "huyện Đa Krông (Quảng Trị) pre-2025")]),
        ("quận 7, TP HCM", [("quận 7", "quận 7 (Hồ Chí Minh) pre-2025"),
                            ("TP HCM", "thành phố Hồ Chí Minh (Hồ Chí Minh) pre-2025")]),
        ("thị xã Kỳ Anh", [("thị xã Kỳ Anh", "thị xã Kỳ Anh (Hà Tĩnh) pre-2025")]),
        ("huyện Kỳ Anh", [("huyện Kỳ Anh", "huyện Kỳ Anh (Hà Tĩnh) pre-2025")]),
        ("(Tam Đảo - Vĩnh Phúc)", [("Tam Đảo", "huyện Tam Đảo (Vĩnh Phúc) pre-2025"),
                                   ("Vĩnh Phúc", "tỉnh Vĩnh Phúc (Vĩnh Phúc) pre-2025")]),
    ],
)  # fmt: skip
def test_written_forms(text, expected):
    assert mentions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Công tác xã hội của tỉnh được quan tâm.",  # type words without a name
        "Nhà ở đường Hà Nội, gần cầu Long Biên.",  # a street, a bridge
        "Ty An ninh tỉnh Salavan (Lào) bắt giữ.",  # a foreign province
        "Lễ trao giải cho Nguyễn Hà Nam.",  # part of a person's name
    ],
)
def test_not_places(text):
    assert mentions(text) == []


def test_a_list_after_a_plural_type_word():
    text = "Tại các xã Cẩm Quang, Cẩm Hà và Cẩm Lạc của huyện Cẩm Xuyên."
    found = [m for m, _ in mentions(text)]
    assert found == ["xã Cẩm Quang", "Cẩm Hà", "Cẩm Lạc", "huyện Cẩm Xuyên"]


def test_a_bare_district_once_named_with_its_type_word_is_that_district():
    text = "Ông Thắng, Chủ tịch UBND thị xã Vĩnh Châu. Hành tím Vĩnh Châu được ưa chuộng."
    assert mentions(text)[-1] == ("Vĩnh Châu", "thị xã Vĩnh Châu (Sóc Trăng) pre-2025")


# -- resolution ---------------------------------------------------------------------------
def test_an_ambiguous_commune_is_resolved_by_its_district():
    text = "Xã Tân Minh, huyện Tràng Định và xã Tân Minh, huyện Đà Bắc bị lốc."
    units = [p.unit for p in extract_places(text, BEFORE) if p.mention.endswith("Tân Minh")]
    assert [(u.name, u.province) for u in units] == [
        ("Tân Minh", "Lạng Sơn"),
        ("Tân Minh", "Hòa Bình"),
    ]


def test_a_district_named_earlier_settles_a_later_commune():
    text = "Huyện Tràng Định có mưa lớn. Ở xã Tân Minh, 60 nhà bị tốc mái."
    assert place(text, "xã Tân Minh").unit.province == "Lạng Sơn"


def test_an_ambiguous_commune_without_context_is_kept_as_text():
    # 25 communes are called Tân Lập: the mention is kept, never guessed.
    kept = place("Người dân xã Tân Lập phấn khởi.", "xã Tân Lập")
    assert kept.unit is None
    assert kept.related == ()
    assert kept.start == len("Người dân ")


def test_the_source_province_settles_what_the_text_leaves_open():
    text = "Người dân xã Tân Lập phấn khởi."
    assert place(text, "xã Tân Lập", province="Bình Phước").unit.province == "Bình Phước"


def test_a_commune_merged_away_before_2025_is_not_matched_elsewhere():
    # Xã Nghĩa Thọ of Tư Nghĩa (Quảng Ngãi) is gone; a Nghĩa Thọ remains in Nghệ An.
    text = "Chủ tịch UBND xã Nghĩa Thọ, huyện Tư Nghĩa (tỉnh Quảng Ngãi) cho biết."
    assert mentions(text)[0] == ("xã Nghĩa Thọ", "-")


# -- the 2025 reorganisation -----------------------------------------------------------
def test_a_commune_merged_into_a_new_ward_carries_the_ward():
    found = place("Xã Thạch Hạ, thành phố Hà Tĩnh đón bằng công nhận.", "Xã Thạch Hạ")
    assert (found.unit.name, found.unit.register) == ("Thạch Hạ", "pre-2025")
    assert [(r.type, r.name, r.register) for r in found.related] == [("phường", "Trần Phú", "2025")]


def test_a_province_merged_into_another_points_to_it_and_back():
    old = place("Du lịch tỉnh Quảng Bình phát triển.", "tỉnh Quảng Bình")
    assert old.unit.key == "pre-2025:56"
    assert [(r.name, r.register) for r in old.related] == [("Quảng Trị", "2025")]
    new = place("Tỉnh Quảng Trị mới có 78 xã, phường.", "Tỉnh Quảng Trị", AFTER)
    assert new.unit.register == "2025"
    assert {r.name for r in new.related} == {"Quảng Bình", "Quảng Trị"}
    assert old.unit.key in {r.key for r in new.related}
    assert new.unit.key in {r.key for r in old.related}


def test_an_article_after_1_july_2025_is_resolved_against_the_new_register():
    found = place("Xã Cẩm Bình tổ chức đại hội.", "Xã Cẩm Bình", AFTER)
    assert (found.unit.register, found.unit.type, found.unit.province) == (
        "2025",
        "xã",
        "Hà Tĩnh",
    )
    assert {"Cẩm Bình", "Cẩm Thành", "Cẩm Vịnh", "Thạch Bình"} == {r.name for r in found.related}
    assert all(r.register == "pre-2025" for r in found.related)


def test_a_district_in_a_new_article_is_a_unit_of_the_old_register():
    # No districts since 1 July 2025: "huyện Cẩm Xuyên cũ" can only be the pre-2025 unit.
    found = place("Các xã thuộc huyện Cẩm Xuyên cũ.", "huyện Cẩm Xuyên", AFTER)
    assert found.unit.key == "pre-2025:1061"


def test_the_register_by_date():
    assert register_at(None) == "pre-2025"
    assert register_at(datetime(2025, 6, 30, 23, 59, tzinfo=VN_TZ)) == "pre-2025"
    assert register_at(datetime(2025, 7, 1, tzinfo=VN_TZ)) == "2025"
    assert register_at(datetime(2025, 7, 1)) == "2025"  # naive: Vietnam time


# -- articles ---------------------------------------------------------------------------
def test_article_places_one_per_unit_with_body_offsets():
    article = Article(
        url="https://baohatinh.vn/xa-hoi/a/1.htm",
        title="Mưa lớn ở Hà Tĩnh",
        body="Tại huyện Cẩm Xuyên, tỉnh Hà Tĩnh, mưa lớn. Huyện Cẩm Xuyên đã sơ tán dân.",
        published=BEFORE,
    )
    places = enrich_places(article).places
    assert [(p.mention, p.start) for p in places] == [
        ("Hà Tĩnh", -1),  # in the title: no body offset
        ("huyện Cẩm Xuyên", 4),
    ]
    assert article.body[4 : 4 + len("huyện Cẩm Xuyên")] == "huyện Cẩm Xuyên"
    restored = Article.from_dict(json.loads(json.dumps(enrich_places(article).to_dict())))
    assert restored.places == places


def test_undated_articles_use_the_old_register_and_find_new_only_names():
    assert place("Tỉnh Quảng Bình", "Tỉnh Quảng Bình", None).unit.register == "pre-2025"
    # "Thành Sen" is a 2025 ward only: found in the new register even without a date.
    assert place("phường Thành Sen", "phường Thành Sen", None).unit.register == "2025"


def test_is_place_name_for_the_people_extractor():
    assert is_place_name("Hà Tĩnh")
    assert is_place_name("Cẩm Xuyên")
    assert not is_place_name("Võ Trọng Hải")


# -- sources and the register file ---------------------------------------------------
def test_a_source_province_must_be_a_province(tmp_path):
    path = tmp_path / "sources.toml"
    base = '[[source]]\nname = "bht"\nstart_urls = ["https://baohatinh.vn/"]\n'
    path.write_text(base + 'province = "Hà Tỉnh"\n', encoding="utf-8")
    assert any("province" in p and "Hà Tỉnh" in p for p in check_sources(path))
    path.write_text(base + 'display_name = "Báo Hà Tĩnh"\nprovince = "Hà Tĩnh"\n', "utf-8")
    assert check_sources(path) == []
    from crawler.sources import load_sources

    assert source_provinces(load_sources(path)) == {"Báo Hà Tĩnh": "Hà Tĩnh"}


def test_the_committed_register_is_what_the_generator_makes(tmp_path):
    pytest.importorskip("vietnam_provinces")
    pytest.importorskip("vietnam_address_converter")
    from crawler.data.build_places_register import build

    build(tmp_path / "register.tsv")
    assert (tmp_path / "register.tsv").read_bytes() == REGISTER_FILE.read_bytes()


def test_import_extracts_places_unless_told_not_to(tmp_path):
    from tracuu import pipeline

    record = {
        "url": "https://baohatinh.vn/xa-hoi/b/2.htm",
        "title": "Lốc xoáy",
        "body": "Người dân xã Tân Lập bị thiệt hại.",
        "source": "Báo Bình Phước",
        "published": "2017-05-03",
    }
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    provinces = {"Báo Bình Phước": "Bình Phước"}
    pipeline.import_files(tmp_path / "on", [path], provinces=provinces)
    pipeline.import_files(tmp_path / "off", [path], places=False)
    with pipeline.open_store(tmp_path / "on") as store:
        (stored,) = list(store.iter_latest())
    assert [(p.mention, p.unit.province) for p in stored.places] == [("xã Tân Lập", "Bình Phước")]
    with pipeline.open_store(tmp_path / "off") as store:
        assert [a.places for a in store.iter_latest()] == [[]]
