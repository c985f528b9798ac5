"""The query language: what journalists type, read into our AST, and written back canonically."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from indexer.querylang import (
    MAX_TERMS,
    AllOf,
    AnyOf,
    Node,
    Not,
    ParsedQuery,
    Phrase,
    Term,
    parse_query,
    unparse,
)


def words(*texts: str, field: str | None = None) -> tuple[Term, ...]:
    return tuple(Term(t, field) for t in texts)


def root_of(text: str) -> Node | None:
    parsed = parse_query(text)
    assert parsed.warnings == (), parsed.warnings
    return parsed.root


# --- words, phrases, normalisation -------------------------------------------------------


def test_words_are_all_required():
    assert root_of("nông thôn mới") == AllOf(words("nông", "thôn", "mới"))


def test_single_word_is_a_term():
    assert root_of("Hà") == Term("Hà")


def test_nfd_input_reads_like_nfc():
    nfd = unicodedata.normalize("NFD", "Hà Tĩnh")
    assert parse_query(nfd) == parse_query("Hà Tĩnh")
    assert root_of(nfd) == AllOf(words("Hà", "Tĩnh"))


def test_whitespace_and_invisible_characters_collapse():
    assert root_of("  bão\u200b \t\n lũ\u00a0 ") == AllOf(words("bão", "lũ"))


def test_phrase():
    assert root_of('"nông thôn mới"') == Phrase(("nông", "thôn", "mới"))


def test_typographic_quotes_make_a_phrase():
    assert root_of("“Hà Tĩnh” lũ") == AllOf((Phrase(("Hà", "Tĩnh")), Term("lũ")))


def test_one_word_phrase_is_a_term():
    assert root_of('"bão"') == Term("bão")


def test_unbalanced_quote_runs_to_end_with_warning():
    parsed = parse_query('lũ "sạt lở đất')
    assert parsed.root == AllOf((Term("lũ"), Phrase(("sạt", "lở", "đất"))))
    assert any("ngoặc kép" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("chết?", "chết"), ("bão*", "bão"), ("lũ~2", "lũ"), ("mưa^3", "mưa"), ("lũ:", "lũ")],
)
def test_engine_syntax_is_stripped(typed: str, expected: str):
    assert root_of(typed) == Term(expected)


def test_only_punctuation_leaves_nothing_with_warning():
    parsed = parse_query("? : *")
    assert parsed.root is None
    assert parsed.warnings


def test_empty_query_is_quiet():
    assert parse_query("   ") == ParsedQuery(None, None, None)
    assert parse_query("").warnings == ()


# --- OR, exclusion, grouping -------------------------------------------------------------


@pytest.mark.parametrize("operator", ["OR", "HOẶC", "hoặc", "Hoặc", "|"])
def test_or_spellings(operator: str):
    assert root_of(f"bão {operator} lũ") == AnyOf(words("bão", "lũ"))


def test_lowercase_or_is_a_word():
    assert root_of("rock or roll") == AllOf(words("rock", "or", "roll"))


def test_or_binds_tighter_than_implicit_and():
    expected = AllOf((Term("miền"), Term("Trung"), AnyOf(words("bão", "lũ"))))
    assert root_of("miền Trung bão OR lũ") == expected


@pytest.mark.parametrize("text", ["OR bão", "bão OR", "(bão OR) lũ", "OR", "|"])
def test_dangling_or_is_ignored_with_warning(text: str):
    parsed = parse_query(text)
    assert any("OR" in w for w in parsed.warnings)
    assert parsed.root in (Term("bão"), AllOf(words("bão", "lũ")), None)


def test_exclusions():
    parsed = parse_query('lũ -bão -"sạt lở" -nguoi:"Võ Trọng Hải"')
    assert parsed.root == AllOf(
        (
            Term("lũ"),
            Not(Term("bão")),
            Not(Phrase(("sạt", "lở"))),
            Not(Phrase(("Võ", "Trọng", "Hải"), "person")),
        )
    )
    assert parsed.terms() == ["lũ"]


@pytest.mark.parametrize("text", ["-bão", '-bão -"sạt lở"', "-(bão lũ)", "(-bão)"])
def test_only_exclusions_give_no_root_and_a_warning(text: str):
    parsed = parse_query(text)
    assert parsed.root is None
    assert any("loại trừ" in w for w in parsed.warnings)


def test_lone_dash_is_punctuation():
    assert root_of("Hà Nội - Hải Phòng") == AllOf(words("Hà", "Nội", "Hải", "Phòng"))


def test_exclusion_inside_or_is_dropped_with_warning():
    parsed = parse_query("bão OR -lũ")
    assert parsed.root == Term("bão")
    assert parsed.warnings


def test_parentheses_group():
    expected = AnyOf((AllOf(words("nông", "thôn")), Term("đô_thị")))
    assert root_of("(nông thôn) OR đô_thị") == expected
    assert root_of("bão -(lũ quét)") == AllOf((Term("bão"), Not(AllOf(words("lũ", "quét")))))


def test_double_negation_cancels():
    assert root_of("bão -(-lũ)") == AllOf(words("bão", "lũ"))


@pytest.mark.parametrize(("text", "expected"), [("((", None), ("(bão", Term("bão"))])
def test_unclosed_parenthesis_warns(text: str, expected: Node | None):
    parsed = parse_query(text)
    assert parsed.root == expected
    assert any("ngoặc đóng" in w for w in parsed.warnings)


def test_stray_closing_parenthesis_warns():
    parsed = parse_query("bão) lũ")
    assert parsed.root == AllOf(words("bão", "lũ"))
    assert parsed.warnings


def test_deep_nesting_does_not_recurse_forever():
    parsed = parse_query("(" * 400 + "bão" + ")" * 400)
    assert parsed.root == Term("bão")
    assert any("lồng nhau" in w for w in parsed.warnings)


def test_and_not_keywords():
    assert root_of("bão AND lũ NOT mưa") == AllOf((Term("bão"), Term("lũ"), Not(Term("mưa"))))


# --- field prefixes ----------------------------------------------------------------------

FIELD_SPELLINGS = [
    ("tieude", "title"),
    ("tiêuđề", "title"),
    ("TIÊUĐỀ", "title"),
    ("TieuDe", "title"),
    ("title", "title"),
    ("Title", "title"),
    ("nguoi", "person"),
    ("người", "person"),
    ("Người", "person"),
    ("person", "person"),
    ("nguon", "source"),
    ("nguồn", "source"),
    ("NGUỒN", "source"),
    ("source", "source"),
    ("chuyenmuc", "category"),
    ("chuyênmục", "category"),
    ("category", "category"),
]


@pytest.mark.parametrize(("prefix", "field"), FIELD_SPELLINGS)
def test_field_prefix_spellings(prefix: str, field: str):
    assert root_of(f"{prefix}:bão") == Term("bão", field)
    assert root_of(f'{prefix}:"Võ Trọng Hải"') == Phrase(("Võ", "Trọng", "Hải"), field)


def test_fields_mix_with_words():
    parsed = parse_query('kinh tế nguon:baohatinh.vn chuyenmuc:"Xã hội"')
    assert parsed.root == AllOf(
        (*words("kinh", "tế"), Term("baohatinh.vn", "source"), Phrase(("Xã", "hội"), "category"))
    )


@pytest.mark.parametrize("text", ["abc:xyz", "10:30", "http://baohatinh.vn/a.htm"])
def test_unknown_prefix_is_plain_text(text: str):
    assert root_of(text) == Term(text)


@pytest.mark.parametrize("text", ["nguoi:", 'nguoi:""', "tieude: bão"])
def test_missing_field_value_warns(text: str):
    parsed = parse_query(text)
    assert parsed.root in (None, Term("bão"))
    assert any("nguoi:" in w or "tieude:" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        # Headlines pasted as queries: "Nội" is not "nơi" (the diacritics typed are meant),
        # and a capitalised word before a colon and a space is the text's own word.
        ("Hà Nội: Khuyến cáo người dân", "Hà Nội Khuyến cáo người dân"),
        ("Nội:bão", "Nội:bão"),
        ("Ngày: 28/2/2024 bão", "Ngày 28/2/2024 bão"),
        ("Nguồn: chinhphu.vn", "Nguồn chinhphu.vn"),
        # The prefixes themselves still work, with or without their own diacritics.
        ('nơi:"Cẩm Bình"', 'noi:"Cẩm Bình"'),
        ("Nơi:bão", "noi:bão"),
        ('Người:"Võ Trọng Hải"', 'nguoi:"Võ Trọng Hải"'),
    ],
)
def test_headline_words_before_a_colon_are_not_prefixes(typed: str, canonical: str):
    parsed = parse_query(typed)
    assert unparse(parsed) == canonical
    assert not parsed.warnings


def test_a_lowercase_prefix_then_a_space_still_warns():
    parsed = parse_query("noi: bão")
    assert parsed.root == Term("bão")
    assert any("noi:" in w for w in parsed.warnings)


# --- dates -------------------------------------------------------------------------------

D = date


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-03-05", D(2024, 3, 5), D(2024, 3, 5)),
        ("28/2/2024", D(2024, 2, 28), D(2024, 2, 28)),
        ("2/2024", D(2024, 2, 1), D(2024, 2, 29)),
        ("28.02.2024", D(2024, 2, 28), D(2024, 2, 28)),
        ("2024-01-01..2024-03-31", D(2024, 1, 1), D(2024, 3, 31)),
        ("2024..2025-03", D(2024, 1, 1), D(2025, 3, 31)),
        ("1/2024..28/2/2024", D(2024, 1, 1), D(2024, 2, 28)),
        ("..2024-03-31", None, D(2024, 3, 31)),
        ("2024-01-01..", D(2024, 1, 1), None),
    ],
)
def test_date_filters(value: str, start: date | None, end: date | None):
    parsed = parse_query(f"bão ngay:{value}")
    assert parsed.warnings == ()
    assert (parsed.root, parsed.date_from, parsed.date_to) == (Term("bão"), start, end)


@pytest.mark.parametrize("prefix", ["ngay", "ngày", "NGÀY", "date"])
def test_date_prefix_spellings(prefix: str):
    parsed = parse_query(f"{prefix}:2024-03")
    assert (parsed.root, parsed.date_from, parsed.date_to) == (None, D(2024, 3, 1), D(2024, 3, 31))
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("abc", "không hiểu"),
        ("2024-13", "tháng 13"),
        ("2024-02-31", "31/2/2024"),
        ("30/2/2024", "30/2/2024"),
        ("..", "không có ngày"),
        ("", "thiếu ngày"),
        ("0000", "năm"),
    ],
)
def test_impossible_dates_are_ignored_with_warning(value: str, hint: str):
    parsed = parse_query(f"bão ngay:{value}")
    assert (parsed.root, parsed.date_from, parsed.date_to) == (Term("bão"), None, None)
    assert len(parsed.warnings) == 1 and hint in parsed.warnings[0]


def test_reversed_range_is_swapped_and_said_so():
    parsed = parse_query("ngay:2024-03-31..2024-01-01")
    assert (parsed.date_from, parsed.date_to) == (D(2024, 1, 1), D(2024, 3, 31))
    assert "đổi chỗ" in parsed.warnings[0]


def test_two_date_filters_intersect():
    parsed = parse_query("ngay:2024 ngay:2024-02..2025")
    assert (parsed.date_from, parsed.date_to) == (D(2024, 2, 1), D(2024, 12, 31))
    assert parsed.warnings == ()


def test_disjoint_date_filters_keep_the_first():
    parsed = parse_query("ngay:2023 ngay:2024")
    assert (parsed.date_from, parsed.date_to) == (D(2023, 1, 1), D(2023, 12, 31))
    assert "không giao nhau" in parsed.warnings[0]


def test_negated_date_is_ignored_with_warning():
    parsed = parse_query("bão -ngay:2024")
    assert (parsed.root, parsed.date_from) == (Term("bão"), None)
    assert parsed.warnings


def test_date_in_or_applies_to_whole_query_with_warning():
    parsed = parse_query("bão OR ngay:2024")
    assert (parsed.root, parsed.date_from) == (Term("bão"), D(2024, 1, 1))
    assert parsed.warnings


# --- limits, terms() ---------------------------------------------------------------------


def test_term_count_is_capped():
    parsed = parse_query(" ".join(f"từ{i}" for i in range(MAX_TERMS + 8)))
    assert parsed.root == AllOf(words(*(f"từ{i}" for i in range(MAX_TERMS))))
    assert any(str(MAX_TERMS) in w for w in parsed.warnings)


def test_long_phrase_is_truncated_to_the_cap():
    parsed = parse_query('"' + " ".join(f"w{i}" for i in range(MAX_TERMS + 5)) + '"')
    assert parsed.root == Phrase(tuple(f"w{i}" for i in range(MAX_TERMS)))
    assert parsed.warnings


def test_terms_are_positive_words_once_each():
    parsed = parse_query('bão "lũ quét" OR nguoi:Hải bão -mưa -"sạt lở"')
    assert parsed.terms() == ["bão", "lũ", "quét", "Hải"]


def test_repeated_words_are_asked_once():
    assert root_of("bão bão lũ") == AllOf(words("bão", "lũ"))


# --- unparse -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        (
            'Tiêuđề:bão  NGƯỜI:"Võ Trọng Hải" source:x.vn',
            'tieude:bão nguoi:"Võ Trọng Hải" nguon:x.vn',
        ),
        ("bão | lũ HOẶC mưa", "bão OR lũ OR mưa"),
        ("(a b) OR c -(d OR e)", "(a b) OR c -(d OR e)"),
        ('"OR" "hoặc" "tieude:x" "AND"', '"OR" "hoặc" "tieude:x" "AND"'),
        ("ngày:1/2024..31/12/2024", "ngay:2024"),
        ("ngay:2/2024", "ngay:2024-02"),
        ("ngay:28/2/2024", "ngay:2024-02-28"),
        ("ngay:2024..2024-03-15", "ngay:2024-01-01..2024-03-15"),
        ("ngay:..3/2024 bão", "bão ngay:..2024-03-31"),
        ("", ""),
    ],
)
def test_unparse_is_canonical(typed: str, canonical: str):
    assert unparse(parse_query(typed)) == canonical


# --- properties --------------------------------------------------------------------------

SYNTAX_PIECES = [
    " ", '"', "(", ")", "-", "|", ":", "..", "?", "*", "~2", "^", "OR", "hoặc", "AND", "NOT",
    "tieude:", "Người:", "nguon:", "chuyenmuc:", "ngay:", "date:", "2024", "-03", "/2/", "31",
    "bão", "lũ", "Hà", "Tĩnh", "a", "\u0301", "đ", "10:30", "“", "\u200b", "_", ".",
]  # fmt: skip
query_like = st.lists(st.sampled_from(SYNTAX_PIECES), max_size=30).map("".join)


def check_shape(node: Node, parent: type | None = None) -> None:
    """The AST shape guarantees documented for engines."""
    if isinstance(node, AllOf | AnyOf):
        assert len(node.items) >= 2 and parent is not type(node)
        assert isinstance(node, AnyOf) or any(not isinstance(i, Not) for i in node.items)
        for item in node.items:
            assert not (isinstance(node, AnyOf) and isinstance(item, Not))
            check_shape(item, type(node))
    elif isinstance(node, Not):
        assert parent is AllOf and not isinstance(node.item, Not)
        check_shape(node.item, Not)
    elif isinstance(node, Phrase):
        assert len(node.words) >= 2 and all(node.words)
    else:
        assert node.text and node.text == node.text.strip()


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=120), query_like))
@example('nguoi:"a" -(-(x OR "y z")) ngay:2024-02..2024-01 "')
@example("a*\u0301 (\u0301b) đ:x Tiêu_Đề:y")
def test_parse_never_raises_and_round_trips(text: str):
    parsed = parse_query(text)
    assert isinstance(parsed.warnings, tuple)
    if parsed.root is not None:
        check_shape(parsed.root)
        assert len(parsed.terms()) <= MAX_TERMS
    canonical = unparse(parsed)
    again = parse_query(canonical)
    assert again == parsed  # roots and dates; warnings are not compared
    assert again.warnings == ()  # the canonical form is clean
    assert unparse(again) == canonical
