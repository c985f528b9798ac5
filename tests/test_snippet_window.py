"""Snippets from a bounded window: the matches are located without tokenizing the text, and
what is marked is exactly what the analyzer matches (issue 18).

Each snippet is checked against the analyzer itself: every token of the shown window that
matches a key is marked, and nothing else is.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from indexer.analysis import tokenize
from indexer.highlight import SNIPPET_TOKENS, query_keys, snippet
from indexer.snippet_locate import best_anchor, matches, token_spans

FILLER = "Người dân địa phương cho biết tình hình đã ổn định trở lại sau nhiều ngày. "


def _marked_and_expected(html: str, keys: frozenset[str]) -> tuple[list[str], list[str]]:
    """(the words the snippet marks, the words of its window the analyzer matches)."""
    marked = [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html)]
    plain = unescape(re.sub(r"</?mark>", "", html)).strip("… ")
    expected = [
        plain[t.start : t.end] for t in tokenize(plain) if t.folded in keys or t.text in keys
    ]
    return marked, expected


@pytest.mark.parametrize(
    ("text", "typed", "marked"),
    [
        # Tone placement: the text writes "hoà", the query "hòa" (the same word).
        (FILLER * 3 + "Ban tổ chức hoà giải xong.", ["hòa"], ["hoà"]),
        # Case: a capitalized word is still the word.
        (FILLER * 3 + "BÃO số 9 vào bờ.", ["bão"], ["BÃO"]),
        # Diacritics typed are meant: "bảo" is not "bão".
        (FILLER * 3 + "Đảm bảo an toàn khi bão đến.", ["bão"], ["bão"]),
        # Typed without diacritics: every form.
        (FILLER * 3 + "Đảm bảo an toàn khi bão đến.", ["bao"], ["bảo", "bão"]),
        # đ folds to d ("da" is also the filler's "đã").
        ("Đà Nẵng mưa lớn. " + FILLER, ["da", "nang"], ["Đà", "Nẵng", "đã"]),
        # A number is one token: "1" does not match inside "1.000" or "5,1".
        (FILLER * 3 + "Giá 1.000 đồng, lãi 5,1 phần trăm, hạng 1.", ["1"], ["1"]),
        # Hyphenated runs split into their parts.
        (FILLER * 3 + "Dịch Covid-19 lan rộng.", ["covid"], ["Covid"]),
        # A syllable inside a longer word is not a match.
        (FILLER * 3 + "Bảo tàng baoxyz mở cửa.", ["bao"], ["Bảo"]),
    ],
)
def test_marks_exactly_what_the_analyzer_matches(text, typed, marked):
    keys = query_keys(typed, exact_accents=True)
    html = snippet(text, keys)
    found, expected = _marked_and_expected(html, keys)
    assert found == marked
    assert found == expected


def test_located_matches_are_the_analyzers_matching_tokens():
    text = (FILLER + "Cơn bão số 9; bảo vệ đê, BÃO lớn. 1.000 hộ, hạng 1. ") * 5
    keys = query_keys(["bão", "1"], exact_accents=True)
    by_tokens = [
        (t.start, t.end, t.folded) for t in tokenize(text) if t.folded in keys or t.text in keys
    ]
    assert matches(text, keys) == by_tokens


def test_token_spans_are_the_analyzers_tokens():
    text = (
        "Bà Rịa-Vũng Tàu: giá 1.000 đồng, lãi 5,1%; Covid-19 và F-16 (SARS-CoV-2)… "
        + "x" * 70
        + " hết.\nDòng mới "
        + "a-"
        + "y" * 70
        + " cuối"
    )
    assert token_spans(text, 0, len(text)) == [(t.start, t.end) for t in tokenize(text)]


def test_a_combining_mark_falls_back_to_tokenizing():
    # "e" + combining acute that NFC cannot merge with the following letter's base: the
    # lowercased text's offsets are fine, but the analyzer reads the mark as part of the token.
    text = FILLER * 3 + "Cơn bão q\u0301 đến."
    keys = query_keys(["bão"])
    assert matches(text, keys) is None
    assert "<mark>bão</mark>" in snippet(text, keys)


def test_the_window_with_most_distinct_words_is_chosen():
    text = FILLER * 40 + "giáo viên " + FILLER * 40 + "ngành giáo dục và giáo viên " + FILLER
    keys = query_keys(["giáo", "dục"])
    html = snippet(text, keys)
    assert "<mark>giáo</mark> <mark>dục</mark>" in html
    found = matches(text, keys)
    assert best_anchor(found, SNIPPET_TOKENS) == text.index("giáo dục")


def test_a_match_far_into_a_long_body_is_found_with_a_full_window():
    text = FILLER * 200 + "Cơn bão số 9 đổ bộ. " + FILLER * 20
    html = snippet(text, query_keys(["bão"]))
    plain = re.sub(r"</?mark>", "", html).strip("… ")
    assert html.startswith("… ") and "<mark>bão</mark>" in html
    assert len(plain.split()) == SNIPPET_TOKENS


def test_a_match_at_the_very_end_is_shown():
    text = FILLER * 30 + "bão"
    html = snippet(text, query_keys(["bão"]))
    assert html.endswith("<mark>bão</mark>") and html.startswith("… ")
