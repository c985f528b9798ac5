"""Helpers every engine shares, so results look the same whichever engine answered.

Nothing here imports an engine library: hits are built from the stored Article and the
query's highlight keys (``indexer.highlight``), facets are ordered by one rule, and the
page cache is the same small LRU.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Protocol

from crawler.article import Article
from indexer import places as pl
from indexer.analysis import fold, has_diacritics, normalize
from indexer.api import (
    FacetCount,
    Loosening,
    PlaceCount,
    PlaceStats,
    QueryReading,
    ReadUnit,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from indexer.fields import combined_text  # noqa: F401 (engines import it from here)
from indexer.highlight import MAX_SCAN_CHARS, mark_text, snippet
from indexer.place_marks import place_matches
from indexer.querylang import AllOf, Not, ParsedQuery, Phrase, Term, parse_query
from indexer.queryplan import Options, Plan, PlanNode, build_plan, unit_condition

FACET_LIMIT = 20
FACET_NAMES = ("source", "category", "month", "person", "province", "place")
# Whoosh's overlapping facets need a value on every document; facet code never shows it.
NO_PEOPLE = "__none__"


class LRU(OrderedDict):
    """A small least-recently-used map: ``get`` refreshes, ``[k] = v`` evicts the oldest."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        if key not in self:
            return default
        self.move_to_end(key)
        return self[key]

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


def article_hit(
    article: Article,
    keys: frozenset[str],
    *,
    with_snippet: bool = True,
    score: float = 0.0,
    places: frozenset[str] = frozenset(),
) -> SearchHit:
    """The hit for a stored article: snippet and title marks come from the stored text, the
    mentions of the query's places (``places``: unit keys) marked too."""
    text = "\n".join(p for p in (article.sapo, article.body) if p)
    return SearchHit(
        url=article.url,
        title=article.title,
        published=article.published,
        source=article.source,
        category=article.category,
        author=article.author,
        people=tuple(article.person_names),
        snippet=_snippet(text, keys, article, places) if with_snippet else "",
        title_html=mark_text(
            article.title, keys, place_matches(article.title, article.places, places)
        ),
        score=score,
        fetched_at=article.fetched_at,
        content_hash=article.content_hash,
        places=pl.article_units(article.places),
    )


def _snippet(text: str, keys: frozenset[str], article: Article, places: frozenset[str]) -> str:
    found = place_matches(text, article.places, places, MAX_SCAN_CHARS)
    return snippet(text, keys, places=found)


def order_facet(name: str, counts: Iterable[tuple[str, int]]) -> list[FacetCount]:
    """One facet's values as shown: most documents first (ties by value), top FACET_LIMIT;
    months in date order, all of them; every source (an archive has tens of sources, not the
    thousands of people or categories, and the sources page lists them all)."""
    ordered = sorted(
        ((str(v), c) for v, c in counts if v not in (None, "", NO_PEOPLE)),
        key=lambda vc: (-vc[1], vc[0]),
    )
    if name == "month":
        ordered.sort(key=lambda vc: vc[0])
    elif name != "source":
        ordered = ordered[:FACET_LIMIT]
    return [FacetCount(v, c) for v, c in ordered]


def co_mentions(name: str, counts: Iterable[tuple[str, int]], top: int) -> list[FacetCount]:
    """People named alongside ``name``, most first (ties by name)."""
    others = [(str(v), c) for v, c in counts if v not in (name, None, "", NO_PEOPLE)]
    others.sort(key=lambda vc: (-vc[1], vc[0]))
    return [FacetCount(v, c) for v, c in others[:top]]


def name_key(name: str, exact: bool) -> str:
    """How names compare: case, spacing and tone placement ignored; diacritics too unless
    ``exact``."""
    text = normalize(" ".join(name.split())).lower()
    return text if exact else fold(text)


class PeopleNames(Protocol):
    """The indexed names a person page chooses from (``people_directory.PeopleDirectory``)."""

    def __contains__(self, name: str) -> bool: ...

    def candidates(self, name: str, exact: bool) -> list[FacetCount]: ...


def resolve_person(name: str, names: PeopleNames) -> list[FacetCount]:
    """The indexed names (with their article counts) that ``name`` may mean: those equal to
    it with diacritics as typed, or, typed without any, equal once folded ("nguyen thanh
    phong" → Nguyễn Thành Phong, Nguyễn Thanh Phong). Most named first."""
    return names.candidates(name, has_diacritics(name))


def chosen_person(name: str, names: PeopleNames) -> tuple[str, tuple[FacetCount, ...]]:
    """(the name to show, the candidates to offer) for a person page asked for ``name``:
    the name itself when indexed (with its look-alikes, if any), else the one name it may
    mean, else every candidate."""
    candidates = tuple(resolve_person(name, names))
    if name in names:
        return name, candidates if len(candidates) > 1 else ()
    if len(candidates) == 1:
        return candidates[0].value, candidates
    return name, candidates


def date_bounds(query: SearchQuery, parsed) -> tuple[date | None, date | None]:
    """The narrowest day range of the form's dates and the query's own ``tu:``/``den:``."""
    return _latest(query.date_from, parsed.date_from), _earliest(query.date_to, parsed.date_to)


def _latest(a, b):
    return max(x for x in (a, b) if x) if a or b else None


def _earliest(a, b):
    return min(x for x in (a, b) if x) if a or b else None


# -- the query plan and how it was read ----------------------------------------------------
EXISTS_CACHE_SIZE = 4096


class QueryPlanner:
    """Builds query plans (``indexer.queryplan``) for one engine, per index generation.

    Reading plain words into Vietnamese words asks whether the archive holds a run of
    syllables contiguously; the engine answers ``condition_matches`` (does any document
    satisfy this plan node?) and the answers are kept until ``clear`` (a new generation).
    """

    def __init__(
        self,
        condition_matches: Callable[[PlanNode], bool],
        directory: Callable[[], pl.PlaceDirectory] | None = None,
    ) -> None:
        self._matches = condition_matches
        self._known: LRU = LRU(EXISTS_CACHE_SIZE)
        self._directory = directory

    def clear(self) -> None:
        self._known.clear()

    def plan(self, parsed: ParsedQuery, query: SearchQuery) -> Plan:
        """The plan of the query's words and of its ``place=`` values (each one more
        ``noi:`` condition); history from the API flag or "+lịch sử" in the text."""
        options = Options(
            group_words=query.group_words,
            exact_accents=query.exact_accents,
            history=query.history or parsed.history,
        )
        directory = self._directory

        def exists(tokens, fold: bool = False) -> bool:
            node = unit_condition(tokens, options.exact_accents and not fold)
            if node is None:
                return True
            found = self._known.get(node)
            if found is None:
                found = self._known[node] = bool(self._matches(node))
            return found

        def places(text: str, history: bool):
            return directory().reading(text, history) if directory else ()

        return build_plan(_with_places(parsed.root, query.places), exists, options, places)


def _with_places(root, places: tuple[str, ...]):
    """The query's AST with each ``place=`` value required as a ``noi:`` term."""
    extra = [Term(value, "place") for value in places]
    if not extra:
        return root
    items = [] if root is None else list(root.items) if isinstance(root, AllOf) else [root]
    items += [t for t in extra if t not in items]
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def nothing_to_match(parsed: ParsedQuery, plan: Plan) -> bool:
    """The user typed a query, but nothing positive is left of it ("-bão", "*", "OR")."""
    return parsed.nothing_to_match or (parsed.root is not None and plan.root is None)


NOTHING_TO_MATCH = (
    "Không có từ nào để tìm trong câu truy vấn này, nên không có kết quả "
    "(không bao giờ trả về toàn bộ kho). Hãy nhập ít nhất một từ cần tìm."
)


def nothing_page(query: SearchQuery, parsed: ParsedQuery, plan: Plan) -> SearchPage:
    """No results, and why: the query reduced to nothing positive (never the whole archive)."""
    return SearchPage(
        query=query,
        total=0,
        hits=[],
        warnings=[*parsed.warnings, *plan.warnings, NOTHING_TO_MATCH],
        reading=reading_of(plan, query, lambda _q: 0, empty=True),
    )


def reading_of(
    plan: Plan, query: SearchQuery, total_of: Callable[[SearchQuery], int], empty: bool = False
) -> QueryReading:
    """The "understood as" line of a page: the plan's words, and each looser reading the
    query allows, with its count when the query asks for ``loosen_counts`` (``total_of``
    counts the loosened query)."""
    units = tuple(
        ReadUnit(u.text, u.syllables, u.exact, u.field, u.excluded, u.places) for u in plan.units
    )
    looser = []
    if query.group_words and plan.groupable:
        looser.append(("words", replace(query, group_words=False)))
    if query.exact_accents and plan.accented:
        looser.append(("accents", replace(query, exact_accents=False)))
    loosen = tuple(
        Loosening(kind, total_of(loose) if query.loosen_counts else None) for kind, loose in looser
    )
    return QueryReading(units, loosen, nothing_to_match=empty, history=plan.history)


def suggestion_for(
    query: SearchQuery,
    total: int,
    accents: Callable[[str], str | None],
    spelling: Callable[[str], str | None],
    found_by: Callable[[SearchQuery], int | bool],
) -> tuple[str | None, int | None]:
    """(the query to suggest, its result count or None when ``found_by`` only says whether
    it finds anything): the accented reading of a diacritic-free query, or for a query that
    found nothing a spelling the archive holds. A suggestion the archive does not support
    (no results: "vo trong hai" → "võ trọng hải") is not made."""
    if not query.text.strip() or not query.exact_accents:
        return None, None
    readings = (accents, spelling) if total == 0 else (accents,)
    for reading in readings:
        suggestion = reading(query.text)
        found = found_by(replace(query, text=suggestion)) if suggestion else 0
        if found:
            return suggestion, None if found is True else found
    return None, None


def count_key(query: SearchQuery) -> SearchQuery:
    """What a count depends on: not the page, the sort, the facets or the loosened counts."""
    return replace(query, page=1, per_page=1, facets=False, sort="relevance", loosen_counts=False)


# -- places ------------------------------------------------------------------------------------
PLACE_FACETS = {"province": pl.PROVINCE_FIELD, "place": pl.PLACE_FIELD}


def counted_place_facets(query: SearchQuery) -> dict[str, str]:
    """The place facets a page's counts need (facet → field): the units below a province
    only when the query chose one (no other page shows them)."""
    return PLACE_FACETS if query.provinces else {"province": pl.PROVINCE_FIELD}


def units_inside(query: SearchQuery, directory: pl.PlaceDirectory) -> frozenset[str]:
    """The keys of the units below the query's chosen provinces (what the place facet shows)."""
    return frozenset(ref.key for p in query.provinces for ref in directory.in_province(p))


def place_facets(
    counts: dict[str, Iterable[tuple[str, int]]], query: SearchQuery, directory: pl.PlaceDirectory
) -> dict[str, list[FacetCount]]:
    """The province facet, and below each chosen province the units in it, labelled (the
    units' counts are only read when the query chose a province: ``counted_place_facets``)."""
    provinces = [
        FacetCount(f.value, f.count, pl.province_label(f.value))
        for f in order_facet("province", counts["province"])
    ]
    inside = units_inside(query, directory) if query.provinces else frozenset()
    units = order_facet("place", ((k, c) for k, c in counts.get("place", ()) if k in inside))
    return {
        "province": provinces,
        "place": [
            FacetCount(f.value, f.count, pl.unit_label(directory.get(f.value))) for f in units
        ],
    }


def place_counts(
    counts: Iterable[tuple[str, int]], directory: pl.PlaceDirectory, top: int
) -> tuple[PlaceCount, ...]:
    """Units (place_keys counts) most named first, ties by name; unknown keys left out."""
    found = [(directory.get(k), c) for k, c in counts]
    found = [(ref, c) for ref, c in found if ref is not None]
    found.sort(key=lambda rc: (-rc[1], fold(rc[0].name), rc[0].key))
    return tuple(PlaceCount(ref, c) for ref, c in found[:top])


def place_stats(
    directory: pl.PlaceDirectory,
    key: str,
    history: bool,
    total: int,
    counts: dict[str, Iterable[tuple[str, int]]],
    top: int,
) -> PlaceStats | None:
    """A unit's page from its articles' month and people counts (None: not indexed)."""
    unit = directory.get(key)
    if unit is None:
        return None
    related = tuple(PlaceCount(r, directory.articles(r.key)) for r in directory.related(key))
    return PlaceStats(
        unit=unit,
        total=total,
        months=tuple(FacetCount(v, c) for v, c in sorted(counts["month"]) if v),
        co_mentioned=tuple(co_mentions("", counts["person"], top)),
        related=related,
        history=history,
    )


def place_field(history: bool) -> str:
    return pl.HISTORY_FIELD if history else pl.PLACE_FIELD


def ranked_as(query: SearchQuery) -> SearchQuery:
    """The query as ranked: one whose only conditions are places (``noi:``, ``place=``) has
    no words to rank by (a place adds no score), so, like browsing, it lists newest first
    rather than in an order of ties each engine breaks its own way."""
    if query.sort != "relevance" or not query.places and ":" not in query.text:
        return query  # a place in the text needs its prefix ("noi:"): no parse needed
    root = parse_query(query.text).root
    if root is None and not query.places or root is not None and not _scoreless(root):
        return query
    return replace(query, sort="newest")


def _scoreless(node) -> bool:
    if isinstance(node, Term | Phrase):
        return node.field == "place"
    if isinstance(node, Not):
        return True
    return all(_scoreless(item) for item in node.items)
