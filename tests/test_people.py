"""People extraction: unit cases from the rules, and the hand-checked gold set."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.article import Article, Person
from crawler.people import enrich_people, extract_people
from crawler.people_archive import confirmed_names, folded_name, role_mentions
from crawler.people_eval import UNSEEN_PATH, load_gold, load_span_labels, score
from crawler.people_lexicon import is_vietnamese_syllable

# Floors pinned a little under what the gold set measured (P=1.000, R=0.957, roles 0.987 on
# 68 texts); the brief's hard minimums are P ≥ 0.95 and R ≥ 0.85.
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.93
ROLE_ACCURACY_FLOOR = 0.93

SEED = (
    "Sáng 28/2, đoàn công tác của tỉnh do đồng chí Võ Trọng Hải, Phó Bí thư Tỉnh ủy, Chủ tịch "
    "UBND tỉnh làm trưởng đoàn đã kiểm tra dự án đường ven biển Hà Tĩnh.\n"
    "Tin và ảnh: Chu Thanh Hoài"
)


def names(text: str, byline: str = "") -> list[str]:
    return [p.name for p in extract_people(text, byline=byline)]


def test_seed_sentence_gives_the_person_and_the_whole_role_chain():
    assert extract_people(SEED) == [
        Person("Võ Trọng Hải", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh")
    ]


def test_name_then_role_without_a_form_of_address():
    text = "Võ Trọng Hải, Phó Bí thư Tỉnh ủy dự hội nghị."
    assert extract_people(text) == [Person("Võ Trọng Hải", "Phó Bí thư Tỉnh ủy")]


def test_role_then_place_then_name():
    text = "Bí thư Tỉnh ủy Sơn La Hoàng Văn Chất phát biểu chỉ đạo."
    assert extract_people(text) == [Person("Hoàng Văn Chất", "Bí thư Tỉnh ủy Sơn La")]


def test_role_before_name_with_an_unlisted_commune():
    text = "Chủ tịch UBND xã Lê Hóa Nguyễn Văn Tâm cho biết đã hỗ trợ gia đình."
    assert extract_people(text) == [Person("Nguyễn Văn Tâm", "Chủ tịch UBND xã Lê Hóa")]


def test_names_are_cut_at_whole_role_phrases_only():
    assert names("Trưởng ban Tuyên giáo Trung ương Võ Văn Thưởng ghi nhận.") == ["Võ Văn Thưởng"]
    assert names("Ông Lê Văn Trung phát biểu tại hội nghị.") == ["Lê Văn Trung"]


def test_places_streets_and_organisations_are_not_people():
    text = (
        "Ông Lê Văn Trung cho biết Hà Tĩnh và Hà Nội đã phối hợp với Ban Dân vận Tỉnh ủy "
        "mở rộng đường Lê Lợi; bà con Hà Tĩnh đồng tình. Trường THPT Phan Đình Phùng khai giảng."
    )
    assert names(text) == ["Lê Văn Trung"]


def test_list_after_colon_keeps_each_role():
    text = (
        "Cùng đi có các đồng chí: Đặng Quốc Vinh, Phó Chủ tịch UBND tỉnh; Nguyễn Hồng Lĩnh, "
        "Giám đốc Sở Giao thông vận tải; lãnh đạo các sở, ngành."
    )
    assert extract_people(text) == [
        Person("Đặng Quốc Vinh", "Phó Chủ tịch UBND tỉnh"),
        Person("Nguyễn Hồng Lĩnh", "Giám đốc Sở Giao thông vận tải"),
    ]


def test_list_continues_after_a_parenthesis_and_va():
    text = "Nạn nhân là em Vũ Quang Minh (SN 2009) và Nguyễn Hữu Quân (SN 2009)."
    assert names(text) == ["Vũ Quang Minh", "Nguyễn Hữu Quân"]


def test_a_list_of_places_after_colon_is_not_people():
    text = "Ngư dân 4 tỉnh được tạm cấp gồm: Hà Tĩnh 560 tỉ đồng, Quảng Bình 760 tỉ đồng."
    assert names(text) == []


def test_byline_and_credits_are_authors_not_people():
    assert names("Tin và ảnh: Chu Thanh Hoài") == []
    assert names("Giá vàng đang tăng nhanh (ảnh: Nguyễn Tuyền).") == []
    text = "Bà Chu Thanh Hoài, Trưởng phòng Văn hóa, cho biết."
    assert names(text, byline="Chu Thanh Hoài") == []
    assert names(text) == ["Chu Thanh Hoài"]


def test_short_theo_line_is_a_source_credit_but_theo_ong_is_a_sentence():
    assert names("Nội dung bài viết.\nTheo Vân Du") == []
    assert names("Theo ông Mai Văn Khiêm, trời nắng ráo.") == ["Mai Văn Khiêm"]


def test_one_entry_per_name_in_first_mention_order_with_first_stated_role():
    text = (
        "Ông Võ Công Trí trao quyết định cho ông Lê Minh Trung (bìa phải). "
        "Ông Lê Minh Trung, Bí thư Quận ủy Thanh Khê, thôi giữ chức."
    )
    assert extract_people(text) == [
        Person("Võ Công Trí", ""),
        Person("Lê Minh Trung", "Bí thư Quận ủy Thanh Khê"),
    ]


def test_anonymised_initials_are_skipped():
    assert names("Anh Trần Văn T. (41 tuổi) và chị Nguyễn Thị Ngọc H. bị thương.") == []
    assert names("Nạn nhân Nguyễn Thị Thu H (SN 2002) học lớp 9.") == []


def test_a_country_that_starts_like_a_surname_is_not_a_name():
    text = "Tổng thống Hàn Quốc Moon Jae-in gặp Phó Thủ tướng Thái Lan."
    assert names(text) == []


def test_nfd_input_gives_the_same_people_as_nfc():
    nfd = unicodedata.normalize("NFD", SEED)
    assert nfd != SEED
    assert extract_people(nfd) == extract_people(SEED)


@pytest.mark.parametrize("spelling", ["Tỉnh ủy", "Tỉnh uỷ"])
def test_both_tone_placements_are_read(spelling):
    text = f"Đồng chí Nguyễn Thị Hoà, Phó Bí thư {spelling}, dự lễ."
    assert extract_people(text) == [Person("Nguyễn Thị Hoà", f"Phó Bí thư {spelling}")]


def test_all_caps_heading_only_when_the_name_ends_clearly():
    assert names("ĐỒNG CHÍ BÙI VĂN HẢI, BÍ THƯ TỈNH ỦY") == ["Bùi Văn Hải"]
    assert names("ÔNG NGUYỄN VĂN AN PHÁT BIỂU TẠI HỘI NGHỊ") == []
    assert names("BAN THƯỜNG VỤ TỈNH ỦY BẮC GIANG NHIỆM KỲ 2015 – 2020") == []


def test_roster_layout_reads_the_role_on_the_next_lines():
    text = "Đ/c Bùi Văn Hải\nỦy viên BCH Trung ương Đảng\nBí thư Tỉnh ủy\nĐ/c Thân Văn Khoa"
    assert extract_people(text) == [
        Person("Bùi Văn Hải", "Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy"),
        Person("Thân Văn Khoa", ""),
    ]


def test_organisation_named_after_a_person_is_not_a_person():
    assert names("Hiệu trưởng Trường ĐH Tôn Đức Thắng bị đình chỉ.") == []


def test_enrich_people_uses_title_sapo_body_and_skips_the_author():
    article = Article(
        url="https://hatinh.gov.vn/tin/1",
        title="Chủ tịch UBND tỉnh Võ Trọng Hải kiểm tra dự án",
        sapo="Sáng 28/2, đoàn công tác đã đến huyện Cẩm Xuyên.",
        body="Báo cáo với đoàn, ông Lê Văn Trung, Chủ tịch UBND huyện cho biết.\n\n"
        "Ông Chu Thanh Hoài ghi nhận.",
        author="Chu Thanh Hoài",
    )
    enriched = enrich_people(article)
    assert enriched.people == [
        Person("Võ Trọng Hải", "Chủ tịch UBND tỉnh"),
        Person("Lê Văn Trung", "Chủ tịch UBND huyện"),
    ]
    assert enriched.content_hash == article.content_hash
    assert article.people == []  # the input is not modified


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ôngbàNguyễnVăn AĐ,.:;()\nHàTĩnhChủtịch", max_size=120))
def test_every_name_returned_is_in_the_text_and_names_are_unique(text):
    people = extract_people(text)
    found = [p.name for p in people]
    assert len(found) == len(set(found))
    normalized = unicodedata.normalize("NFC", text)
    for name in found:
        first = name.split()[0]
        assert first in normalized or first.upper() in normalized


# ---- gold set ---------------------------------------------------------------------------------
GOLD = load_gold()


def test_gold_set_is_well_formed_and_large_enough():
    labelled = GOLD + load_span_labels()  # baomoi texts are not committed, their labels are
    ids = [item["id"] for item in labelled]
    assert len(ids) == len(set(ids))
    real = [i for i in labelled if i["origin"].startswith(("dantri-2020", "baomoi-2017"))]
    assert len(real) >= 40
    assert not any("text" in i for i in load_span_labels())
    assert any(i["origin"].startswith("constructed") for i in GOLD)
    assert any(i["id"] == "bacgiang-post-1" for i in GOLD)
    for item in GOLD:
        assert item["text"] == unicodedata.normalize("NFC", item["text"])
        for person in item["people"]:
            assert person["name"] in item["text"], (item["id"], person["name"])


def test_gold_set_precision_recall_and_roles_stay_above_the_floors():
    result = score(GOLD, lambda text, byline: extract_people(text, byline=byline))
    detail = "\n".join(result.errors)
    assert result.precision >= PRECISION_FLOOR, detail
    assert result.recall >= RECALL_FLOOR, detail
    assert result.role_accuracy >= ROLE_ACCURACY_FLOOR, detail


def test_unseen_gold_set_commits_only_redistributable_texts():
    """Issue 17's set: dantri texts committed, baomoi by id only; both halves large enough."""
    items = load_span_labels(UNSEEN_PATH)  # the raw lines, nothing read from the shared corpus
    assert len(items) >= 60 and len({i["id"] for i in items}) == len(items)
    for item in items:
        assert ("text" in item) == item["id"].startswith("dantri-"), item["id"]
        for person in item["people"]:
            assert person["name"] == unicodedata.normalize("NFC", person["name"])
            if "text" in item:
                assert person["name"] in item["text"], (item["id"], person["name"])
    assert sum(i["split"] == "heldout" for i in items) >= 30


# ---- issue 17: names no title announces (crawler/people_shape.py) -----------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # well-known names written bare, in the shapes the independent measurement missed
        ("Tác phẩm của Nguyễn Ái Quốc được trưng bày.", ["Nguyễn Ái Quốc"]),
        ("Đó là lời Nguyễn Thị Kim Ngân gửi cử tri.", ["Nguyễn Thị Kim Ngân"]),
        ("Năm 2001, Nông Đức Mạnh được bầu làm Tổng Bí thư.", ["Nông Đức Mạnh"]),
        ("Cùng dự có Trần Đoàn Trung và nhiều đại biểu.", ["Trần Đoàn Trung"]),
        ("Tiếp đó Lê Bá Chí Nhân trình bày tham luận.", ["Lê Bá Chí Nhân"]),
        ("CLB TP HCM của Lê Công Vinh vừa có trận thắng.", ["Lê Công Vinh"]),
        # one bare full name opens a list: the two-syllable names after it are people too
        (
            "các chiến sĩ như Nguyễn Đức Cảnh, Trần Phú, Nguyễn Văn Cừ, Tô Hiệu… đã hy sinh.",
            ["Nguyễn Đức Cảnh", "Trần Phú", "Nguyễn Văn Cừ", "Tô Hiệu"],
        ),
        ("Hoa hậu Việt Nam 2016 Phùng Bảo Ngọc Vân được chọn.", ["Phùng Bảo Ngọc Vân"]),
    ],
)
def test_a_bare_run_with_the_full_shape_of_a_name_is_a_person(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Người dân Đồng Tâm kéo về trụ sở.",  # two syllables: a commune as often as a person
        "Vai diễn Hoa Lâm được khen.",
        "Từ Tiền Giang đến Cà Mau làm thợ hồ.",  # surname + a province
        "Khu vực trước số 18 Lê Văn Lương bị ngập.",
        "Khi đến ngã ba Tôn Đức Thắng – Phạm Như Xương thì va chạm.",
        "Trừ Trường THPT chuyên Lê Hồng Phong và Trường THPT chuyên Trần Đại Nghĩa.",
        "Các điểm ngập: Thái Hà, Hoàng Mai, Định Công, Tôn Thất Tùng, Vũ Trọng Phụng.",
        "Ông V.H.H. (trú tại Hoàng Hoa Thám, Mạo Khê) cho biết.",
        "Đông đúc ở các phố như Tạ Hiện, Lương Ngọc Quyến, Đào Duy Từ, Hàng Buồm.",
        "Khu vực trước tượng đài Lý Thái Tổ đông người.",
        "Siêu trăng tại kỳ quan Stonehenge (Vương Quốc Anh).",
        "Lễ Kỷ Niệm Ngày Sinh Nguyễn Văn Trỗi",  # the tail of a Title Case heading
        "Đoàn Ủy ban kiểm tra làm việc tại xã.",  # an organisation, not "Đoàn Ủy"
        "Các thỏa thuận ký với Ủy ban châu Âu Ursula von der Leyen.",
        "Các bạn trẻ tri ân các anh hùng liệt sỹ.\nTrịnh Xuân Tư (TTXVN)",  # the signature
    ],
)
def test_a_bare_run_that_is_a_place_street_school_or_signature_is_not(text):
    assert names(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # the full stop before a new clause was lost: the clause's first word is not a name
        ("Đã bắt đối tượng Hồ Văn Núi Theo đó, Núi khai nhận.", ["Hồ Văn Núi"]),
        ("Tạm giữ Trương Quý Dương Liên quan vụ việc, công an đã.", ["Trương Quý Dương"]),
        # an organisation that starts with a given-name syllable ends the name
        ("Lấy lời khai đối tượng Đoàn Văn Lòn Công an tỉnh biểu dương.", ["Đoàn Văn Lòn"]),
        ("hoán thân thành Hoàng Thùy Linh Giám khảo Mỹ Linh nhận xét", ["Hoàng Thùy Linh"]),
        # a name's given syllable that is also a clause word stays ("Nguyễn Thị Liên")
        ("Bà Nguyễn Thị Kim Liên cho biết.", ["Nguyễn Thị Kim Liên"]),
        # a new sentence about someone, its full stop lost: "Ông", "Bà", "Cụ" open it
        ("Đó là chia sẻ của Trương Gia Bình Ông cho rằng cần đổi mới.", ["Trương Gia Bình"]),
        ("Cùng dự có Lê Văn Cúc Cụ năm nay đã 90 tuổi.", ["Lê Văn Cúc"]),
    ],
)
def test_a_name_ends_where_a_new_clause_or_organisation_starts(text, expected):
    assert names(text) == expected


def test_sport_and_show_occupations_announce_a_name():
    text = "Hậu vệ Đặng Văn Robert ghi bàn. HLV Nguyễn Hữu Thắng cho biết ông hài lòng."
    assert extract_people(text) == [
        Person("Đặng Văn Robert", ""),
        Person("Nguyễn Hữu Thắng", "HLV"),
    ]


def test_a_known_place_predicate_keeps_register_places_out():
    text = "Sáng nay, Đồng Tâm Thịnh Vượng khai trương."
    assert names(text) == ["Đồng Tâm Thịnh Vượng"]  # the shape alone says "person"
    assert extract_people(text, is_place=lambda name: name == "Đồng Tâm") == []
    announced = "Trưởng công an xã Quang Trung Nguyễn Văn An cho biết."
    assert names(announced) == ["Nguyễn Văn An"]
    assert extract_people(announced, is_place={"Nguyễn Văn An"}.__contains__) == []


@pytest.mark.parametrize(
    "word, expected",
    [("Thắng", True), ("Nghiêng", True), ("Khuỷu", True), ("Ursula", False),
     ("Robert", False), ("Báşąng", False), ("Böûu", False), ("Tuấǹ", False)],
)  # fmt: skip
def test_vietnamese_syllable_shape(word, expected):
    assert is_vietnamese_syllable(word) is expected


def test_the_archive_confirms_a_name_it_states_with_a_role_elsewhere():
    elsewhere = [
        [Person("Ngô Thực", "Bí thư Huyện ủy")],
        [Person("Ngô Thực", "Bí thư Huyện ủy"), Person("Trần Phú", "")],
        [Person("Đồng Tâm", "Chủ tịch")],  # one stray reading: not enough
    ]
    confirmed = confirmed_names(role_mentions(elsewhere), min_mentions=2)
    assert confirmed == {folded_name("Ngô Thực")}
    text = "Cùng dự có Ngô Thực và bà con Đồng Tâm."  # two syllables: no name by shape
    assert names(text) == []
    assert extract_people(text, confirmed=confirmed) == [Person("Ngô Thực", "")]
    street = "Nhà ở số 5 Ngô Thực."  # the place guards still hold for confirmed names
    assert extract_people(street, confirmed=confirmed) == []


@pytest.mark.parametrize(
    "text",
    [
        # a title that ends in a place, then a body line that opens with a role
        "Kết thúc thanh tra đất đai vụ Đồng Tâm\nTổng Thanh tra Chính phủ đã báo cáo Quốc hội.",
        # a role head far before the run, across a verb phrase
        "Đại biểu Quốc hội từng phân tích sau vụ Đồng Tâm cần phân định rõ đất quốc phòng.",
    ],
)
def test_a_place_is_not_read_as_a_person_from_a_role_that_is_not_its_own(text):
    assert names(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Trưởng đoàn Thanh tra đất đai tại xã Đồng Tâm vừa cho biết.", []),
        ("Phó giám đốc trại rắn Đồng Tâm cho biết con rắn nặng 13kg.", []),
        ("Bộ trưởng Công an Tô Lâm dự lễ.", ["Tô Lâm"]),  # two syllables, no lowercase before
        ("Chủ tịch UBND tỉnh Võ Trọng Hải dự lễ.", ["Võ Trọng Hải"]),
    ],
)
def test_two_syllables_after_a_lowercase_word_inside_a_role_are_a_unit_not_a_name(text, expected):
    assert names(text) == expected
