"""Reference engines for bench_query.py: SQLite FTS5 and tantivy over the same articles.

Not tracuu code: plain, well-known set-ups that show what the same queries cost elsewhere.
FTS5 uses ``unicode61 remove_diacritics 2`` (note: it does not fold đ → d); tantivy uses a
simple tokenizer + lowercase + ASCII folding (which does). Both return top 10 with a highlighted
snippet of the body; "facet" queries also count matches per source; date filters restrict
``published``. Person queries (``nguoi:"X"``) become the phrase "X" in the text: neither
reference has a people field.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from crawler.article import Article


@dataclass(frozen=True)
class RefQuery:
    """One benchmark query as the references see it."""

    text: str  # words and "phrases", no field prefixes
    date_from: date | None = None
    date_to: date | None = None
    facets: bool = False


def ref_query(text: str, date_from=None, date_to=None, facets: bool = False) -> RefQuery:
    """Our query-language text with prefixes stripped (nguoi:"X" → "X")."""
    plain = re.sub(r'\b\w+:(?=")', "", text)
    return RefQuery(plain.strip(), date_from, date_to, facets)


def epoch(day: date | None, end: bool = False) -> int | None:
    if day is None:
        return None
    moment = datetime.combine(day, datetime.max.time() if end else datetime.min.time())
    return int(moment.timestamp())


def article_fields(article: Article) -> tuple[str, str, str, str, int]:
    body = "\n".join(p for p in (article.sapo, article.body) if p)
    published = int(article.published.timestamp()) if article.published else 0
    return article.url, article.source, article.title, body, published


class Fts5Engine:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), check_same_thread=False)

    @classmethod
    def build(cls, path: Path, articles: Iterable[Article]) -> Fts5Engine:
        path.unlink(missing_ok=True)
        engine = cls(path)
        engine.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(url UNINDEXED, source UNINDEXED, title, body,"
            " published UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )
        engine.db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?)", (article_fields(a) for a in articles)
        )
        engine.db.commit()
        return engine

    def _where(self, query: RefQuery) -> tuple[str, list]:
        clauses, params = ["docs MATCH ?"], [fts5_expression(query.text)]
        if query.date_from:
            clauses.append("published >= ?")
            params.append(epoch(query.date_from))
        if query.date_to:
            clauses.append("published <= ?")
            params.append(epoch(query.date_to, end=True))
        return " AND ".join(clauses), params

    def search(self, query: RefQuery) -> int:
        where, params = self._where(query)
        rows = self.db.execute(
            "SELECT url, title, snippet(docs, 3, '<mark>', '</mark>', '…', 24) FROM docs"
            f" WHERE {where} ORDER BY rank LIMIT 10",
            params,
        ).fetchall()
        total = self.db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()[0]
        if query.facets:
            self.db.execute(
                f"SELECT source, count(*) FROM docs WHERE {where} GROUP BY source", params
            ).fetchall()
        return total if rows or total else 0


def fts5_expression(text: str) -> str:
    """Bare words and quoted phrases → an FTS5 AND expression (every token quoted)."""
    parts = re.findall(r'"([^"]+)"|(\S+)', text)
    terms = [f'"{phrase or word}"'.replace('""', '"') for phrase, word in parts]
    return " AND ".join(terms)


class TantivyEngine:
    def __init__(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(path))
        register_folding(self.index)
        self.index.reload()
        self.searcher = self.index.searcher()

    @staticmethod
    def schema():
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("url", stored=True, tokenizer_name="raw")
        builder.add_text_field("source", stored=True, fast=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="folding")
        builder.add_text_field("body", stored=True, tokenizer_name="folding")
        builder.add_integer_field("published", stored=True, indexed=True, fast=True)
        return builder.build()

    @classmethod
    def build(cls, path: Path, articles: Iterable[Article]) -> TantivyEngine:
        import tantivy

        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(cls.schema(), path=str(path))
        register_folding(index)
        writer = index.writer(heap_size=256_000_000, num_threads=2)
        for url, source, title, body, published in map(article_fields, articles):
            writer.add_document(
                tantivy.Document(
                    url=url, source=source, title=title, body=body, published=published
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        return cls(path)

    def search(self, query: RefQuery) -> int:
        parsed = self.index.parse_query(query.text, ["title", "body"], conjunction_by_default=True)
        if query.date_from or query.date_to:
            lo = epoch(query.date_from) or 0
            hi = epoch(query.date_to, end=True) or 2**62
            date_range = self.index.parse_query(f"published:[{lo} TO {hi}]")
            must = self.tantivy.Occur.Must
            parsed = self.tantivy.Query.boolean_query([(must, parsed), (must, date_range)])
        result = self.searcher.search(parsed, 10, count=True)
        snippets = self.tantivy.SnippetGenerator.create(
            self.searcher, parsed, self.index.schema, "body"
        )
        for _, address in result.hits:
            snippets.snippet_from_doc(self.searcher.doc(address)).to_html()
        if query.facets:
            self.searcher.aggregate(parsed, {"src": {"terms": {"field": "source", "size": 10}}})
        return result.count or 0


def register_folding(index) -> None:
    import tantivy

    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )
    index.register_tokenizer("folding", analyzer)


def build_references(directory: Path, articles: list[Article], reuse: bool) -> dict:
    """Both reference engines over ``articles`` (reused from ``directory`` if asked and there)."""
    directory.mkdir(parents=True, exist_ok=True)
    fts_path, tantivy_path = directory / "fts5.sqlite", directory / "tantivy"
    build_s: dict[str, float] = {}
    if reuse and fts_path.exists():
        fts = Fts5Engine(fts_path)
    else:
        started = time.perf_counter()
        fts = Fts5Engine.build(fts_path, articles)
        build_s["fts5"] = time.perf_counter() - started
    if reuse and (tantivy_path / "meta.json").exists():
        tv = TantivyEngine(tantivy_path)
    else:
        started = time.perf_counter()
        tv = TantivyEngine.build(tantivy_path, articles)
        build_s["tantivy"] = time.perf_counter() - started
    return {"fts5": fts, "tantivy": tv, "build_s": build_s}
