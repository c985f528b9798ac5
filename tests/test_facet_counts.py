"""Facets from the engine's top values (issue 18): the values shown and their counts are
exactly those of counting every matching article, ties at the last shown value included."""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import datetime

import pytest

from crawler.article import Article, Person
from indexer import SearchQuery, open_engine, rebuild_index
from indexer.engine_common import FACET_LIMIT, order_facet
from indexer.facet_counts import TOP_ASKED, top_is_exact

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("tantivy") is None, reason="tantivy is not installed"
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh")


def person(n: int) -> str:
    return f"{SURNAMES[n % 8]} Văn {GIVEN[n // 8 % 9]}{'' if n < 72 else ' Tú'}"


def corpus(counts: list[int]) -> list[Article]:
    """Articles about "đê điều", person n named in counts[n] of them."""
    articles, people_of = [], {}
    for n, count in enumerate(counts):
        for k in range(count):
            people_of.setdefault(k, []).append(person(n))
    for k, names in people_of.items():
        articles.append(
            Article(
                url=f"https://baotinh.example.vn/de-{k}.html",
                title=f"Kiểm tra đê điều đợt {k}",
                body="Đoàn kiểm tra đê điều trước mùa mưa bão.",
                source="baotinh.example.vn",
                category=f"Mục {k % 30}",
                published=datetime(2024, 1 + k % 12, 5, 8, 0),
                people=[Person(name=name) for name in names],
            )
        )
    return articles


# Person counts: a clear top, then a long run tied at the 20th value (the fallback path),
# and one where the 20th value stands above the 40th (the top values alone decide).
TIED = [30 - n for n in range(15)] + [5] * 60
CLEAR = [90 - n for n in range(50)] + [1] * 30


@pytest.mark.parametrize("counts", [TIED, CLEAR], ids=["tied", "clear"])
def test_facets_equal_counting_every_article(tmp_path, counts):
    articles = corpus(counts)
    rebuild_index(tmp_path, articles, engine="tantivy")
    engine = open_engine(tmp_path)
    try:
        page = engine.search(SearchQuery(text="đê điều", facets=True))
    finally:
        engine.close()
    every = Counter(name for a in articles for name in a.person_names)
    assert page.facets["person"] == order_facet("person", every.items())
    assert len(page.facets["person"]) == FACET_LIMIT
    categories = Counter(a.category for a in articles)
    assert page.facets["category"] == order_facet("category", categories.items())


def test_a_tie_at_the_boundary_asks_for_every_value():
    received = [(f"p{i}", 5) for i in range(TOP_ASKED)]
    assert not top_is_exact("person", received)
    received = [(f"p{i}", 100 - i) for i in range(TOP_ASKED)]
    assert top_is_exact("person", received)
    assert top_is_exact("person", received[:10])  # fewer than asked: every value came
    assert top_is_exact("source", [(f"s{i}", 1) for i in range(TOP_ASKED)])
