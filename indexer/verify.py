"""Checks on an index before it goes live (and for `tracuu check`), for every engine.

A title is searched as one quoted phrase through the same query language and query plan as
a user's search (``indexer.queryplan``), compiled by the engine that built the index (its
backend's ``find_titles`` passes ``top_articles``), so a title that cannot be found here would
not be found by a user either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from crawler.article import Article
from indexer.querylang import parse_query
from indexer.queryplan import Plan, build_plan

SEARCH_DEPTH = 10
_QUOTES = re.compile(r"[\"“”„‟«»]")


def title_query_text(title: str) -> str:
    """A title as one quoted phrase (its own quotes dropped): tokenised as it was indexed."""
    words = " ".join(_QUOTES.sub(" ", title).split())
    return f'"{words}"' if words else ""


def title_plan(title: str) -> Plan | None:
    """The plan of a title's search; None when the title has nothing to search."""
    text = title_query_text(title)
    if not text:
        return None
    # One quoted phrase: no plain words to read, so no archive look-ups either.
    plan = build_plan(parse_query(text).root, lambda _run, fold=False: True)
    return plan if plan.root is not None else None


def find_titles(
    titles: Iterable[tuple[str, str]], top_articles: Callable[[Plan], list[Article]]
) -> list[str]:
    """Problems: each (url, title) whose title search does not return an article so titled
    among the first SEARCH_DEPTH (``top_articles`` runs a plan on the index being checked)."""
    problems = []
    for url, title in titles:
        plan = title_plan(title)
        if plan is None:
            continue
        found = top_articles(plan)
        if not any(a.url == url or a.title == title for a in found):
            problems.append(f"tìm «{title}» không thấy {url}")
    return problems
