"""Engine methods the UI relies on: iter_results, more_like_this, person_stats, the cache."""

from __future__ import annotations

import threading

import pytest

from indexer import SearchQuery, open_engine


@pytest.fixture(scope="module")
def engine(crawled_sample):
    # One engine for the module: opening one reads the vocabulary for suggestions.
    engine = open_engine(crawled_sample[0])
    yield engine


def test_iter_results_yields_every_hit_in_the_page_order(engine):
    query = SearchQuery(text="nông thôn", sort="newest", per_page=100)
    page = engine.search(query)
    streamed = list(engine.iter_results(SearchQuery(text="nông thôn", sort="newest")))
    assert [h.url for h in streamed] == [h.url for h in page.hits]
    assert len(streamed) == page.total
    assert all(h.snippet == "" for h in streamed)


def test_more_like_this_excludes_the_article_and_shares_words(engine):
    hit = engine.search(SearchQuery(text="covid")).hits[0]
    related = engine.more_like_this(hit.url, 4)
    assert 0 < len(related) <= 4
    assert hit.url not in {r.url for r in related}
    assert engine.more_like_this("http://nowhere.invalid/", 4) == []


def test_person_stats_counts_mentions_and_co_mentions(engine):
    people = engine.search(SearchQuery(facets=True)).facets["person"]
    top = people[0]
    stats = engine.person_stats(top.value)
    assert stats.total == top.count
    assert sum(m.count for m in stats.months) == top.count
    assert [m.value for m in stats.months] == sorted(m.value for m in stats.months)
    naming_top = list(engine.iter_results(SearchQuery(people=(top.value,))))
    assert stats.co_mentioned
    for other in stats.co_mentioned:
        assert other.count == sum(other.value in h.people for h in naming_top)
    assert engine.person_stats("Không Ai Cả").total == 0


def test_repeated_search_is_served_from_the_cache(engine):
    query = SearchQuery(text="giáo dục", facets=True)
    assert engine.search(query) is engine.search(query)
    assert engine.search(SearchQuery(text="giáo dục", page=2)) is not engine.search(query)
    # Facet counts are shared across pages and sorts of the same query and filters.
    later = engine.search(SearchQuery(text="giáo dục", facets=True, page=2, sort="newest"))
    assert later.facets is engine.search(query).facets
    assert later.hits != engine.search(query).hits


def test_concurrent_searches_agree(engine):
    words = ["nông thôn", "covid", "giáo dục", "tỉnh", "học sinh", "bệnh viện"]
    expected = {w: engine.search(SearchQuery(text=w, page=2)).total for w in words}
    seen: dict[str, set[int]] = {w: set() for w in words}
    errors: list[BaseException] = []

    def worker(word: str) -> None:
        try:
            for page in (1, 2, 3):
                seen[word].add(engine.search(SearchQuery(text=word, page=page, facets=True)).total)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in words * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert seen == {w: {expected[w]} for w in words}
