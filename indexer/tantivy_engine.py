"""The tantivy engine behind tracuu's search API (same behaviour as ``WhooshEngine``).

Tokens come from ``indexer.analysis`` (see ``tantivy_schema``), queries from the same AST as
Whoosh's (``tantivy_query``), snippets and title marks from ``indexer.highlight`` on the
stored Article, suggestions from ``indexer.suggest``. A tantivy Searcher is a snapshot: the
engine keeps one, and at most once a second checks whether CURRENT moved (reopen) or a
commit landed (``meta.json`` changed: reload), dropping its caches with the old snapshot.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Order, Query

from crawler.article import VN_TZ, Article
from indexer import location
from indexer import places as pl
from indexer.analysis import tokenize
from indexer.api import FacetCount, IndexStats, SearchQuery
from indexer.engine_base import BaseEngine, facet_key, page_window
from indexer.engine_common import (
    PLACE_FACETS,
    co_mentions,
    combined_text,
    counted_place_facets,
    date_bounds,
    order_facet,
    units_inside,
)
from indexer.facet_counts import terms_spec, top_is_exact
from indexer.tantivy_forms import FormsCache, RecentPrefixes, WordFolds
from indexer.tantivy_query import QueryBuilder
from indexer.tantivy_schema import open_index
from indexer.tantivy_schema import stored_article as _stored_article

AGG_SIZE = 100_000  # terms per facet aggregation: large enough to be exact
FACET_FIELDS = {"source": "source", "category": "category", "month": "month", "person": "people_kw"}
COUNTED_FIELDS = {**FACET_FIELDS, **PLACE_FACETS}  # what a page's or a page's unit's counts read
MLT_TERMS = 25


def _generation_stamp(index_dir: Path) -> tuple[int, int]:
    """Changes whenever a commit lands (tantivy rewrites meta.json atomically)."""
    info = (index_dir / "meta.json").stat()
    return info.st_mtime_ns, info.st_size


class TantivyEngine(BaseEngine):
    """Search the live index of a data directory with tantivy (``BaseEngine``'s policy)."""

    _index: tantivy.Index | None = None
    _stamp: tuple[int, int] | None = None
    has_warm_up = True  # the people and place directories of a new snapshot
    shared_snapshot = True  # a tantivy Searcher is read from any thread

    def __init__(self, data_dir: str | Path, backend) -> None:
        # Kept across snapshots: terms' folded forms, the prefixes suggestions read lately.
        self._word_folds, self._recent_prefixes = WordFolds(), RecentPrefixes()
        super().__init__(data_dir, backend)

    def _warm(self) -> None:
        self._warm_directories()
        with self._lock:
            searcher = self._searcher
            forms = self._exact_forms(searcher) if searcher is not None else None
        if forms is not None:  # the prefixes suggestions read lately, in the new snapshot
            forms.prefetch(self._recent_prefixes.snapshot())

    # -- snapshots ---------------------------------------------------------------------
    def _attach(self, index_dir: Path) -> None:
        self._index = open_index(index_dir)
        self._builder = QueryBuilder(self._index.schema)
        self._snapshot(index_dir)

    def _snapshot(self, index_dir: Path) -> None:
        self._stamp = _generation_stamp(index_dir)
        self._index.reload()
        self._searcher = self._index.searcher()

    def _changed(self) -> bool:
        return _generation_stamp(self._index_dir) != self._stamp

    def _reload(self) -> None:
        self._snapshot(self._index_dir)

    def _detach(self) -> None:
        self._index = None

    def _stats(self, searcher: tantivy.Searcher) -> IndexStats:
        return IndexStats(
            documents=searcher.num_docs,
            generation=f"{self._index_dir.name}:{self._stamp[0]}",
            updated_at=datetime.fromtimestamp(self._stamp[0] / 1e9, VN_TZ),
            schema_version=location.SCHEMA_VERSION,
        )

    # -- matching and ranking --------------------------------------------------------------
    def _any_match(self, node) -> bool:
        return bool(self._searcher.search(self._builder.compile(node), 1, count=False).hits)

    def _page(self, searcher, query: SearchQuery, tantivy_query: Query) -> tuple[int, Any, list]:
        facets = {}
        if query.facets:
            key = facet_key(query)
            facets = self._facet_counts.get(key)
            if facets is None:
                facets = self._facet_counts[key] = self._facets(searcher, tantivy_query, query)
        first, _end = page_window(query)
        result = self._run(searcher, tantivy_query, query.sort, query.per_page, first)
        return result.count, facets, result.hits

    def _count(self, searcher, tantivy_query: Query) -> int:
        return searcher.search(tantivy_query, 1, count=True).count

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

    # -- documents ---------------------------------------------------------------------------
    def _stored(self, searcher, address) -> Article:
        return _stored_article(searcher.doc(address))

    def _address_of(self, searcher: tantivy.Searcher, url: str):
        hits = searcher.search(self._builder.term("url", url), 1, count=False).hits
        return hits[0][1] if hits else None

    def _export_snapshot(self) -> nullcontext:
        # The searcher is a snapshot: later commits or reloads cannot change it.
        return nullcontext(self._searcher)

    def _every_match(self, searcher, query: SearchQuery, tantivy_query: Query) -> Iterator[Article]:
        total = self._count(searcher, tantivy_query)
        if total == 0:
            return
        result = self._run(searcher, tantivy_query, query.sort, total, 0, count=False)
        for _, address in result.hits:
            yield self._stored(searcher, address)

    def _similar(self, searcher, address, article: Article, k: int) -> list:
        terms = self._key_terms(searcher, combined_text(article))
        if not terms:
            return []
        url = article.url
        clauses = [(Occur.Should, self._builder.term("text_f", t, w)) for t, w in terms]
        clauses.append((Occur.MustNot, self._builder.term("url", url)))
        return searcher.search(Query.boolean_query(clauses), k, count=False).hits

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

    # -- facets, people and the vocabulary -----------------------------------------------------
    def _aggregate(
        self, searcher, query: Query, fields: dict[str, str], spec: dict | None = None
    ) -> dict[str, list]:
        if spec is None:
            spec = {name: {"terms": {"field": f, "size": AGG_SIZE}} for name, f in fields.items()}
        result = searcher.aggregate(query, spec)
        return {
            name: [(b["key"], b["doc_count"]) for b in result[name]["buckets"]] for name in fields
        }

    def _facets(self, searcher, query: Query, asked: SearchQuery) -> dict[str, list[FacetCount]]:
        # The shown facets' top values only, exactly counted (indexer.facet_counts); all of a
        # facet's values only when ties at its last shown value could hide one. The units
        # below a province are counted only when the query chose one, the top of them too.
        fields = {**FACET_FIELDS, **counted_place_facets(asked)}
        counts = self._aggregate(searcher, query, fields, terms_spec(fields))
        shown_unit = None
        if "place" in fields:
            shown_unit = units_inside(asked, self._places(searcher)).__contains__
        unsure = {
            name: field
            for name, field in fields.items()
            if not top_is_exact(name, counts[name], shown_unit if name == "place" else None)
        }
        if unsure:
            counts.update(self._aggregate(searcher, query, unsure, terms_spec(unsure, whole=True)))
        shown = {name: order_facet(name, counts[name]) for name in FACET_FIELDS}
        return {**shown, **self._place_facets(searcher, asked, counts)}

    def _person_counts(self, searcher, name: str, top: int) -> tuple:
        query = self._builder.term("people_kw", name)
        total = self._count(searcher, query)
        counts = self._aggregate(searcher, query, {"month": "month", "person": "people_kw"})
        return total, counts["month"], co_mentions(name, counts["person"], top)

    def _person_names(self, searcher) -> dict[str, int]:
        return self._terms(searcher, "people_kw")

    def _terms(self, searcher, field: str) -> dict[str, int]:
        return dict(searcher.terms_with_prefix(field, ""))

    def _counts_where(self, searcher, field: str, value: str, facets: tuple[str, ...]) -> tuple:
        query = self._builder.values_filter(field, (value,))
        counts = self._aggregate(searcher, query, {name: COUNTED_FIELDS[name] for name in facets})
        return self._count(searcher, query), counts

    def _doc_frequency(self, searcher, field: str, text: str) -> int:
        return searcher.doc_freq(field, text)

    def _exact_forms(self, searcher) -> FormsCache:
        """folded syllable → its exact forms with document frequencies, per snapshot."""
        return self._per_generation("forms", lambda: self._new_forms(searcher))

    def _new_forms(self, searcher) -> FormsCache:
        return FormsCache(searcher, self._word_folds, self._recent_prefixes)
