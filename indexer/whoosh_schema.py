"""The Whoosh schema (built from ``indexer.fields``) and how an Article becomes a Whoosh
document. Analysed fields use ``whoosh_analysis``'s analyzers, which cut text exactly as
``indexer.analysis`` does; a field with positions is a phrase field, matched by
``whoosh_run.RunFilter`` and ``wq.Phrase``.
"""

from __future__ import annotations

import json

from whoosh import fields

from crawler.article import Article
from indexer.engine_common import NO_PEOPLE
from indexer.fields import (
    DATE_FIELD,
    EXACT,
    EXACT_PAIRS,
    FACETS,
    FOLDED,
    FOLDED_PAIRS,
    KEY_FIELD,
    KEYWORD_FIELDS,
    MULTI_VALUED,
    STORED_FIELD,
    TEXT_FIELDS,
    article_parts,
    keyword_values,
)
from indexer.whoosh_analysis import exact_analyzer, folded_analyzer, pair_analyzer


def build_schema() -> fields.Schema:
    folded, exact = folded_analyzer(), exact_analyzer()
    analyzers = {
        FOLDED: folded,
        EXACT: exact,
        FOLDED_PAIRS: pair_analyzer(folded=True),
        EXACT_PAIRS: pair_analyzer(folded=False),
    }
    spec = {KEY_FIELD: fields.ID(stored=True, unique=True), STORED_FIELD: fields.STORED()}
    for field in TEXT_FIELDS:
        spec[field.name] = fields.TEXT(analyzer=analyzers[field.analysis], phrase=field.positions)
    for name in FACETS.values():
        spec[name] = _facet_field(name)
    for name in KEYWORD_FIELDS:
        # Values never hold a comma (indexer.places cleans them): commas separate them.
        spec[name] = fields.KEYWORD(commas=True, lowercase=False, scorable=False)
    spec[DATE_FIELD] = fields.DATETIME(sortable=True)
    return fields.Schema(**spec)


def _facet_field(name: str) -> fields.FieldType:
    if name in MULTI_VALUED:
        # Whoosh's overlapping facets read term vectors.
        return fields.KEYWORD(commas=True, lowercase=False, scorable=False, vector=True)
    return fields.ID(sortable=True)


def article_document(article: Article) -> dict:
    """The Whoosh document for an Article; the full Article is stored as JSON for display."""
    parts = article_parts(article)
    doc = {
        KEY_FIELD: article.url,
        STORED_FIELD: json.dumps(article.to_dict(), ensure_ascii=False),
        **{field.name: parts[field.part] for field in TEXT_FIELDS},
        "source": article.source,
        "category": article.category,
    }
    # Commas separate keywords, so a name may not contain one. Whoosh's overlapping facets
    # need a value on every document: an article naming nobody carries NO_PEOPLE.
    names = article.person_names
    doc["people_kw"] = ",".join(n.replace(",", " ") for n in names) or NO_PEOPLE
    for name, values in keyword_values(article).items():
        if values:
            doc[name] = ",".join(values)
    if article.published:
        doc[DATE_FIELD] = article.published.replace(tzinfo=None)
        doc["month"] = article.published.strftime("%Y-%m")
    return doc


def stored_article(stored: dict) -> Article:
    return Article.from_dict(json.loads(stored["doc"]))
