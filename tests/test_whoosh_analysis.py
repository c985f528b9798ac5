"""Whoosh wrappers of the Vietnamese analysis: token streams, pairs, pickling, a real index."""

from __future__ import annotations

import pickle
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import fields, highlight, query
from whoosh.filedb.filestore import RamStorage
from whoosh.index import create_in, open_dir

from indexer.analysis import pairs, tokenize
from indexer.whoosh_analysis import (
    SyllablePairFilter,
    VietnameseTokenizer,
    exact_analyzer,
    folded_analyzer,
    pair_analyzer,
)

ANALYZERS = {
    "exact": exact_analyzer,
    "folded": folded_analyzer,
    "pairs_exact": lambda: pair_analyzer(folded=False),
    "pairs_folded": lambda: pair_analyzer(folded=True),
}


def stream(analyzer, text: str, **kwargs) -> list[str]:
    return [t.text for t in analyzer(text, **kwargs)]


def detailed(analyzer, text: str, **kwargs) -> list[tuple[str, int, int, int]]:
    tokens = analyzer(text, positions=True, chars=True, **kwargs)
    return [(t.text, t.pos, t.startchar, t.endchar) for t in tokens]


@pytest.mark.parametrize(
    "text, exact, folded",
    [
        (unicodedata.normalize("NFD", "Tĩnh"), ["tĩnh"], ["tinh"]),
        ("ĐÀ NẴNG", ["đà", "nẵng"], ["da", "nang"]),
        ("Ðắk Lắk", ["đắk", "lắk"], ["dak", "lak"]),
        ("Ở Ý", ["ở", "ý"], ["o", "y"]),
        ("COVID-19 tăng 5,02%", ["covid", "19", "tăng", "5,02"], ["covid", "19", "tang", "5,02"]),
        ("1.000 tỷ, U23", ["1.000", "tỷ", "u23"], ["1.000", "ty", "u23"]),
        ("«Hà Nội» — 🌧️ mưa!", ["hà", "nội", "mưa"], ["ha", "noi", "mua"]),
        ("", [], []),
    ],
)
def test_syllable_streams(text, exact, folded):
    assert stream(exact_analyzer(), text) == exact
    assert stream(folded_analyzer(), text) == folded


@pytest.mark.parametrize("name", ANALYZERS)
@pytest.mark.parametrize(
    "first_vowel, second_vowel",
    [("Hòa Bình", "Hoà Bình"), ("thủy lợi", "thuỷ lợi"), ("sức khỏe", "sức khoẻ"), ("Ủy", "Uỷ")],
)
def test_both_tone_placements_give_identical_tokens(name, first_vowel, second_vowel):
    analyzer = ANALYZERS[name]()
    assert detailed(analyzer, first_vowel) == detailed(analyzer, second_vowel)


def test_positions_and_chars_come_from_the_pure_tokens():
    text = "Chủ tịch UBND tỉnh Hà Tĩnh"
    expected = [(t.text, t.pos, t.start, t.end) for t in tokenize(text)]
    assert detailed(exact_analyzer(), text) == expected
    assert all(text[s:e].lower() == word for word, _, s, e in expected)


def test_start_pos_and_start_char_shift_tokens():
    tokens = detailed(folded_analyzer(), "Hà Nội", start_pos=10, start_char=100)
    assert tokens == [("ha", 10, 100, 102), ("noi", 11, 103, 106)]


@pytest.mark.parametrize("folded", [False, True])
def test_pair_stream_matches_the_pure_pairs(folded):
    text = "Xây dựng nông thôn mới. Hà Tĩnh\nnăm 2024"
    expected = [
        (p.folded if folded else p.text, p.pos, p.start, p.end) for p in pairs(tokenize(text))
    ]
    assert detailed(pair_analyzer(folded=folded), text) == expected
    assert ("nong_thon" if folded else "nông_thôn") in [e[0] for e in expected]
    assert all("mới_hà" not in e[0] and "moi_ha" not in e[0] for e in expected)


def test_pair_filter_needs_two_syllables():
    assert stream(pair_analyzer(folded=True), "Huế") == []
    assert stream(pair_analyzer(folded=True), "") == []


def test_unsplit_value_gets_the_same_forms():
    assert stream(exact_analyzer(), "Hoà", tokenize=False) == ["hòa"]
    assert stream(folded_analyzer(), "ĐÀ", tokenize=False) == ["da"]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        VietnameseTokenizer("stemmed")


@pytest.mark.parametrize("name", ANALYZERS)
def test_analyzers_survive_pickling(name):
    analyzer = ANALYZERS[name]()
    restored = pickle.loads(pickle.dumps(analyzer))
    assert restored == analyzer
    text = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hà Tĩnh"
    assert detailed(restored, text) == detailed(analyzer, text)


def test_exact_and_folded_tokenizers_differ():
    assert exact_analyzer() != folded_analyzer()
    assert pair_analyzer(folded=True) != pair_analyzer(folded=False)
    assert isinstance(pair_analyzer(folded=True)[-1], SyllablePairFilter)


@given(st.text())
def test_wrappers_never_raise_and_agree_with_tokenize(text):
    assert stream(exact_analyzer(), text) == [t.text for t in tokenize(text)]
    assert stream(folded_analyzer(), text) == [t.folded for t in tokenize(text)]
    assert stream(pair_analyzer(folded=True), text) == [p.folded for p in pairs(tokenize(text))]


def _schema() -> fields.Schema:
    return fields.Schema(
        body_f=fields.TEXT(analyzer=folded_analyzer(), phrase=True, stored=True, chars=True),
        body_x=fields.TEXT(analyzer=exact_analyzer(), phrase=True),
        pairs_f=fields.TEXT(analyzer=pair_analyzer(folded=True), phrase=False),
    )


DOCS = [
    "Tỉnh Hà Tĩnh đẩy mạnh xây dựng nông thôn mới.",
    "Thời tiết Hà Nội: mưa. Tĩnh lặng trên phố.",
]


def _add_docs(index) -> None:
    with index.writer() as writer:
        for text in DOCS:
            writer.add_document(body_f=text, body_x=text, pairs_f=text)


def _matching(searcher, q) -> list[str]:
    return sorted(hit["body_f"] for hit in searcher.search(q))


def test_index_phrases_pairs_and_folded_terms():
    index = RamStorage().create_index(_schema())
    _add_docs(index)
    with index.searcher() as searcher:
        assert _matching(searcher, query.Phrase("body_f", ["ha", "tinh"])) == [DOCS[0]]
        assert _matching(searcher, query.Term("body_x", "tĩnh")) == sorted(DOCS)
        assert _matching(searcher, query.Term("pairs_f", "nong_thon")) == [DOCS[0]]
        # "mưa. Tĩnh" is no pair: the sentence break stops it.
        assert _matching(searcher, query.Term("pairs_f", "mua_tinh")) == []


def test_highlighting_marks_the_original_syllable():
    index = RamStorage().create_index(_schema())
    _add_docs(index)
    with index.searcher() as searcher:
        results = searcher.search(query.Term("body_f", "nong"))
        results.formatter = highlight.UppercaseFormatter()
        assert "NÔNG" in results[0].highlights("body_f")


def test_schema_with_analyzers_reopens_from_disk(tmp_path):
    _add_docs(create_in(tmp_path, _schema()))
    reopened = open_dir(tmp_path)
    assert reopened.schema["pairs_f"].analyzer == pair_analyzer(folded=True)
    with reopened.searcher() as searcher:
        assert _matching(searcher, query.Term("body_f", "day")) == [DOCS[0]]  # đẩy
        assert _matching(searcher, query.Phrase("body_f", ["nong", "thon", "moi"])) == [DOCS[0]]


def positional(analyzer, text: str, **kwargs) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in analyzer(text, positions=True, mode="index", **kwargs)]


@pytest.mark.parametrize("name", ANALYZERS)
@given(
    st.lists(
        st.sampled_from(["hoà", "uỷ", "Ðà", "a-b", "1.5", "x" * 70, " ", ". ", "\n", "-"])
    ).map("".join)
)
def test_indexing_path_without_offsets_gives_the_same_tokens(name, text):
    # Whoosh indexes without character offsets: that path skips Token objects (token_strings).
    analyzer = ANALYZERS[name]()
    with_offsets = [(t, p) for t, p, _, _ in detailed(analyzer, text)]
    assert positional(analyzer, text) == with_offsets
    assert stream(analyzer, text) == [t for t, _ in with_offsets]
