"""Translate our query AST (indexer.querylang) into tantivy queries.

The same logical query as ``indexer.whoosh_query`` builds, clause for clause: required folded
terms (or a folded phrase), optional boosts (exact diacritics, syllable pairs, title), NOT as
must-not, OR as should-clauses. Quoted phrases of plain text follow the same rule
(``ranking.phrase_pairs``): a two-syllable phrase is its one pair term; a longer one matches
by positions on ``text_f`` (across breaks, as Whoosh's fallback for a phrase found nowhere
without one, e.g. a pasted title with punctuation) and is scored by its pair terms, as
``whoosh_rank.PairPhrase`` scores it. The tuning knobs (boosts, which syllables are required)
are read from ``indexer.ranking`` at call time, so a change there (or a benchmark that patches
it) moves both engines together. Tantivy's boolean query sums the scores of its
matching clauses, as Whoosh's And/AndMaybe/Or do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import tantivy
from tantivy import Occur, Query

from indexer import ranking as rules
from indexer.analysis import Token, has_diacritics, pairs, tokenize
from indexer.querylang import AllOf, AnyOf, Node, Not, Phrase, Term
from indexer.tantivy_schema import day_start_seconds


@dataclass
class Parts:
    required: Query | None = None
    optional: list[Query] = field(default_factory=list)
    negative: list[Query] = field(default_factory=list)


class QueryBuilder:
    """Builds tantivy queries against one schema (tantivy needs it to type each term)."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    # -- leaves --------------------------------------------------------------------
    def term(self, field_name: str, value: str, boost: float = 1.0) -> Query:
        query = Query.term_query(self.schema, field_name, value, index_option="freq")
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def phrase(self, field_name: str, words: list[str]) -> Query:
        return Query.phrase_query(self.schema, field_name, words)

    # -- the AST ---------------------------------------------------------------------
    def build(self, root: Node | None) -> Query | None:
        """The tantivy query for an AST; None when nothing positive is asked."""
        if root is None:
            return None
        parts = self._translate(root)
        query = parts.required if parts.required is not None else Query.all_query()
        if not parts.optional and not parts.negative:
            return query
        clauses = [(Occur.Must, query)]
        clauses += [(Occur.Should, q) for q in parts.optional]
        clauses += [(Occur.MustNot, q) for q in parts.negative]
        return Query.boolean_query(clauses)

    def _translate(self, node: Node) -> Parts:
        if isinstance(node, Term):
            return self._words(tokenize(node.text), node.field, phrase=False)
        if isinstance(node, Phrase):
            return self._words(tokenize(" ".join(node.words)), node.field, phrase=True)
        if isinstance(node, Not):
            inner = self._translate(node.item)
            return Parts(negative=[inner.required] if inner.required is not None else [])
        if isinstance(node, AnyOf):
            return self._any_of(node)
        if isinstance(node, AllOf):
            return self._all_of(node)
        raise TypeError(f"unknown query node {node!r}")

    def _words(self, tokens: list[Token], field_name: str | None, phrase: bool) -> Parts:
        if not tokens:
            return Parts()
        folded_field, exact_field = rules.FIELD_MAP[field_name]
        parts = Parts()
        if len(tokens) == 1 or not phrase and field_name is None:
            must, may = rules.split_required(tokens) if field_name is None else (tokens, [])
            parts.required = _and([self.term(folded_field, f) for f in _distinct_folded(must)])
            parts.optional.extend(self.term(folded_field, f) for f in _distinct_folded(may))
        else:
            parts.required = self._phrase(tokens, field_name)
        if exact_field and rules.EXACT_BOOST:
            marked = rules.telling(
                [t.text for t in tokens if has_diacritics(t.text)], rules.MAX_EXACT_BOOSTS
            )
            parts.optional.extend(self.term(exact_field, w, rules.EXACT_BOOST) for w in marked)
        if field_name is None:
            self._boosts(tokens, parts)
        return parts

    def _phrase(self, tokens: list[Token], field_name: str | None) -> Query:
        """The shared phrase rule (ranking.phrase_pairs), as whoosh_query.phrase_query applies it."""
        folded_field, _exact = rules.FIELD_MAP[field_name]
        words = [t.folded for t in tokens]
        pair_terms = rules.phrase_pairs(tokens, field_name)
        if pair_terms is None:
            return self.phrase(folded_field, words)
        if len(pair_terms) == 1:
            return self.term("pairs_f", pair_terms[0])
        positions = Query.const_score_query(self.phrase(folded_field, words), 0.0)
        scores = [(Occur.Should, self.term("pairs_f", p)) for p in dict.fromkeys(pair_terms)]
        return Query.boolean_query([(Occur.Must, positions), *scores])

    def _boosts(self, tokens: list[Token], parts: Parts) -> None:
        """Title and syllable-pair boosts of a plain-text run, as whoosh_query adds them."""
        if rules.TITLE_BOOST and len(tokens) <= rules.TITLE_BOOST_MAX_SYLLABLES:
            parts.optional.extend(self.term("title_f", t.folded, rules.TITLE_BOOST) for t in tokens)
        if rules.PAIR_BOOST:
            kept = rules.telling([p.folded for p in pairs(tokens)], rules.MAX_PAIR_BOOSTS)
            parts.optional.extend(self.term("pairs_f", p, rules.PAIR_BOOST) for p in kept)

    def _all_of(self, node: AllOf) -> Parts:
        result = Parts()
        required: list[Query] = []
        run: list[str] = []  # consecutive plain words: their pairs are boosted together
        for item in node.items:
            if isinstance(item, Term) and item.field is None:
                run.append(item.text)
                continue
            self._merge_run(run, required, result)
            run = []
            _merge(self._translate(item), required, result)
        self._merge_run(run, required, result)
        result.required = _and(required) if required else None
        return result

    def _merge_run(self, run: list[str], required: list[Query], result: Parts) -> None:
        if run:
            _merge(self._words(tokenize(" ".join(run)), None, phrase=False), required, result)

    def _any_of(self, node: AnyOf) -> Parts:
        result = Parts()
        alternatives: list[Query] = []
        for item in node.items:
            parts = self._translate(item)
            if parts.required is None:
                continue
            alt = parts.required
            if parts.negative:
                alt = Query.boolean_query(
                    [(Occur.Must, alt), *((Occur.MustNot, q) for q in parts.negative)]
                )
            alternatives.append(alt)
            result.optional.extend(parts.optional)
        if alternatives:
            result.required = Query.boolean_query([(Occur.Should, q) for q in alternatives])
        return result

    # -- filters -----------------------------------------------------------------------
    def date_filter(self, date_from: date | None, date_to: date | None) -> Query | None:
        """Inclusive day range on ``published`` (Vietnam local dates)."""
        if not date_from and not date_to:
            return None
        lower = day_start_seconds(date_from) if date_from else None
        upper = day_start_seconds(date_to + timedelta(days=1)) - 1 if date_to else None
        return Query.range_query(self.schema, "published", tantivy.FieldType.Integer, lower, upper)

    def values_filter(self, field_name: str, values: tuple[str, ...]) -> Query | None:
        if not values:
            return None
        return Query.term_set_query(self.schema, field_name, list(values))


def _distinct_folded(tokens: list[Token]) -> list[str]:
    return list(dict.fromkeys(t.folded for t in tokens))


def _merge(parts: Parts, required: list[Query], result: Parts) -> None:
    if parts.required is not None:
        required.append(parts.required)
    result.optional.extend(parts.optional)
    result.negative.extend(parts.negative)


def _and(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, q) for q in queries])
