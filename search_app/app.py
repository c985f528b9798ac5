"""The Flask application factory (flaskr's layout).

The factory imports the blueprints and the leaves they share (search_app.engine_handle,
search_app.errors); a blueprint never imports this module. A new page: a blueprint module,
registered below.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from crawler.article import is_http_url
from indexer.places import unit_label, unit_where
from search_app.advanced import bp as advanced_bp
from search_app.api import bp as api_bp
from search_app.captures import bp as captures_bp
from search_app.engine_handle import EngineHolder, engine_of, install_engine
from search_app.errors import error_response, register_error_handlers
from search_app.export import bp as export_bp
from search_app.formatting import vn_date, vn_number
from search_app.place_page import bp as places_bp
from search_app.reading_text import field_label, place_reading, reading_summary, unit_help
from search_app.sources_page import bp as sources_bp
from search_app.views import bp as ui_bp

# Their home is now the leaves; still importable from here for code outside search_app.
__all__ = ["EngineHolder", "create_app", "engine_of", "error_response"]

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


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. Config keys: DATA_DIR (default $TRACUU_DATA or ./tracuu-data), ENGINE."""
    app = Flask(__name__)
    app.config["DATA_DIR"] = os.environ.get("TRACUU_DATA", "tracuu-data")
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.config.update(config or {})
    install_engine(app, Path(app.config["DATA_DIR"]), app.config.get("ENGINE"))

    app.register_blueprint(ui_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(export_bp)
    app.register_blueprint(sources_bp)
    app.register_blueprint(advanced_bp)
    app.register_blueprint(captures_bp)
    app.register_blueprint(places_bp)
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_number"] = vn_number
    app.jinja_env.filters["unit_help"] = unit_help
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["reading_summary"] = reading_summary
    app.jinja_env.filters["place_reading"] = place_reading
    app.jinja_env.filters["unit_label"] = unit_label
    app.jinja_env.filters["unit_where"] = unit_where
    # An index built before URLs were checked may still hold javascript:/data: URLs.
    app.jinja_env.tests["http_url"] = is_http_url
    register_error_handlers(app)

    @app.after_request
    def _security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
