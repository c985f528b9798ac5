"""What every engine does the same way: ``BaseEngine``, the engines' shared behaviour.

An engine subclass supplies only what is its own (the ``_`` hooks below: opening a snapshot
of its index, compiling a query plan with filters, counting, the page of ranked hits, facets,
its term statistics, similar articles); this class holds the policy every engine must share
so that results look the same whichever engine answered:

- One long-lived snapshot (searcher) per process, checked at most every ``REFRESH_EVERY_S``:
  reopened when CURRENT moved to another index, reloaded when a commit landed; everything
  computed from the previous snapshot is dropped with it (so a cached page is never staler
  than a fresh search would be). Calls are serialised by one lock.
- Result caches per snapshot: finished pages, facet counts, counts, how queries were read.
- The page window: page ``p`` of ``n`` is hits ``(p-1)·n`` to ``p·n`` of the ranking; a page
  past the end is empty, with the true total (a client paging until an empty page stops).
- Suggestions (``indexer.suggest`` over the engine's exact forms and pair frequencies),
  person pages (``engine_common.chosen_person``), warm-up in a background thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from crawler.article import Article, PlaceRef
from indexer import location
from indexer import places as pl
from indexer.analysis import pairs, tokenize
from indexer.api import (
    FacetCount,
    IndexStats,
    PersonStats,
    PlaceStats,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from indexer.backend import EngineBackend
from indexer.engine_common import (
    LRU,
    QueryPlanner,
    article_hit,
    chosen_person,
    count_key,
    nothing_page,
    nothing_to_match,
    place_counts,
    place_facets,
    place_field,
    place_stats,
    ranked_as,
    reading_of,
    suggestion_for,
)
from indexer.highlight import query_keys
from indexer.people_directory import NameFolds, PeopleDirectory
from indexer.place_marks import wanted_units
from indexer.querylang import ParsedQuery, parse_query
from indexer.queryplan import Plan, PlanNode, matching_part
from indexer.suggest import suggest_accents, suggest_spelling

REFRESH_EVERY_S = 1.0
CACHE_SIZE = 256  # entries of each result cache, per snapshot

Ranked = list[tuple[float, Any]]  # (score, the engine's document address), best first
Forms = dict[str, list[tuple[str, int]]]  # folded syllable → its exact forms and frequencies


def page_window(query: SearchQuery) -> tuple[int, int]:
    """(first, end) positions of the query's page in its ranking."""
    first = (query.page - 1) * query.per_page
    return first, first + query.per_page


class BaseEngine:
    """Search the live index of a data directory; follows index switches and commits."""

    has_warm_up = False  # True: ``_warm`` builds per-snapshot data in a background thread
    extra_caches: tuple[str, ...] = ()  # attributes holding an engine's own result caches
    shared_snapshot = False  # True: the snapshot may be read by the warm-up and a search at once

    def __init__(self, data_dir: str | Path, backend: EngineBackend) -> None:
        self.data_dir = Path(data_dir)
        self.backend = backend
        self._lock = threading.RLock()
        self._index_dir: Path | None = None
        self._searcher: Any = None
        self._checked_at = 0.0
        self._generation: dict[str, Any] = {}  # values computed once per snapshot
        self._name_folds = NameFolds()  # person name → folded form, across snapshots
        self._caches: list[LRU] = []
        self._pages = self._result_cache()  # SearchQuery → SearchPage
        self._facet_counts = self._result_cache()  # facet_key(query) → the engine's counts
        self._counts = self._result_cache()  # count_key(query) → how many articles match
        for name in self.extra_caches:
            setattr(self, name, self._result_cache())
        self._planner = QueryPlanner(self._any_match, lambda: self._places(self._searcher))
        self._warm_thread: threading.Thread | None = None
        self._open()
        self.warm_up()

    # -- snapshots -----------------------------------------------------------------------
    def _open(self) -> None:
        index_dir = location.current_index_dir(self.data_dir)
        if index_dir is None:
            raise location.IndexMissingError(
                f"Chưa có chỉ mục trong {self.data_dir}: chạy `tracuu index` hoặc `tracuu demo`."
            )
        location.check_meta(index_dir, self.backend.name)
        self._attach(index_dir)
        self._index_dir = index_dir
        self._forget_generation()

    def _fresh_searcher(self) -> Any:
        """The snapshot, reopened if CURRENT moved or reloaded if a commit landed."""
        now = time.monotonic()
        if now - self._checked_at >= REFRESH_EVERY_S:
            self._checked_at = now
            if location.current_index_dir(self.data_dir) != self._index_dir:
                self._open()
                self.warm_up()
            elif self._changed():
                self._reload()
                self._forget_generation()
                self.warm_up()
        return self._searcher

    def _forget_generation(self) -> None:
        """Drop everything computed from the previous snapshot."""
        self._generation = {}
        self.clear_result_caches()

    def _per_generation(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per snapshot."""
        found = self._generation.get(key)
        if found is None:
            found = self._generation[key] = build()
        return found

    def _result_cache(self) -> LRU:
        cache = LRU(CACHE_SIZE)
        self._caches.append(cache)
        return cache

    def clear_result_caches(self) -> None:
        """Forget finished pages, facet counts, counts, rankings and how queries were read
        (not per-snapshot data such as the vocabulary): the next search of any query is a
        full search. Benchmarks use it."""
        with self._lock:
            for cache in self._caches:
                cache.clear()
            self._planner.clear()

    def warm_up(self, wait: bool = False) -> None:
        """Build this snapshot's per-snapshot data in a background thread (engines that have
        any); ``wait`` blocks until done."""
        if not self.has_warm_up:
            return
        with self._lock:
            thread = self._warm_thread
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=self._warm, name="tracuu-warm-up", daemon=True)
                self._warm_thread = thread
                thread.start()
        if wait:
            thread.join()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._detach()
                self._searcher = None

    # -- the search API --------------------------------------------------------------------
    def add(self, articles: Iterable[Article]) -> int:
        with self._lock:
            count = self.backend.write(self._index_dir, articles)
            self._checked_at = 0.0
            return count

    def stats(self) -> IndexStats:
        with self._lock:
            return self._stats(self._fresh_searcher())

    def get(self, url: str) -> Article | None:
        with self._lock:
            searcher = self._fresh_searcher()
            address = self._address_of(searcher, url)
            return self._stored(searcher, address) if address is not None else None

    def search(self, query: SearchQuery) -> SearchPage:
        query = ranked_as(query)
        with self._lock:
            searcher = self._fresh_searcher()
            page = self._pages.get(query)
            if page is None:
                page = self._pages[query] = self._search(searcher, query)
            return page

    def _search(self, searcher: Any, query: SearchQuery) -> SearchPage:
        parsed = parse_query(query.text)
        plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return nothing_page(query, parsed, plan)
        compiled = self._full_query(query, parsed, plan)
        total, facets, top = self._page(searcher, query, compiled)
        keys = query_keys(parsed.terms(), query.exact_accents)
        suggestion, suggestion_total = self._suggest(searcher, query, total)
        places = wanted_units(plan)
        hits = [
            article_hit(self._stored(searcher, a), keys, score=float(s or 0.0), places=places)
            for s, a in top
        ]
        return SearchPage(
            query=query,
            total=total,
            hits=hits,
            facets=facets if query.facets else {},
            suggestion=suggestion,
            suggestion_total=suggestion_total,
            warnings=[*parsed.warnings, *plan.warnings],
            reading=reading_of(plan, query, self.count),
        )

    def count(self, query: SearchQuery) -> int:
        """How many articles match: the plan's matching part (no boosts: they never change
        which articles match) counted, remembered per snapshot (the loosened readings and
        suggestions ask for counts)."""
        with self._lock:
            searcher = self._fresh_searcher()
            key = count_key(query)
            found = self._counts.get(key)
            if found is None:
                matching = self._matching_query(query)
                found = 0 if matching is None else self._count(searcher, matching[0])
                self._counts[key] = found
            return found

    def _matching_query(self, query: SearchQuery) -> tuple[Any, ParsedQuery, Plan] | None:
        """(the compiled matching part with its filters, the parsed query, the plan); None
        when nothing positive is asked."""
        parsed = parse_query(query.text)
        plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return None
        matching = replace(plan, root=matching_part(plan))
        return self._full_query(query, parsed, matching), parsed, plan

    def _exists(self, query: SearchQuery) -> bool:
        """Whether any article matches (a suggestion is only made when one does)."""
        return self.count(query) > 0

    def iter_results(self, query: SearchQuery) -> Iterator[SearchHit]:
        query = ranked_as(query)
        # A snapshot that no refresh can change under us, used outside the lock so a slow
        # download never blocks other searches.
        with self._lock:
            self._fresh_searcher()
            parsed = parse_query(query.text)
            plan = self._planner.plan(parsed, query)
            snapshot = self._export_snapshot()
        if nothing_to_match(parsed, plan):
            return
        with snapshot as searcher:
            compiled = self._full_query(query, parsed, plan)
            keys = query_keys(parsed.terms(), query.exact_accents)
            for article in self._every_match(searcher, query, compiled):
                yield article_hit(article, keys, with_snippet=False)

    def more_like_this(self, url: str, k: int = 5) -> list[SearchHit]:
        with self._lock:
            searcher = self._fresh_searcher()
            address = self._address_of(searcher, url)
            if address is None:
                return []
            article = self._stored(searcher, address)
            return [
                article_hit(self._stored(searcher, found), frozenset(), score=float(score or 0.0))
                for score, found in self._similar(searcher, address, article, k)
            ]

    def person_stats(self, name: str, top: int = 15) -> PersonStats:
        with self._lock:
            searcher = self._fresh_searcher()
            asked = name
            name, candidates = chosen_person(name, self._people(searcher))
            total, months, co_mentioned = self._person_counts(searcher, name, top)
            _total, counts = self._counts_where(searcher, "people_kw", name, ("place",))
            places = place_counts(counts["place"], self._places(searcher), top)
        return PersonStats(
            name=name,
            total=total,
            months=tuple(FacetCount(v, c) for v, c in sorted(months) if v),
            co_mentioned=tuple(co_mentioned),
            candidates=candidates,
            asked=asked if asked != name else "",
            places=places,
        )

    def _people(self, searcher: Any) -> PeopleDirectory:
        """Every indexed person name, grouped by folded form, once per snapshot (the
        warm-up builds it when the engine moves to a new snapshot: ``_warm_directories``)."""
        return self._per_generation("people", lambda: self._build_people(searcher))

    def _build_people(self, searcher: Any) -> PeopleDirectory:
        return PeopleDirectory(self._person_names(searcher), self._name_folds)

    def _warm_directories(self) -> None:
        """Build this snapshot's people and place directories ahead of the pages that need
        them, in the warm-up thread. Outside the search lock where the engine's snapshot may
        be read from two threads (``shared_snapshot``): what is built lands in that
        snapshot's values, dropped with them if a newer snapshot came meanwhile."""
        with self._lock if not self.shared_snapshot else nullcontext():
            with self._lock:
                searcher, generation = self._searcher, self._generation
            if searcher is None:
                return
            for key, build in (("people", self._build_people), ("places", self._build_places)):
                if key not in generation:
                    generation.setdefault(key, build(searcher))

    # -- places ------------------------------------------------------------------------------
    def place_stats(self, key: str, history: bool = False, top: int = 15) -> PlaceStats | None:
        with self._lock:
            searcher = self._fresh_searcher()
            field = place_field(history)
            total, counts = self._counts_where(searcher, field, key, ("month", "person"))
            return place_stats(self._places(searcher), key, history, total, counts, top)

    def place_units(self, keys: Iterable[str]) -> dict[str, PlaceRef]:
        with self._lock:
            directory = self._places(self._fresh_searcher())
            return {k: ref for k in keys if (ref := directory.get(k)) is not None}

    def _places(self, searcher: Any) -> pl.PlaceDirectory:
        """The units the index names or relates (``indexer.places``), once per snapshot."""
        return self._per_generation("places", lambda: self._build_places(searcher))

    def _build_places(self, searcher: Any) -> pl.PlaceDirectory:
        entries = self._terms(searcher, pl.DIRECTORY_FIELD)
        return pl.PlaceDirectory(entries, self._terms(searcher, pl.PLACE_FIELD))

    def _place_facets(
        self, searcher: Any, query: SearchQuery, counts: dict[str, Iterable[tuple[str, int]]]
    ) -> dict[str, list[FacetCount]]:
        """The province facet and the units of the chosen provinces, from the engine's
        counts of ``place_prov`` and ``place_keys`` over the query's matches (the directory
        of units is read only when a province was chosen)."""
        directory = self._places(searcher) if query.provinces else pl.PlaceDirectory((), {})
        return place_facets(counts, query, directory)

    # -- suggestions -------------------------------------------------------------------------
    def _suggest(
        self, searcher: Any, query: SearchQuery, total: int
    ) -> tuple[str | None, int | None]:
        forms = self._exact_forms(searcher)

        def candidates(folded: str) -> list[tuple[str, int]]:
            return forms.get(folded, [])

        def pair_freq(a: str, b: str) -> int:
            term = pair_term(a, b)
            return self._doc_frequency(searcher, "pairs_x", term) if term else 0

        known = self._known_syllable(searcher, forms)
        return suggestion_for(
            query,
            total,
            lambda text: suggest_accents(text, candidates, pair_freq),
            lambda text: suggest_spelling(text, candidates, pair_freq, known),
            # The answer keeps the API's shape: a number only where the page asked for counts.
            self.count if query.loosen_counts else self._exists,
        )

    def _known_syllable(self, searcher: Any, forms: Forms) -> Callable[[str], object]:
        """Whether the archive holds a folded syllable (a spelling suggestion keeps it)."""
        return lambda folded: self._doc_frequency(searcher, "text_f", folded) > 0

    # -- what each engine supplies -----------------------------------------------------------
    def _attach(self, index_dir: Path) -> None:
        """Open the index at ``index_dir``: ``self._searcher`` becomes its snapshot (and the
        previous index, if any, is closed)."""
        raise NotImplementedError

    def _changed(self) -> bool:
        """Whether a commit landed since the snapshot was taken."""
        raise NotImplementedError

    def _reload(self) -> None:
        """Take a new snapshot of the same index (``self._searcher``)."""
        raise NotImplementedError

    def _detach(self) -> None:
        """Close the index and its snapshot."""
        raise NotImplementedError

    def _warm(self) -> None:
        """Per-snapshot data built ahead of searches (``has_warm_up`` engines)."""

    def _stats(self, searcher: Any) -> IndexStats:
        raise NotImplementedError

    def _any_match(self, node: PlanNode) -> bool:
        """Whether any document satisfies a plan node (reading a query asks)."""
        raise NotImplementedError

    def _full_query(self, query: SearchQuery, parsed: ParsedQuery, plan: Plan) -> Any:
        """The plan compiled, with the query's filters (dates, sources, categories, people),
        which add no score."""
        raise NotImplementedError

    def _page(self, searcher: Any, query: SearchQuery, compiled: Any) -> tuple[int, Any, Ranked]:
        """(total, facets when ``query.facets``, the page's ranked hits: ``page_window``)."""
        raise NotImplementedError

    def _count(self, searcher: Any, compiled: Any) -> int:
        raise NotImplementedError

    def _stored(self, searcher: Any, address: Any) -> Article:
        raise NotImplementedError

    def _address_of(self, searcher: Any, url: str) -> Any:
        """The document address of ``url``; None when the index does not hold it."""
        raise NotImplementedError

    def _export_snapshot(self) -> AbstractContextManager:
        """A context giving a snapshot that stays as it is while an export reads it."""
        raise NotImplementedError

    def _every_match(self, searcher: Any, query: SearchQuery, compiled: Any) -> Iterator[Article]:
        """Every matching article in the query's sort order."""
        raise NotImplementedError

    def _similar(self, searcher: Any, address: Any, article: Article, k: int) -> Ranked:
        """Up to ``k`` other documents most like ``article``."""
        raise NotImplementedError

    def _person_names(self, searcher: Any) -> dict[str, int]:
        """Every indexed person name → articles naming them."""
        raise NotImplementedError

    def _terms(self, searcher: Any, field: str) -> dict[str, int]:
        """Every term of a keyword field → the documents holding it."""
        raise NotImplementedError

    def _counts_where(
        self, searcher: Any, field: str, value: str, facets: tuple[str, ...]
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """(documents holding ``value`` in keyword field ``field``, their counts of each
        facet: "month", "person" or "place" (unit keys))."""
        raise NotImplementedError

    def _person_counts(
        self, searcher: Any, name: str, top: int
    ) -> tuple[int, Iterable[tuple[str, int]], list[FacetCount]]:
        """(articles naming ``name``, (month, articles) pairs, people named alongside)."""
        raise NotImplementedError

    def _doc_frequency(self, searcher: Any, field: str, text: str) -> int:
        raise NotImplementedError

    def _exact_forms(self, searcher: Any) -> Forms:
        """folded syllable → its exact forms with document frequencies (``.get`` is used)."""
        raise NotImplementedError


def facet_key(query: SearchQuery) -> SearchQuery:
    """What facet counts and the total depend on: not the page or the sort."""
    return replace(query, page=1, per_page=1, sort="relevance")


@lru_cache(maxsize=65_536)
def pair_term(a: str, b: str) -> str | None:
    """The exact pair term of two syllables: analysis only, the same for every index, so
    remembered (suggestions ask for thousands of pairs per diacritic-free query)."""
    found = pairs(tokenize(f"{a} {b}"))
    return found[0].text if found else None
