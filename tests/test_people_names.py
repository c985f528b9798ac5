"""People extraction, issue 17's second round: where a name starts and ends, surnames that are
also common words, and organisation or place words that are not names."""

from __future__ import annotations

import pytest

from crawler.people import extract_people


def names(text: str) -> list[str]:
    return [p.name for p in extract_people(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # well-known names with no title or role near them
        ("Hôm qua, Nguyễn Thị Kim Ngân đã đến thăm trường.", ["Nguyễn Thị Kim Ngân"]),
        ("Những lời dạy của Nguyễn Ái Quốc vẫn còn nguyên giá trị.", ["Nguyễn Ái Quốc"]),
        ("Theo lời kể, Nông Đức Mạnh và Trần Đoàn Trung cùng đến dự.",
         ["Nông Đức Mạnh", "Trần Đoàn Trung"]),
        # "đình" alone is a communal house (a place word); "gia đình" is a family
        ("Gia đình Lê Bá Chí Nhân sống ở xóm nghèo.", ["Lê Bá Chí Nhân"]),
        ("Lái tàu Nguyễn Đình Sáng điều khiển chạy hướng Bắc - Nam.", ["Nguyễn Đình Sáng"]),
        # a frequent surname as a middle name stays inside the name
        ("Bà Nguyễn Thị Lê Hoa phát biểu.", ["Nguyễn Thị Lê Hoa"]),
        ("Bốn nạn nhân gồm: Nguyễn Lê Hải Yến (lớp 5), Nguyễn Thị Hảo (lớp 4).",
         ["Nguyễn Lê Hải Yến", "Nguyễn Thị Hảo"]),
    ],
)  # fmt: skip
def test_names_without_a_title_are_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Người dân gọi ông là Hồ Văn Núi Theo đó cả làng cùng đi.", ["Hồ Văn Núi"]),
        ("Bị cáo Trương Quý Dương Liên quan đến vụ án còn có hai người.", ["Trương Quý Dương"]),
        ("Cháu Vàng Mí Lý Qua lời kể của anh Vàng Chứ Lùng là bố của cháu.",
         ["Vàng Mí Lý", "Vàng Chứ Lùng"]),
        ("Đại biểu Nguyễn Văn Sơn Không ban hành chính sách mới thì khó.", ["Nguyễn Văn Sơn"]),
        ("HLV trưởng: Đinh Hồng Vinh Trợ lý: Lưu Danh Minh, Nguyễn Văn An",
         ["Đinh Hồng Vinh", "Lưu Danh Minh", "Nguyễn Văn An"]),
    ],
)  # fmt: skip
def test_a_following_sentence_word_is_not_taken_into_the_name(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ông Nguyễn Văn An, Bí thư Đoàn Ủy khối, cho biết.", ["Nguyễn Văn An"]),
        ("Bí thư Đoàn Ủy Nguyễn Văn An phát biểu.", ["Nguyễn Văn An"]),
        ("Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải dự lễ.", ["Võ Trọng Hải"]),
        ("Đoàn công tác Hà Tĩnh đến thăm.", []),
        ("Nông dân Đồng Tâm đến nhận tiền đền bù.", []),  # the farmers of a commune
        ("Cô làm vợ bác sĩ Bạch Mai từ năm ấy.", []),  # a doctor of Bạch Mai (a hospital)
        ("Phó giám đốc trại Đồng Tâm Nguyễn Văn An cho biết.", ["Nguyễn Văn An"]),
        ("Chốt phiên, Tập Đoàn Vàng bạc đá quý DOJI niêm yết giá vàng.", []),
        ("Quán ở ven xã. Hồ Phú Ninh, nơi xảy ra vụ việc, rất sâu.", []),  # a lake
        ("Điểm thi là Trường trung học phổ thông Phan Châu Trinh và trường khác.", []),
        ("Hoàng Thái tử sẽ lên ngôi ngay sau đó.", []),
        ("TS.BS Thái Minh Sâm, Trưởng Khoa Tiết Niệu BV Chợ Rẫy cho biết.", ["Thái Minh Sâm"]),
        ("Theo tờ Bưu điện Hoa Nam Buổi sáng (SCMP), hai máy bay bay qua.", []),
    ],
)
def test_organisation_and_place_words_are_not_names(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chủ tịch Trung Quốc Tập Cận Bình chủ trì lễ đón.", ["Tập Cận Bình"]),
        ("Quỳnh Anh tạo dáng cùng Ưng Hoàng Phúc trên sân khấu.", ["Ưng Hoàng Phúc"]),  # shape
        ("Bộ trưởng Văn hóa Trung Quốc Lác Thụ Cương, Đại sứ Trung Quốc tại Việt Nam Hồng Tiểu "
         "Dũng đón đoàn.", ["Lác Thụ Cương", "Hồng Tiểu Dũng"]),
        ("Thượng tọa Thích Thanh Quyết phát biểu.", ["Thích Thanh Quyết"]),
        ("Trụ trì Tỳ Khưu Thích Viên Minh thiết kế chánh điện.", ["Thích Viên Minh"]),
        ("Còn theo anh Y Thinh Byă, ngụ buôn Ea Nao A.", ["Y Thinh Byă"]),
        ("Ông Ksor Phước và bà Ninh Thị Thanh dự họp.", ["Ksor Phước", "Ninh Thị Thanh"]),
        ("Hai chị em Y Ngôn Byă và H’Quỳnh Byă phải nhập viện.", ["Y Ngôn Byă", "H’Quỳnh Byă"]),
        ("Hoa hậu H'Hen Niê đã đến thăm trường.", ["H'Hen Niê"]),
    ],
)  # fmt: skip
def test_ambiguous_and_minority_surnames_lead_a_name_when_it_is_announced(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chị Kim Ngân cho biết.",  # two syllables after an ambiguous surname: a given name
        "Choáng với khu nhà vườn của diva Hồng Nhung Không chỉ rộng, nó còn đẹp.",
        "Lan phi điệp đột biến Hồng Mỹ Nhân nổi bật với sắc hồng.",  # by shape alone: no
        "Bộ Y tế vừa ban hành hướng dẫn.",
        "Khoảng 10 h sáng H'Mông Niê nói.",  # no form of address: "H'..." is never by shape
        "Trường Đại học Y Hà Nội tuyển sinh.",
        "Hiệu trưởng trường mầm non Sen Vàng cho biết.",
        "Nhiều người mặc áo Kim Min Su đến xem.",  # a romanised foreign name
        "Chủ tịch Hội đồng Châu Âu Donald Tusk cho biết.",  # Europe, then a Western name
        "Cái chết của bà Đặng Thị Kiều Ng. (40 tuổi) còn bí ẩn.",  # anonymised: "Ng."
        "Thủ tướng Bồ Đào Nha Antonio Costa cho biết.",  # "Đào" is a surname, not here
    ],
)
def test_ambiguous_surnames_need_the_full_shape_and_an_announcement(text):
    assert names(text) == []


def test_the_tail_of_a_capitalised_run_is_not_an_ambiguous_surname():
    text = "Hiệu trưởng trường mầm non Sen Vàng Phạm Thị Tân xin nhận trách nhiệm."
    assert names(text) == ["Phạm Thị Tân"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chủ tịch Quốc hội Nguyễn Thị Kim Ngân chủ trì phiên họp.",
         ("Nguyễn Thị Kim Ngân", "Chủ tịch Quốc hội")),
        ("Chủ nhiệm Ủy ban Pháp luật của Quốc hội Nguyễn Khắc Định trình bày.",
         ("Nguyễn Khắc Định", "Chủ nhiệm Ủy ban Pháp luật của Quốc hội")),
        ("Bộ trưởng Bộ Lao động - Thương binh và Xã hội Đào Ngọc Dung phát biểu.",
         ("Đào Ngọc Dung", "Bộ trưởng Bộ Lao động - Thương binh và Xã hội")),
    ],
)  # fmt: skip
def test_a_role_ending_in_quoc_hoi_or_xa_hoi_still_introduces_the_name(text, expected):
    # "hội" alone before a run is an association ("Hội Nguyễn ..."), not in these compounds
    assert [(p.name, p.role) for p in extract_people(text)] == [expected]


def test_two_surnames_before_the_given_name_have_the_shape_of_a_name():
    text = "Trước đây, Nguyễn Trần Trung Quân và đại biểu Quốc hội Nguyễn Doãn Anh đã gặp nhau."
    assert names(text) == ["Nguyễn Trần Trung Quân", "Nguyễn Doãn Anh"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kỷ niệm 131 năm Ngày sinh Chủ tịch Hồ Chí Minh.", ["Hồ Chí Minh"]),
        ("Làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với nghị quyết.", ["Hồ Chí Minh"]),
        ("Qua phân tích lịch sử, lãnh tụ Nguyễn Ái Quốc đã khẳng định con đường.",
         ["Nguyễn Ái Quốc"]),
        ("Chủ tịch UBND TP Hồ Chí Minh Nguyễn Thành Phong dự lễ.", ["Nguyễn Thành Phong"]),
        ("Ông đến thăm Bảo tàng Hồ Chí Minh.", []),
        ("Người dân ở Hồ Chí Minh đến xem.", []),
    ],
)  # fmt: skip
def test_a_person_named_as_a_city_only_where_a_role_or_a_cue_announces_him(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Phim có sự tham gia của Quan Chi Lâm và Trương Mạn Ngọc như đã hẹn.", ["Trương Mạn Ngọc"]),
        ("Bà cùng với Võ Tắc Thiên trở thành hai nữ nhân nổi tiếng.", ["Võ Tắc Thiên"]),
        ("Hai đối tượng là Mùa A Sáu, sinh năm 1986 và Giàng A Tùng bị bắt.",
         ["Mùa A Sáu", "Giàng A Tùng"]),
        ("“Từ Tết Nguyên đán đến cuối tháng 3, vợ chồng anh về quê.", []),
        ("Đề thi gồm tiếng Việt và Tập Làm Văn như mọi năm.", []),
        ("Hồng sống trong khu Mả Lạng – P. Nguyễn Cư Trinh, Q.1, vốn là một điểm nóng.", []),
    ],
)  # fmt: skip
def test_sino_vietnamese_and_hmong_names_by_shape_but_not_clauses_subjects_or_wards(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bí thư Thành ủy TP HCM Đinh La Thăng cho biết.",
         ("Đinh La Thăng", "Bí thư Thành ủy TP HCM")),
        ("Chủ tịch UBND TP Nguyễn Đức Chung Đúng 8h30 đã đến.",
         ("Nguyễn Đức Chung", "Chủ tịch UBND TP")),
        ("Chủ tịch UBND xã Lê Hóa Nguyễn Văn Xuân dự.",
         ("Nguyễn Văn Xuân", "Chủ tịch UBND xã Lê Hóa")),
    ],
)  # fmt: skip
def test_a_unit_after_tp_or_xa_is_an_acronym_or_two_syllables_before_a_full_name(text, expected):
    assert [(p.name, p.role) for p in extract_people(text)] == [expected]
