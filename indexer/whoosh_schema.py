"""The Whoosh schema and how an Article becomes a Whoosh document.

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
- ``place_keys``/``place_hist``/``place_prov``/``place_dir``: the places named
  (``indexer.places``), for ``noi:``, the province facet and the place directory.

The short exact fields (``title_x``, ``people_x``) keep positions, numbered like their folded
twins: a prefixed word typed with diacritics (``nguoi:"Nguyễn Thành Phong"``) matches where
its exact syllables stand in a row (``whoosh_run.RunFilter``).
"""

from __future__ import annotations

import json

from whoosh import fields

from crawler.article import Article
from indexer.places import place_values
from indexer.whoosh_analysis import exact_analyzer, folded_analyzer, pair_analyzer

PEOPLE_SEPARATOR = "\n"  # names never form a phrase across this (a sentence break)
# Whoosh's overlapping facets read term vectors and fail on a document without one, so an
# article naming nobody carries this placeholder, which the facet code never shows.
NO_PEOPLE = "__none__"


def build_schema() -> fields.Schema:
    folded, exact = folded_analyzer(), exact_analyzer()
    return fields.Schema(
        url=fields.ID(stored=True, unique=True),
        doc=fields.STORED(),
        title_f=fields.TEXT(analyzer=folded, phrase=True),
        title_x=fields.TEXT(analyzer=exact, phrase=True),
        text_f=fields.TEXT(analyzer=folded, phrase=True),
        text_x=fields.TEXT(analyzer=exact, phrase=False),
        pairs_f=fields.TEXT(analyzer=pair_analyzer(folded=True), phrase=False),
        pairs_x=fields.TEXT(analyzer=pair_analyzer(folded=False), phrase=False),
        people_f=fields.TEXT(analyzer=folded, phrase=True),
        people_x=fields.TEXT(analyzer=exact, phrase=True),
        people_kw=fields.KEYWORD(commas=True, lowercase=False, scorable=False, vector=True),
        author_f=fields.TEXT(analyzer=folded, phrase=True),
        source=fields.ID(sortable=True),
        source_f=fields.TEXT(analyzer=folded, phrase=True),
        category=fields.ID(sortable=True),
        category_f=fields.TEXT(analyzer=folded, phrase=True),
        published=fields.DATETIME(sortable=True),
        month=fields.ID(sortable=True),
        **{name: _keywords() for name in PLACE_FIELDS},
    )


PLACE_FIELDS = ("place_keys", "place_hist", "place_prov", "place_dir")


def _keywords() -> fields.KEYWORD:
    # Values never hold a comma (indexer.places cleans them): commas separate them.
    return fields.KEYWORD(commas=True, lowercase=False, scorable=False)


def combined_text(article: Article) -> str:
    return "\n".join(part for part in (article.title, article.sapo, article.body) if part)


def article_document(article: Article) -> dict:
    """The Whoosh document for an Article; the full Article is stored as JSON for display."""
    text = combined_text(article)
    names = article.person_names
    doc = {
        "url": article.url,
        "doc": json.dumps(article.to_dict(), ensure_ascii=False),
        "title_f": article.title,
        "title_x": article.title,
        "text_f": text,
        "text_x": text,
        "pairs_f": text,
        "pairs_x": text,
        "people_f": PEOPLE_SEPARATOR.join(names),
        "people_x": PEOPLE_SEPARATOR.join(names),
        "author_f": article.author,
        "source": article.source,
        "source_f": article.source,
        "category": article.category,
        "category_f": article.category,
    }
    # Commas separate keywords, so a name may not contain one.
    doc["people_kw"] = ",".join(n.replace(",", " ") for n in names) or NO_PEOPLE
    for name, values in place_values(article).items():
        if values:
            doc[name] = ",".join(values)
    if article.published:
        doc["published"] = article.published.replace(tzinfo=None)
        doc["month"] = article.published.strftime("%Y-%m")
    return doc


def stored_article(stored: dict) -> Article:
    return Article.from_dict(json.loads(stored["doc"]))
