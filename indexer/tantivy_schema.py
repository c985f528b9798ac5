"""The tantivy schema and how an Article becomes a tantivy document.

The fields of ``indexer.fields`` and the same tokens as ``indexer.whoosh_schema``: the plain-Python analyzer
(``indexer.analysis``) cuts the text, and tantivy receives the tokens joined by single spaces
in fields whose analyzer only splits on whitespace (``vi_ws``, registered on every opened
index). Tantivy numbers those tokens 0, 1, 2, … exactly as ``tokenize`` numbers syllables
(a sentence break does not skip a position in either engine), so phrases match the same.
No tantivy tokenizer lowercases, folds or drops anything: the analyzer has done it.

The short exact fields (``title_x``, ``people_x``) interleave both forms of every syllable:
position 2i holds syllable i's exact form, position 2i+1 its folded form behind
``FOLDED_MARK`` ("hà _ha tĩnh _tinh"). A word typed with some diacritics is then one phrase
query with offsets on one field (exact forms at even, folded at odd offsets): tantivy cannot
match a phrase across two fields. Every syllable adds exactly two tokens, so BM25 on an exact
term is unchanged (term frequency the same, every length doubled, the average too), and the
marked folded forms never look like exact words to the suggester.

Facet fields (source, category, month, people_kw) are raw fast fields read by tantivy's
terms aggregation; ``published`` is an integer fast field holding the Vietnam wall-clock
time read as if it were UTC (seconds), so day ranges need no time-zone arithmetic.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import tantivy

from crawler.article import Article
from indexer.fields import (
    DATE_FIELD,
    FACETS,
    KEY_FIELD,
    KEYWORD_FIELDS,
    PEOPLE_SEPARATOR,
    STORED_FIELD,
    TEXT_FIELDS,
    combined_text,
    facet_values,
    keyword_values,
)
from indexer.index_forms import index_forms

WS_ANALYZER = "vi_ws"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field(KEY_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field(STORED_FIELD, stored=True)
    for field in TEXT_FIELDS:
        option = "position" if field.positions else "freq"
        builder.add_text_field(field.name, tokenizer_name=WS_ANALYZER, index_option=option)
    for name in (*FACETS.values(), *KEYWORD_FIELDS):
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field(DATE_FIELD, indexed=True, fast=True)
    return builder.build()


def register_analyzer(index: tantivy.Index) -> None:
    """Tantivy does not persist analyzers: every Index object needs this before use."""
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(WS_ANALYZER, analyzer)


def open_index(index_dir: Path) -> tantivy.Index:
    """The tantivy index at ``index_dir``, its analyzer registered."""
    index = tantivy.Index.open(str(index_dir))
    register_analyzer(index)
    return index


FOLDED_MARK = "_"  # never part of a token: '_' only joins syllable pairs


def _folded(text: str) -> str:
    return " ".join(index_forms(text).words())


def interleaved(exact: list[str], folded: list[str]) -> str:
    """Both forms of each syllable, exact at even positions, marked folded at odd ones."""
    return " ".join(f"{x} {FOLDED_MARK}{f}" for x, f in zip(exact, folded, strict=True))


def published_seconds(moment: datetime) -> int:
    """Vietnam wall-clock time as seconds, as if it were UTC (see the module docstring)."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def day_start_seconds(day: date) -> int:
    return published_seconds(datetime.combine(day, time.min))


def document_fields(article: Article) -> dict[str, Any]:
    """Every field of an Article's tantivy document as plain values (str, list of str, int,
    bytes): the analysis work, kept apart from tantivy objects so a worker process can do it
    and send the result back by pickle."""
    text = index_forms(combined_text(article))
    # combined_text starts with the title and the sapo, each followed by a line break (a
    # break never joins two tokens): their tokens are a prefix of the whole text's tokens.
    exact, folded = text.words(folded=False), text.words()
    title_count = len(index_forms(article.title).words()) if article.title else 0
    people = index_forms(PEOPLE_SEPARATOR.join(article.person_names))
    fields: dict[str, Any] = {
        KEY_FIELD: article.url,
        STORED_FIELD: json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8"),
        "title_f": " ".join(folded[:title_count]),
        "title_x": interleaved(exact[:title_count], folded[:title_count]),
        "text_f": " ".join(folded),
        "text_x": " ".join(exact),
        "pairs_f": " ".join(text.pairs()),
        "pairs_x": " ".join(text.pairs(folded=False)),
        "people_f": " ".join(people.words()),
        "people_x": interleaved(people.words(folded=False), people.words()),
        "author_f": _folded(article.author),
        "source_f": _folded(article.source),
        "category_f": _folded(article.category),
        **facet_values(article),
        **keyword_values(article),
    }
    if article.published:
        fields[DATE_FIELD] = published_seconds(article.published)
    return fields


def fields_document(fields: dict[str, Any]) -> tantivy.Document:
    """The tantivy document holding ``document_fields``' values."""
    doc = tantivy.Document()
    for name, value in fields.items():
        if isinstance(value, bytes):
            doc.add_bytes(name, value)
        elif isinstance(value, int):
            doc.add_integer(name, value)
        elif isinstance(value, list):
            for item in value:
                doc.add_text(name, item)
        else:
            doc.add_text(name, value)
    return doc


def article_document(article: Article) -> tantivy.Document:
    """The tantivy document for an Article; the full Article is stored as JSON for display."""
    return fields_document(document_fields(article))


def stored_article(doc: tantivy.Document) -> Article:
    return Article.from_dict(json.loads(doc.get_first("doc")))
