"""The Whoosh engine behind tracuu's search API.

One long-lived searcher per process, refreshed when the index changes (reopening per request
cost 26% at 10k articles and 2–3× at 100k, ../shared/notes/whoosh-performance.md). A search
is serialised by a lock: Whoosh searchers are not meant to be shared across threads, and with
the GIL a second concurrent search would gain little. Finished pages (facets included) are
cached per searcher, i.e. per index generation: the cache is dropped whenever the searcher
is refreshed or reopened, so a cached page is never staler than a fresh search would be.
Besides finished pages, each query's ranking (docnums and scores, ``RANKED_N`` of them once
the user pages) is cached, so paging through a query ranks it once, not once per page.

Matching and scoring go through ``whoosh_rank.rank_all`` (one pass, exact BM25F scores)
wherever it applies, Whoosh's own collectors elsewhere (sorted pages of unsupported queries).
What a search needs from the whole index (facet value arrays, the suggester's vocabulary of
exact forms, per-document field lengths) is built when the engine opens and after each
refresh, by a background thread (``warm_up``), so no user query pays for it (at 38k articles
the first facet request paid ~0.9 s and the first query ~5 s of CPU before).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq

from crawler.article import VN_TZ, Article
from indexer import location
from indexer import places as pl
from indexer import queryplan as qp
from indexer.analysis import fold, pairs, tokenize
from indexer.api import (
    FacetCount,
    IndexStats,
    PersonStats,
    PlaceStats,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from indexer.engine_common import (
    LRU,
    NO_PEOPLE,
    PLACE_FACETS,
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
from indexer.querylang import parse_query
from indexer.queryplan import matching_part
from indexer.suggest import suggest_accents, suggest_spelling
from indexer.whoosh_facets import FacetArrays, matching_docnums, recording_collector
from indexer.whoosh_query import (
    any_document,
    any_match,
    build_query,
    date_filter,
    values_filter,
)
from indexer.whoosh_rank import (
    SCORED_FIELDS,
    PairPhrase,
    Unsupported,
    field_lengths,
    rank_all,
    top_of,
)
from indexer.whoosh_run import RunFilter
from indexer.whoosh_schema import article_document, build_schema, combined_text, stored_article

ENGINE_NAME = "whoosh"
REFRESH_EVERY_S = 1.0
CACHE_SIZE = 256  # finished SearchPages per index generation
RANKED_N = 100  # hits ranked (and cached) per query: pages 1..10 of 10 from one ranking pass
EXPORT_CHUNK = 200  # stored documents read per step of iter_results
# Separate segment files instead of one compound file per segment: a searcher then maps the
# files instead of holding a private copy (131 → 19 MB for an 800-article index).
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


def create_index(index_dir: Path) -> None:
    """Create an empty index with tracuu's schema in ``index_dir``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    windex.create_in(str(index_dir), build_schema())
    location.write_meta(index_dir, ENGINE_NAME)


def write_articles(index_dir: Path, articles: Iterable[Article], *, fresh: bool = False) -> int:
    """Add or replace articles in the index at ``index_dir``; one commit at the end.

    ``fresh`` (an empty index being built) uses two processes and separate segments, measured
    3× faster than Whoosh's defaults; updates go through ``update_document`` so re-indexing
    the same URL replaces the document, never duplicates it.
    """
    ix = windex.open_dir(str(index_dir))
    if fresh:
        writer = ix.writer(procs=2, multisegment=True, **WRITER_OPTIONS)
    else:
        writer = ix.writer(**WRITER_OPTIONS)
    count = 0
    try:
        for article in articles:
            doc = article_document(article)
            if fresh:
                writer.add_document(**doc)
            else:
                writer.update_document(**doc)
            count += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    return count


class WhooshEngine:
    """Search the live index of a data directory; follows index switches and commits."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = threading.RLock()
        self._index_dir: Path | None = None
        self._ix = None
        self._searcher = None
        self._checked_at = 0.0
        self._vocab_cache: dict = {}
        self._pages = LRU(CACHE_SIZE)  # SearchQuery → SearchPage
        self._facet_counts = LRU(CACHE_SIZE)
        self._ranked = LRU(CACHE_SIZE)  # the query, page 1 → its top (score, docnum) list
        self._counts = LRU(CACHE_SIZE)  # count_key(query) → how many articles match
        self._segment_forms: dict[str, dict[str, int]] = {}  # segment id → exact form → df
        self._warm_thread: threading.Thread | None = None
        self._lengths: dict = {}  # (segment id, field) → per-document field lengths
        self._facet_arrays = FacetArrays()  # per-segment value arrays, kept across refreshes
        self._facet_table = None  # this generation's FacetTable, built on first use
        self._planner = QueryPlanner(
            lambda node: any_match(self._searcher, node), lambda: self._places(self._searcher)
        )
        self._open()
        self.warm_up()

    # -- lifecycle ---------------------------------------------------------------
    def _open(self) -> None:
        index_dir = location.current_index_dir(self.data_dir)
        if index_dir is None:
            raise location.IndexMissingError(
                f"Chưa có chỉ mục trong {self.data_dir}: chạy `tracuu index` hoặc `tracuu demo`."
            )
        location.check_meta(index_dir, ENGINE_NAME)
        ix = windex.open_dir(str(index_dir))
        searcher = ix.searcher()
        old_searcher, old_ix = self._searcher, self._ix
        self._index_dir, self._ix, self._searcher = index_dir, ix, searcher
        self._forget_generation()
        if old_searcher is not None:
            old_searcher.close()
            old_ix.close()

    def _fresh_searcher(self):
        """The searcher, reopened if CURRENT moved or refreshed if a commit landed."""
        now = time.monotonic()
        if now - self._checked_at >= REFRESH_EVERY_S:
            self._checked_at = now
            if location.current_index_dir(self.data_dir) != self._index_dir:
                self._open()
                self.warm_up()
            elif not self._searcher.up_to_date():
                # A new searcher, not Searcher.refresh(): refresh reuses the readers of
                # segments it already had, so deletions a commit made in them (a replaced
                # article) stayed invisible and the old version kept matching.
                old = self._searcher
                self._searcher = self._ix.searcher()
                old.close()
                self._forget_generation()
                self.warm_up()
        return self._searcher

    def _forget_generation(self) -> None:
        """Drop everything computed from the previous searcher."""
        self._vocab_cache = {}
        self.clear_result_caches()
        self._facet_table = None

    def clear_result_caches(self) -> None:
        """Forget finished pages, facet counts, rankings and how queries were read (not the
        per-generation arrays and vocabulary): the next search of any query is a full search.
        Benchmarks use it."""
        with self._lock:
            self._pages.clear()
            self._facet_counts.clear()
            self._ranked.clear()
            self._counts.clear()
            self._planner.clear()

    def warm_up(self, wait: bool = False) -> None:
        """Build this generation's suggestion vocabulary (every search needs it: under the
        search lock) and the facet value arrays (through a private reader, so searches go
        on meanwhile) in a background thread; ``wait`` blocks until done."""
        with self._lock:
            thread = self._warm_thread
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=self._warm, name="tracuu-warm-up", daemon=True)
                self._warm_thread = thread
                thread.start()
        if wait:
            thread.join()

    def _warm(self) -> None:
        with self._lock:
            searcher, index_dir = self._searcher, self._index_dir
            if searcher is None:  # closed meanwhile
                return
            self._exact_forms(searcher)
        try:
            ix = windex.open_dir(str(index_dir))
            reader = ix.reader()
        except (OSError, windex.IndexError):  # switched and deleted meanwhile: searches build
            return
        try:
            self._facet_arrays.prepare(reader)
            leaves = [leaf for leaf, _offset in reader.leaf_readers()]
            for leaf in leaves:
                for field_name in SCORED_FIELDS:
                    field_lengths(leaf, field_name, self._lengths)
            live = {leaf.segment().segment_id() for leaf in leaves}
            # list(dict) copies in one step (searches may add keys meanwhile).
            for key in list(self._lengths):
                if key[0] not in live:
                    self._lengths.pop(key, None)  # merged-away segments
        finally:
            reader.close()
            ix.close()

    def _facets_of(self, searcher):
        if self._facet_table is None:
            self._facet_table = self._facet_arrays.table(searcher)
        return self._facet_table

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._ix.close()
                self._searcher = self._ix = None

    # -- the search API ------------------------------------------------------------
    def add(self, articles: Iterable[Article]) -> int:
        with self._lock:
            count = write_articles(self._index_dir, articles)
            self._checked_at = 0.0
            return count

    def stats(self) -> IndexStats:
        with self._lock:
            searcher = self._fresh_searcher()
            mtime = (self._index_dir / location.META_FILE).stat().st_mtime
            toc = max((p.stat().st_mtime for p in self._index_dir.glob("*.toc")), default=mtime)
            return IndexStats(
                documents=searcher.doc_count(),
                generation=f"{self._index_dir.name}:{self._ix.latest_generation()}",
                updated_at=datetime.fromtimestamp(toc, VN_TZ),
                schema_version=location.SCHEMA_VERSION,
            )

    def get(self, url: str) -> Article | None:
        with self._lock:
            stored = self._fresh_searcher().document(url=url)
        return stored_article(stored) if stored else None

    def search(self, query: SearchQuery) -> SearchPage:
        query = ranked_as(query)
        with self._lock:
            searcher = self._fresh_searcher()
            page = self._pages.get(query)
            if page is None:
                page = self._pages[query] = self._search(searcher, query)
            return page

    def _search(self, searcher, query: SearchQuery) -> SearchPage:
        parsed = parse_query(query.text)
        plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return nothing_page(query, parsed, plan)
        whoosh_query = self._whoosh_query(query, parsed, plan)
        # Facet counts and the total do not depend on the page or the sort: paging through
        # results (or re-sorting them) reuses them instead of matching every document again.
        facet_key = replace(query, page=1, per_page=1, sort="relevance")
        counted = self._facet_counts.get(facet_key)
        rank_key = replace(query, page=1, per_page=1, facets=False)
        if counted is None:
            docnums, ranked = self._matches(searcher, query, whoosh_query)
            table = self._facets_of(searcher) if query.facets else None
            counted = (len(docnums), self._page_facets(searcher, table, docnums, query))
            self._facet_counts[facet_key] = counted
            if ranked is not None:
                self._ranked[rank_key] = ranked
        total, facets = counted
        first = _first_on_page(query)
        end = first + query.per_page
        ranked = self._ranked.get(rank_key)
        if ranked is None or len(ranked) < min(end, total):
            ranked = self._ranked[rank_key] = self._top(searcher, query, whoosh_query, end)
        top = ranked[first:end]
        keys = query_keys(parsed.terms(), query.exact_accents)
        suggestion, suggestion_total = self._suggest(searcher, query, total)
        return SearchPage(
            query=query,
            total=total,
            hits=[self._hit(searcher, docnum, score, keys) for score, docnum in top],
            facets=facets if query.facets else {},
            suggestion=suggestion,
            suggestion_total=suggestion_total,
            warnings=[*parsed.warnings, *plan.warnings],
            reading=reading_of(plan, query, self.count),
        )

    def count(self, query: SearchQuery) -> int:
        """How many articles match: one unscored-boosts pass over the plan's matching part,
        remembered per generation (the loosened readings and suggestions ask for counts)."""
        with self._lock:
            searcher = self._fresh_searcher()
            key = count_key(query)
            found = self._counts.get(key)
            if found is None:
                found = self._counts[key] = self._count(searcher, query)
            return found

    def _exists(self, query: SearchQuery) -> bool:
        """Whether any article matches (a suggestion is only made when one does)."""
        found = self._matching_query(query)
        if found is None:
            return False
        whoosh_query, one_word = found
        return any_document(self._fresh_searcher(), whoosh_query, first_run_match=one_word)

    def _count(self, searcher, query: SearchQuery) -> int:
        found = self._matching_query(query)
        if found is None:
            return 0
        whoosh_query, _one_word = found
        try:
            return len(rank_all(searcher, whoosh_query, self._lengths))
        except Unsupported:
            return len(matching_docnums(searcher, whoosh_query))

    def _matching_query(self, query: SearchQuery) -> tuple[wq.Query, bool] | None:
        """The query's matching part (no boosts: they never change which articles match)
        with its filters, and whether it is one word and nothing else; None when nothing
        positive is asked."""
        parsed = parse_query(query.text)
        plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return None
        matching = replace(plan, root=matching_part(plan))
        return self._whoosh_query(query, parsed, matching), _one_word(query, parsed, plan)

    def _matches(self, searcher, query: SearchQuery, whoosh_query) -> tuple[list[int], list | None]:
        """Every matching docnum (the exact total and the facets' input; Whoosh's own count
        re-ran the query and its groupings looked every match up again), with the query's
        ranking (``_ranked_limit`` hits) when it came from the same pass.

        Normally one ``rank_all`` pass scores every match: exact scores (Whoosh's top-k
        search with block-quality skipping misranked hits: "giáo dục" lost its best hit)
        and the query's ranking (``RANKED_N``) for free. Where it does not apply, phrases
        are recorded during one scored pass; other queries run an unscored pass over the
        required terms plus a top-k search.
        """
        scores = self._rank_all(searcher, whoosh_query)
        if scores is not None:
            if query.sort != "relevance":
                return list(scores), None
            return list(scores), top_of(scores, _ranked_limit(query, every_match=True))
        if not _has_phrase(whoosh_query):
            return matching_docnums(searcher, whoosh_query), None
        end = _ranked_limit(query, every_match=True)
        collector = self._collector(searcher, query, end)
        searcher.search_with_collector(whoosh_query, collector)
        return collector.docnums, _ranking(collector.results(), query)

    def _top(self, searcher, query: SearchQuery, whoosh_query, end: int) -> list:
        """(score, docnum) of the query's best hits (or newest/oldest), at least ``end`` of
        them (``_ranked_limit``): later pages reuse the list."""
        if query.sort == "relevance":
            scores = self._rank_all(searcher, whoosh_query)
            if scores is not None:
                return top_of(scores, max(end, _ranked_limit(query, every_match=True)))
        phrase = _has_phrase(whoosh_query)
        limit = max(end, _ranked_limit(query, every_match=phrase))
        if phrase:
            # Whoosh's block-quality skipping misjudges phrase scores and drops hits that
            # belong in the top k (pages then skip documents): score every match instead.
            collector = self._collector(searcher, query, limit)
            searcher.search_with_collector(whoosh_query, collector)
            return _ranking(collector.results(), query)
        results = searcher.search(
            whoosh_query,
            limit=limit,
            sortedby=_sort_field(query),
            reverse=query.sort == "newest",
        )
        return _ranking(results, query)

    def _rank_all(self, searcher, whoosh_query) -> dict[int, float] | None:
        """Every match with its score in one pass (whoosh_rank.rank_all), None where that
        does not apply (then Whoosh's own collectors run)."""
        try:
            return rank_all(searcher, whoosh_query, self._lengths)
        except Unsupported:
            return None

    def _collector(self, searcher, query: SearchQuery, limit: int):
        return recording_collector(searcher, limit, _sort_field(query), query.sort == "newest")

    def iter_results(self, query: SearchQuery) -> Iterator[SearchHit]:
        query = ranked_as(query)
        # A private searcher: a snapshot of the index that no refresh can change under us,
        # used outside the lock so a slow download never blocks other searches.
        with self._lock:
            self._fresh_searcher()
            index_dir = self._index_dir
        ix = windex.open_dir(str(index_dir))
        searcher = ix.searcher()
        try:
            parsed = parse_query(query.text)
            with self._lock:
                self._fresh_searcher()
                plan = self._planner.plan(parsed, query)
            if nothing_to_match(parsed, plan):
                return
            results = searcher.search(
                self._whoosh_query(query, parsed, plan),
                limit=None,
                sortedby=_sort_field(query),
                reverse=query.sort == "newest",
            )
            keys = query_keys(parsed.terms(), query.exact_accents)
            docnums = [docnum for _, docnum in results.top_n]
            for start in range(0, len(docnums), EXPORT_CHUNK):
                for docnum in docnums[start : start + EXPORT_CHUNK]:
                    article = stored_article(searcher.stored_fields(docnum))
                    yield article_hit(article, keys, with_snippet=False)
        finally:
            searcher.close()
            ix.close()

    def more_like_this(self, url: str, k: int = 5) -> list[SearchHit]:
        with self._lock:
            searcher = self._fresh_searcher()
            docnum = searcher.document_number(url=url)
            if docnum is None:
                return []
            article = stored_article(searcher.stored_fields(docnum))
            similar = searcher.more_like(
                docnum, "text_f", text=combined_text(article), top=k, numterms=25
            )
            return [self._hit(searcher, r.docnum, r.score, frozenset()) for r in similar]

    def person_stats(self, name: str, top: int = 15) -> PersonStats:
        with self._lock:
            searcher = self._fresh_searcher()
            asked = name
            name, candidates = chosen_person(name, self._person_names(searcher))
            docnums = matching_docnums(searcher, wq.Term("people_kw", name))
            table = self._facets_of(searcher)
            months = sorted(table.counts("month", docnums))
            co_mentioned = table.co_mentioned(name, docnums, top)
            places = place_counts(table.counts("place", docnums), self._places(searcher), top)
        return PersonStats(
            name=name,
            total=len(docnums),
            months=tuple(FacetCount(v, c) for v, c in months if v),
            co_mentioned=tuple(co_mentioned),
            candidates=candidates,
            asked=asked if asked != name else "",
            places=places,
        )

    def place_stats(self, key: str, history: bool = False, top: int = 15) -> PlaceStats | None:
        with self._lock:
            searcher = self._fresh_searcher()
            docnums = matching_docnums(searcher, wq.Term(place_field(history), key))
            table = self._facets_of(searcher)
            counts = {name: table.counts(name, docnums) for name in ("month", "person")}
            return place_stats(self._places(searcher), key, history, len(docnums), counts, top)

    def place_units(self, keys: Iterable[str]) -> dict:
        with self._lock:
            directory = self._places(self._fresh_searcher())
            return {k: ref for k in keys if (ref := directory.get(k)) is not None}

    def _places(self, searcher) -> pl.PlaceDirectory:
        """The units the index names or relates (``indexer.places``), once per generation."""
        if "places" not in self._vocab_cache:
            entries = [_text(t) for t in searcher.lexicon(pl.DIRECTORY_FIELD)]
            counts = {
                key: searcher.doc_frequency(pl.PLACE_FIELD, key)
                for key in map(_text, searcher.lexicon(pl.PLACE_FIELD))
            }
            self._vocab_cache["places"] = pl.PlaceDirectory(entries, counts)
        return self._vocab_cache["places"]

    def _page_facets(self, searcher, table, docnums: list[int], query: SearchQuery):
        if table is None:
            return None
        counts = {name: table.counts(name, docnums) for name in PLACE_FACETS}
        return {**table.facets(docnums), **place_facets(counts, query, self._places(searcher))}

    def _person_names(self, searcher) -> dict[str, int]:
        """Every indexed person name → articles naming them, once per generation."""
        if "people" not in self._vocab_cache:
            names = {}
            for term in searcher.lexicon("people_kw"):
                name = term.decode("utf-8") if isinstance(term, bytes) else term
                if name != NO_PEOPLE:
                    names[name] = searcher.doc_frequency("people_kw", name)
            self._vocab_cache["people"] = names
        return self._vocab_cache["people"]

    # -- helpers -------------------------------------------------------------------
    def _whoosh_query(self, query: SearchQuery, parsed, plan) -> wq.Query:
        date_from = _latest(query.date_from, parsed.date_from)
        date_to = _earliest(query.date_to, parsed.date_to)
        clauses = [
            build_query(plan),
            date_filter(date_from, date_to),
            values_filter("source", query.sources),
            values_filter("category", query.categories),
            values_filter("people_kw", query.people),
            values_filter(pl.PROVINCE_FIELD, query.provinces),
        ]
        present = [c for c in clauses if c is not None]
        if not present:
            return wq.Every()
        return present[0] if len(present) == 1 else wq.And(present)

    def _hit(self, searcher, docnum: int, score, keys: frozenset[str]) -> SearchHit:
        article = stored_article(searcher.stored_fields(docnum))
        return article_hit(article, keys, score=float(score or 0.0))

    def _suggest(self, searcher, query: SearchQuery, total: int) -> tuple[str | None, int | None]:
        forms = self._exact_forms(searcher)

        def pair_freq(a: str, b: str) -> int:
            found = pairs(tokenize(f"{a} {b}"))
            return searcher.doc_frequency("pairs_x", found[0].text) if found else 0

        return suggestion_for(
            query,
            total,
            lambda text: suggest_accents(text, lambda f: forms.get(f, []), pair_freq),
            lambda text: suggest_spelling(text, lambda f: forms.get(f, []), pair_freq, forms.get),
            self.count if query.loosen_counts else self._exists,
        )

    def _exact_forms(self, searcher) -> dict[str, list[tuple[str, int]]]:
        """folded syllable → its exact forms with document frequencies, once per generation.

        Read segment by segment (each segment's counts kept by segment id, so a refresh reads
        only new segments): Whoosh's merged multi-segment term iterator took ~5 s of CPU at
        38k articles, the per-segment reads ~0.7 s."""
        if "forms" not in self._vocab_cache:
            totals: dict[str, int] = {}
            live: dict[str, dict[str, int]] = {}
            for reader, _offset in _leaf_readers(searcher):
                key = reader.segment().segment_id() if hasattr(reader, "segment") else None
                counts = self._segment_forms.get(key) if key else None
                if counts is None:
                    counts = _form_counts(reader)
                if key:
                    live[key] = counts
                for word, df in counts.items():
                    totals[word] = totals.get(word, 0) + df
            self._segment_forms = live
            forms: dict[str, list[tuple[str, int]]] = {}
            for word in sorted(totals):
                forms.setdefault(fold(word), []).append((word, totals[word]))
            self._vocab_cache["forms"] = forms
        return self._vocab_cache["forms"]


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _leaf_readers(searcher) -> list:
    return sorted(searcher.reader().leaf_readers(), key=lambda pair: pair[1])


def _form_counts(reader) -> dict[str, int]:
    """One segment's exact syllables (``text_x``) → document frequency."""
    counts: dict[str, int] = {}
    if "text_x" not in reader.schema:
        return counts
    for term, info in reader.iter_field("text_x"):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        counts[word] = info.doc_frequency()
    return counts


def _one_word(query: SearchQuery, parsed, plan) -> bool:
    """Whether the query is one word and nothing else (no filter, no exclusion): then any
    article holding the word's run holds all of the query, so a run may stop at its first."""
    filtered = any(
        (query.date_from, query.date_to, parsed.date_from, parsed.date_to, query.sources,
         query.categories, query.people, query.places, query.provinces)
    )  # fmt: skip
    root = plan.root
    excluded = getattr(root, "must_not", ()) or not isinstance(root, (qp.All, qp.Run, qp.TermLeaf))
    return len(plan.units) == 1 and not filtered and not excluded


def _has_phrase(whoosh_query) -> bool:
    kinds = (wq.Phrase, PairPhrase, RunFilter)
    return any(isinstance(leaf, kinds) for leaf in whoosh_query.leaves())


def _ranked_limit(query: SearchQuery, every_match: bool = False) -> int:
    """How many hits one ranking pass keeps. A first page ranks just that page: a top-k
    search with block skipping cost ~30% more CPU for k=100 than k=10 on broad queries. A
    later page (the user is paging) ranks ``RANKED_N`` at once, so the pages after it reuse
    the list; so does a pass that scores every match anyway (phrases)."""
    if query.page == 1 and not every_match:
        return query.per_page
    return max(RANKED_N, query.page * query.per_page)


def _first_on_page(query: SearchQuery) -> int:
    """Index of the page's first hit. A page past the end is empty (with the true total), as
    in every engine: a client paging until an empty page must stop."""
    return (query.page - 1) * query.per_page


def _ranking(results, query: SearchQuery) -> list[tuple[float, int]]:
    """(score, docnum) of the collected hits in order; sorted searches carry no score."""
    relevance = query.sort == "relevance"
    return [(float(s or 0.0) if relevance else 0.0, d) for s, d in results.top_n]


def _sort_field(query: SearchQuery) -> str | None:
    return None if query.sort == "relevance" else "published"


def _latest(a, b):
    return max(x for x in (a, b) if x) if a or b else None


def _earliest(a, b):
    return min(x for x in (a, b) if x) if a or b else None
