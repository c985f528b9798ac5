"""Downloads of a result set: CSV / JSON exports and an Atom feed per query.

An export streams the COMPLETE result set from the engine (``iter_results``), never one
page of it, and records which query produced it and when: a journalist must be able to
say later where a spreadsheet came from.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from flask import Blueprint, Response, current_app, request, url_for

from crawler.article import VN_TZ
from indexer import QueryError, SearchHit, SearchQuery
from search_app.app import engine_of
from search_app.atom import atom_feed
from search_app.params import search_query_from_args

bp = Blueprint("export", __name__)

CSV_COLUMNS = ("url", "title", "published", "source", "category", "author", "people")
FEED_ENTRIES = 30
# Spreadsheet apps run cells starting with these as formulas (CSV injection, OWASP's list).
# Such a cell gets a leading single quote, OWASP's recommendation: spreadsheets show the text
# as typed and hide the quote, where a leading tab would stay visible in the cell.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _describe(query: SearchQuery) -> dict:
    """The query and its filters, as written into an export."""
    return {
        "q": query.text,
        "sort": query.sort,
        "from": query.date_from.isoformat() if query.date_from else None,
        "to": query.date_to.isoformat() if query.date_to else None,
        "source": list(query.sources),
        "category": list(query.categories),
        "person": list(query.people),
    }


def _row(hit: SearchHit) -> dict:
    return {
        "url": hit.url,
        "title": hit.title,
        "published": hit.published.isoformat() if hit.published else None,
        "source": hit.source,
        "category": hit.category,
        "author": hit.author,
        "people": list(hit.people),
    }


def _safe_cell(value) -> str:
    text = "; ".join(value) if isinstance(value, list) else str("" if value is None else value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_line(cells) -> str:
    """One CSV row; every cell, header block included, goes through _safe_cell."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_safe_cell(c) for c in cells])
    return buffer.getvalue()


def csv_stream(query: SearchQuery, hits: Iterator[SearchHit], exported_at: datetime):
    """A UTF-8 CSV (BOM, so spreadsheet apps read Vietnamese right) with a header block."""
    yield "\ufeff"
    yield _csv_line(["# Truy vấn", query.text])
    for name, value in _describe(query).items():
        if name != "q" and value:
            yield _csv_line([f"# {name}", value])
    yield _csv_line(["# Thời điểm xuất", exported_at.isoformat()])
    yield _csv_line(CSV_COLUMNS)
    total = 0
    for hit in hits:
        row = _row(hit)
        yield _csv_line([row[c] for c in CSV_COLUMNS])
        total += 1
    yield _csv_line(["# Tổng số bài", total])


def json_stream(query: SearchQuery, hits: Iterator[SearchHit], exported_at: datetime):
    """{"query", "filters", "exported_at", "results": [...], "total"}, written as it streams."""

    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    yield "{" + f'"query": {dump(query.text)}, "filters": {dump(_describe(query))}, '
    yield f'"exported_at": {dump(exported_at.isoformat())}, "results": ['
    total = 0
    for hit in hits:
        yield ("," if total else "") + "\n" + dump(_row(hit))
        total += 1
    yield f'\n], "total": {total}' + "}\n"


FORMATS = {
    "csv": (csv_stream, "text/csv; charset=utf-8"),
    "json": (json_stream, "application/json; charset=utf-8"),
}


@bp.get("/xuat")
def export():
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise QueryError("Định dạng xuất phải là csv hoặc json.")
    query = search_query_from_args(request.args)
    exported_at = datetime.now(VN_TZ).replace(microsecond=0)
    write, mimetype = FORMATS[fmt]
    hits = engine_of(current_app).iter_results(query)
    filename = f"tracuu-{exported_at:%Y%m%d-%H%M%S}.{fmt}"
    return Response(
        write(query, hits, exported_at),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/feed.atom")
def feed():
    args = request.args.copy()
    args["sort"] = "newest"
    args["page"] = "1"
    args["per_page"] = str(FEED_ENTRIES)
    query = search_query_from_args(args)
    page = engine_of(current_app).search(query)
    search_url = url_for("ui.search", _external=True, **_public_args())
    xml = atom_feed(
        page,
        feed_url=request.url,
        search_url=search_url,
        article_url=lambda url: url_for("ui.article", url=url, _external=True),
    )
    return Response(xml, mimetype="application/atom+xml")


def _public_args() -> dict:
    return {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
