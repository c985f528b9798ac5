"""The place page (/noi/<key>): one administrative unit's names over time, its coverage per
month, the people most often named with it and its latest articles; and the places of an
article as the API and the article page list them.

Everything comes from the index (``engine.place_stats``, searches with ``place=``): the unit's
names, types and the units it was merged into or from are those the indexed articles carry.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, render_template, request

from indexer import QueryError, SearchEngine, SearchQuery
from indexer.api import Article  # the engine API's article type (search_app imports no crawler)
from indexer.places import register_label, unit_label
from search_app.engine_handle import engine_of
from search_app.timeline import month_bars

bp = Blueprint("places", __name__)
ARTICLES_PER_PAGE = 20
MERGER_DATE_TEXT = "1/7/2025"
KEY = re.compile(r"^(pre-2025|2025):[^\s:]{1,40}$")


def place_key(raw: str) -> str:
    """A unit key ("2025:12345", "pre-2025:44") from a request, or QueryError."""
    key = raw.strip()
    if not key:
        raise QueryError("Thiếu tham số key (dạng 2025:MÃ hoặc pre-2025:MÃ).")
    if not KEY.match(key):
        raise QueryError(f"Khóa địa danh «{key[:60]}» không hợp lệ: dạng 2025:MÃ hoặc pre-2025:MÃ.")
    return key


def article_places(article: Article) -> dict[str, list[dict]]:
    """``places``: the units the article names, once each (name, type, code, province,
    register); ``place_mentions``: every mention as written, with its offset in the body and
    its unit's key (null when it could not be resolved: kept as text, never guessed)."""
    units = dict.fromkeys(p.unit for p in article.places if p.unit is not None)
    return {
        "places": [u.to_dict() for u in units],
        "place_mentions": [
            {"mention": p.mention, "start": p.start, "key": p.unit.key if p.unit else None}
            for p in article.places
        ],
    }


def place_articles(engine: SearchEngine, key: str, history: bool, page: int):
    """One page of the unit's articles, newest first."""
    query = SearchQuery(
        places=(key,), history=history, sort="newest", per_page=ARTICLES_PER_PAGE, page=page
    )
    return engine.search(query)


def _history_flag() -> bool:
    return request.args.get("history", "").strip().lower() in ("1", "true", "co")


@bp.get("/noi/<path:key>")
def place(key: str):
    try:
        key = place_key(key)
    except QueryError:
        abort(404)
    engine = engine_of(current_app)
    history = _history_flag()
    stats = engine.place_stats(key, history=history)
    if stats is None:
        abort(404)
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "place.html",
        stats=stats,
        unit=stats.unit,
        history=history,
        merger_date=MERGER_DATE_TEXT,
        register_label=register_label,
        unit_label=unit_label,
        bars=month_bars(list(stats.months)),
        articles=place_articles(engine, key, history, page_number) if stats.total else None,
    )


__all__ = ["ARTICLES_PER_PAGE", "article_places", "bp", "place_articles", "place_key"]
