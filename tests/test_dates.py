from datetime import datetime

import pytest

from crawler.article import VN_TZ
from crawler.dates import parse_vietnamese_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Tư, 28/2/2024", datetime(2024, 2, 28)),
        ("28/02/2024 08:15", datetime(2024, 2, 28, 8, 15)),
        ("08:15 28/02/2024", datetime(2024, 2, 28, 8, 15)),
        ("ngày 28 tháng 2 năm 2024", datetime(2024, 2, 28)),
        ("Hà Tĩnh, Ngày 5 Tháng 3 Năm 2024", datetime(2024, 3, 5)),
        ("28-02-2024", datetime(2024, 2, 28)),
        ("28.02.2024", datetime(2024, 2, 28)),
        ("2024-02-28T08:15:00+07:00", datetime(2024, 2, 28, 8, 15)),
        ("2024-02-28", datetime(2024, 2, 28)),
        ("Cập nhật: 14:30 | 05/03/2024", datetime(2024, 3, 5, 14, 30)),
        ("Thứ hai, 05/03/2024 - 14:30", datetime(2024, 3, 5, 14, 30)),
        ("Thứ hai, 5/3/2024, 14:30 (GMT+7)", datetime(2024, 3, 5, 14, 30)),
        ("Thứ năm - 29/04/2021 13:14", datetime(2021, 4, 29, 13, 14)),
        ("Đăng lúc 14h30 ngày 5/3/2024", datetime(2024, 3, 5, 14, 30)),
    ],
)
def test_reads_vietnamese_date_formats_day_first(text, expected):
    assert parse_vietnamese_date(text) == expected.replace(tzinfo=VN_TZ)


def test_result_is_aware_and_in_vietnam_time():
    parsed = parse_vietnamese_date("2024-02-28T01:15:00Z")
    assert parsed.utcoffset().total_seconds() == 7 * 3600
    assert (parsed.hour, parsed.minute) == (8, 15)


def test_day_first_even_when_both_readings_exist():
    assert parse_vietnamese_date("03/05/2024").month == 5


def test_first_date_in_text_wins():
    text = "Bài đăng 01/03/2024, sửa lần cuối 02/03/2024"
    assert parse_vietnamese_date(text).day == 1


@pytest.mark.parametrize(
    "text",
    [
        "31/2/2024",
        "30/02/2023",
        "29/2/2023",
        "32/1/2024",
        "1/13/2024",
        "Sáng 28/2, tại Hà Nội",
        "",
        "Điện thoại 0239-385-6789",
    ],
)
def test_no_date_or_impossible_date_gives_none(text):
    assert parse_vietnamese_date(text) is None


def test_leap_day_exists_in_leap_year():
    assert parse_vietnamese_date("29/2/2024") == datetime(2024, 2, 29, tzinfo=VN_TZ)


def test_skips_an_impossible_date_to_find_a_real_one():
    assert parse_vietnamese_date("31/2/2024 hoặc 1/3/2024") == datetime(2024, 3, 1, tzinfo=VN_TZ)
