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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh import query as wq

from crawler.article import VN_TZ, Article
from indexer import location
from indexer import places as pl
from indexer import queryplan as qp
from indexer.analysis import fold
from indexer.api import IndexStats, SearchQuery
from indexer.backend import EngineBackend
from indexer.engine_base import BaseEngine, facet_key, page_window
from indexer.engine_common import NO_PEOPLE, counted_place_facets, date_bounds
from indexer.fields import combined_text
from indexer.whoosh_facets import FacetArrays, matching_docnums, recording_collector
from indexer.whoosh_query import any_document, any_match, build_query, date_filter, values_filter
from indexer.whoosh_rank import (
    SCORED_FIELDS,
    PairPhrase,
    Unsupported,
    field_lengths,
    rank_all,
    top_of,
)
from indexer.whoosh_run import RunFilter
from indexer.whoosh_schema import stored_article

RANKED_N = 100  # hits ranked (and cached) per query: pages 1..10 of 10 from one ranking pass


class WhooshEngine(BaseEngine):
    """Search the live index of a data directory with Whoosh (``BaseEngine``'s policy)."""

    has_warm_up = True
    extra_caches = ("_ranked",)  # the query, page 1 → its top (score, docnum) list

    def __init__(self, data_dir: str | Path, backend: EngineBackend) -> None:
        self._ix = None
        self._segment_forms: dict[str, dict[str, int]] = {}  # segment id → exact form → df
        self._lengths: dict = {}  # (segment id, field) → per-document field lengths
        self._facet_arrays = FacetArrays()  # per-segment value arrays, kept across refreshes
        super().__init__(data_dir, backend)

    # -- snapshots -------------------------------------------------------------------------
    def _attach(self, index_dir: Path) -> None:
        ix = windex.open_dir(str(index_dir))
        searcher = ix.searcher()
        old_searcher, old_ix = self._searcher, self._ix
        self._ix, self._searcher = ix, searcher
        if old_searcher is not None:
            old_searcher.close()
            old_ix.close()

    def _changed(self) -> bool:
        return not self._searcher.up_to_date()

    def _reload(self) -> None:
        # A new searcher, not Searcher.refresh(): refresh reuses the readers of segments it
        # already had, so deletions a commit made in them (a replaced article) stayed
        # invisible and the old version kept matching.
        old = self._searcher
        self._searcher = self._ix.searcher()
        old.close()

    def _detach(self) -> None:
        self._searcher.close()
        self._ix.close()
        self._ix = None

    def _warm(self) -> None:
        """The suggestion vocabulary (every search needs it: under the search lock) and the
        facet value arrays and field lengths (through a private reader, so searches go on
        meanwhile)."""
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
        return self._per_generation("facets", lambda: self._facet_arrays.table(searcher))

    def _stats(self, searcher) -> IndexStats:
        mtime = (self._index_dir / location.META_FILE).stat().st_mtime
        toc = max((p.stat().st_mtime for p in self._index_dir.glob("*.toc")), default=mtime)
        return IndexStats(
            documents=searcher.doc_count(),
            generation=f"{self._index_dir.name}:{self._ix.latest_generation()}",
            updated_at=datetime.fromtimestamp(toc, VN_TZ),
            schema_version=location.SCHEMA_VERSION,
        )

    # -- matching and ranking ----------------------------------------------------------------
    def _any_match(self, node) -> bool:
        return any_match(self._searcher, node)

    def _page(self, searcher, query: SearchQuery, whoosh_query) -> tuple[int, Any, list]:
        # Facet counts and the total do not depend on the page or the sort: paging through
        # results (or re-sorting them) reuses them instead of matching every document again.
        key = facet_key(query)
        counted = self._facet_counts.get(key)
        rank_key = replace(query, page=1, per_page=1, facets=False)
        if counted is None:
            docnums, ranked = self._matches(searcher, query, whoosh_query)
            counted = (len(docnums), self._page_facets(searcher, query, docnums))
            self._facet_counts[key] = counted
            if ranked is not None:
                self._ranked[rank_key] = ranked
        total, facets = counted
        first, end = page_window(query)
        ranked = self._ranked.get(rank_key)
        if ranked is None or len(ranked) < min(end, total):
            ranked = self._ranked[rank_key] = self._top(searcher, query, whoosh_query, end)
        return total, facets, ranked[first:end]

    def _exists(self, query: SearchQuery) -> bool:
        """Whether any article matches, without counting them all: terms are matched lazily
        and a one-word query's run stops at its first match."""
        found = self._matching_query(query)
        if found is None:
            return False
        whoosh_query, parsed, plan = found
        one_word = _one_word(query, parsed, plan)
        return any_document(self._fresh_searcher(), whoosh_query, first_run_match=one_word)

    def _count(self, searcher, whoosh_query) -> int:
        try:
            return len(rank_all(searcher, whoosh_query, self._lengths))
        except Unsupported:
            return len(matching_docnums(searcher, whoosh_query))

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

    # -- documents -------------------------------------------------------------------------
    def _stored(self, searcher, docnum: int) -> Article:
        return stored_article(searcher.stored_fields(docnum))

    def _address_of(self, searcher, url: str) -> int | None:
        return searcher.document_number(url=url)

    def _export_snapshot(self):
        return _private_searcher(self._index_dir)

    def _every_match(self, searcher, query: SearchQuery, whoosh_query) -> Iterator[Article]:
        results = searcher.search(
            whoosh_query, limit=None, sortedby=_sort_field(query), reverse=query.sort == "newest"
        )
        for _score, docnum in results.top_n:
            yield self._stored(searcher, docnum)

    def _similar(self, searcher, docnum: int, article: Article, k: int) -> list:
        similar = searcher.more_like(
            docnum, "text_f", text=combined_text(article), top=k, numterms=25
        )
        return [(r.score, r.docnum) for r in similar]

    # -- facets, people, places and the vocabulary ------------------------------------------
    def _page_facets(self, searcher, query: SearchQuery, docnums: list[int]):
        if not query.facets:
            return None
        table = self._facets_of(searcher)
        places = {name: table.counts(name, docnums) for name in counted_place_facets(query)}
        return {**table.facets(docnums), **self._place_facets(searcher, query, places)}

    def _person_counts(self, searcher, name: str, top: int) -> tuple:
        docnums = matching_docnums(searcher, wq.Term("people_kw", name))
        table = self._facets_of(searcher)
        return len(docnums), table.counts("month", docnums), table.co_mentioned(name, docnums, top)

    def _person_names(self, searcher) -> dict[str, int]:
        names = self._terms(searcher, "people_kw")
        names.pop(NO_PEOPLE, None)
        return names

    def _terms(self, searcher, field: str) -> dict[str, int]:
        found = {}
        for term in searcher.lexicon(field):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            found[text] = searcher.doc_frequency(field, text)
        return found

    def _counts_where(self, searcher, field: str, value: str, facets: tuple[str, ...]) -> tuple:
        docnums = matching_docnums(searcher, wq.Term(field, value))
        table = self._facets_of(searcher)
        return len(docnums), {name: table.counts(name, docnums) for name in facets}

    def _doc_frequency(self, searcher, field: str, text: str) -> int:
        return searcher.doc_frequency(field, text)

    def _known_syllable(self, searcher, forms) -> Callable[[str], object]:
        return forms.get  # the whole vocabulary is read anyway

    def _full_query(self, query: SearchQuery, parsed, plan) -> wq.Query:
        date_from, date_to = date_bounds(query, parsed)
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

    def _exact_forms(self, searcher) -> dict[str, list[tuple[str, int]]]:
        """folded syllable → its exact forms with document frequencies, once per generation.

        Read segment by segment (each segment's counts kept by segment id, so a refresh reads
        only new segments): Whoosh's merged multi-segment term iterator took ~5 s of CPU at
        38k articles, the per-segment reads ~0.7 s."""
        return self._per_generation("forms", lambda: self._read_forms(searcher))

    def _read_forms(self, searcher) -> dict[str, list[tuple[str, int]]]:
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
        return forms


@contextmanager
def _private_searcher(index_dir: Path) -> Iterator:
    """A searcher of its own: a snapshot of the index that no refresh can change."""
    ix = windex.open_dir(str(index_dir))
    searcher = ix.searcher()
    try:
        yield searcher
    finally:
        searcher.close()
        ix.close()


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


def _ranking(results, query: SearchQuery) -> list[tuple[float, int]]:
    """(score, docnum) of the collected hits in order; sorted searches carry no score."""
    relevance = query.sort == "relevance"
    return [(float(s or 0.0) if relevance else 0.0, d) for s, d in results.top_n]


def _sort_field(query: SearchQuery) -> str | None:
    return None if query.sort == "relevance" else "published"
