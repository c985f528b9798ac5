"""Translate our query AST (indexer.querylang) into Whoosh queries.

Every query is built from analyzer tokens, never from raw strings, so Whoosh's own syntax
("?", "*", "field:") can never leak in. Each AST node becomes a *required* part (what a
document must match: folded syllables, so diacritic-free queries find everything) and
*optional* boosts (exact diacritics where the user typed them, adjacent-syllable pairs,
title matches) that only reorder the matching documents.

Phrases of plain text are matched through the folded syllable pairs (``pairs_f``), never
across a sentence break: a two-syllable phrase ("Hà Nội") is exactly one pair, a single Term;
a longer one (``whoosh_rank.PairPhrase``) takes the documents holding all of its pairs (short posting
lists) and checks consecutive positions on ``text_f`` only for those. Whoosh's generic span
matching walked the huge syllable postings of every document holding all the syllables
(~300 ms per phrase at 38k articles). Field-prefixed phrases (``tieude:"…"``) have no pair
field and stay positional ``Phrase`` queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from whoosh import query as wq

from indexer import ranking as rules
from indexer.analysis import Token, has_diacritics, pairs, tokenize
from indexer.querylang import AllOf, AnyOf, Node, Not, Phrase, Term
from indexer.whoosh_rank import PAIR_FIELD, PairPhrase


@dataclass
class Parts:
    required: wq.Query | None = None
    optional: list[wq.Query] = field(default_factory=list)
    negative: list[wq.Query] = field(default_factory=list)


def build_query(root: Node | None) -> wq.Query | None:
    """The Whoosh query for an AST; None when nothing positive is asked (the caller filters)."""
    if root is None:
        return None
    parts = _translate(root)
    query = parts.required if parts.required is not None else wq.Every()
    if parts.optional:
        query = wq.AndMaybe(query, wq.Or(parts.optional))
    if parts.negative:
        query = wq.AndNot(query, wq.Or(parts.negative))
    return query


def _translate(node: Node) -> Parts:
    if isinstance(node, Term):
        return _words(tokenize(node.text), node.field, phrase=False)
    if isinstance(node, Phrase):
        return _words(tokenize(" ".join(node.words)), node.field, phrase=True)
    if isinstance(node, Not):
        inner = _translate(node.item)
        return Parts(negative=[inner.required] if inner.required is not None else [])
    if isinstance(node, AnyOf):
        return _any_of(node)
    if isinstance(node, AllOf):
        return _all_of(node)
    raise TypeError(f"unknown query node {node!r}")


def _words(tokens: list[Token], field_name: str | None, phrase: bool) -> Parts:
    """Required folded match of the tokens (as a phrase when asked or when a term splits)."""
    if not tokens:
        return Parts()
    folded_field, exact_field = rules.FIELD_MAP[field_name]
    parts = Parts()
    if len(tokens) == 1 or not phrase and field_name is None:
        must, may = rules.split_required(tokens) if field_name is None else (tokens, [])
        parts.required = _and([wq.Term(folded_field, f) for f in rules.distinct_folded(must)])
        parts.optional.extend(wq.Term(folded_field, f) for f in rules.distinct_folded(may))
    else:
        parts.required = phrase_query(tokens, field_name)
    if exact_field and rules.EXACT_BOOST:
        marked = rules.telling(
            [t.text for t in tokens if has_diacritics(t.text)], rules.MAX_EXACT_BOOSTS
        )
        parts.optional.extend(wq.Term(exact_field, w, boost=rules.EXACT_BOOST) for w in marked)
    if field_name is None and rules.TITLE_BOOST and len(tokens) <= rules.TITLE_BOOST_MAX_SYLLABLES:
        parts.optional.extend(wq.Term("title_f", t.folded, boost=rules.TITLE_BOOST) for t in tokens)
    if field_name is None and rules.PAIR_BOOST:
        kept = rules.telling([p.folded for p in pairs(tokens)], rules.MAX_PAIR_BOOSTS)
        parts.optional.extend(wq.Term("pairs_f", p, boost=rules.PAIR_BOOST) for p in kept)
    return parts


def phrase_query(tokens: list[Token], field_name: str | None) -> wq.Query:
    """The required part of a quoted phrase: pair terms for plain text (see the module
    docstring), a positional Phrase on a prefixed field or when a break splits the phrase
    (no pair spans it, so only positions can match it, as before)."""
    folded_field, _exact = rules.FIELD_MAP[field_name]
    words = [t.folded for t in tokens]
    pair_terms = rules.phrase_pairs(tokens, field_name)
    if pair_terms is None:
        return wq.Phrase(folded_field, words)
    if len(pair_terms) == 1:
        return wq.Term(PAIR_FIELD, pair_terms[0])
    return PairPhrase(words, pair_terms)


def _all_of(node: AllOf) -> Parts:
    result = Parts()
    required: list[wq.Query] = []
    run: list[str] = []  # consecutive plain words: their syllable pairs are boosted together
    for item in node.items:
        if isinstance(item, Term) and item.field is None:
            run.append(item.text)
            continue
        _merge_run(run, required, result)
        run = []
        parts = _translate(item)
        _merge(parts, required, result)
    _merge_run(run, required, result)
    result.required = _and(required) if required else None
    return result


def _merge_run(run: list[str], required: list[wq.Query], result: Parts) -> None:
    if run:
        _merge(_words(tokenize(" ".join(run)), None, phrase=False), required, result)


def _merge(parts: Parts, required: list[wq.Query], result: Parts) -> None:
    if parts.required is not None:
        required.append(parts.required)
    result.optional.extend(parts.optional)
    result.negative.extend(parts.negative)


def _any_of(node: AnyOf) -> Parts:
    result = Parts()
    alternatives: list[wq.Query] = []
    for item in node.items:
        parts = _translate(item)
        if parts.required is None:
            continue
        alt = parts.required
        if parts.negative:
            alt = wq.AndNot(alt, wq.Or(parts.negative))
        alternatives.append(alt)
        result.optional.extend(parts.optional)
    result.required = wq.Or(alternatives) if alternatives else None
    return result


def _and(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.And(queries)


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
