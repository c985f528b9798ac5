"""A third engine, in memory, built only on the engine contract: the proof it is complete.

``MemoryBackend`` (``indexer.backend.EngineBackend``) keeps each index as a dict of analysed
documents in this process, keyed by its target; ``MemoryEngine`` (``indexer.engine_base.
BaseEngine``) supplies only the hooks every engine supplies. Documents hold the tokens of
each field of ``indexer.fields``' table (cut by ``indexer.analysis``, as the real engines
index them), and queries are the same query plan (``indexer.queryplan``) compiled into
Python predicates over those tokens. Scores are a plain tf·idf sum, not BM25: the
engine-neutral tests never depend on the order of hits of equal standing.

Register it with ``indexer.register("memory", BACKEND)`` (tests/test_engine_parity.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from crawler.article import Article
from indexer import places as pl
from indexer import queryplan as qp
from indexer import ranking as rules
from indexer import verify
from indexer.analysis import fold, token_strings
from indexer.api import IndexStats, SearchEngine, SearchQuery
from indexer.backend import EngineBackend
from indexer.engine_base import BaseEngine, facet_key, page_window
from indexer.engine_common import PLACE_FACETS, co_mentions, date_bounds, order_facet
from indexer.fields import (
    EXACT,
    EXACT_PAIRS,
    FACETS,
    FOLDED,
    TEXT_FIELDS,
    article_parts,
    facet_values,
    keyword_values,
)
from indexer.location import SCHEMA_VERSION

Score = float | None  # None: the document does not match
Matcher = Callable[["Document", "Snapshot"], Score]
SIMILAR_TERMS = 25
COUNTED = {**FACETS, **PLACE_FACETS}  # facet name → the field whose values it counts


@dataclass
class Document:
    article: Article
    order: int  # insertion order: ties keep it, as the real engines keep document order
    tokens: dict[str, list[str]]  # field → its tokens at their positions
    counts: dict[str, Counter]  # field → token → frequency
    facets: dict[str, list[str]]


def analysed(article: Article, order: int) -> Document:
    """The document of an article: every field of the field table, analysed."""
    parts = {name: token_strings(text) for name, text in article_parts(article).items()}
    tokens = {}
    for spec in TEXT_FIELDS:
        strings = parts[spec.part]
        if spec.analysis == FOLDED:
            tokens[spec.name] = strings.folded
        elif spec.analysis == EXACT:
            tokens[spec.name] = strings.exact
        else:
            tokens[spec.name] = strings.pairs(folded=spec.analysis != EXACT_PAIRS)
    values = {**facet_values(article), **keyword_values(article)}  # whole-term fields
    counts = {name: Counter(words) for name, words in {**tokens, **values}.items()}
    return Document(article, order, tokens, counts, values)


@dataclass
class Snapshot:
    """One generation of an index: its documents and their document frequencies."""

    documents: dict[str, Document]
    generation: int
    frequencies: dict[str, Counter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for document in self.documents.values():
            for name, counts in document.counts.items():
                self.frequencies.setdefault(name, Counter()).update(counts.keys())

    def doc_frequency(self, field_name: str, text: str) -> int:
        return self.frequencies.get(field_name, Counter())[text]

    def idf(self, field_name: str, text: str) -> float:
        return math.log(1 + len(self.documents) / max(1, self.doc_frequency(field_name, text)))


# target → (generation, url → document): the indexes of this process.
_INDEXES: dict[str, tuple[int, dict[str, Document]]] = {}


def _snapshot(target: Path) -> Snapshot:
    generation, documents = _INDEXES[str(target)]
    return Snapshot(dict(documents), generation)


# -- compiling the plan ------------------------------------------------------------------------
class Compiler(qp.PlanCompiler):
    """A plan node → a predicate giving a document's score, None where it does not match."""

    def term(self, field_name: str, text: str, boost: float = 1.0) -> Matcher:
        def match(doc: Document, snap: Snapshot) -> Score:
            tf = doc.counts.get(field_name, Counter())[text]
            return boost * snap.idf(field_name, text) * tf / (tf + 1.2) if tf else None

        return match

    def phrase(self, field_name: str, words: list) -> Matcher:
        def match(doc: Document, snap: Snapshot) -> Score:
            return 1.0 if _consecutive(doc.tokens.get(field_name, []), words) else None

        return match

    def pair_phrase(self, node: qp.PairPhraseLeaf) -> Matcher:
        pair_terms = [self.term(qp.PAIR_FIELD, p) for p in dict.fromkeys(node.pairs)]
        positions = self.phrase("text_f", list(node.words))
        return self.all_of([positions, *pair_terms], [], [])

    def run(self, node: qp.Run) -> Matcher:
        folded_field, exact_field = rules.FIELD_MAP[node.field]
        needed = [self.term(qp.PAIR_FIELD, p, 0.0) for p in node.pairs]
        needed += [self.term(qp.EXACT_PAIR_FIELD, p, 0.0) for p in node.exact_pairs]

        def positions(doc: Document, snap: Snapshot) -> Score:
            folded, exact = doc.tokens.get(folded_field, []), doc.tokens.get(exact_field, [])
            for start in range(len(folded) - len(node.syllables) + 1):
                if all(
                    (exact if s.exact else folded)[start + i] == s.form
                    for i, s in enumerate(node.syllables)
                ):
                    return 0.0
            return None

        return self.all_of([*needed, positions], [], [])

    def any_of(self, items: list) -> Matcher:
        def match(doc: Document, snap: Snapshot) -> Score:
            scores = [s for s in (item(doc, snap) for item in items) if s is not None]
            return sum(scores) if scores else None

        return match

    def all_of(self, must: list, should: list, must_not: list) -> Matcher:
        def match(doc: Document, snap: Snapshot) -> Score:
            total = 0.0
            for item in must:
                score = item(doc, snap)
                if score is None:
                    return None
                total += score
            if any(item(doc, snap) is not None for item in must_not):
                return None
            return total + sum(s for s in (item(doc, snap) for item in should) if s is not None)

        return match


def _consecutive(tokens: list[str], words: list[str]) -> bool:
    size = len(words)
    return any(tokens[i : i + size] == words for i in range(len(tokens) - size + 1))


COMPILER = Compiler()


def _within(doc: Document, query: SearchQuery, date_from, date_to) -> bool:
    """The query's filters: dates (inclusive days), sources, categories, people, provinces."""
    article = doc.article
    if date_from or date_to:
        if article.published is None:
            return False
        moment = article.published.replace(tzinfo=None)
        if date_from and moment < datetime.combine(date_from, time.min):
            return False
        if date_to and moment >= datetime.combine(date_to + timedelta(days=1), time.min):
            return False
    checks = (
        (query.sources, "source"),
        (query.categories, "category"),
        (query.people, "people_kw"),
        (query.provinces, pl.PROVINCE_FIELD),
    )
    return all(not wanted or set(wanted) & set(doc.facets[name]) for wanted, name in checks)


def ranked(snap: Snapshot, matcher: Matcher, sort: str) -> list[tuple[float, str]]:
    """(score, url) of every match in the query's order."""
    found = []
    for doc in snap.documents.values():
        score = matcher(doc, snap)
        if score is not None:
            found.append((score, doc))
    if sort == "relevance":
        found.sort(key=lambda sd: (-sd[0], sd[1].order))
    else:
        found.sort(key=lambda sd: (_published_key(sd[1]), sd[1].order), reverse=sort == "newest")
    return [(score if sort == "relevance" else 0.0, doc.article.url) for score, doc in found]


def _value_counts(snap: Snapshot, urls: list[str], fields: dict[str, str]) -> dict[str, list]:
    """For each facet name, (value, documents) of its field over the documents at ``urls``."""
    counts = {name: Counter() for name in fields}
    for url in urls:
        values = snap.documents[url].facets
        for name, field_name in fields.items():
            counts[name].update(values[field_name])
    return {name: list(found.items()) for name, found in counts.items()}


def _published_key(doc: Document) -> float:
    published = doc.article.published
    return published.replace(tzinfo=None).timestamp() if published else float("-inf")


# -- the engine ----------------------------------------------------------------------------------
class MemoryEngine(BaseEngine):
    def _attach(self, index_dir: Path) -> None:
        self._searcher = _snapshot(index_dir)

    def _changed(self) -> bool:
        return _INDEXES[str(self._index_dir)][0] != self._searcher.generation

    def _reload(self) -> None:
        self._searcher = _snapshot(self._index_dir)

    def _detach(self) -> None:
        pass

    def _stats(self, snap: Snapshot) -> IndexStats:
        return IndexStats(
            documents=len(snap.documents),
            generation=f"{self._index_dir.name}:{snap.generation}",
            updated_at=None,
            schema_version=SCHEMA_VERSION,
        )

    def _any_match(self, node: qp.PlanNode) -> bool:
        matcher = COMPILER.compile(node)
        return any(
            matcher(doc, self._searcher) is not None for doc in self._searcher.documents.values()
        )

    def _full_query(self, query: SearchQuery, parsed, plan) -> Matcher:
        date_from, date_to = date_bounds(query, parsed)
        main = COMPILER.build(plan)

        def match(doc: Document, snap: Snapshot) -> Score:
            if not _within(doc, query, date_from, date_to):
                return None
            return main(doc, snap) if main is not None else 0.0

        return match

    def _page(self, snap: Snapshot, query: SearchQuery, matcher: Matcher):
        hits = ranked(snap, matcher, query.sort)
        facets = {}
        if query.facets:
            key = facet_key(query)
            facets = self._facet_counts.get(key)
            if facets is None:
                facets = self._facet_counts[key] = self._facets(
                    snap, query, [url for _, url in hits]
                )
        first, end = page_window(query)
        return len(hits), facets, hits[first:end]

    def _facets(self, snap: Snapshot, query: SearchQuery, urls: list[str]) -> dict:
        counts = _value_counts(snap, urls, COUNTED)
        shown = {name: order_facet(name, counts[name]) for name in FACETS}
        return {**shown, **self._place_facets(snap, query, counts)}

    def _count(self, snap: Snapshot, matcher: Matcher) -> int:
        return sum(matcher(doc, snap) is not None for doc in snap.documents.values())

    def _stored(self, snap: Snapshot, url: str) -> Article:
        return snap.documents[url].article

    def _address_of(self, snap: Snapshot, url: str) -> str | None:
        return url if url in snap.documents else None

    def _export_snapshot(self) -> nullcontext:
        return nullcontext(self._searcher)  # never changed in place: a reload replaces it

    def _every_match(
        self, snap: Snapshot, query: SearchQuery, matcher: Matcher
    ) -> Iterator[Article]:
        for _score, url in ranked(snap, matcher, query.sort):
            yield snap.documents[url].article

    def _similar(self, snap: Snapshot, url: str, article: Article, k: int) -> list:
        counts = snap.documents[url].counts["text_f"]
        weights = {t: tf * snap.idf("text_f", t) for t, tf in counts.items()
                   if snap.doc_frequency("text_f", t) > 1}  # fmt: skip
        terms = sorted(weights, key=lambda t: (-weights[t], t))[:SIMILAR_TERMS]
        scored = []
        for other in snap.documents.values():
            score = sum(weights[t] for t in terms if other.counts["text_f"][t])
            if other.article.url != url and score > 0:
                scored.append((score, other))
        scored.sort(key=lambda sd: (-sd[0], sd[1].order))
        return [(score, doc.article.url) for score, doc in scored[:k]]

    def _person_names(self, snap: Snapshot) -> dict[str, int]:
        return self._terms(snap, "people_kw")

    def _terms(self, snap: Snapshot, field_name: str) -> dict[str, int]:
        return dict(snap.frequencies.get(field_name, Counter()))

    def _counts_where(self, snap: Snapshot, field_name: str, value: str, facets: tuple) -> tuple:
        urls = [u for u, doc in snap.documents.items() if value in doc.facets[field_name]]
        return len(urls), _value_counts(snap, urls, {name: COUNTED[name] for name in facets})

    def _person_counts(self, snap: Snapshot, name: str, top: int) -> tuple:
        months, people, total = Counter(), Counter(), 0
        for doc in snap.documents.values():
            if name in doc.facets["people_kw"]:
                total += 1
                months.update(doc.facets["month"])
                people.update(doc.facets["people_kw"])
        return total, months.items(), co_mentions(name, people.items(), top)

    def _doc_frequency(self, snap: Snapshot, field_name: str, text: str) -> int:
        return snap.doc_frequency(field_name, text)

    def _exact_forms(self, snap: Snapshot) -> dict[str, list[tuple[str, int]]]:
        def build() -> dict[str, list[tuple[str, int]]]:
            forms: dict[str, list[tuple[str, int]]] = {}
            for word, df in sorted(snap.frequencies.get("text_x", Counter()).items()):
                forms.setdefault(fold(word), []).append((word, df))
            return forms

        return self._per_generation("forms", build)


# -- the backend ---------------------------------------------------------------------------------
class MemoryBackend(EngineBackend):
    name = "memory"

    def create(self, target: Path) -> None:
        _INDEXES[str(target)] = (0, {})

    def write(self, target: Path, articles: Iterable[Article], *, fresh: bool = False) -> int:
        generation, documents = _INDEXES[str(target)]
        documents = dict(documents)
        count = 0
        for article in articles:
            old = documents.get(article.url)  # a replaced article keeps its place
            documents[article.url] = analysed(article, old.order if old else len(documents))
            count += 1
        _INDEXES[str(target)] = (generation + 1, documents)
        return count

    def open(self, data_dir: Path) -> SearchEngine:
        return MemoryEngine(data_dir, self)

    def document_count(self, target: Path) -> int:
        return len(_INDEXES[str(target)][1])

    def urls(self, target: Path) -> set[str]:
        return set(_INDEXES[str(target)][1])

    def find_titles(self, target: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
        snap = _snapshot(target)

        def top_articles(plan: qp.Plan) -> list[Article]:
            hits = ranked(snap, COMPILER.build(plan), "relevance")[: verify.SEARCH_DEPTH]
            return [snap.documents[url].article for _score, url in hits]

        return verify.find_titles(titles, top_articles)


BACKEND = MemoryBackend()
