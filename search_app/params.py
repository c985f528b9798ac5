"""Read search parameters from a request's query string into our SearchQuery."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from indexer.api import MAX_PER_PAGE, QueryError, SearchQuery, cut_query_text

DEFAULT_PER_PAGE = 10


def _int(args: MultiDict, name: str, default: int, label: str) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"Tham số {label} phải là số nguyên (nhận được {raw!r}).") from None


def _date(args: MultiDict, name: str, label: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryError(f"{label} phải có dạng YYYY-MM-DD (nhận được {raw!r}).") from None


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in args.getlist(name) if v.strip())


def _flag_off(args: MultiDict, name: str) -> bool:
    """``lien=0`` / ``dau=0``: the loosened readings the results page offers."""
    return args.get(name, "").strip().lower() in ("0", "false", "no", "khong")


def _flag_on(args: MultiDict, name: str) -> bool:
    return args.get(name, "").strip().lower() in ("1", "true", "yes", "co", "on")


def _default_sort(args: MultiDict) -> str:
    """Relevance ranks matches; with no words to rank by, the archive browses newest first."""
    return "relevance" if args.get("q", "").strip() else "newest"


def search_query_from_args(
    args: MultiDict, *, facets: bool = False, loosen_counts: bool = False
) -> SearchQuery:
    """Raises QueryError (shown to the user, 400 in the API) on a bad parameter. A query over
    MAX_QUERY_CHARS is cut (``cut_warnings`` says so), never refused."""
    return SearchQuery(
        text=cut_query_text(args.get("q", ""))[0],
        page=_int(args, "page", 1, "page"),
        per_page=_int(args, "per_page", DEFAULT_PER_PAGE, "per_page"),
        sort=args.get("sort", "") or _default_sort(args),
        date_from=_date(args, "from", "Ngày bắt đầu (from)"),
        date_to=_date(args, "to", "Ngày kết thúc (to)"),
        sources=_values(args, "source"),
        categories=_values(args, "category"),
        people=_values(args, "person"),
        places=_places(args),
        provinces=_values(args, "province"),
        history=_flag_on(args, "history"),
        facets=facets or args.get("facets", "") in ("1", "true", "yes"),
        group_words=not _flag_off(args, "lien"),
        exact_accents=not _flag_off(args, "dau"),
        loosen_counts=loosen_counts or args.get("loosen_counts", "") in ("1", "true", "yes"),
    )


def _places(args: MultiDict) -> tuple[str, ...]:
    """``place=`` values; one given but empty is an error (not silently "every place")."""
    given = args.getlist("place")
    if any(not v.strip() for v in given):
        raise QueryError("Tham số place không được để trống.")
    return tuple(" ".join(v.split()) for v in given)


def cut_warnings(args: MultiDict) -> list[str]:
    """The warning for a query cut to its first MAX_QUERY_CHARS characters, if it was."""
    warning = cut_query_text(args.get("q", ""))[1]
    return [warning] if warning else []


__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "cut_warnings", "search_query_from_args"]
