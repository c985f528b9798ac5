"""Person pages choose among the indexed names from one folded group (issue 18): the same
candidates as comparing the typed name with every indexed name, and built by the engine's
warm-up when it moves to a new snapshot, not in the first page's request."""

from __future__ import annotations

from datetime import datetime

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)

from crawler.article import Article, Person
from indexer import open_engine, rebuild_index
from indexer.analysis import has_diacritics
from indexer.engine_common import chosen_person, name_key
from indexer.people_directory import NameFolds, PeopleDirectory

NAMES = {
    "Nguyễn Thành Phong": 7,
    "Nguyễn Thanh Phong": 3,
    "Nguyễn  Thành Phong": 1,  # spacing
    "nguyễn thành phong": 2,  # case
    "Lê Thị Hoà": 4,  # old tone placement
    "Lê Thị Hòa": 5,
    "Đặng Văn An": 2,
    "Dang Van An": 1,
    "Võ Trọng Hải": 9,
}
ASKED = [
    "Nguyễn Thành Phong",
    "nguyen thanh phong",
    "NGUYỄN THÀNH PHONG",
    "Lê Thị Hòa",
    "le thi hoa",
    "Đặng Văn An",
    "dang van an",
    "Võ Trọng Hải",
    "Vo Trong Hai",
    "Trần Văn Không Có",
]


def _every_name_compared(name: str, names: dict[str, int] = NAMES) -> list[tuple[str, int]]:
    """The candidates as found before the directory: every indexed name compared."""
    exact = has_diacritics(name)
    found = [(n, c) for n, c in names.items() if name_key(n, exact) == name_key(name, exact)]
    return sorted(found, key=lambda nc: (-nc[1], nc[0]))


@pytest.mark.parametrize("name", ASKED)
def test_candidates_equal_comparing_every_name(name):
    directory = PeopleDirectory(NAMES)
    found = directory.candidates(name, has_diacritics(name))
    assert [(f.value, f.count) for f in found] == _every_name_compared(name)


def test_folds_are_remembered_across_directories():
    folds = NameFolds()
    PeopleDirectory(NAMES, folds)
    later = PeopleDirectory({**NAMES, "Phạm Minh Chính": 1}, folds)
    assert len(later) == len(NAMES) + 1
    assert [f.value for f in later.candidates("pham minh chinh", False)] == ["Phạm Minh Chính"]
    assert chosen_person("pham minh chinh", later)[0] == "Phạm Minh Chính"
    assert chosen_person("Nguyễn Thành Phong", later)[1]  # look-alikes offered


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp(f"people-dir-{request.param}")
    named = [name for name, count in NAMES.items() for _ in range(count)]
    articles = [
        Article(
            url=f"https://baotinh.example.vn/{i}.html",
            title=f"Tin số {i}",
            body="Cuộc họp của tỉnh.",
            source="baotinh.example.vn",
            published=datetime(2024, 1 + i % 12, 3, 8, 0),
            people=[Person(name)],
        )
        for i, name in enumerate(named)
    ]
    rebuild_index(data_dir, articles, engine=request.param)
    found = open_engine(data_dir)
    yield found
    found.close()


def test_person_page_after_warm_up_reads_the_built_directory(engine):
    engine.warm_up(wait=True)
    indexed = engine._person_names(engine._searcher)  # the engine's own names and counts
    if engine.backend.name == "tantivy":  # built by the warm-up, before any page asked
        assert engine._generation["people"].names == indexed
    for name in ("nguyen thanh phong", "le thi hoa", "Lê Thị Hoà"):
        found = engine.person_stats(name).candidates
        assert [(c.value, c.count) for c in found] == _every_name_compared(name, indexed)
    assert engine.person_stats("vo trong hai").name == "Võ Trọng Hải"
    assert engine.person_stats("Võ Trọng Hải").total == 9
