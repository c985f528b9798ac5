"""JSON API. Every error has one shape: {"error": {"status": N, "message": "..."}}.

Described by /api/openapi.json (search_app/static/openapi.json, kept in step by a test).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request

from indexer import QueryError, SearchQuery
from indexer.api import cut_query_text
from search_app.captures import capture_dicts
from search_app.engine_handle import engine_of
from search_app.errors import error_response
from search_app.flags import hit_dict
from search_app.params import cut_warnings, search_query_from_args
from search_app.place_page import article_places, place_key

bp = Blueprint("api", __name__)
OPENAPI_FILE = Path(__file__).parent / "static" / "openapi.json"
MAX_NAME_CHARS = 200


@bp.errorhandler(QueryError)
def _bad_query(exc: QueryError):
    return error_response(400, str(exc))


@bp.get("/search")
def search():
    query = search_query_from_args(request.args)
    page = engine_of(current_app).search(query)
    page.warnings[:0] = cut_warnings(request.args)
    data = page.to_dict()
    data["results"] = [hit_dict(hit) for hit in page.hits]
    return jsonify(data)


@bp.get("/article")
def article():
    url = request.args.get("url", "").strip()
    if not url:
        raise QueryError("Thiếu tham số url.")
    engine = engine_of(current_app)
    found = engine.get(url)
    if found is None:
        return error_response(404, "Không có bài viết với địa chỉ này trong chỉ mục.")
    data = found.to_dict()
    data.update(article_places(found))
    data["related"] = [{"url": h.url, "title": h.title} for h in engine.more_like_this(url, 5)]
    data["captures"] = capture_dicts(url)  # newest first; none for imported articles
    return jsonify(data)


@bp.get("/person")
def person():
    name = " ".join(request.args.get("name", "").split())
    if not name:
        raise QueryError("Thiếu tham số name.")
    if len(name) > MAX_NAME_CHARS:
        raise QueryError(f"Tên quá dài (tối đa {MAX_NAME_CHARS} ký tự).")
    return jsonify(engine_of(current_app).person_stats(name).to_dict())


@bp.get("/place")
def place():
    key = place_key(request.args.get("key", ""))
    history = request.args.get("history", "").strip().lower() in ("1", "true", "yes")
    stats = engine_of(current_app).place_stats(key, history=history)
    if stats is None:
        return error_response(404, "Không có địa danh với khóa này trong chỉ mục.")
    return jsonify(stats.to_dict())


@bp.get("/suggest")
def suggest():
    text = cut_query_text(request.args.get("q", ""))[0]
    page = engine_of(current_app).search(SearchQuery(text=text, per_page=1))
    return jsonify({"query": text, "suggestion": page.suggestion})


@bp.get("/stats")
def stats():
    info = engine_of(current_app).stats()
    return jsonify(
        {
            "documents": info.documents,
            "generation": info.generation,
            "updated_at": info.updated_at.isoformat() if info.updated_at else None,
            "schema_version": info.schema_version,
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))
