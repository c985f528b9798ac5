"""The one error shape, a leaf every blueprint imports: JSON under /api/, a Vietnamese page
elsewhere, and the handlers that turn every failure into it (bad input is a 400, never a 500)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import IndexMissingError, IndexVersionError, QueryError

# Besides the API, the archive's machine endpoints (pywb's CDX API, Memento's TimeGate and
# TimeMap: search_app.captures) answer errors in JSON; their clients are programs.
JSON_PATHS = ("/api/", "/cdx", "/memento/")


def wants_json() -> bool:
    return request.path.startswith(JSON_PATHS)


def error_response(status: int, message: str):
    """The one error shape: ``{"error": {"status", "message"}}`` under /api/, a page elsewhere."""
    if wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(IndexMissingError)
    @app.errorhandler(IndexVersionError)
    def _index_unavailable(exc):
        return error_response(503, str(exc))

    @app.errorhandler(QueryError)
    def _bad_request(exc: QueryError):
        return error_response(400, str(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {404: "Không tìm thấy trang.", 405: "Phương thức không được hỗ trợ."}
        return error_response(exc.code or 500, messages.get(exc.code, exc.description or ""))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return error_response(500, "Lỗi máy chủ. Vui lòng thử lại sau.")
