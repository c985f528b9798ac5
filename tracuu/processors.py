"""What happens to an Article between extraction and the store, in order: Scrapy's item pipelines.

A processor takes an Article and returns either an Article, handed to the next processor
(perhaps enriched), or a str: the item's outcome, which ends its way through the list. The
store step answers "new", "changed" or "unchanged"; a guard answers e.g. "older_capture".

    crawl:   people → places → store
    import:  people → places → store
    warc:    skip-older-capture → people → places → store

``ENRICHERS`` are the Article → Article steps every article takes whatever its origin: adding
one (places, say) is one line there. They are pure module-level functions, so a process pool
can map ``enrich`` over a batch; guards and the store step touch the store and stay in the
thread that owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from crawler.article import Article
from crawler.store import ArticleStore

Processor = Callable[[Article], "Article | str"]
ORIGINS = ("crawl", "import", "warc")


def with_people(article: Article) -> Article:
    """People are extracted for every article, crawled, imported or re-extracted."""
    from crawler.people import enrich_people  # the lexicon loads on first use, not at CLI start

    return enrich_people(article)


def with_places(article: Article, provinces: dict[str, str] | None = None) -> Article:
    """Places are extracted for every article; ``provinces`` gives a source's own province by
    the label its articles carry (``crawler.sources.source_provinces``)."""
    from crawler.places import enrich_places  # the register loads on first use

    return enrich_places(article, province=(provinces or {}).get(article.source, ""))


# The enrichment steps, in the order they run. A new step: one line here.
ENRICHERS: tuple[Callable[[Article], Article], ...] = (with_people, with_places)


def enrichers(*, places: bool = True, provinces: dict[str, str] | None = None) -> list:
    """ENRICHERS, with the sources' provinces bound to the places step (a partial of a
    module-level function: still picklable), or without that step (benchmarks)."""
    steps: list[Callable[[Article], Article]] = []
    for step in ENRICHERS:
        if step is with_places and not places:
            continue
        steps.append(
            partial(with_places, provinces=provinces) if step is with_places and provinces else step
        )
    return steps


def enrich(article: Article) -> Article:
    """Every enrichment step on one article (picklable: a worker process can run it)."""
    for step in ENRICHERS:
        article = step(article)
    return article


def processors_for(
    store: ArticleStore,
    origin: str,
    *,
    places: bool = True,
    provinces: dict[str, str] | None = None,
) -> list[Processor]:
    """The ordered processors for articles that come from ``origin`` (one of ORIGINS)."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}; one of {ORIGINS}")
    guards = [skip_older_capture(store)] if origin == "warc" else []
    steps = enrichers(places=places, provinces=provinces)
    return [*guards, *steps, store_step(store, origin)]


def run_processors(processors: list[Processor], article: Article) -> str:
    """Pass ``article`` through ``processors`` in order; the outcome of the one that ends it."""
    item: Article | str = article
    for process in processors:
        item = process(item)
        if isinstance(item, str):
            return item
    raise ValueError("no processor ended the article's way: the list must end with a store step")


def store_step(store: ArticleStore, origin: str) -> Processor:
    """Record the article as a new version when its content changed; answers the outcome."""
    # A re-extracted capture says nothing about the page being live now: it must not clear a
    # "gone" mark (ArticleStore.put).
    seen_live = origin != "warc"

    def store_article(article: Article) -> str:
        return store.put(article, origin=origin, seen_live=seen_live)

    return store_article


def skip_older_capture(store: ArticleStore) -> Processor:
    """Drop a capture older than the stored version: replaying an article's first capture after
    its edit would otherwise record the old text as a new version."""

    def skip_if_older(article: Article) -> Article | str:
        return "older_capture" if older_than_stored(store, article) else article

    return skip_if_older


def older_than_stored(store: ArticleStore, article: Article) -> bool:
    stored = store.latest_fetched_at(article.url)
    if stored is None or article.fetched_at is None:
        return False
    if article.fetched_at.microsecond == 0:
        # Whole-second WARC-Date (WARC 1.0, other tools' archives, ours before WARC 1.1):
        # compare at that precision, the stored fetch time may carry microseconds.
        return article.fetched_at < stored.replace(microsecond=0)
    return article.fetched_at < stored
