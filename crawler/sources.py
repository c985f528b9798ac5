"""Sources as data: which sites to crawl and how, read from a TOML file.

A source names its start pages, which hosts it may touch, which URL paths are listings,
pagination or articles (regexes on the path), optional sitemaps and RSS feeds, and the CSS
selectors the extractor should prefer. Adding a site is an edit to a TOML file, not code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.article import is_http_url

SELECTOR_KEYS = ("title", "date", "body", "byline", "category", "drop")


@dataclass
class Source:
    """One site to crawl. Regexes are matched (re.search) against the URL path (+ query)."""

    name: str
    start_urls: list[str]
    allowed_hosts: list[str] = field(default_factory=list)
    listing_patterns: list[str] = field(default_factory=list)
    pagination_patterns: list[str] = field(default_factory=list)
    article_pattern: str = ""
    sitemaps: list[str] = field(default_factory=list)
    rss: list[str] = field(default_factory=list)
    selectors: dict[str, Any] = field(default_factory=dict)
    delay: float | None = None
    max_pages: int = 10_000
    allow_private: bool = False

    def __post_init__(self) -> None:
        if not self.allowed_hosts:
            # Default: exactly the hosts the start URLs live on, nothing else.
            hosts = [urlsplit(u).hostname or "" for u in self.start_urls]
            self.allowed_hosts = sorted({h.lower() for h in hosts if h})
        self.allowed_hosts = [h.lower() for h in self.allowed_hosts]

    def is_article(self, path: str) -> bool:
        return bool(self.article_pattern) and re.search(self.article_pattern, path) is not None

    def is_listing(self, path: str) -> bool:
        patterns = self.listing_patterns + self.pagination_patterns
        return any(re.search(p, path) for p in patterns)

    def extract_selectors(self) -> Any:
        """The source's selectors as crawler.extract.Selectors, or None when none are set."""
        if not self.selectors:
            return None
        from crawler.extract import Selectors  # late: extract.py is optional for discovery

        values = {k: self.selectors.get(k) for k in SELECTOR_KEYS}
        values["drop"] = list(values["drop"] or [])
        return Selectors(**values)


_FIELD_NAMES = {f.name for f in fields(Source)}


def _read_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ValueError("'source' must be an array of tables: [[source]]")
    return entries


def source_from_dict(entry: dict[str, Any]) -> Source:
    """Build a Source from one [[source]] table; unknown keys raise ValueError."""
    unknown = sorted(set(entry) - _FIELD_NAMES)
    if unknown:
        raise ValueError(f"unknown key(s) {unknown} in source {entry.get('name', '?')!r}")
    if not entry.get("name") or not entry.get("start_urls"):
        raise ValueError("every source needs 'name' and 'start_urls'")
    return Source(**entry)


def load_sources(path: str | Path) -> list[Source]:
    """Read every [[source]] from a TOML file. Raises ValueError on a bad file."""
    problems = check_sources(path)
    if problems:
        raise ValueError("; ".join(problems))
    return [source_from_dict(e) for e in _entries(_read_toml(Path(path)))]


def check_sources(path: str | Path) -> list[str]:
    """Every problem found in a sources file, as readable sentences (empty list = fine)."""
    try:
        data = _read_toml(Path(path))
        entries = _entries(data)
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        return [f"{path}: {exc}"]
    if not entries:
        return [f"{path}: no [[source]] entries"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, 1):
        label = f"source #{index} ({entry.get('name', '?')})"
        problems += [f"{label}: {p}" for p in _entry_problems(entry)]
        if entry.get("name") in seen:
            problems.append(f"{label}: duplicate name")
        seen.add(entry.get("name"))
    return problems


def _entry_problems(entry: dict[str, Any]) -> list[str]:
    problems = [f"unknown key {k!r}" for k in sorted(set(entry) - _FIELD_NAMES)]
    if not entry.get("name"):
        problems.append("missing 'name'")
    if not entry.get("start_urls"):
        problems.append("missing 'start_urls'")
    for key in ("start_urls", "sitemaps", "rss"):
        for url in _as_list(entry.get(key)):
            if not is_http_url(url):
                problems.append(f"{key}: not an http(s) URL: {url!r}")
    patterns = _as_list(entry.get("listing_patterns")) + _as_list(entry.get("pagination_patterns"))
    if entry.get("article_pattern"):
        patterns.append(entry["article_pattern"])
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            problems.append(f"bad regex {pattern!r}: {exc}")
    problems += _selector_problems(entry.get("selectors") or {})
    return problems


def _selector_problems(selectors: dict[str, Any]) -> list[str]:
    import soupsieve

    problems = [f"unknown selector key {k!r}" for k in sorted(set(selectors) - set(SELECTOR_KEYS))]
    for key, value in selectors.items():
        for css in _as_list(value):
            try:
                soupsieve.compile(css)
            except Exception as exc:  # soupsieve raises SelectorSyntaxError and others
                problems.append(f"selectors.{key}: bad CSS selector {css!r}: {exc}")
    return problems


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
