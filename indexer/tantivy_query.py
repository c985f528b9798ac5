"""Compile a query plan (``indexer.queryplan``) into tantivy queries.

The same plan the Whoosh engine compiles (``indexer.whoosh_query``), node for node: required
parts are must-clauses, boosts should-clauses, exclusions must-not; a ``boost`` 0 term or a
``Run`` is a must-clause of constant score 0, so it narrows the set and adds nothing. Quoted
phrases of plain text match by positions on ``text_f`` and are scored by their pair terms,
as ``whoosh_rank.PairPhrase`` scores them. A run with exact syllables is one phrase query with
offsets on the interleaved exact field (``tantivy_schema``: exact forms at even positions,
marked folded forms at odd ones), plus its pair terms; words of the text are exact by their
exact pair terms (``pairs_x``) and matched by position on ``text_f`` only beyond two syllables. Tantivy's boolean query sums the
scores of its matching clauses, as Whoosh's And/AndMaybe/Or do.
"""

from __future__ import annotations

from datetime import date, timedelta

import tantivy
from tantivy import Occur, Query

from indexer import queryplan as qp
from indexer import ranking as rules
from indexer.tantivy_schema import FOLDED_MARK, day_start_seconds


class QueryBuilder(qp.PlanCompiler):
    """Builds tantivy queries against one schema (tantivy needs it to type each term)."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    # -- leaves --------------------------------------------------------------------
    def term(self, field_name: str, value: str, boost: float = 1.0) -> Query:
        query = Query.term_query(self.schema, field_name, value, index_option="freq")
        if boost == 0.0:
            return Query.const_score_query(query, 0.0)
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def phrase(self, field_name: str, words: list) -> Query:
        return Query.phrase_query(self.schema, field_name, words)

    def pair_phrase(self, node: qp.PairPhraseLeaf) -> Query:
        positions = Query.const_score_query(self.phrase("text_f", list(node.words)), 0.0)
        scores = [(Occur.Should, self.term("pairs_f", p)) for p in dict.fromkeys(node.pairs)]
        return Query.boolean_query([(Occur.Must, positions), *scores])

    def any_of(self, items: list) -> Query:
        return Query.boolean_query([(Occur.Should, item) for item in items])

    def run(self, run: qp.Run) -> Query:
        """Consecutive syllables as one phrase: on the folded field, or, with exact syllables,
        on the interleaved exact field (exact forms at even offsets, folded at odd ones)."""
        folded_field, exact_field = rules.FIELD_MAP[run.field]
        if any(s.exact for s in run.syllables):
            words = [
                (2 * i, s.form) if s.exact else (2 * i + 1, FOLDED_MARK + s.form)
                for i, s in enumerate(run.syllables)
            ]
            positions = self.phrase(exact_field, words)
        else:
            positions = self.phrase(folded_field, [s.form for s in run.syllables])
        clauses = [(Occur.Must, positions)]
        clauses += [(Occur.Must, self.term("pairs_f", p)) for p in dict.fromkeys(run.pairs)]
        return Query.const_score_query(Query.boolean_query(clauses), 0.0)

    def all_of(self, must: list, should: list, must_not: list) -> Query:
        if len(must) == 1 and not should and not must_not:
            return must[0]
        clauses = [(Occur.Must, q) for q in must] or [(Occur.Must, Query.all_query())]
        clauses += [(Occur.Should, q) for q in should]
        clauses += [(Occur.MustNot, q) for q in must_not]
        return Query.boolean_query(clauses)

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
