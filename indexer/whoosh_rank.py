"""Scoring Whoosh queries fast: one-pass ranking and the pair phrase.

``rank_all`` computes, in one pass, every matching document of a query with the score
Whoosh's BM25F would give it; ``PairPhrase`` matches a phrase of three or more syllables
through its syllable pairs and checks positions only where all pairs occur. Both read
Whoosh's posting blocks directly (see ``_postings``), so they depend on Whoosh 2.7's
``W3LeafMatcher`` internals; anything else falls back to Whoosh's own matchers.
Queries are built in ``indexer.whoosh_query``.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from itertools import accumulate

from whoosh import matching
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F, BM25FScorer

from indexer.engine_common import LRU

PAIR_FIELD = "pairs_f"
POSITION_FIELD = "text_f"


class PairPhrase(wq.Query):
    """A phrase of three or more folded syllables over the combined text.

    Candidates are the documents holding every adjacent pair of the phrase (``pairs_f``: no
    pair spans a sentence break); each is then checked for the syllables at consecutive
    positions in ``text_f``. A document's score is the sum of its pair terms' scores (the
    phrase's own frequency weighs in, unlike a sum over its common syllables). Matching is
    done per segment, eagerly, into plain lists: the engine records every match of a phrase
    anyway (for the total and facets).

    The query language drops punctuation, so a pasted title ("Sốc: Tài sản …") arrives
    without the break the index saw after "Sốc": when no document of the index holds the
    phrase without a break, it is matched as Whoosh's positional Phrase (across breaks), as
    before. A phrase found somewhere without a break is never matched across one.
    """

    def __init__(self, words: list[str], pair_terms: list[str], boost: float = 1.0) -> None:
        self.words = list(words)
        self.pair_terms = list(pair_terms)
        self.boost = boost
        self._strict: dict = {}  # (segment id, scored) → (ids, scores) of strict matches
        self._loose: bool | None = None  # None: not decided for this search yet
        self.lengths: dict = _SHARED_LENGTHS  # rank_all hands over the engine's cache

    def __repr__(self) -> str:
        return f"PairPhrase({self.words!r}, boost={self.boost})"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, PairPhrase)
            and self.words == other.words
            and self.pair_terms == other.pair_terms
            and self.boost == other.boost
        )

    def __hash__(self) -> int:
        return hash((PairPhrase, tuple(self.words), tuple(self.pair_terms), self.boost))

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False):
        # Like Whoosh's Phrase: the phrase's syllables, when phrases are asked for.
        if phrases:
            for word in self.words:
                yield POSITION_FIELD, word

    def estimate_size(self, ixreader) -> int:
        return min(ixreader.doc_frequency(PAIR_FIELD, p) for p in self.pair_terms)

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def matcher(self, searcher, context=None):
        scored = context is None or context.weighting is not None
        if self._loose is None:
            parent = searcher.get_parent()
            subs = [sub for sub, _offset in parent.subsearchers or [(parent, 0)]]
            self._loose = not any(self._strict_matches(sub, scored)[0] for sub in subs)
        if self._loose:
            return wq.Phrase(POSITION_FIELD, self.words, boost=self.boost).matcher(
                searcher, context
            )
        ids, scores = self._strict_matches(searcher, scored)
        if not ids:
            return matching.NullMatcher()
        if self.boost != 1.0:
            scores = [s * self.boost for s in scores]
        return ScoredListMatcher(ids, scores)

    def _strict_matches(self, searcher, scored: bool) -> tuple[list[int], list[float]]:
        reader = searcher.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = (segment.segment_id() if segment is not None else id(reader), scored)
        found = self._strict.get(key)
        if found is None:
            found = self._strict[key] = self._match_segment(searcher, reader, scored)
        return found

    def _match_segment(self, searcher, reader, scored: bool) -> tuple[list[int], list[float]]:
        """This segment's strict matches: documents holding every pair (scored by the sum
        of the pair terms' scores), then each word's positions read a block at a time for
        just those documents (Whoosh's skip_to decoded each block posting by posting)."""
        pair_terms = list(dict.fromkeys(self.pair_terms))
        words = list(dict.fromkeys(self.words))
        if not all((PAIR_FIELD, p) in reader for p in pair_terms) or not all(
            (POSITION_FIELD, w) in reader for w in words
        ):
            return [], []
        context = searcher.context() if scored else searcher.boolean_context()
        segment = _Segment(searcher, context, self.lengths)
        candidates = segment.eval(wq.And([wq.Term(PAIR_FIELD, p) for p in pair_terms]), None)
        if not candidates:
            return [], []
        docs = sorted(candidates)
        decode = reader.schema[POSITION_FIELD].format.decoder("positions")
        positions = {
            w: _positions_of(reader.postings(POSITION_FIELD, w), docs, decode) for w in words
        }
        offsets = list(enumerate(self.words))
        ids = [d for d in docs if _at_consecutive(positions, offsets, d)]
        return ids, [candidates[d] if scored else 1.0 for d in ids]


# Field lengths for phrase matching outside ``rank_all`` (which gets the engine's): a few
# segments' worth, so repeated phrase queries do not re-read them.
_SHARED_LENGTHS = LRU(8)


def _positions_of(m, docs: list[int], decode) -> dict[int, list[int]]:
    """The positions (``decode``: the field format's decoder) of one term in each of
    ``docs`` (sorted, live documents) that holds it."""
    found: dict[int, list[int]] = {}
    m, _deleted = _unwrapped(m)
    if not isinstance(m, W3LeafMatcher):
        for d in docs:
            if not m.is_active():
                break
            m.skip_to(d)
            if m.is_active() and m.id() == d:
                found[d] = decode(m.value())
        return found
    j, count = 0, len(docs)
    while m.is_active() and j < count:
        if m._maxid < docs[j]:  # no wanted document in this block: skip it unread
            m._next_block()
            continue
        ids = _block_ids(m)
        if m._values is None:
            m._read_values()
        values, last, lo = m._values, m._maxid, 0
        while j < count and docs[j] <= last:
            d = docs[j]
            lo = bisect_left(ids, d, lo)
            if lo < len(ids) and ids[lo] == d:
                found[d] = decode(values[lo])
            j += 1
        m._next_block()
    return found


def _at_consecutive(positions: dict, offsets: list, doc: int) -> bool:
    """Whether the words (``offsets``: (i, word)) stand at consecutive positions in ``doc``."""
    starts = positions[offsets[0][1]].get(doc)
    if not starts:
        return False
    later = []
    for i, word in offsets[1:]:
        found = positions[word].get(doc)
        if not found:
            return False
        later.append((i, set(found)))
    return any(all(start + i in where for i, where in later) for start in starts)


class ScoredListMatcher(matching.Matcher):
    """Document numbers with precomputed scores (sorted ids). For Whoosh's quality-based
    skipping the whole list is one block whose quality is its best remaining score, an exact
    bound, so skipping never drops a hit that belongs in the top k."""

    def __init__(self, ids: list[int], scores: list[float], i: int = 0) -> None:
        self._ids, self._scores, self._i = ids, scores, i
        self._best = max(scores[i:], default=0.0)

    def is_active(self) -> bool:
        return self._i < len(self._ids)

    def reset(self) -> None:
        self._i = 0

    def id(self) -> int:
        return self._ids[self._i]

    def next(self) -> None:
        self._i += 1

    def skip_to(self, id: int) -> None:
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = bisect_left(self._ids, id, self._i)

    def all_ids(self):
        return iter(self._ids[self._i :])

    def score(self) -> float:
        return self._scores[self._i]

    def weight(self) -> float:
        return self._scores[self._i]

    def supports(self, astype) -> bool:
        return False

    def supports_block_quality(self) -> bool:
        return True

    def max_quality(self) -> float:
        return self._best

    def block_quality(self) -> float:
        return self._best

    def skip_to_quality(self, minquality: float) -> int:
        if self._best <= minquality:
            self._i = len(self._ids)
            return 1
        return 0

    def copy(self):
        return ScoredListMatcher(self._ids, self._scores, self._i)

    def replace(self, minquality=0):
        if not self.is_active() or (minquality and self._best < minquality):
            return matching.NullMatcher()
        return self

    def depth(self) -> int:
        return 0


# -- one-pass ranking -----------------------------------------------------------------------
# Whoosh walks a query's matcher tree document by document in Python (is_active/id/skip_to
# through every level for every posting): at 38k articles a broad query spent most of its
# ~100 ms there, twice (an unscored pass for the total and facets, a top-k pass for the page).
# ``rank_all`` reads each term's postings block by block into lists, combines them with set
# operations and computes the same BM25F scores with the same sums (And/Or/AndMaybe add
# their parts' scores, AndNot keeps its left side's), for every match in one pass.


class Unsupported(Exception):
    """The query (or the searcher's weighting) is outside what ``rank_all`` reproduces."""


def rank_all(searcher, query: wq.Query, lengths: dict) -> dict[int, float]:
    """Every matching document (global docnum) → its Whoosh score for ``query``.

    ``lengths`` caches per-document field lengths by (segment id, field) across calls.
    Raises Unsupported for a weighting other than BM25F; any leaf other than Term is
    matched by its own Whoosh matcher (its scores are Whoosh's by construction).
    """
    if type(searcher.weighting) is not BM25F:
        raise Unsupported(type(searcher.weighting).__name__)
    context = searcher.context()
    for leaf in query.leaves():
        if isinstance(leaf, PairPhrase):
            leaf.lengths = lengths
    found: dict[int, float] = {}
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        scores = _Segment(sub, context, lengths).eval(query, None)
        if offset:
            found.update((offset + d, s) for d, s in scores.items())
        else:
            found.update(scores)
    return found


def top_of(scores: dict[int, float], limit: int) -> list[tuple[float, int]]:
    """(score, docnum) best first, ties by docnum, as Whoosh's top-k collector orders them."""
    best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
    return [(score, docnum) for docnum, score in best]


class _Segment:
    def __init__(self, searcher, context, lengths: dict) -> None:
        self.searcher, self.context, self.lengths = searcher, context, lengths
        self.reader = searcher.reader()

    def eval(self, node: wq.Query, cand: set[int] | None) -> dict[int, float]:
        """Segment docnum → score of the documents in ``cand`` (None: all) matching ``node``."""
        kind = type(node)
        if kind is wq.Term:
            found = self._term(node, cand)
        elif kind is wq.And:
            found = self._and(node.subqueries, cand)
        elif kind is wq.Or:
            if getattr(node, "scale", None):
                raise Unsupported("Or(scale=...)")
            found = {}
            for sub in node.subqueries:
                for d, s in self.eval(sub, cand).items():
                    found[d] = found[d] + s if d in found else s
        elif kind is wq.AndMaybe:
            found = self.eval(node.a, cand)
            if found:
                for d, s in self.eval(node.b, set(found)).items():
                    found[d] += s
        elif kind is wq.AndNot:
            found = self.eval(node.a, cand)
            if found:
                for d in self.eval(node.b, set(found)):
                    del found[d]
        elif hasattr(node, "segment_matches"):  # whoosh_run.RunFilter: a condition, no score
            return dict.fromkeys(node.segment_matches(self.searcher, cand), 0.0)
        else:
            return self._leaf(node, cand)
        boost = getattr(node, "boost", 1.0)
        if boost != 1.0 and kind is not wq.Term:
            found = {d: s * boost for d, s in found.items()}
        return found

    def _and(self, subqueries, cand: set[int] | None) -> dict[int, float]:
        # Terms first, rarest first: each later term reads only the posting blocks that can
        # hold a document still in (a title query's common syllables have hundreds of
        # blocks), and the sets intersect in C; only documents in every term are scored.
        # Then the other parts, most selective first, each looking at the documents still in.
        terms = sorted((q for q in subqueries if type(q) is wq.Term), key=self._size)
        others = [q for q in subqueries if type(q) is not wq.Term]
        docs = None if cand is None else set(cand)
        reads = []
        for sub in terms:
            read = self._read_term(sub, None if docs is None else sorted(docs))
            if read is _ABSENT:
                return {}
            if read is None:  # not BM25F-scored: Whoosh's matcher scores it
                others.append(sub)
                continue
            docs = set(read[0]) if docs is None else docs.intersection(read[0])
            reads.append(read)
            if not docs:
                return {}
        found: dict[int, float] | None = None
        if reads:
            found = dict.fromkeys(docs, 0.0)
            for read in reads:
                for d, sc in _scores(read, docs).items():
                    found[d] += sc
        for sub in sorted(others, key=self._size):
            if found is not None and not found:
                break
            more = self.eval(sub, cand if found is None else set(found))
            found = more if found is None else {d: found[d] + sc for d, sc in more.items()}
        return found or {}

    def _size(self, node: wq.Query) -> int:
        try:
            return node.estimate_size(self.reader)
        except NotImplementedError:
            return self.reader.doc_count_all()

    def _term(self, node: wq.Term, cand: set[int] | None) -> dict[int, float]:
        read = self._read_term(node, None if cand is None else sorted(cand))
        if read is _ABSENT:
            return {}
        if read is None:
            return self._leaf(node, cand)
        return _scores(read, cand)

    def _read_term(self, node: wq.Term, wanted: list[int] | None = None):
        """(ids, weights, lengths, bm25 constants) of a Term's postings (only the blocks
        that may hold a ``wanted`` document, when given); _ABSENT when the term is not in
        this segment; None when its scorer is not BM25F (Whoosh scores it)."""
        reader, field_name = self.reader, node.fieldname
        if field_name not in reader.schema:
            return _ABSENT
        try:
            btext = reader.schema[field_name].to_bytes(node.text)
        except ValueError:
            return _ABSENT
        if (field_name, btext) not in reader:
            return _ABSENT
        scorer = self.searcher.weighting.scorer(self.searcher, field_name, btext)
        if type(scorer) is not BM25FScorer:
            return None
        ids, weights = _postings(reader.postings(field_name, btext), wanted)
        constants = (scorer.idf, scorer.avgfl, scorer.B, scorer.K1, node.boost)
        return ids, weights, self._lengths(field_name), constants

    def _lengths(self, field_name: str) -> list:
        return field_lengths(self.reader, field_name, self.lengths)

    def _leaf(self, node: wq.Query, cand: set[int] | None) -> dict[int, float]:
        """Any other query, through its own Whoosh matcher."""
        m = node.matcher(self.searcher, self.context)
        found: dict[int, float] = {}
        if cand is not None and len(cand) < 64:
            for d in sorted(cand):
                if not m.is_active():
                    break
                m.skip_to(d)
                if m.is_active() and m.id() == d:
                    found[d] = m.score()
            return found
        while m.is_active():
            d = m.id()
            if cand is None or d in cand:
                found[d] = m.score()
            m.next()
        return found


_ABSENT = ()  # a term this segment does not hold


def _scores(read, cand: set[int] | None) -> dict[int, float]:
    """BM25F of a read Term for its documents (those in ``cand`` when given)."""
    ids, weights, lengths, (idf, avgfl, b, k1, boost) = read
    k1p1, one_minus_b = k1 + 1, 1 - b
    if cand is None:
        pairs = zip(ids, weights, strict=True)
    elif len(cand) * 4 < len(ids):
        tfs = dict(zip(ids, weights, strict=True))
        pairs = ((d, tfs[d]) for d in cand if d in tfs)
    else:
        pairs = ((d, tf) for d, tf in zip(ids, weights, strict=True) if d in cand)
    found: dict[int, float] = {}
    for d, tf in pairs:
        # Whoosh's scoring.bm25, term for term (same floats, same ties).
        s = idf * ((tf * k1p1) / (tf + k1 * (one_minus_b + b * lengths[d] / avgfl)))
        found[d] = s * boost if boost != 1.0 else s
    return found


SCORED_FIELDS = ("text_f", "text_x", "title_f", "pairs_f")  # what plain-text queries score


def field_lengths(reader, field_name: str, cache: dict) -> list:
    """A segment's per-document lengths of one field (as Whoosh's scorer reads them),
    cached by (segment id, field): segments never change, so the list serves every
    generation that still holds the segment."""
    key = (reader.segment().segment_id(), field_name)
    found = cache.get(key)
    if found is None:
        count = reader.doc_count_all()
        found = cache[key] = [reader.doc_field_length(d, field_name, 1) for d in range(count)]
    return found


def _block_ids(m) -> tuple[int, ...]:
    """The docnums of a W3LeafMatcher's current block: its ``_read_ids`` with the delta
    decoding done by itertools.accumulate (C) instead of a Python generator."""
    if m._ids is None:
        if m._data is None:
            m._read_data()
        raw = m._data[0]
        m._ids = raw if m._byteids else tuple(accumulate(raw))
    return m._ids


def _unwrapped(m):
    """(the on-disk matcher, deleted docnums or None) of a segment's postings: a segment
    with deletions wraps its matcher in a FilterMatcher that hides them."""
    if (
        isinstance(m, FilterMatcher)
        and m._exclude
        and m.boost == 1.0
        and isinstance(m.child, W3LeafMatcher)
    ):
        return m.child, m._ids
    return m, None


def _postings(m, wanted: list[int] | None = None) -> tuple[list[int], list[float]]:
    """A term's (docnums, weights), read a whole block at a time where the matcher is
    Whoosh 3's on-disk one, else posting by posting. With ``wanted`` (sorted docnums),
    blocks whose docnum range holds none of them are skipped unread (the result then
    holds at least every wanted document of the term)."""
    ids: list[int] = []
    weights: list[float] = []
    m, deleted = _unwrapped(m)
    if isinstance(m, W3LeafMatcher):
        j, count = 0, len(wanted) if wanted is not None else 0
        while m.is_active():
            if wanted is not None:
                if j >= count:
                    break
                if m._maxid < wanted[j]:
                    m._next_block()
                    continue
                j = bisect_right(wanted, m._maxid, j)
            ids.extend(_block_ids(m))
            if m._weights is None:
                m._read_weights()
            weights.extend(m._weights)
            m._next_block()
        if deleted:
            kept = [i for i, d in enumerate(ids) if d not in deleted]
            ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
        return ids, weights
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights
