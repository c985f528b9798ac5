"""The indexing fast path (``indexer.index_forms``) gives exactly what ``token_strings`` gives,
and tantivy's ``document_fields`` the very strings the per-token path built."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import index_forms as forms_module
from indexer.analysis import MAX_TOKEN_CHARS, token_strings
from indexer.index_forms import index_forms
from tests.document_fields_sample import DIGEST_FILE, EDGE_TEXTS, field_digests, sample_articles
from tests.test_analysis import any_text, tricky_text, vietnamese_text


def same_as_token_strings(text: str) -> None:
    strings, forms = token_strings(text), index_forms(text)
    assert forms.words(folded=False) == strings.exact
    assert forms.words() == strings.folded
    assert forms.pairs() == strings.pairs()
    assert forms.pairs(folded=False) == strings.pairs(folded=False)


@given(st.one_of(any_text, vietnamese_text, tricky_text))
def test_index_forms_are_token_strings(text):
    same_as_token_strings(text)


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_index_forms_of_edge_texts(text):
    same_as_token_strings(text)


def test_index_forms_of_a_sentence():
    forms = index_forms("Hoà Bình. Ðà Nẵng-Huế, covid-19 " + "x" * (MAX_TOKEN_CHARS + 1) + " a b")
    assert forms.words(folded=False) == [
        "hòa",
        "bình",
        "đà",
        "nẵng",
        "huế",
        "covid",
        "19",
        "a",
        "b",
    ]
    assert forms.pairs() == ["hoa_binh", "da_nang", "nang_hue", "hue_covid", "covid_19", "a_b"]


def test_the_form_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(forms_module, "MEMO_LIMIT", 5)
    text = " ".join(f"từ{n}" for n in range(40))
    assert index_forms(text).words() == [f"tu{n}" for n in range(40)]
    memo = forms_module._EXACT.__self__
    assert len(memo) <= 5


def test_document_fields_are_the_strings_the_old_path_built():
    pytest.importorskip("tantivy", reason="tantivy (optional engine) is not installed")
    from indexer.tantivy_schema import document_fields

    expected = json.loads(DIGEST_FILE.read_text(encoding="utf-8"))
    articles = sample_articles()
    assert len(articles) == len(expected) > 40
    for article in articles:
        assert field_digests(document_fields(article)) == expected[article.url], article.url
