"""Checks on an index directory before it goes live (and for `tracuu check`).

Searches go through the same query language and Whoosh query builder as the engine, so a
title that cannot be found here would not be found by a user either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as windex

from indexer.querylang import parse_query
from indexer.queryplan import build_plan
from indexer.whoosh_query import build_query
from indexer.whoosh_schema import stored_article

SEARCH_DEPTH = 10
_QUOTES = re.compile(r"[\"“”„‟«»]")


def title_query_text(title: str) -> str:
    """A title as one quoted phrase (its own quotes dropped): tokenised as it was indexed."""
    words = " ".join(_QUOTES.sub(" ", title).split())
    return f'"{words}"' if words else ""


def find_titles(index_dir: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
    """Problems: each (url, title) whose title search does not return an article so titled."""
    problems = []
    ix = windex.open_dir(str(index_dir))
    try:
        with ix.searcher() as searcher:
            for url, title in titles:
                text = title_query_text(title)
                if not text:
                    continue
                # One quoted phrase: no plain words to read, so no archive look-ups either.
                query = build_query(
                    build_plan(parse_query(text).root, lambda _run, fold=False: True)
                )
                if query is None:
                    continue
                results = searcher.search(query, limit=SEARCH_DEPTH)
                found = [stored_article(hit.fields()) for hit in results]
                if not any(a.url == url or a.title == title for a in found):
                    problems.append(f"tìm «{title}» không thấy {url}")
    finally:
        ix.close()
    return problems


def all_urls(index_dir: Path) -> set[str]:
    """The URL of every (non-deleted) document."""
    ix = windex.open_dir(str(index_dir))
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            return {reader.stored_fields(docnum)["url"] for docnum in reader.all_doc_ids()}
    finally:
        ix.close()


def document_count(index_dir: Path) -> int:
    ix = windex.open_dir(str(index_dir))
    try:
        return ix.doc_count()
    finally:
        ix.close()
