"""The engine-neutral search API: our query and result types, no engine's.

search_app and the CLI speak only these types. An engine (Whoosh today, tantivy later)
implements ``SearchEngine``; nothing outside ``indexer/`` imports an engine library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from crawler.article import PLACE_REGISTERS, Article, PlaceRef

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 500
MAX_PLACE_CHARS = 100
PROVINCE_SEPARATOR = "|"  # a province facet value: "2025|Quảng Trị"


class QueryError(ValueError):
    """A query or parameter the user must fix; the message is shown to them (Vietnamese)."""


def cut_query_text(text: str) -> tuple[str, str | None]:
    """``text`` cut to MAX_QUERY_CHARS at a word boundary, and the warning to show when cut.

    A journalist pastes a whole paragraph: searching its beginning finds the article (the
    parser keeps the first MAX_TERMS words anyway), where refusing it finds nothing.
    """
    if len(text) <= MAX_QUERY_CHARS:
        return text, None
    cut = text[:MAX_QUERY_CHARS]
    if not text[MAX_QUERY_CHARS].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never end on half a word
    warning = (
        f"Câu truy vấn quá dài ({len(text)} ký tự): chỉ dùng {len(cut)} ký tự đầu "
        f"(tối đa {MAX_QUERY_CHARS}), phần sau bị bỏ qua."
    )
    return cut.rstrip(), warning


def check_place_value(value: str) -> str:
    """A place parameter as given (API ``place=``), or QueryError when it cannot be one."""
    value = " ".join(value.split())
    if not value:
        raise QueryError("Tham số place không được để trống.")
    if len(value) > MAX_PLACE_CHARS:
        raise QueryError(f"Tên địa danh quá dài (tối đa {MAX_PLACE_CHARS} ký tự).")
    register, colon, code = value.partition(":")
    if colon and (register not in PLACE_REGISTERS or not code or " " in code):
        raise QueryError(
            f"Mã địa danh «{value}» không hợp lệ: dùng tên (có hoặc không có chữ xã, phường, "
            "tỉnh…), mã số, hoặc khóa dạng 2025:MÃ hay pre-2025:MÃ."
        )
    return value


def check_province_value(value: str) -> str:
    """A province facet value ("2025|Quảng Trị"), or QueryError."""
    register, sep, name = value.strip().partition(PROVINCE_SEPARATOR)
    if not sep or register not in PLACE_REGISTERS or not name.strip():
        raise QueryError(f"Tỉnh «{value}» không hợp lệ: dạng 2025|Tên tỉnh hoặc pre-2025|Tên tỉnh.")
    return f"{register}{PROVINCE_SEPARATOR}{name.strip()}"


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for. ``text`` is the raw query string in our query language."""

    text: str = ""
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    date_from: date | None = None
    date_to: date | None = None
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    # Places (``place=``): each a unit's name, code or key, all required; ``provinces``: the
    # province facet's values ("2025|Quảng Trị"). ``history``: a place includes the units
    # it was merged into or from (the 2025 reorganisation).
    places: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    history: bool = False
    facets: bool = False
    # The matching contract's two strict readings; the results page offers to loosen each.
    group_words: bool = True  # a word of several syllables matches only where they stand together
    exact_accents: bool = True  # a syllable typed with diacritics matches only that syllable
    # Count the looser readings too (one count pass each): the results page shows them.
    loosen_counts: bool = False

    def __post_init__(self) -> None:
        if len(self.text) > MAX_QUERY_CHARS:
            raise QueryError(f"Câu truy vấn quá dài (tối đa {MAX_QUERY_CHARS} ký tự).")
        if self.page < 1:
            raise QueryError("Số trang phải từ 1 trở lên.")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_PER_PAGE}.")
        if self.sort not in SORTS:
            raise QueryError("Cách sắp xếp không hợp lệ (relevance, newest, oldest).")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("Ngày bắt đầu phải trước ngày kết thúc.")
        for value in self.places:
            check_place_value(value)
        for value in self.provinces:
            check_province_value(value)


@dataclass(frozen=True)
class SearchHit:
    url: str
    title: str
    published: datetime | None
    source: str
    category: str
    author: str
    people: tuple[str, ...]
    snippet: str  # HTML: escaped article text with matches in <mark>
    title_html: str = ""  # HTML: escaped title with matches in <mark>
    score: float = 0.0
    # Provenance: when the indexed text was captured and its hash (as on the article page).
    fetched_at: datetime | None = None
    content_hash: str = ""
    places: tuple[PlaceRef, ...] = ()  # the units the article names, once each

    def to_dict(self) -> dict:
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "category": self.category,
            "author": self.author,
            "people": list(self.people),
            "places": [p.to_dict() for p in self.places],
            "snippet": self.snippet,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "content_hash": self.content_hash,
        }


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    label: str = ""  # how the value is shown, when it is a code (places)

    def to_dict(self) -> dict:
        data: dict = {"value": self.value, "count": self.count}
        if self.label:
            data["label"] = self.label
        return data


@dataclass(frozen=True)
class PlaceRead:
    """A unit a typed place was read as: ``via`` is empty for a unit the name itself means,
    else the key of the unit it was merged into or from (included with history)."""

    ref: PlaceRef
    via: str = ""

    def to_dict(self) -> dict:
        return {**self.ref.to_dict(), "key": self.ref.key, "history": bool(self.via)}


@dataclass(frozen=True)
class ReadUnit:
    """One word of the query as it was read: "[Hà Tĩnh]" with or without exact diacritics."""

    text: str
    syllables: int
    exact: bool  # its syllables match as typed; else every accented form of them
    field: str | None = None  # "title", "person", … for a prefixed word
    excluded: bool = False  # a word after "-"
    places: tuple[PlaceRead, ...] = ()  # a place (``noi:``): the units it was read as

    def to_dict(self) -> dict:
        data = {
            "text": self.text,
            "syllables": self.syllables,
            "exact_accents": self.exact,
            "field": self.field,
            "excluded": self.excluded,
        }
        if self.field == "place":
            data["places"] = [p.to_dict() for p in self.places]
        return data


@dataclass(frozen=True)
class Loosening:
    """A looser reading of the same query and how many results it has."""

    kind: str  # "words": syllables need not stand together; "accents": diacritics ignored
    total: int | None  # None unless the query asked for ``loosen_counts``

    def to_dict(self) -> dict:
        return {"kind": self.kind, "total": self.total}


@dataclass(frozen=True)
class QueryReading:
    units: tuple[ReadUnit, ...] = ()
    loosen: tuple[Loosening, ...] = ()
    nothing_to_match: bool = False  # the query reduced to nothing positive: no results
    history: bool = False  # places included old/new units ("+lịch sử" or ``history``)

    def to_dict(self) -> dict:
        return {
            "units": [u.to_dict() for u in self.units],
            "loosen": [x.to_dict() for x in self.loosen],
            "nothing_to_match": self.nothing_to_match,
        }


@dataclass
class SearchPage:
    query: SearchQuery
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str | None = None  # e.g. the accented form of a diacritic-free query
    # Results of the suggestion (never suggested with none); None unless loosen_counts asked.
    suggestion_total: int | None = None
    warnings: list[str] = field(default_factory=list)  # parts of the query we could not read
    reading: QueryReading = field(default_factory=QueryReading)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    def to_dict(self) -> dict:
        data = {
            "query": self.query.text,
            "total": self.total,
            "page": self.query.page,
            "per_page": self.query.per_page,
            "results": [h.to_dict() for h in self.hits],
        }
        if self.query.facets:
            data["facets"] = {
                name: [f.to_dict() for f in counts] for name, counts in self.facets.items()
            }
        data["suggestion"] = self.suggestion
        data["suggestion_total"] = self.suggestion_total
        data["warnings"] = self.warnings
        data["understood_as"] = self.reading.to_dict()
        data["group_words"] = self.query.group_words
        data["exact_accents"] = self.query.exact_accents
        data["history"] = self.query.history or self.reading.history
        return data


@dataclass(frozen=True)
class IndexStats:
    documents: int
    generation: str  # changes whenever the index content changes (cache key)
    updated_at: datetime | None
    schema_version: int


@dataclass(frozen=True)
class PersonStats:
    """How often a person is named, per month, and who is named alongside them."""

    name: str
    total: int  # articles naming the person
    months: tuple[FacetCount, ...]  # "YYYY-MM" → articles, in date order
    co_mentioned: tuple[FacetCount, ...]  # other people in the same articles, most first
    # The indexed names the name asked for may mean (typed without diacritics, or with another
    # tone placement), most named first; ``name`` is the one shown when only one fits.
    candidates: tuple[FacetCount, ...] = ()
    asked: str = ""  # the name as asked, when ``name`` was resolved from it
    places: tuple[PlaceCount, ...] = ()  # units named in the person's articles, most first

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "asked": self.asked or self.name,
            "total": self.total,
            "months": [{"value": f.value, "count": f.count} for f in self.months],
            "co_mentioned": [{"value": f.value, "count": f.count} for f in self.co_mentioned],
            "candidates": [{"value": f.value, "count": f.count} for f in self.candidates],
            "places": [p.to_dict() for p in self.places],
        }


@dataclass(frozen=True)
class PlaceCount:
    """A unit and how many articles (of some set) name it."""

    ref: PlaceRef
    count: int

    def to_dict(self) -> dict:
        return {**self.ref.to_dict(), "key": self.ref.key, "count": self.count}


@dataclass(frozen=True)
class PlaceStats:
    """One unit's page: its names over time, coverage per month, people named with it."""

    unit: PlaceRef
    total: int  # articles naming the unit (with ``history``: or a related unit)
    months: tuple[FacetCount, ...]
    co_mentioned: tuple[FacetCount, ...]  # people most often named with it
    related: tuple[PlaceCount, ...]  # units of the other register, with their own counts
    history: bool = False

    def to_dict(self) -> dict:
        return {
            **self.unit.to_dict(),
            "key": self.unit.key,
            "total": self.total,
            "history": self.history,
            "months": [f.to_dict() for f in self.months],
            "co_mentioned": [f.to_dict() for f in self.co_mentioned],
            "related": [p.to_dict() for p in self.related],
        }


class SearchEngine(Protocol):
    """What every engine behind tracuu provides."""

    def add(self, articles: Iterable[Article]) -> int:
        """Add or replace articles (keyed by url); returns how many were written."""

    def search(self, query: SearchQuery) -> SearchPage: ...

    def count(self, query: SearchQuery) -> int:
        """How many articles match ``query`` (its page, sort and facets aside)."""

    def get(self, url: str) -> Article | None: ...

    def stats(self) -> IndexStats: ...

    def iter_results(self, query: SearchQuery) -> Iterator[SearchHit]:
        """Every hit of ``query`` in its sort order, ignoring page/per_page (for exports).

        Hits carry no snippet (``snippet == ""``) and are read from one snapshot of the
        index, so an export is consistent even if the index changes meanwhile.
        """

    def more_like_this(self, url: str, k: int = 5) -> list[SearchHit]:
        """Up to ``k`` other articles most similar to the one at ``url`` (none if unknown)."""

    def person_stats(self, name: str, top: int = 15) -> PersonStats:
        """Mentions of the person ``name`` (exact name as indexed) per month, co-mentions."""

    def place_stats(self, key: str, history: bool = False, top: int = 15) -> PlaceStats | None:
        """The unit ``key`` ("register:code") as its page shows it; None when not indexed."""

    def place_units(self, keys: Iterable[str]) -> dict[str, PlaceRef]:
        """The indexed units of ``keys`` (unknown keys left out)."""

    def close(self) -> None: ...
