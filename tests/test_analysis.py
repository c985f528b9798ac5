"""The pure Vietnamese analysis: normalization, tone placement, folding, tokens and pairs."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import (
    COMMON_SYLLABLES,
    MAX_TOKEN_CHARS,
    STOPWORDS,
    Token,
    canonical_tones,
    fold,
    has_diacritics,
    normalize,
    pairs,
    token_strings,
    tokenize,
)

MARKS = {"huyền": "\u0300", "sắc": "\u0301", "hỏi": "\u0309", "ngã": "\u0303", "nặng": "\u0323"}
BASE_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_LOWER = sorted(
    {unicodedata.normalize("NFC", v + m) for v in BASE_VOWELS for m in ("", *MARKS.values())}
    | set("bcdđghklmnpqrstvx")
)
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + [c.upper() for c in VIETNAMESE_LOWER]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def folded(text: str) -> list[str]:
    return [t.folded for t in tokenize(text)]


def with_mark(letter: str, mark: str) -> str:
    return unicodedata.normalize("NFC", letter + mark)


# --- tone placement ---------------------------------------------------------------------


@pytest.mark.parametrize("onset", ["", "h", "th", "kh", "ng", "x"])
@pytest.mark.parametrize("nucleus", ["oa", "oe", "uy"])
@pytest.mark.parametrize("mark", MARKS.values(), ids=MARKS.keys())
def test_both_tone_placements_normalize_to_the_first_vowel(onset, nucleus, mark):
    first, second = nucleus
    on_first = onset + with_mark(first, mark) + second
    on_second = onset + first + with_mark(second, mark)
    assert normalize(on_second) == on_first
    assert normalize(on_first) == on_first
    assert normalize(on_second.upper()) == on_first.upper()
    assert texts(on_second.capitalize()) == texts(on_first) == [on_first]


@pytest.mark.parametrize(
    "word, expected",
    [("hoà", "hòa"), ("Thuỷ", "Thủy"), ("KHOẺ", "KHỎE"), ("uỷ", "ủy"), ("Uỷ", "Ủy")],
)
def test_common_second_vowel_spellings_are_rewritten(word, expected):
    assert canonical_tones(word) == expected


@pytest.mark.parametrize(
    "word",
    [
        "hoàng",  # closed syllable: the mark is always on the second vowel
        "thuyết",
        "khoét",
        "khuỷu",  # the pair is followed by another vowel
        "ngoài",
        "quý",  # qu- is an onset: the mark stays on y
        "quà",
        "qùy",  # already odd: skipped, not "repaired" into something else
        "già",  # gi- is an onset
        "thuở",  # never move a tone off ơ/ê/â/ô/ă/ư
        "huế",
        "thuế",
        "hoà1",  # digits glued to it: not a Vietnamese syllable, left alone
    ],
)
def test_syllables_outside_the_rule_keep_their_tone(word):
    assert normalize(word) == word


def test_tone_rule_applies_inside_running_text_and_keeps_length():
    text = "Uỷ ban tỉnh Khánh Hoà, THUỶ lợi; sức khoẻ (hoà-bình)"
    result = normalize(text)
    assert result == "Ủy ban tỉnh Khánh Hòa, THỦY lợi; sức khỏe (hòa-bình)"
    assert len(result) == len(text)


def test_normalize_composes_nfd_and_keeps_case():
    assert normalize(nfd("Tĩnh Hà Tĩnh ĐẮK LẮK")) == "Tĩnh Hà Tĩnh ĐẮK LẮK"


def test_normalize_maps_the_eth_lookalike_to_d_with_stroke():
    assert normalize("Ðà Nẵng ðường") == "Đà Nẵng đường"


# --- folding ----------------------------------------------------------------------------


def test_fold_removes_every_mark_and_strokes():
    assert fold("Đường Hồ Chí Minh, ĐÀ NẴNG, Ðắk") == "Duong Ho Chi Minh, DA NANG, Dak"


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_fold_gives_ascii_for_every_vietnamese_letter(letter):
    result = fold(letter)
    assert result.isascii() and len(result) == 1
    assert result.isupper() == letter.isupper()


def test_fold_accepts_nfd_input():
    assert fold(nfd("Nghệ An")) == "Nghe An"


@pytest.mark.parametrize(
    "token, expected",
    [("ha", False), ("hà", True), ("da", False), ("đa", True), ("covid-19", False), ("ý", True)],
)
def test_has_diacritics(token, expected):
    assert has_diacritics(token) is expected


# --- tokens -----------------------------------------------------------------------------


def test_nfd_input_gives_one_token_per_syllable():
    assert texts(nfd("Tĩnh")) == ["tĩnh"]


def test_capitals_are_lowercased_and_folded():
    assert texts("ĐÀ NẴNG") == ["đà", "nẵng"]
    assert folded("ĐÀ NẴNG") == ["da", "nang"]


def test_one_letter_words_are_kept():
    assert texts("Ở Ý, à, ừ thì y tá") == ["ở", "ý", "à", "ừ", "thì", "y", "tá"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("COVID-19", ["covid", "19"]),
        ("tăng 5,02% so với", ["tăng", "5,02", "so", "với"]),
        ("1.000 tỷ đồng", ["1.000", "tỷ", "đồng"]),
        ("đội U23 Việt Nam", ["đội", "u23", "việt", "nam"]),
        ("năm 2020. Hôm nay", ["năm", "2020", "hôm", "nay"]),
        ("ngày 28/2/2024", ["ngày", "28", "2", "2024"]),
        ("virus SARS-CoV-2", ["virus", "sars", "cov", "2"]),
        (
            "tiêm kháng thể F-16, 5-10 người",
            ["tiêm", "kháng", "thể", "f", "16", "5", "10", "người"],
        ),
        ("tỉnh Bà Rịa-Vũng Tàu", ["tỉnh", "bà", "rịa", "vũng", "tàu"]),
        ("TP.HCM", ["tp", "hcm"]),
        ("“Sức khỏe” (số 1) - tin vắn…", ["sức", "khỏe", "số", "1", "tin", "vắn"]),
        ("Hà Nội 😀🇻🇳 mưa", ["hà", "nội", "mưa"]),
        ("snake_case", ["snake", "case"]),
        ("", []),
        ("  ... !!! ", []),
    ],
)
def test_token_lists(text, expected):
    assert texts(text) == expected


def test_positions_count_syllables_and_offsets_point_into_nfc_text():
    text = "Sở Y tế tỉnh Hà Tĩnh: 1.000 ca COVID-19."
    tokens = tokenize(text)
    assert [t.pos for t in tokens] == list(range(len(tokens)))
    assert [text[t.start : t.end].lower() for t in tokens] == [t.text for t in tokens]


def test_offsets_index_the_normalized_text_for_nfd_input():
    text = nfd("Thừa Thiên Huế")
    tokens = tokenize(text)
    normalized = normalize(text)
    assert len(normalized) < len(text)
    assert [normalized[t.start : t.end].lower() for t in tokens] == ["thừa", "thiên", "huế"]


def test_overlong_tokens_are_dropped_and_break_adjacency():
    blob = "x" * (MAX_TOKEN_CHARS + 1)
    tokens = tokenize(f"nông {blob} thôn")
    assert [t.text for t in tokens] == ["nông", "thôn"]
    assert pairs(tokens) == []


# --- pairs ------------------------------------------------------------------------------


def test_pairs_join_adjacent_syllables_at_the_first_position():
    text = "Xây dựng nông thôn mới"
    found = pairs(tokenize(text))
    assert [p.text for p in found] == ["xây_dựng", "dựng_nông", "nông_thôn", "thôn_mới"]
    assert [p.folded for p in found][2] == "nong_thon"
    assert [p.pos for p in found] == [0, 1, 2, 3]
    assert text[found[2].start : found[2].end] == "nông thôn"


@pytest.mark.parametrize("separator", [". ", "! ", "? ", "; ", ": ", "\n", " – ", "… "])
def test_no_pair_across_sentence_punctuation(separator):
    found = pairs(tokenize(f"Hà Nội{separator}Hải Phòng"))
    assert [p.text for p in found] == ["hà_nội", "hải_phòng"]


def test_pairs_cross_commas_quotes_and_split_hyphens():
    found = [p.text for p in pairs(tokenize("Rịa-Vũng, “Tàu”"))]
    assert found == ["rịa_vũng", "vũng_tàu"]
    assert [p.text for p in pairs(tokenize("Covid-19"))] == ["covid_19"]


# --- stopword policy --------------------------------------------------------------------


def test_no_syllable_is_dropped_by_default():
    assert not STOPWORDS
    assert texts("Bộ Kế hoạch và Đầu tư") == ["bộ", "kế", "hoạch", "và", "đầu", "tư"]


def test_common_syllables_hold_exact_and_folded_forms():
    assert {"và", "của", "cua", "được", "duoc"} <= COMMON_SYLLABLES
    assert all(fold(word) in COMMON_SYLLABLES for word in COMMON_SYLLABLES)


# --- properties -------------------------------------------------------------------------

vietnamese_text = st.text(
    alphabet=st.sampled_from([*VIETNAMESE_LETTERS, " ", ".", ",", "-", "\n", "0", "9"])
)
any_text = st.text(alphabet=st.characters(codec="utf-8"))


@given(any_text)
def test_analysis_never_raises_and_offsets_stay_in_range(text):
    normalized = normalize(text)
    fold(text)
    has_diacritics(text)
    tokens = tokenize(text)
    pairs(tokens)
    assert all(0 <= t.start < t.end <= len(normalized) for t in tokens)


@given(st.one_of(any_text, vietnamese_text))
def test_normalize_is_idempotent_and_keeps_nfc_length(text):
    once = normalize(text)
    assert normalize(once) == once
    assert len(once) == len(unicodedata.normalize("NFC", text))


@given(st.one_of(any_text, vietnamese_text))
def test_tokenize_is_idempotent_on_its_own_output(text):
    first = texts(text)
    assert texts(" ".join(first)) == first


@given(st.one_of(any_text, vietnamese_text))
def test_nfd_input_does_not_change_tokens(text):
    normalized = normalize(text)
    assert texts(nfd(normalized)) == texts(normalized) == texts(text)


@given(vietnamese_text)
def test_fold_is_ascii_for_vietnamese_letters(text):
    assert fold(text).isascii()
    assert fold(nfd(text)).isascii()


def test_tokens_are_ordinary_frozen_tokens():
    token = tokenize("Hà")[0]
    assert token == Token(text="hà", folded="ha", pos=0, start=0, end=2, gap=False)
    assert hash(token) == hash(Token("hà", "ha", 0, 0, 2))
    with pytest.raises(AttributeError):
        token.text = "ha"  # type: ignore[misc]


tricky_words = st.sampled_from(
    [
        "Hoà",
        "THUỶ",
        "uỷ",
        "Ðà",
        "ðồng",
        "quý",
        "hoàng",
        "covid-19",
        "Bà Rịa-Vũng",
        "1.000",
        "5,02",
        "x" * (MAX_TOKEN_CHARS + 1),
        "a-" + "b" * (MAX_TOKEN_CHARS + 1),
        nfd("Tĩnh"),
        "_",
    ]
)
tricky_text = st.lists(
    st.tuples(tricky_words, st.sampled_from([" ", ". ", ", ", "\n", "-", "", "… "]))
).map(lambda parts: "".join(word + sep for word, sep in parts))


@given(st.one_of(any_text, vietnamese_text, tricky_text))
def test_token_strings_are_the_tokens_of_tokenize(text):
    tokens = tokenize(text)
    strings = token_strings(text)
    assert strings.exact == [t.text for t in tokens]
    assert strings.folded == [t.folded for t in tokens]
    assert strings.breaks == [t.pos for t in tokens if t.gap]
    assert strings.pairs() == [p.folded for p in pairs(tokens)]
    assert strings.pairs(folded=False) == [p.text for p in pairs(tokens)]


def test_token_strings_of_a_sentence():
    strings = token_strings("Hoà Bình. Ðà Nẵng-Huế, covid-19")
    assert strings.exact == ["hòa", "bình", "đà", "nẵng", "huế", "covid", "19"]
    assert strings.folded == ["hoa", "binh", "da", "nang", "hue", "covid", "19"]
    assert strings.breaks == [2]
    assert strings.pairs() == ["hoa_binh", "da_nang", "nang_hue", "hue_covid", "covid_19"]
