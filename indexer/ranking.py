"""Ranking rules shared by every engine: which query syllables are required, which boosts
are added and how strong they are. Engine modules (whoosh_query, tantivy_query) translate the
same decisions into their own query objects, so both engines rank by the same rules.

Every figure here was measured on the known-item dev set (bench/eval_known_item.py, whose
``--set NAME=VALUE`` overrides these for one run).
"""

from __future__ import annotations

from indexer.analysis import COMMON_SYLLABLES, Token, pairs

# Boosts measured on the known-item dev set (bench/eval_known_item.py).
EXACT_BOOST = 2.0
PAIR_BOOST = 1.5
TITLE_BOOST = 1.5
# Plain-word runs of at least this many syllables make COMMON_SYLLABLES optional (0 = never):
# they match almost every article, so requiring them costs time and adds nothing.
COMMON_OPTIONAL_MIN = 0
# At most this many distinct syllables of a plain-word run are required (0 = all); the rest
# (the most common ones go first) only add to the score.
MAX_REQUIRED = 0
# The title boost only helps short queries: on the dev set it cost body-word queries
# (0.847 → 0.866 MRR without it) and moved long title queries by 0.005 (bench/eval_known_item.py).
TITLE_BOOST_MAX_SYLLABLES = 4
# Long queries are already selective through their required syllables; every optional boost
# term is another posting list to walk, so keep the most telling ones (longer syllables first).
MAX_EXACT_BOOSTS = 8
MAX_PAIR_BOOSTS = 8

# Which index fields a query field prefix searches: (folded field, exact field or None).
FIELD_MAP = {
    None: ("text_f", "text_x"),
    "title": ("title_f", "title_x"),
    "person": ("people_f", "people_x"),
    "source": ("source_f", None),
    "category": ("category_f", None),
}


def telling(words: list[str], limit: int) -> list[str]:
    """At most ``limit`` distinct words, the longest (rarest, as a cheap guess) first."""
    distinct = list(dict.fromkeys(words))
    if limit and len(distinct) > limit:
        distinct = sorted(distinct, key=len, reverse=True)[:limit]
    return distinct


def distinct_folded(tokens: list[Token]) -> list[str]:
    return list(dict.fromkeys(t.folded for t in tokens))


def split_required(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """(required, optional) syllables of a plain-word run; never leaves nothing required."""
    must, may = list(tokens), []
    if COMMON_OPTIONAL_MIN and len(tokens) >= COMMON_OPTIONAL_MIN:
        must = [t for t in tokens if t.folded not in COMMON_SYLLABLES]
        may = [t for t in tokens if t.folded in COMMON_SYLLABLES]
    if MAX_REQUIRED and len(distinct_folded(must)) > MAX_REQUIRED:
        # Keep the syllables with diacritics or letters first: they are the rarer ones.
        keep = set(distinct_folded(sorted(must, key=_rarity_guess))[:MAX_REQUIRED])
        may += [t for t in must if t.folded not in keep]
        must = [t for t in must if t.folded in keep]
    if not must:
        return list(tokens), []
    return must, may


def _rarity_guess(token: Token) -> int:
    """Longer syllables are rarer in Vietnamese text (a cheap stand-in for document frequency)."""
    return -len(token.folded)


def phrase_pairs(tokens: list[Token], field_name: str | None) -> list[str] | None:
    """The folded syllable pairs a quoted phrase is matched through (one pair: a single term;
    more: every pair, then positions), or None when only positions can match it: a prefixed
    field (``tieude:``, ``nguoi:``) has no pair field, and a break inside the phrase leaves a
    gap no pair spans. Pairs never cross a sentence break, so neither do such phrases."""
    if field_name is not None:
        return None
    found = [p.folded for p in pairs(tokens)]
    return found if len(found) == len(tokens) - 1 else None
