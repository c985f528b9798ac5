"""Every facet of a page equals counting every matching article by hand, on every engine
(issue 18: engines count only the top values of a facet, and the units below a province only
when one is chosen; what is shown must not change).

The corpus is made for the boundaries: 150 articles, each naming a commune of Hà Tĩnh (30
named in three articles, 30 in two: a long tie at the 20th value) and some of the 45 communes
of Nghệ An (named in 50, 48, … articles, then once: a clear top), people with a tie, months
and categories.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)

from crawler.article import Article, Person, Place, PlaceRef
from indexer import SearchQuery, open_engine, rebuild_index
from indexer import places as pl
from indexer.engine_common import order_facet

HA_TINH = [PlaceRef(f"Kỳ {n}", "xã", f"18{n:03d}", "Hà Tĩnh", "pre-2025") for n in range(60)]
NGHE_AN = [PlaceRef(f"Diễn {n}", "xã", f"17{n:03d}", "Nghệ An", "pre-2025") for n in range(45)]
NEW_HT = PlaceRef("Hà Tĩnh", "tỉnh", "42", "Hà Tĩnh", "2025")
ARTICLES = 150


def _nghe_an_count(n: int) -> int:
    return max(1, 50 - 2 * n)


def _article(k: int) -> Article:
    units = [HA_TINH[k % 60]] + [u for n, u in enumerate(NGHE_AN) if k < _nghe_an_count(n)]
    if k % 10 == 0:
        units.append(NEW_HT)
    people = [Person(f"Nguyễn Văn {chr(65 + k % 26)}")] + ([Person("Lê Thị Hoa")] * (k % 4 == 0))
    return Article(
        url=f"https://baotinh.example.vn/de-dieu-{k}.html",
        title=f"Kiểm tra đê điều đợt {k}",
        body="Đoàn kiểm tra đê điều trước mùa mưa bão.",
        source=f"bao{k % 3}.example.vn",
        category=f"Mục {k % 25}",
        published=datetime(2023 + k % 2, 1 + k % 12, 5, 8, 0),
        people=people,
        places=[Place(f"xã {u.name}", u, 0) for u in units],
    )


CORPUS = [_article(k) for k in range(ARTICLES)]
HA_TINH_VALUE = "pre-2025|Hà Tĩnh"
NGHE_AN_VALUE = "pre-2025|Nghệ An"


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"facets-{request.param}")
    rebuild_index(data_dir, CORPUS, engine=request.param)
    found = open_engine(data_dir)
    yield found
    found.close()


def _units(article: Article) -> list[PlaceRef]:
    return list(dict.fromkeys(p.unit for p in article.places if p.unit))


def _by_hand(provinces: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    """Every facet counted over every matching article, ordered as pages show facets."""
    matching = [
        a
        for a in CORPUS
        if not provinces or {pl.province_value(u) for u in _units(a)} & {*provinces}
    ]
    counts = {
        "source": Counter(a.source for a in matching),
        "category": Counter(a.category for a in matching),
        "month": Counter(a.published.strftime("%Y-%m") for a in matching),
        "person": Counter(n for a in matching for n in dict.fromkeys(a.person_names)),
        "province": Counter(v for a in matching for v in {pl.province_value(u) for u in _units(a)}),
        "place": Counter(
            u.key
            for a in matching
            for u in _units(a)
            if pl.province_value(u) in provinces and not pl.is_province(u)
        ),
    }
    return {name: [(f.value, f.count) for f in order_facet(name, c.items())] for name, c in counts.items()}  # fmt: skip


def _shown(page) -> dict[str, list[tuple[str, int]]]:
    return {name: [(f.value, f.count) for f in values] for name, values in page.facets.items()}


@pytest.mark.parametrize(
    "provinces", [(), (HA_TINH_VALUE,), (NGHE_AN_VALUE,), (HA_TINH_VALUE, NGHE_AN_VALUE)]
)
def test_every_facet_equals_counting_every_article(engine, provinces):
    page = engine.search(SearchQuery(text="đê điều", facets=True, provinces=provinces))
    expected = _by_hand(provinces)
    assert page.total == sum(c for _, c in expected["source"])
    assert _shown(page) == expected
    if provinces:
        assert len(expected["place"]) == 20  # the facet is full: its boundary is tested
    else:
        assert expected["place"] == []


def test_place_facet_labels_the_units(engine):
    page = engine.search(SearchQuery(text="đê điều", facets=True, provinces=(NGHE_AN_VALUE,)))
    assert page.facets["place"][0].label == "xã Diễn 0 (Nghệ An, trước 1/7/2025)"
    assert page.facets["place"][0].count == 50
