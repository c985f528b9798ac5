"""The Flask application factory."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from crawler.article import is_http_url
from indexer import IndexMissingError, IndexVersionError, QueryError, SearchEngine, open_engine
from indexer.places import unit_label
from search_app.formatting import vn_date, vn_number
from search_app.reading_text import field_label, place_reading, reading_summary, unit_help

SECURITY_HEADERS = {
    # Nothing is loaded from outside the server; no inline scripts.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class EngineHolder:
    """Opens the engine on first use, so the app starts (and says why) even without an index."""

    def __init__(self, data_dir: Path, engine: SearchEngine | None = None) -> None:
        self.data_dir = data_dir
        self._engine = engine
        self._lock = threading.Lock()

    def get(self) -> SearchEngine:
        with self._lock:
            if self._engine is None:
                self._engine = open_engine(self.data_dir)
            return self._engine


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Config keys: DATA_DIR (default $TRACUU_DATA or ./tracuu-data), ENGINE."""
    app = Flask(__name__)
    app.config["DATA_DIR"] = os.environ.get("TRACUU_DATA", "tracuu-data")
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.config.update(config or {})
    holder = EngineHolder(Path(app.config["DATA_DIR"]), app.config.get("ENGINE"))
    app.extensions["tracuu_engine"] = holder

    from search_app.advanced import bp as advanced_bp
    from search_app.api import bp as api_bp
    from search_app.export import bp as export_bp
    from search_app.place_page import bp as places_bp
    from search_app.sources_page import bp as sources_bp
    from search_app.views import bp as ui_bp

    app.register_blueprint(ui_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(export_bp)
    app.register_blueprint(sources_bp)
    app.register_blueprint(advanced_bp)
    app.register_blueprint(places_bp)
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_number"] = vn_number
    app.jinja_env.filters["unit_help"] = unit_help
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["reading_summary"] = reading_summary
    app.jinja_env.filters["place_reading"] = place_reading
    app.jinja_env.filters["unit_label"] = unit_label
    # An index built before URLs were checked may still hold javascript:/data: URLs.
    app.jinja_env.tests["http_url"] = is_http_url
    _register_error_handlers(app)

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def engine_of(app: Flask) -> SearchEngine:
    return app.extensions["tracuu_engine"].get()


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str):
    """The one error shape: JSON under /api/, a Vietnamese page elsewhere."""
    if wants_json():
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def _register_error_handlers(app: Flask) -> None:
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
