"""Downloads of a result set: CSV / JSON exports and an Atom feed per query.

An export streams the COMPLETE result set from the engine (``iter_results``), never one
page of it, and records which query produced it and when: a journalist must be able to
say later where a spreadsheet came from. A CSV's first row is its header (pandas and
csv.DictReader read it with their defaults); its query and export time are in the response
headers and the file name, the JSON export carries them inline.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from crawler.article import VN_TZ
from indexer import QueryError, SearchHit, SearchQuery
from indexer.api import PlaceRef
from indexer.places import unit_label
from search_app.atom import atom_feed
from search_app.engine_handle import engine_of
from search_app.flags import hit_dict
from search_app.params import search_query_from_args

bp = Blueprint("export", __name__)

# The header row; the JSON export's records have the same keys. Provenance (capture time,
# content hash) and the archive's flags let a spreadsheet row be checked against the archive.
CSV_COLUMNS = (
    "url",
    "title",
    "published",
    "source",
    "category",
    "author",
    "people",
    "places",
    "fetched_at",
    "content_hash",
    "gone_at",
    "edited",
    "edited_at",
)
FEED_ENTRIES = 30
# Spreadsheet apps run cells starting with these as formulas (CSV injection, OWASP's list).
# Such a cell gets a leading single quote, OWASP's recommendation: spreadsheets show the text
# as typed and hide the quote, where a leading tab would stay visible in the cell.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A CSV has no place for the query and the export time but its first row would stop being
# the header (pandas, csv.DictReader): they travel as response headers and in the file name.
HEADER_QUERY = "X-Tracuu-Query"  # percent-encoded UTF-8
HEADER_FILTERS = "X-Tracuu-Filters"  # percent-encoded JSON, as the JSON export's "filters"
HEADER_EXPORTED_AT = "X-Tracuu-Exported-At"  # ISO 8601, Vietnam time


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
        "place": list(query.places),
        "province": list(query.provinces),
        "history": query.history,
        "dau": query.exact_accents,
        "lien": query.group_words,
    }


def _row(hit: SearchHit) -> dict:
    row = hit_dict(hit)
    return {name: row[name] for name in CSV_COLUMNS}


def _cell_item(value) -> str:
    """A list item as a cell shows it: a place as "xã Cẩm Bình (Hà Tĩnh, trước 1/7/2025)"."""
    return unit_label(PlaceRef(**value)) if isinstance(value, dict) else str(value)


def _safe_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = "; ".join(map(_cell_item, value))
    else:
        text = str("" if value is None else value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_line(cells) -> str:
    """One CSV row; every cell goes through _safe_cell."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_safe_cell(c) for c in cells])
    return buffer.getvalue()


def csv_stream(query: SearchQuery, hits: Iterator[SearchHit], exported_at: datetime):
    """A UTF-8 CSV (BOM, so spreadsheet apps read Vietnamese right): the header row first,
    then one row per result. The query and time are in the response headers."""
    yield "\ufeff" + _csv_line(CSV_COLUMNS)
    for hit in hits:
        row = _row(hit)
        yield _csv_line([row[c] for c in CSV_COLUMNS])


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


def _slug(text: str, limit: int = 40) -> str:
    """The query as an ASCII file-name part: "Hà Tĩnh" → "ha-tinh"."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:limit].strip("-")


def export_headers(query: SearchQuery, exported_at: datetime, fmt: str) -> dict[str, str]:
    """Where the export came from, in headers every HTTP client keeps (latin-1 safe)."""
    name = "-".join(p for p in ("tracuu", _slug(query.text), f"{exported_at:%Y%m%d-%H%M%S}") if p)
    filters = json.dumps(_describe(query), ensure_ascii=False)
    return {
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        HEADER_QUERY: quote(query.text, safe=""),
        HEADER_FILTERS: quote(filters, safe=""),
        HEADER_EXPORTED_AT: exported_at.isoformat(),
    }


@bp.get("/xuat")
def export():
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise QueryError("Định dạng xuất phải là csv hoặc json.")
    query = search_query_from_args(request.args)
    exported_at = datetime.now(VN_TZ).replace(microsecond=0)
    write, content_type = FORMATS[fmt]
    hits = engine_of(current_app).iter_results(query)
    # stream_with_context: the rows read the archive's flags through the app config.
    return Response(
        stream_with_context(write(query, hits, exported_at)),
        content_type=content_type,
        headers=export_headers(query, exported_at, fmt),
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
