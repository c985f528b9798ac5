"""JSON API. Every error has one shape: {"error": {"status": N, "message": "..."}}."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from indexer import QueryError, SearchQuery
from search_app.app import engine_of, error_response
from search_app.params import search_query_from_args

bp = Blueprint("api", __name__)


@bp.errorhandler(QueryError)
def _bad_query(exc: QueryError):
    return error_response(400, str(exc))


@bp.get("/search")
def search():
    query = search_query_from_args(request.args)
    page = engine_of(current_app).search(query)
    return jsonify(page.to_dict())


@bp.get("/article")
def article():
    url = request.args.get("url", "").strip()
    if not url:
        raise QueryError("Thiếu tham số url.")
    found = engine_of(current_app).get(url)
    if found is None:
        return error_response(404, "Không có bài viết với địa chỉ này trong chỉ mục.")
    return jsonify(found.to_dict())


@bp.get("/suggest")
def suggest():
    text = request.args.get("q", "")
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
