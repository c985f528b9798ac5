"""The exact forms suggestions read from tantivy's dictionary (issue 18): read a prefix at a
time, shared between syllables and prefetched in a new snapshot, and the same forms, in the
same order, as reading each syllable's prefixes alone."""

from __future__ import annotations

import importlib.util
from datetime import datetime

import pytest

from crawler.article import Article
from indexer import SearchQuery, open_engine, rebuild_index
from indexer.analysis import fold

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tantivy") is None, reason="tantivy is not installed"
)

WORDS = (
    "hàng hãng hạng hằng hăng hang hành hạnh hanh hán hàn hãn hai hài hải "
    "đồng động đông dong dòng đóng đơn đón don dọn tỉnh tĩnh tinh tính tình "
    "người ngươi nguồn nguyễn nguyên 2024 1.000 covid Trump Donald"
)
SYLLABLES = ["hang", "hanh", "han", "hai", "dong", "don", "tinh", "nguoi", "nguyen", "2024",
             "covid", "trump", "donald", "khong", "a"]  # fmt: skip


def _forms_one_syllable_at_a_time(searcher, folded: str) -> list[tuple[str, int]]:
    """How the forms were read before: each syllable's prefixes on their own."""
    from indexer.tantivy_forms import form_prefixes

    return [
        (word, df)
        for prefix in form_prefixes(folded)
        for word, df in searcher.terms_with_prefix("text_x", prefix)
        if fold(word) == folded
    ]


@pytest.fixture()
def engine(tmp_path):
    words = WORDS.split()
    articles = [
        Article(
            url=f"https://baotinh.example.vn/{i}.html",
            title=f"Tin {i}",
            body=" ".join(words[i % len(words) :] + words[: i % 7]),
            source="baotinh.example.vn",
            published=datetime(2024, 3, 1 + i % 28, 8, 0),
        )
        for i in range(60)
    ]
    rebuild_index(tmp_path, articles, engine="tantivy")
    found = open_engine(tmp_path)
    yield found
    found.close()


def test_forms_equal_reading_each_syllable_alone(engine):
    searcher = engine._searcher
    forms = engine._exact_forms(searcher)
    for folded in SYLLABLES:
        assert forms.get(folded) == _forms_one_syllable_at_a_time(searcher, folded), folded
    assert {w for w, _ in forms.get("hang")} >= {"hàng", "hãng", "hạng", "hằng", "hăng", "hang"}


def test_a_new_snapshot_reads_the_recent_prefixes_before_any_search(engine):
    engine.search(SearchQuery(text="hang dong"))  # a diacritic-free query: forms are read
    engine.add([Article(url="https://baotinh.example.vn/moi.html", title="Hàng mới",
                        body="Hàng hóa đông đúc.", source="baotinh.example.vn",
                        published=datetime(2024, 5, 1, 8, 0))])  # fmt: skip
    engine.stats()  # the engine notices the commit: a new snapshot, and its warm-up
    engine.warm_up(wait=True)
    forms = engine._generation["forms"]
    assert {"ha", "hà", "do", "đô"} <= set(forms._prefixes)  # read by the warm-up
    assert forms.get("hoa") == _forms_one_syllable_at_a_time(engine._searcher, "hoa")
    assert ("hóa", 1) in forms.get("hoa")  # the new snapshot's terms
