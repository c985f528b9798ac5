"""The tantivy schema and how an Article becomes a tantivy document.

Same fields and the same tokens as ``indexer.whoosh_schema``: the plain-Python analyzer
(``indexer.analysis``) cuts the text, and tantivy receives the tokens joined by single spaces
in fields whose analyzer only splits on whitespace (``vi_ws``, registered on every opened
index). Tantivy numbers those tokens 0, 1, 2, … exactly as ``tokenize`` numbers syllables
(a sentence break does not skip a position in either engine), so phrases match the same.
No tantivy tokenizer lowercases, folds or drops anything: the analyzer has done it.

Facet fields (source, category, month, people_kw) are raw fast fields read by tantivy's
terms aggregation; ``published`` is an integer fast field holding the Vietnam wall-clock
time read as if it were UTC (seconds), so day ranges need no time-zone arithmetic.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import tantivy

from crawler.article import Article
from indexer.analysis import Token, join_pair, tokenize
from indexer.engine_common import combined_text

WS_ANALYZER = "vi_ws"
PEOPLE_SEPARATOR = "\n"  # a sentence break between names, as in the Whoosh schema

# Token fields: (name, index option). "position" where phrases are asked, "freq" elsewhere.
TOKEN_FIELDS = {
    "title_f": "position",
    "title_x": "freq",
    "text_f": "position",
    "text_x": "freq",  # boosts and suggestions only: no phrase is asked of it
    "pairs_f": "freq",
    "pairs_x": "freq",
    "people_f": "position",
    "author_f": "position",
    "source_f": "position",
    "category_f": "position",
}
FACET_FIELDS = ("source", "category", "month", "people_kw")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("url", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("doc", stored=True)
    for name, option in TOKEN_FIELDS.items():
        builder.add_text_field(name, tokenizer_name=WS_ANALYZER, index_option=option)
    for name in FACET_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


def register_analyzer(index: tantivy.Index) -> None:
    """Tantivy does not persist analyzers: every Index object needs this before use."""
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(WS_ANALYZER, analyzer)


def _folded(text: str) -> str:
    return " ".join(t.folded for t in tokenize(text))


def published_seconds(moment: datetime) -> int:
    """Vietnam wall-clock time as seconds, as if it were UTC (see the module docstring)."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def day_start_seconds(day: date) -> int:
    return published_seconds(datetime.combine(day, time.min))


def _pair_strings(tokens: list[Token]) -> tuple[str, str]:
    """(folded, exact) syllable pairs joined by spaces: the same pairs as
    ``analysis.pairs`` (never across a break), built as strings without Token objects."""
    folded, exact = [], []
    previous = None
    for token in tokens:
        if previous is not None and not token.gap:
            folded.append(join_pair(previous.folded, token.folded))
            exact.append(join_pair(previous.text, token.text))
        previous = token
    return " ".join(folded), " ".join(exact)


def article_document(article: Article) -> tantivy.Document:
    """The tantivy document for an Article; the full Article is stored as JSON for display."""
    tokens = tokenize(combined_text(article))
    # combined_text starts with the title and a line break, so the title's tokens are
    # the first ones (a break never joins two tokens).
    title_tokens = tokens[: len(tokenize(article.title))] if article.title else []
    pairs_f, _ = _pair_strings(tokens)
    # Exact pairs of the title and sapo only, as in whoosh_schema (what the suggester needs);
    # their text is also the start of combined_text, so its tokens are a prefix of ``tokens``.
    head = "\n".join(part for part in (article.title, article.sapo) if part)
    _, pairs_x = _pair_strings(tokens[: len(tokenize(head))] if head else [])
    names = article.person_names
    doc = tantivy.Document()
    doc.add_text("url", article.url)
    doc.add_bytes("doc", json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8"))
    doc.add_text("title_f", " ".join(t.folded for t in title_tokens))
    doc.add_text("title_x", " ".join(t.text for t in title_tokens))
    doc.add_text("text_f", " ".join(t.folded for t in tokens))
    doc.add_text("text_x", " ".join(t.text for t in tokens))
    doc.add_text("pairs_f", pairs_f)
    doc.add_text("pairs_x", pairs_x)
    doc.add_text("people_f", _folded(PEOPLE_SEPARATOR.join(names)))
    doc.add_text("author_f", _folded(article.author))
    doc.add_text("source_f", _folded(article.source))
    doc.add_text("category_f", _folded(article.category))
    if article.source:
        doc.add_text("source", article.source)
    if article.category:
        doc.add_text("category", article.category)
    for name in dict.fromkeys(names):
        doc.add_text("people_kw", name)
    if article.published:
        doc.add_integer("published", published_seconds(article.published))
        doc.add_text("month", article.published.strftime("%Y-%m"))
    return doc


def stored_article(doc: tantivy.Document) -> Article:
    return Article.from_dict(json.loads(doc.get_first("doc")))
