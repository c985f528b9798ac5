"""What the person page shows beyond the counts: the roles a person was named with, and when.

Roles live in each article's people list (``Person.role``), not in the index's facets, so
they are read from the person's newest articles (at most ROLE_ARTICLES of them: a role
history, not an audit; the page says how many were read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from indexer import SearchEngine, SearchQuery

ROLE_ARTICLES = 300
ARTICLES_PER_PAGE = 20


@dataclass
class RoleSpan:
    role: str
    articles: int
    first: datetime | None  # earliest publication date the role was stated
    last: datetime | None  # latest


def _widen(span: RoleSpan, published: datetime | None) -> None:
    span.articles += 1
    if published is None:
        return
    span.first = min(filter(None, (span.first, published)))
    span.last = max(filter(None, (span.last, published)))


def person_roles(engine: SearchEngine, name: str) -> tuple[list[RoleSpan], int]:
    """(roles most recently stated first, how many articles were read)."""
    hits = engine.iter_results(SearchQuery(people=(name,), sort="newest"))
    spans: dict[str, RoleSpan] = {}
    read = 0
    for hit in islice(hits, ROLE_ARTICLES):
        read += 1
        article = engine.get(hit.url)
        roles = {p.role for p in (article.people if article else []) if p.name == name and p.role}
        for role in roles:
            _widen(spans.setdefault(role, RoleSpan(role, 0, None, None)), hit.published)
    ordered = sorted(spans.values(), key=lambda s: (s.last is not None, s.last), reverse=True)
    return ordered, read


def person_articles(engine: SearchEngine, name: str, page: int):
    """One page of the person's articles, newest first."""
    query = SearchQuery(people=(name,), sort="newest", per_page=ARTICLES_PER_PAGE, page=page)
    return engine.search(query)


__all__ = ["ARTICLES_PER_PAGE", "ROLE_ARTICLES", "RoleSpan", "person_articles", "person_roles"]
