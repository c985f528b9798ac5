"""The app's handle on the search engine: a leaf every blueprint imports (never search_app.app).

flaskr's layout: the factory (search_app.app) imports the blueprints and this module; blueprints
import this module and search_app.errors, never the factory.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask

from indexer import SearchEngine, open_engine

EXTENSION_KEY = "tracuu_engine"


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


def install_engine(app: Flask, data_dir: Path, engine: SearchEngine | None = None) -> None:
    """Give ``app`` its engine handle (``engine`` already open, or opened on first request)."""
    app.extensions[EXTENSION_KEY] = EngineHolder(data_dir, engine)


def engine_of(app: Flask) -> SearchEngine:
    """The engine serving ``app`` (``engine_of(current_app)`` in a view)."""
    return app.extensions[EXTENSION_KEY].get()
