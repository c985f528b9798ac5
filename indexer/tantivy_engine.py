"""The tantivy engine behind tracuu's search API (same behaviour as ``WhooshEngine``).

Tokens come from ``indexer.analysis`` (see ``tantivy_schema``), queries from the same AST as
Whoosh's (``tantivy_query``), snippets and title marks from ``indexer.highlight`` on the
stored Article, suggestions from ``indexer.suggest``. A tantivy Searcher is a snapshot: the
engine keeps one, and at most once a second checks whether CURRENT moved (reopen) or a
commit landed (``meta.json`` changed: reload), dropping its caches with the old snapshot.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import tantivy
from tantivy import Occur, Order, Query

from crawler.article import VN_TZ, Article
from indexer import location
from indexer import places as pl
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
    PLACE_FACETS,
    QueryPlanner,
    article_hit,
    chosen_person,
    co_mentions,
    combined_text,
    count_key,
    date_bounds,
    nothing_page,
    nothing_to_match,
    order_facet,
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
from indexer.queryplan import build_plan, matching_part
from indexer.suggest import suggest_accents, suggest_spelling
from indexer.tantivy_feed import document_feed
from indexer.tantivy_query import QueryBuilder
from indexer.tantivy_schema import article_document, build_schema, register_analyzer
from indexer.tantivy_schema import stored_article as _stored_article

ENGINE_NAME = "tantivy"
REFRESH_EVERY_S = 1.0
CACHE_SIZE = 256
AGG_SIZE = 100_000  # terms per facet aggregation: large enough to be exact
FACET_FIELDS = {"source": "source", "category": "category", "month": "month", "person": "people_kw"}
WRITER_HEAP = 256_000_000
MLT_TERMS = 25


def create_index(index_dir: Path) -> None:
    """Create an empty index with tracuu's schema in ``index_dir``."""
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(build_schema(), path=str(index_dir), reuse=False)
    register_analyzer(index)
    location.write_meta(index_dir, ENGINE_NAME)


def open_index(index_dir: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(index_dir))
    register_analyzer(index)
    return index


def write_articles(index_dir: Path, articles: Iterable[Article], *, fresh: bool = False) -> int:
    """Add or replace articles (keyed by url) in the index at ``index_dir``; one commit.

    Updates delete the URL's document before adding it, so re-indexing replaces, never
    duplicates (tantivy applies a delete only to documents added before it). A fresh build
    has nothing to replace and analyses its articles in worker processes (tantivy_feed).
    """
    if not fresh:
        return _commit(index_dir, ((a.url, article_document(a)) for a in articles), threads=1)
    # The workers are forked before the writer starts its threads.
    with document_feed(articles, parallel=True) as documents:
        return _commit(index_dir, ((None, d) for d in documents), threads=2)


def _commit(
    index_dir: Path, keyed: Iterable[tuple[str | None, tantivy.Document]], *, threads: int
) -> int:
    """Add (url, document) pairs, deleting the url's older document first when one is given."""
    index = open_index(index_dir)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=threads)
    count = 0
    try:
        for url, document in keyed:
            if url is not None:
                writer.delete_documents_by_term("url", url)
            writer.add_document(document)
            count += 1
    except BaseException:
        writer.rollback()
        raise
    writer.commit()
    writer.wait_merging_threads()
    return count


def _generation_stamp(index_dir: Path) -> tuple[int, int]:
    """Changes whenever a commit lands (tantivy rewrites meta.json atomically)."""
    info = (index_dir / "meta.json").stat()
    return info.st_mtime_ns, info.st_size


class TantivyEngine:
    """Search the live index of a data directory; follows index switches and commits."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = threading.RLock()
        self._index_dir: Path | None = None
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked_at = 0.0
        self._vocab: _FormsCache | None = None
        self._people: dict[str, int] | None = None
        self._pages = LRU(CACHE_SIZE)
        self._facet_counts = LRU(CACHE_SIZE)
        self._counts = LRU(CACHE_SIZE)
        self._planner = QueryPlanner(self._any_match, lambda: self._places(self._searcher))
        self._open()

    # -- lifecycle ---------------------------------------------------------------------
    def _open(self) -> None:
        index_dir = location.current_index_dir(self.data_dir)
        if index_dir is None:
            raise location.IndexMissingError(
                f"Chưa có chỉ mục trong {self.data_dir}: chạy `tracuu index` hoặc `tracuu demo`."
            )
        location.check_meta(index_dir, ENGINE_NAME)
        self._index_dir, self._index = index_dir, open_index(index_dir)
        self._builder = QueryBuilder(self._index.schema)
        self._take_snapshot()

    def _take_snapshot(self) -> None:
        self._stamp = _generation_stamp(self._index_dir)
        self._index.reload()
        self._searcher = self._index.searcher()
        self._vocab = None
        self._people = None
        self._directory = None
        self.clear_result_caches()

    def clear_result_caches(self) -> None:
        """Forget finished pages, facet counts, counts and how queries were read: the next
        search of any query is a full search. Benchmarks use it."""
        with self._lock:
            self._pages.clear()
            self._facet_counts.clear()
            self._counts.clear()
            self._planner.clear()

    def _any_match(self, node) -> bool:
        """Whether any document satisfies a plan node (reading a query asks)."""
        return bool(self._searcher.search(self._builder.compile(node), 1, count=False).hits)

    def _fresh_searcher(self) -> tantivy.Searcher:
        """The snapshot, reopened if CURRENT moved or reloaded if a commit landed."""
        now = time.monotonic()
        if now - self._checked_at >= REFRESH_EVERY_S:
            self._checked_at = now
            if location.current_index_dir(self.data_dir) != self._index_dir:
                self._open()
            elif _generation_stamp(self._index_dir) != self._stamp:
                self._take_snapshot()
        return self._searcher

    def close(self) -> None:
        with self._lock:
            self._searcher = self._index = None

    # -- the search API ----------------------------------------------------------------
    def add(self, articles: Iterable[Article]) -> int:
        with self._lock:
            count = write_articles(self._index_dir, articles)
            self._checked_at = 0.0
            return count

    def stats(self) -> IndexStats:
        with self._lock:
            searcher = self._fresh_searcher()
            return IndexStats(
                documents=searcher.num_docs,
                generation=f"{self._index_dir.name}:{self._stamp[0]}",
                updated_at=datetime.fromtimestamp(self._stamp[0] / 1e9, VN_TZ),
                schema_version=location.SCHEMA_VERSION,
            )

    def get(self, url: str) -> Article | None:
        with self._lock:
            searcher = self._fresh_searcher()
            address = self._address_of(searcher, url)
            return _stored_article(searcher.doc(address)) if address is not None else None

    def search(self, query: SearchQuery) -> SearchPage:
        query = ranked_as(query)
        with self._lock:
            searcher = self._fresh_searcher()
            page = self._pages.get(query)
            if page is None:
                page = self._pages[query] = self._search(searcher, query)
            return page

    def _search(self, searcher: tantivy.Searcher, query: SearchQuery) -> SearchPage:
        parsed = parse_query(query.text)
        plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return nothing_page(query, parsed, plan)
        tantivy_query = self._full_query(query, parsed, plan)
        facet_key = replace(query, page=1, per_page=1, sort="relevance")
        facets = {}
        if query.facets:
            facets = self._facet_counts.get(facet_key)
            if facets is None:
                facets = self._facets(searcher, tantivy_query, query)
                self._facet_counts[facet_key] = facets
        offset = (query.page - 1) * query.per_page
        result = self._run(searcher, tantivy_query, query.sort, query.per_page, offset)
        keys = query_keys(parsed.terms(), query.exact_accents)
        suggestion, suggestion_total = self._suggest(searcher, query, result.count)
        hits = [
            article_hit(_stored_article(searcher.doc(addr)), keys, score=score)
            for score, addr in result.hits
        ]
        return SearchPage(
            query=query,
            total=result.count,
            hits=hits,
            facets=facets,
            suggestion=suggestion,
            suggestion_total=suggestion_total,
            warnings=[*parsed.warnings, *plan.warnings],
            reading=reading_of(plan, query, self.count),
        )

    def count(self, query: SearchQuery) -> int:
        """How many articles match: the plan's matching part counted, no ranking, remembered
        per snapshot (the loosened readings and suggestions ask for counts)."""
        with self._lock:
            searcher = self._fresh_searcher()
            key = count_key(query)
            found = self._counts.get(key)
            if found is None:
                parsed = parse_query(query.text)
                plan = self._planner.plan(parsed, query)
                found = 0
                if not nothing_to_match(parsed, plan):
                    matching = replace(plan, root=matching_part(plan))
                    full = self._full_query(query, parsed, matching)
                    found = searcher.search(full, 1, count=True).count
                self._counts[key] = found
            return found

    def iter_results(self, query: SearchQuery) -> Iterator[SearchHit]:
        query = ranked_as(query)
        # The searcher is a snapshot: later commits or reloads cannot change it under us,
        # and it is used outside the lock so a slow download never blocks other searches.
        with self._lock:
            searcher = self._fresh_searcher()
            parsed = parse_query(query.text)
            plan = self._planner.plan(parsed, query)
        if nothing_to_match(parsed, plan):
            return
        tantivy_query = self._full_query(query, parsed, plan)
        total = searcher.search(tantivy_query, 1, count=True).count
        if total == 0:
            return
        result = self._run(searcher, tantivy_query, query.sort, total, 0, count=False)
        keys = query_keys(parsed.terms(), query.exact_accents)
        for _, addr in result.hits:
            yield article_hit(_stored_article(searcher.doc(addr)), keys, with_snippet=False)

    def more_like_this(self, url: str, k: int = 5) -> list[SearchHit]:
        with self._lock:
            searcher = self._fresh_searcher()
            address = self._address_of(searcher, url)
            if address is None:
                return []
            article = _stored_article(searcher.doc(address))
            terms = self._key_terms(searcher, combined_text(article))
            if not terms:
                return []
            clauses = [(Occur.Should, self._builder.term("text_f", t, w)) for t, w in terms]
            clauses.append((Occur.MustNot, self._builder.term("url", url)))
            result = searcher.search(Query.boolean_query(clauses), k, count=False)
            return [
                article_hit(_stored_article(searcher.doc(addr)), frozenset(), score=score)
                for score, addr in result.hits
            ]

    def person_stats(self, name: str, top: int = 15) -> PersonStats:
        with self._lock:
            searcher = self._fresh_searcher()
            asked = name
            name, candidates = chosen_person(name, self._person_names(searcher))
            query = self._builder.term("people_kw", name)
            total = searcher.search(query, 1, count=True).count
            wanted = {"month": "month", "person": "people_kw", "place": pl.PLACE_FIELD}
            counts = self._aggregate(searcher, query, wanted)
            places = place_counts(counts["place"], self._places(searcher), top)
        return PersonStats(
            name=name,
            total=total,
            months=tuple(FacetCount(v, c) for v, c in sorted(counts["month"]) if v),
            co_mentioned=tuple(co_mentions(name, counts["person"], top)),
            candidates=candidates,
            asked=asked if asked != name else "",
            places=places,
        )

    def place_stats(self, key: str, history: bool = False, top: int = 15) -> PlaceStats | None:
        with self._lock:
            searcher = self._fresh_searcher()
            query = self._builder.values_filter(place_field(history), (key,))
            total = searcher.search(query, 1, count=True).count
            counts = self._aggregate(searcher, query, {"month": "month", "person": "people_kw"})
            return place_stats(self._places(searcher), key, history, total, counts, top)

    def place_units(self, keys: Iterable[str]) -> dict:
        with self._lock:
            directory = self._places(self._fresh_searcher())
            return {k: ref for k in keys if (ref := directory.get(k)) is not None}

    def _places(self, searcher) -> pl.PlaceDirectory:
        """The units the index names or relates (``indexer.places``), once per snapshot."""
        if self._directory is None:
            entries = [t for t, _df in searcher.terms_with_prefix(pl.DIRECTORY_FIELD, "")]
            counts = dict(searcher.terms_with_prefix(pl.PLACE_FIELD, ""))
            self._directory = pl.PlaceDirectory(entries, counts)
        return self._directory

    def _person_names(self, searcher) -> dict[str, int]:
        """Every indexed person name → articles naming them, once per snapshot."""
        if self._people is None:
            self._people = dict(searcher.terms_with_prefix("people_kw", ""))
        return self._people

    # -- helpers -----------------------------------------------------------------------
    def _full_query(self, query: SearchQuery, parsed, plan) -> Query:
        """The plan's query plus filters; filters add no score, so they never reorder."""
        date_from, date_to = date_bounds(query, parsed)
        builder = self._builder
        main = builder.build(plan)
        filters = [
            builder.date_filter(date_from, date_to),
            builder.values_filter("source", query.sources),
            builder.values_filter("category", query.categories),
            builder.values_filter("people_kw", query.people),
            builder.values_filter(pl.PROVINCE_FIELD, query.provinces),
        ]
        filters = [f for f in filters if f is not None]
        if not filters:
            return main if main is not None else Query.all_query()
        clauses = [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
        if main is not None:
            clauses.insert(0, (Occur.Must, main))
        return Query.boolean_query(clauses)

    @staticmethod
    def _run(searcher, query: Query, sort: str, limit: int, offset: int, count: bool = True):
        if sort == "relevance":
            return searcher.search(query, limit, count=count, offset=offset)
        order = Order.Desc if sort == "newest" else Order.Asc
        return searcher.search(
            query, limit, count=count, order_by_field="published", offset=offset, order=order
        )

    def _address_of(self, searcher: tantivy.Searcher, url: str):
        hits = searcher.search(self._builder.term("url", url), 1, count=False).hits
        return hits[0][1] if hits else None

    def _aggregate(self, searcher, query: Query, fields: dict[str, str]) -> dict[str, list]:
        spec = {name: {"terms": {"field": f, "size": AGG_SIZE}} for name, f in fields.items()}
        result = searcher.aggregate(query, spec)
        return {
            name: [(b["key"], b["doc_count"]) for b in result[name]["buckets"]] for name in fields
        }

    def _facets(self, searcher, query: Query, asked: SearchQuery) -> dict[str, list[FacetCount]]:
        counts = self._aggregate(searcher, query, {**FACET_FIELDS, **PLACE_FACETS})
        shown = {name: order_facet(name, counts[name]) for name in FACET_FIELDS}
        return {**shown, **place_facets(counts, asked, self._places(searcher))}

    def _key_terms(self, searcher, text: str) -> list[tuple[str, float]]:
        """The article's most distinctive folded syllables, weighted by tf·idf."""
        frequencies = Counter(t.folded for t in tokenize(text))
        documents = max(1, searcher.num_docs)
        weighted = []
        for term, tf in frequencies.items():
            df = searcher.doc_freq("text_f", term)
            if df > 1:  # a syllable only this article has finds nothing else
                weighted.append((term, tf * math.log(documents / df)))
        weighted.sort(key=lambda tw: (-tw[1], tw[0]))
        top = [(t, w) for t, w in weighted[:MLT_TERMS] if w > 0]
        scale = top[0][1] if top else 1.0
        return [(t, max(w / scale, 0.05)) for t, w in top]

    def _suggest(self, searcher, query: SearchQuery, total: int) -> tuple[str | None, int | None]:
        forms = self._exact_forms(searcher)

        def pair_freq(a: str, b: str) -> int:
            found = pairs(tokenize(f"{a} {b}"))
            return searcher.doc_freq("pairs_x", found[0].text) if found else 0

        def known(folded: str) -> bool:
            return searcher.doc_freq("text_f", folded) > 0

        return suggestion_for(
            query,
            total,
            lambda text: suggest_accents(text, lambda f: forms.get(f, []), pair_freq),
            lambda text: suggest_spelling(text, lambda f: forms.get(f, []), pair_freq, known),
            # A count costs tantivy about what a first match does; the answer keeps the API's
            # shape (a number only where the page asked for counts).
            self.count if query.loosen_counts else lambda q: self.count(q) > 0,
        )

    def _exact_forms(self, searcher) -> _FormsCache:
        """folded syllable → its exact forms with document frequencies, per snapshot."""
        if self._vocab is None:
            self._vocab = _FormsCache(searcher)
        return self._vocab


class _FormsCache(dict):
    """Exact forms of a folded syllable, looked up on demand in the term dictionary.

    Reading the whole ``text_x`` vocabulary (as the Whoosh engine does) took 0.6–1.7 s at 38k
    articles, paid by the first search after every commit. Instead each folded syllable asks
    for the terms starting with every accented spelling of its onset and first vowel
    ("tinh" → "ti", "tí", "tì", …) and keeps those that fold back to it.
    """

    def __init__(self, searcher: tantivy.Searcher) -> None:
        super().__init__()
        self.searcher = searcher

    def __missing__(self, folded: str) -> list[tuple[str, int]]:
        found = [
            (word, df)
            for prefix in _form_prefixes(folded)
            for word, df in self.searcher.terms_with_prefix("text_x", prefix)
            if fold(word) == folded
        ]
        self[folded] = found
        return found

    def get(self, folded: str, default=None) -> list[tuple[str, int]]:
        return self[folded]


# Vietnamese letters with diacritics: other scripts' accented letters never reach text_x
# through the query side, so asking for them would only multiply the look-ups.
_VIETNAMESE_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"


def _accented_letters() -> dict[str, tuple[str, ...]]:
    """Each of a, e, i, o, u, y, d with its Vietnamese accented forms (itself first)."""
    letters: dict[str, list[str]] = {base: [base] for base in "aeiouyd"}
    for char in _VIETNAMESE_MARKED:
        letters[fold(char)].append(char)
    return {base: tuple(chars) for base, chars in letters.items()}


_ACCENTED = _accented_letters()
_VOWELS = frozenset("aeiouy")


def _form_prefixes(folded: str) -> list[str]:
    """Spellings of ``folded`` up to its first vowel (d may be đ, the vowel any accent)."""
    cut = next((i + 1 for i, c in enumerate(folded) if c in _VOWELS), len(folded))
    prefixes = [""]
    for i, char in enumerate(folded[:cut]):
        choices = _ACCENTED[char] if char == "d" or i == cut - 1 and char in _VOWELS else (char,)
        prefixes = [p + c for p in prefixes for c in choices]
    return prefixes


# -- checks on a not-yet-live index (indexer.verify_index / indexed_urls) ------------------
def find_titles(index_dir: Path, titles: Iterable[tuple[str, str]], depth: int = 10) -> list[str]:
    """Problems: each (url, title) whose title search does not return an article so titled."""
    from indexer.verify import title_query_text

    index = open_index(index_dir)
    searcher = index.searcher()
    builder = QueryBuilder(index.schema)
    problems = []
    for url, title in titles:
        text = title_query_text(title)
        # One quoted phrase: no plain words to read, so no archive look-ups either.
        plan = build_plan(parse_query(text).root, lambda _run, fold=False: True)
        query = builder.build(plan) if text else None
        if query is None:
            continue
        found = [_stored_article(searcher.doc(a)) for _, a in searcher.search(query, depth).hits]
        if not any(a.url == url or a.title == title for a in found):
            problems.append(f"tìm «{title}» không thấy {url}")
    return problems


def all_urls(index_dir: Path) -> set[str]:
    """The URL of every (non-deleted) document."""
    searcher = open_index(index_dir).searcher()
    total = searcher.num_docs
    if total == 0:
        return set()
    hits = searcher.search(Query.all_query(), total, count=False).hits
    return {_stored_article(searcher.doc(addr)).url for _, addr in hits}


def document_count(index_dir: Path) -> int:
    return open_index(index_dir).searcher().num_docs
