"""The engine contract: what an engine gives tracuu besides searching, and the registry.

An engine is one ``EngineBackend``: it creates an index at a *target*, writes articles into
it, opens a ``SearchEngine`` over a data directory's live index, and answers the checks run
on a not-yet-live index (document count, URLs, title searches). A target is opaque to every
caller: today an index directory under ``<data_dir>/index/`` (``indexer.location``), for
another engine it may name an index and an alias. Callers use ``indexer``'s functions, which
pick the backend from the registry here by the name the index's meta file records.

The registry knows each engine by name and by the module that defines its ``BACKEND``; the
module is imported only when the engine is used, so an engine library that is not installed
(tantivy is optional) costs nothing until asked for. A new engine is one module and one
``register`` call (tests register an in-memory engine this way).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from crawler.article import Article
from indexer.api import SearchEngine

DEFAULT_ENGINE = "whoosh"


class EngineBackend(ABC):
    """One search engine behind tracuu: everything but searching (``open`` gives that)."""

    name: str  # recorded in each index's meta file; the CLI's --engine choice
    # With a prepared writer: a picklable module-level function, Article → what ``add`` takes.
    prepare: Callable[[Article], Any] | None = None

    @abstractmethod
    def create(self, target: Path) -> None:
        """Create an empty index with tracuu's fields at ``target``."""

    @abstractmethod
    def write(self, target: Path, articles: Iterable[Article], *, fresh: bool = False) -> int:
        """Add or replace (by url) articles at ``target`` in one commit; how many were written.
        ``fresh``: the index was just created and nothing needs replacing."""

    def prepared_writer(self, target: Path, *, fresh: bool) -> PreparedWriter | None:
        """A writer for articles ``prepare``d in other processes (an import's workers), or
        None when the engine has none (``prepare`` None; callers then ``write`` Articles
        after the import). Open it after the workers are forked."""
        return None

    @abstractmethod
    def open(self, data_dir: Path) -> SearchEngine:
        """A search engine over the live index of ``data_dir`` (following switches)."""

    @abstractmethod
    def document_count(self, target: Path) -> int:
        """How many (live) documents the index at ``target`` holds."""

    @abstractmethod
    def urls(self, target: Path) -> set[str]:
        """The URL of every (live) document at ``target``."""

    @abstractmethod
    def find_titles(self, target: Path, titles: Iterable[tuple[str, str]]) -> list[str]:
        """Problems: each (url, title) whose title search at ``target`` does not return an
        article so titled (``indexer.verify.find_titles`` runs the searches)."""


class PreparedWriter(ABC):
    """Writes articles whose analysis ran elsewhere: the backend's ``prepare`` (Article →
    plain values) runs in an import's worker processes, ``add`` takes its result here. One
    commit at the end, as ``EngineBackend.write``."""

    @abstractmethod
    def add(self, prepared: Any, *, replace: bool) -> None:
        """Add one prepared article; ``replace``: delete the URL's older document first."""

    @abstractmethod
    def commit(self) -> int:
        """Make everything added searchable; how many articles were added."""

    @abstractmethod
    def rollback(self) -> None:
        """Drop everything added since the writer opened."""


# name → the module defining BACKEND (imported on first use), or a backend object.
_REGISTRY: dict[str, str | EngineBackend] = {
    "whoosh": "indexer.whoosh_backend",
    "tantivy": "indexer.tantivy_backend",
}


def register(name: str, backend: str | EngineBackend) -> None:
    """Make engine ``name`` available: a backend object, or the module defining ``BACKEND``."""
    _REGISTRY[name] = backend


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def engine_names() -> tuple[str, ...]:
    """Every registered engine, the default first."""
    return (DEFAULT_ENGINE, *(n for n in _REGISTRY if n != DEFAULT_ENGINE))


def backend(name: str) -> EngineBackend:
    """The backend of engine ``name`` (its module imported now if it was not yet)."""
    found = _REGISTRY.get(name)
    if found is None:
        choices = ", ".join(engine_names())
        raise ValueError(f"Không có bộ máy tìm kiếm «{name}» (chọn: {choices}).")
    if isinstance(found, str):
        found = _REGISTRY[name] = importlib.import_module(found).BACKEND
    return found
