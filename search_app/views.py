"""HTML pages: search, article, person, help. Everything works without JavaScript."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from indexer import QueryError, SearchPage, SearchQuery
from indexer.api import cut_query_text
from indexer.highlight import mark_text, query_keys
from indexer.querylang import parse_query
from search_app import citations
from search_app.engine_handle import engine_of
from search_app.flags import flags_of
from search_app.params import cut_warnings, search_query_from_args
from search_app.person_page import person_articles, person_roles
from search_app.timeline import (
    archive_counts,
    day_bars,
    days_of,
    month_bars,
    one_month,
    timeline_bars,
)
from search_app.versions import latest_diff

bp = Blueprint("ui", __name__)
RELATED_ARTICLES = 5


def _with_args(endpoint: str = "ui.search", **changes) -> str:
    """This page's URL with some parameters changed (permalinks keep every filter)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(endpoint, **args)


@bp.app_context_processor
def _helpers():
    return {"with_args": _with_args}


def _query_or_error() -> tuple[SearchQuery, str | None]:
    """The query to run and a message for the user.

    A bad filter parameter is reported and dropped (the words are still searched); a query
    over MAX_QUERY_CHARS is cut, with a warning (``cut_warnings``).
    """
    try:
        return search_query_from_args(request.args, facets=True, loosen_counts=True), None
    except QueryError as exc:
        text = cut_query_text(request.args.get("q", ""))[0]
        return SearchQuery(text=text, facets=True), str(exc)


@bp.get("/")
def search():
    query, error = _query_or_error()
    engine = engine_of(current_app)
    page = engine.search(query)
    page.warnings[:0] = cut_warnings(request.args)
    return render_template(
        "search.html",
        query=query,
        page=page,
        error=error,
        stats=engine.stats(),
        timeline=_timeline(engine, query, page),
        relative=_relative(),
        hits=[
            (hit, Markup(hit.title_html), Markup(hit.snippet), flags_of(hit.url))
            for hit in page.hits
        ],
    )


def _relative() -> bool:
    """``tuongdoi=1``: the timeline shows each period's share of all the archive's articles."""
    return request.args.get("tuongdoi", "") in ("1", "true")


def _timeline(engine, query: SearchQuery, page: SearchPage) -> list:
    """Years, months, or the days of a one-month filter (each day counted: the month facet
    has no days), absolute or relative to the whole archive."""
    relative = _relative()
    if one_month(query) and page.total:
        days = days_of(query)
        counts = [(d, engine.count(replace(query, date_from=d, date_to=d))) for d in days]
        archive = None
        if relative:
            archive = {
                d.isoformat(): engine.count(SearchQuery(date_from=d, date_to=d)) for d in days
            }
        return day_bars(counts, archive)
    archive = None
    if relative:
        everything = engine.search(SearchQuery(facets=True, per_page=1))
        archive = archive_counts(everything.facets.get("month", []))
    return timeline_bars(page.facets.get("month", []), query, archive)


def _versions_of(url: str):
    source = current_app.config.get("VERSIONS")
    if not callable(source):
        return None
    return latest_diff(source(url) or [])


def _gone_at(url: str):
    """When the archive noticed the original page had disappeared (None while it is live)."""
    source = current_app.config.get("GONE")
    return source(url) if callable(source) else None


@bp.get("/bai-viet")
def article():
    url = request.args.get("url", "").strip()
    if not url:
        abort(404)
    engine = engine_of(current_app)
    found = engine.get(url)
    if found is None:
        abort(404)
    q = cut_query_text(request.args.get("q", ""))[0]
    keys = query_keys(parse_query(q).terms())
    paragraphs = [Markup(mark_text(p, keys)) for p in found.body.split("\n\n") if p.strip()]
    diff = _versions_of(url)
    return render_template(
        "article.html",
        article=found,
        title_html=Markup(mark_text(found.title, keys)),
        sapo_html=Markup(mark_text(found.sapo, keys)),
        paragraphs=paragraphs,
        q=q,
        related=engine.more_like_this(url, RELATED_ARTICLES),
        citation={
            "apa": citations.apa(found),
            "bibtex": citations.bibtex(found),
            "ris": citations.ris(found),
            "meta": citations.highwire_meta(found),
        },
        diff=diff,
        places=list(dict.fromkeys(p.unit for p in found.places if p.unit)),
        unresolved=list(dict.fromkeys(p.mention for p in found.places if not p.unit)),
        gone_at=_gone_at(url),
        diff_title=Markup(diff.title_html) if diff else None,
        diff_body=Markup(diff.body_html) if diff else None,
    )


@bp.get("/trich-dan.<fmt>")
def citation_file(fmt: str):
    """The article's BibTeX or RIS record as a file to save or open in a reference manager."""
    if fmt not in citations.FILES:
        abort(404)
    found = engine_of(current_app).get(request.args.get("url", "").strip())
    if found is None:
        abort(404)
    write, content_type = citations.FILES[fmt]
    filename = f"{citations.citation_key(found)}.{fmt}"
    return Response(
        write(found),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/nhan-vat")
def person():
    name = " ".join(request.args.get("name", "").split())[:200]
    if not name:
        abort(404)
    engine = engine_of(current_app)
    stats = engine.person_stats(name)
    roles, roles_read = person_roles(engine, stats.name) if stats.total else ([], 0)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "person.html",
        name=stats.name,
        stats=stats,
        bars=month_bars(list(stats.months)),
        roles=roles,
        roles_read=roles_read,
        articles=person_articles(engine, stats.name, page_number) if stats.total else None,
    )


@bp.get("/huong-dan")
def help_page():
    return render_template("help_query.html")
