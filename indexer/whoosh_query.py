"""Compile a query plan (``indexer.queryplan``) into Whoosh queries.

Plans are built from analyzer tokens, never from raw strings, so Whoosh's own syntax
("?", "*", "field:") can never leak in. The plan's required parts become an ``And``, its
boosts an ``AndMaybe``, its exclusions an ``AndNot``; conditions (``boost`` 0 terms, runs)
narrow the set without adding to the score.

Phrases of plain text are matched through the folded syllable pairs (``pairs_f``), never
across a sentence break: a two-syllable phrase ("Hà Nội") is exactly one pair, a single Term;
a longer one (``whoosh_rank.PairPhrase``) takes the documents holding all of its pairs (short
posting lists) and checks consecutive positions on ``text_f`` only for those. Whoosh's generic
span matching walked the huge syllable postings of every document holding all the syllables
(~300 ms per phrase at 38k articles). Field-prefixed phrases (``tieude:"…"``) have no pair
field and stay positional ``Phrase`` queries. Runs with exact syllables are ``RunFilter``s.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from whoosh import query as wq

from indexer import queryplan as qp
from indexer import ranking as rules
from indexer.analysis import Token
from indexer.whoosh_rank import PairPhrase
from indexer.whoosh_run import RunFilter


class _WhooshCompiler(qp.PlanCompiler):
    def term(self, field_name: str, text: str, boost: float = 1.0) -> wq.Query:
        return wq.Term(field_name, text, boost=boost)

    def phrase(self, field_name: str, words: list) -> wq.Query:
        return wq.Phrase(field_name, words)

    def pair_phrase(self, node: qp.PairPhraseLeaf) -> wq.Query:
        return PairPhrase(list(node.words), list(node.pairs))

    def run(self, node: qp.Run) -> wq.Query:
        return run_filter(node)

    def any_of(self, items: list) -> wq.Query:
        return wq.Or(items)

    def all_of(self, must: list, should: list, must_not: list) -> wq.Query:
        query = (must[0] if len(must) == 1 else wq.And(must)) if must else wq.Every()
        if should:
            query = wq.AndMaybe(query, wq.Or(should))
        if must_not:
            query = wq.AndNot(query, wq.Or(must_not))
        return query


_COMPILER = _WhooshCompiler()


def build_query(plan: qp.Plan) -> wq.Query | None:
    """The Whoosh query for a plan; None when nothing positive is asked (the caller decides)."""
    return _COMPILER.build(plan)


def compile_node(node: qp.PlanNode) -> wq.Query:
    return _COMPILER.compile(node)


def phrase_query(tokens: list[Token], field_name: str | None) -> wq.Query:
    """The scored part of a quoted phrase (``queryplan.scored_phrase``) for Whoosh."""
    return compile_node(qp.scored_phrase(tokens, field_name))


def any_match(searcher, node: qp.PlanNode) -> bool:
    """Whether any live document of the index satisfies ``node`` (reading a query asks)."""
    # A word's own condition: any document holding its run satisfies all of it.
    return any_document(searcher, compile_node(node), first_run_match=True)


def any_document(searcher, query: wq.Query, first_run_match: bool = False) -> bool:
    """Whether any live document matches ``query`` (terms are matched lazily). With
    ``first_run_match`` a run stops at its first match: only where any document holding the
    run matches the whole query."""
    for leaf in query.leaves():
        if isinstance(leaf, RunFilter):
            leaf.first_only = first_run_match
    context = searcher.boolean_context()
    return any(
        query.matcher(sub, context).is_active()
        for sub, _offset in searcher.subsearchers or [(searcher, 0)]
    )


def run_filter(run: qp.Run) -> wq.Query:
    folded_field, exact_field = rules.FIELD_MAP[run.field]
    fields = [exact_field if s.exact else folded_field for s in run.syllables]
    pairs = [(qp.PAIR_FIELD, p) for p in run.pairs]
    pairs += [(qp.EXACT_PAIR_FIELD, p) for p in run.exact_pairs]
    return RunFilter([s.form for s in run.syllables], fields, pairs)


def date_filter(date_from: date | None, date_to: date | None) -> wq.Query | None:
    """Inclusive day range on ``published`` (Vietnam local dates)."""
    if not date_from and not date_to:
        return None
    start = datetime.combine(date_from, time.min) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min) if date_to else None
    return wq.DateRange("published", start, end, endexcl=True)


def values_filter(field_name: str, values: tuple[str, ...]) -> wq.Query | None:
    if not values:
        return None
    return wq.Or([wq.Term(field_name, v) for v in values])
