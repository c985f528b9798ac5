"""The index fields every engine holds: one table, each engine's schema is built from it.

Searchable text lives in combined fields (title + sapo + body): measured on the dev queries,
per-field BM25 sums let any title sharing one syllable beat the right body match, while one
combined field plus a title boost keeps both kinds of query strong (../shared/notes).

- ``text_f``: folded syllables (all diacritics removed, đ→d): recall, diacritic-free queries.
- ``text_x``: exact syllables: lets a query typed with diacritics rank exact forms first.
- ``pairs_f``: folded adjacent-syllable pairs ("nong_thon"): Vietnamese words span syllables,
  so documents where the query's syllables stand together score above scattered ones.
- ``pairs_x``: exact adjacent-syllable pairs ("hà_tĩnh") of the whole text: a word typed with
  diacritics matches only where its exact pairs stand (the matching contract), one short
  posting list per pair instead of reading positions; the suggester's pair frequencies too.
  Measured: positions on ``text_x`` instead made a two-syllable query read and decode the
  positions of every document holding the folded pair (Whoosh query p95 +75% at 38k).
- ``title_f``/``title_x``: title-only copies for the title boost and ``tieude:``.
- ``people_f``/``people_x``: the people named, folded and exact, for ``nguoi:``.
- ``author_f``, ``source_f``, ``category_f``: folded, for field-prefixed queries.

The short exact fields (``title_x``, ``people_x``) keep positions, numbered like their folded
twins: a prefixed word typed with diacritics (``nguoi:"Nguyễn Thành Phong"``) matches where
its exact syllables stand in a row.

Besides the analysed fields: ``url`` (the key), ``doc`` (the stored Article as JSON), the
facet fields (exact values, counted), ``published`` (sortable, ranged), and the keyword
fields of places (``indexer.places``: unit keys, keys with history, provinces, the directory),
exact values, several per article, matched as whole terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.article import Article
from indexer.places import KEYWORD_FIELDS, place_values

FOLDED, EXACT, FOLDED_PAIRS, EXACT_PAIRS = "folded", "exact", "folded_pairs", "exact_pairs"
PEOPLE_SEPARATOR = "\n"  # names never form a phrase across this (a sentence break)

KEY_FIELD = "url"
STORED_FIELD = "doc"
DATE_FIELD = "published"


@dataclass(frozen=True)
class TextField:
    """An analysed field: the tokens of one part of the article (``article_parts``)."""

    name: str
    part: str  # which text of the article it indexes
    analysis: str  # FOLDED, EXACT, FOLDED_PAIRS or EXACT_PAIRS syllables
    positions: bool  # phrases and runs are matched on it


TEXT_FIELDS = (
    TextField("title_f", "title", FOLDED, positions=True),
    TextField("title_x", "title", EXACT, positions=True),
    TextField("text_f", "text", FOLDED, positions=True),
    # Exact words of the text match by their exact pairs (pairs_x), not positions.
    TextField("text_x", "text", EXACT, positions=False),
    TextField("pairs_f", "text", FOLDED_PAIRS, positions=False),
    TextField("pairs_x", "text", EXACT_PAIRS, positions=False),
    TextField("people_f", "people", FOLDED, positions=True),
    TextField("people_x", "people", EXACT, positions=True),
    TextField("author_f", "author", FOLDED, positions=True),
    TextField("source_f", "source", FOLDED, positions=True),
    TextField("category_f", "category", FOLDED, positions=True),
)

# Facet name (as the API shows it) → the field holding its exact values; only people are
# several per article.
FACETS = {"source": "source", "category": "category", "month": "month", "person": "people_kw"}
MULTI_VALUED = frozenset({"people_kw"})
__all__ = ["KEYWORD_FIELDS", "keyword_values"]


def combined_text(article: Article) -> str:
    """Title, sapo and body: the text that ``text_*`` and ``pairs_*`` fields index."""
    return "\n".join(part for part in (article.title, article.sapo, article.body) if part)


def article_parts(article: Article) -> dict[str, str]:
    """The text of each ``TextField.part``."""
    return {
        "title": article.title,
        "text": combined_text(article),
        "people": PEOPLE_SEPARATOR.join(article.person_names),
        "author": article.author,
        "source": article.source,
        "category": article.category,
    }


def facet_values(article: Article) -> dict[str, list[str]]:
    """The exact values of each facet field (none where the article has none)."""
    return {
        "source": [article.source] if article.source else [],
        "category": [article.category] if article.category else [],
        "month": [article.published.strftime("%Y-%m")] if article.published else [],
        "people_kw": list(dict.fromkeys(article.person_names)),
    }


def keyword_values(article: Article) -> dict[str, list[str]]:
    """The exact values of each keyword field (``KEYWORD_FIELDS``: the places)."""
    return place_values(article)
