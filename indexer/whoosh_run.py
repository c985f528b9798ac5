"""The ``Run`` condition of a query plan (``indexer.queryplan``) as a Whoosh query.

A run is a word of several syllables that must stand at consecutive positions, each syllable
read from the exact field where the user typed diacritics (``text_x``: "tĩnh") and from the
folded field otherwise (``text_f``: "tinh"). Both fields are cut by the same tokenizer from
the same text, so their positions agree. Whoosh's own ``Phrase`` reads one field only, and
walks the huge postings of common syllables document by document; here candidates come from
the shortest lists (the word's folded pairs, which never span a sentence break, and its exact
syllables), and positions are read a block at a time for those candidates only
(``whoosh_rank._positions_of``). A run adds no score: every match scores 0. Its pairs never
span a break the user wrote (``queryplan``), so a match holds each of them as the index
does, with no break inside, exactly as tantivy's compiled run requires.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq

from indexer.whoosh_rank import (
    _SHARED_LENGTHS,
    ScoredListMatcher,
    _at_consecutive,
    _positions_of,
    _Segment,
)

FIRST_MATCH_BATCH = 32


class RunFilter(wq.Query):
    """Syllables ``words[i]`` of field ``fields[i]`` at consecutive positions (no score)."""

    def __init__(
        self, words: list[str], fields: list[str], pair_terms: list[tuple[str, str]]
    ) -> None:
        self.words = list(words)
        self.fields = list(fields)
        self.pair_terms = list(dict.fromkeys(pair_terms))  # (field, pair) every match holds
        self.boost = 1.0
        self._found: dict = {}  # segment id → matching docnums
        self.first_only = False  # an existence check: stop at the first match (see _match_segment)

    def __repr__(self) -> str:
        return f"RunFilter({list(zip(self.fields, self.words, strict=True))!r})"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, RunFilter)
            and self.words == other.words
            and self.fields == other.fields
            and self.pair_terms == other.pair_terms
        )

    def __hash__(self) -> int:
        return hash((RunFilter, tuple(self.words), tuple(self.fields), tuple(self.pair_terms)))

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False):
        if phrases:
            yield from zip(self.fields, self.words, strict=True)

    def _keys(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys(zip(self.fields, self.words, strict=True)))

    def _candidate_terms(self) -> list[tuple[str, str]]:
        """The shortest posting lists every match is in: the word's pairs; without pairs
        (a prefixed field), its exact syllables, else all of them."""
        if self.pair_terms:
            return list(self.pair_terms)
        exact = [(f, w) for f, w in self._keys() if not f.endswith("_f")]
        return exact or self._keys()

    def estimate_size(self, ixreader) -> int:
        # As large as can be: ``rank_all`` evaluates the parts of an And smallest first, and a
        # run read last gets the fewest candidates (those already holding every other part).
        return ixreader.doc_count_all()

    def estimate_min_size(self, ixreader) -> int:
        return 0

    def matcher(self, searcher, context=None):
        ids = self._matches(searcher)
        if not ids:
            return matching.NullMatcher()
        return ScoredListMatcher(ids, [0.0] * len(ids))

    def _matches(self, searcher) -> list[int]:
        reader = searcher.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = segment.segment_id() if segment is not None else id(reader)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._match_segment(searcher, reader)
        return found

    def segment_matches(self, searcher, cand: set[int] | None) -> list[int]:
        """This segment's matches among ``cand`` (None: all): ``whoosh_rank.rank_all`` hands
        over the documents that already hold every other required part (the word's pairs
        among them), so only their positions are read."""
        if cand is None:
            return self._matches(searcher)
        reader = searcher.reader()
        if not cand or not all(key in reader for key in self._keys()):
            return []
        return self._at_positions(reader, sorted(cand))

    def _match_segment(self, searcher, reader) -> list[int]:
        candidate_terms = self._candidate_terms()
        if not all(key in reader for key in self._keys() + candidate_terms):
            return []
        segment = _Segment(searcher, searcher.boolean_context(), _SHARED_LENGTHS)
        query = wq.And([wq.Term(f, w) for f, w in candidate_terms])
        docs = sorted(segment.eval(query, None))
        if not self.first_only:
            return self._at_positions(reader, docs)
        # Reading a query only asks whether the archive holds the run: positions are read for
        # a few candidates at a time (their blocks only) until one matches.
        for start in range(0, len(docs), FIRST_MATCH_BATCH):
            found = self._at_positions(reader, docs[start : start + FIRST_MATCH_BATCH])
            if found:
                return found[:1]
        return []

    def _at_positions(self, reader, docs: list[int]) -> list[int]:
        """The documents of ``docs`` (sorted, live) where the syllables stand in a row."""
        positions = {}
        for field_name, word in self._keys():
            decode = reader.schema[field_name].format.decoder("positions")
            postings = reader.postings(field_name, word)
            positions[(field_name, word)] = _positions_of(postings, docs, decode)
        offsets = [(i, key) for i, key in enumerate(zip(self.fields, self.words, strict=True))]
        return [d for d in docs if _at_consecutive(positions, offsets, d)]
