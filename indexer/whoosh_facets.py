"""Facet counts for the Whoosh engine from per-document value arrays, not Whoosh groupings.

Whoosh's ``FieldFacet`` groupings look every match up through column readers and, for the
overlapping people facet, term vectors: on broad queries at 38k articles that was most of a
facet request's cost. Instead each segment's documents are mapped once to small integer
value ids (source, category, month from the sortable columns; people and places from the
postings of ``people_kw``, ``place_prov`` and ``place_keys``), segments are cached by id (a
commit only adds new ones), and a query's facets
are plain counting loops over the arrays for its matching document numbers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from itertools import chain

from whoosh import collectors
from whoosh import query as wq

from indexer.api import FacetCount
from indexer.engine_common import NO_PEOPLE, co_mentions, order_facet
from indexer.places import PLACE_FIELD, PROVINCE_FIELD

COLUMN_FACETS = {"source": "source", "category": "category", "month": "month"}
PEOPLE_FIELD = "people_kw"
# Facets with several values per document, read from their fields' postings.
OVERLAP_FACETS = {"person": PEOPLE_FIELD, "province": PROVINCE_FIELD, "place": PLACE_FIELD}
SHOWN_FACETS = ("source", "category", "month", "person")  # places: engine_common.place_facets


class _Values:
    """Value ↔ small integer id, shared by every segment so ids can be concatenated."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._ids: dict[str, int] = {}

    def id_of(self, value: str) -> int:
        found = self._ids.get(value)
        if found is None:
            found = self._ids[value] = len(self.names)
            self.names.append(value)
        return found


class _SegmentArrays:
    """One segment's documents → value ids (segment-local document numbers)."""

    def __init__(self, reader, values: dict[str, _Values]) -> None:
        self.columns: dict[str, list[int]] = {}
        for facet, field_name in COLUMN_FACETS.items():
            self.columns[facet] = _column_ids(reader, field_name, values[facet])
        self.overlaps = {
            facet: _keyword_ids(reader, field_name, values[facet])
            for facet, field_name in OVERLAP_FACETS.items()
        }


def _column_ids(reader, field_name: str, values: _Values) -> list[int]:
    count = reader.doc_count_all()
    if not reader.has_column(field_name):
        return [values.id_of("")] * count
    column = reader.column_reader(field_name)
    id_of = values.id_of
    return [id_of(value or "") for value in column]


def _keyword_ids(reader, field_name: str, values: _Values) -> list[tuple[int, ...]]:
    per_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
    if field_name in reader.schema:
        for term, _info in reader.iter_field(field_name):
            name = term.decode("utf-8") if isinstance(term, bytes) else term
            if name == NO_PEOPLE:
                continue
            value = values.id_of(name)
            for docnum in reader.postings(field_name, term).all_ids():
                per_doc[docnum].append(value)
    return [tuple(ids) for ids in per_doc]


class FacetTable:
    """Every document's facet value ids for one searcher generation."""

    def __init__(
        self, columns: dict[str, list[int]], overlaps: dict[str, list[tuple[int, ...]]], values
    ):
        self._columns, self._overlaps, self._values = columns, overlaps, values

    def counts(self, facet: str, docnums: Iterable[int]) -> list[tuple[str, int]]:
        """(value, documents) of one facet over ``docnums``, unordered."""
        # Counting in C: Counter over map/chain, not a Python loop of updates per document
        # (the person facet's 56k Counter.update calls were most of a facet request).
        if facet in self._overlaps:
            per_doc = self._overlaps[facet]
            counter = Counter(chain.from_iterable(map(per_doc.__getitem__, docnums)))
        else:
            counter = Counter(map(self._columns[facet].__getitem__, docnums))
        names = self._values[facet].names
        return [(names[value], count) for value, count in counter.items()]

    def facets(self, docnums: list[int]) -> dict[str, list[FacetCount]]:
        """Every facet as shown to the user (engine_common's ordering rules)."""
        return {name: order_facet(name, self.counts(name, docnums)) for name in SHOWN_FACETS}

    def co_mentioned(self, name: str, docnums: list[int], top: int) -> list[FacetCount]:
        return co_mentions(name, self.counts("person", docnums), top)


class FacetArrays:
    """Builds FacetTables, reusing the arrays of segments seen in earlier generations."""

    def __init__(self) -> None:
        self._values = {name: _Values() for name in (*COLUMN_FACETS, *OVERLAP_FACETS)}
        self._segments: dict[str, _SegmentArrays] = {}
        # The engine's warm-up thread builds segments' arrays through its own reader while
        # searches go on: value ids and the segment map change under this lock only.
        self._lock = threading.Lock()

    def prepare(self, reader) -> None:
        """Build the arrays of the reader's segments not seen yet (a warm-up step: any
        reader of the same index, e.g. a private one, keeps the searcher free)."""
        with self._lock:
            for leaf, _offset in _leaves_of(reader):
                key = leaf.segment().segment_id()
                if key not in self._segments:
                    self._segments[key] = _SegmentArrays(leaf, self._values)

    def table(self, searcher) -> FacetTable:
        columns: dict[str, list[int]] = {name: [] for name in COLUMN_FACETS}
        overlaps: dict[str, list[tuple[int, ...]]] = {name: [] for name in OVERLAP_FACETS}
        live: dict[str, _SegmentArrays] = {}
        with self._lock:
            for reader, _offset in _leaves(searcher):
                key = reader.segment().segment_id()
                arrays = self._segments.get(key) or _SegmentArrays(reader, self._values)
                live[key] = arrays
                for name in COLUMN_FACETS:
                    columns[name].extend(arrays.columns[name])
                for name in OVERLAP_FACETS:
                    overlaps[name].extend(arrays.overlaps[name])
            self._segments = live  # merged-away segments are dropped
        return FacetTable(columns, overlaps, self._values)


def _leaves(searcher) -> list:
    """(segment reader, docnum offset) pairs, in docnum order."""
    return _leaves_of(searcher.reader())


def _leaves_of(reader) -> list:
    return sorted(reader.leaf_readers(), key=lambda pair: pair[1])


def without_boosts(query: wq.Query) -> wq.Query:
    """The query's matching part only: AndMaybe's optional side changes scores, never which
    documents match, so an unscored pass need not read its (many) terms."""
    if isinstance(query, wq.AndMaybe):
        return without_boosts(query.a)
    if isinstance(query, wq.AndNot):
        return wq.AndNot(without_boosts(query.a), query.b)
    if isinstance(query, (wq.And, wq.Or)) and not isinstance(query, wq.DisjunctionMax):
        return query.__class__([without_boosts(q) for q in query.subqueries])
    return query


def matching_docnums(searcher, query: wq.Query) -> list[int]:
    """Every matching document number, unscored: the exact total and the facets' input."""
    return list(searcher.docs_for_query(without_boosts(query)))


class RecordingCollector(collectors.WrappingCollector):
    """Collects the top documents like its child and also records every matching document
    number, so one scored pass gives the page, the exact total and the facets' input."""

    def __init__(self, child) -> None:
        super().__init__(child)
        self.docnums: list[int] = []

    def collect_matches(self) -> None:
        child, record = self.child, self.docnums.append
        collect, offset = child.collect, child.offset
        for sub_docnum in child.matches():
            record(offset + sub_docnum)
            collect(sub_docnum)


def recording_collector(searcher, limit: int, sortedby: str | None, reverse: bool):
    """A collector for every match: no block-quality skipping and no matcher replacement
    (either would leave low-scoring matches out of the recorded documents)."""
    if sortedby is None:
        return RecordingCollector(collectors.TopCollector(limit, usequality=False, replace=0))
    return RecordingCollector(searcher.collector(limit=limit, sortedby=sortedby, reverse=reverse))
