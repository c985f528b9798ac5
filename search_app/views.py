"""HTML pages: search, article, help. Work without JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from indexer.querylang import parse_query
from markupsafe import Markup

from indexer import QueryError, SearchQuery
from indexer.highlight import mark_text, query_keys
from search_app.app import engine_of
from search_app.params import search_query_from_args
from search_app.timeline import timeline_bars

bp = Blueprint("ui", __name__)


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


@bp.get("/")
def search():
    error = None
    try:
        query = search_query_from_args(request.args, facets=True)
    except QueryError as exc:
        error = str(exc)
        query = SearchQuery(text=request.args.get("q", "")[:500], facets=True)
    engine = engine_of(current_app)
    page = engine.search(query)
    return render_template(
        "search.html",
        query=query,
        page=page,
        error=error,
        stats=engine.stats(),
        timeline=timeline_bars(page.facets.get("month", []), query),
        hits=[(hit, Markup(hit.title_html), Markup(hit.snippet)) for hit in page.hits],
    )


@bp.get("/bai-viet")
def article():
    url = request.args.get("url", "").strip()
    if not url:
        abort(404)
    found = engine_of(current_app).get(url)
    if found is None:
        abort(404)
    keys = query_keys(parse_query(request.args.get("q", "")).terms())
    paragraphs = [Markup(mark_text(p, keys)) for p in found.body.split("\n\n") if p.strip()]
    return render_template(
        "article.html",
        article=found,
        title_html=Markup(mark_text(found.title, keys)),
        sapo_html=Markup(mark_text(found.sapo, keys)),
        paragraphs=paragraphs,
        q=request.args.get("q", ""),
    )


@bp.get("/huong-dan")
def help_page():
    return render_template("help_query.html")
