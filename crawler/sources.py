"""Sources as data: which sites to crawl and how, read from a TOML file.

A source names its start pages, which hosts it may touch, which URL paths are listings,
pagination or articles (regexes on the path), optional sitemaps and RSS feeds, and the CSS
selectors the extractor should prefer. Adding a site is an edit to a TOML file, not code.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.article import is_http_url

SELECTOR_KEYS = ("title", "date", "body", "byline", "category", "drop")


@dataclass
class Source:
    """One site to crawl. Regexes are matched (re.search) against the URL path (+ query)."""

    name: str  # the short key commands use (`--source mau`)
    start_urls: list[str]
    # What readers see: stored in every Article's ``source``, so results, facets, exports and
    # citations say "Cổng TTĐT tỉnh Mẫu", never the key. Defaults to ``name``.
    display_name: str = ""
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
    # The province the source covers ("Hà Tĩnh"): resolves place names the text leaves
    # ambiguous (a bare "xã Tân Lập"); see crawler/places.py.
    province: str = ""

    def __post_init__(self) -> None:
        if not self.allowed_hosts:
            # Default: exactly the hosts the start URLs live on, nothing else.
            hosts = [urlsplit(u).hostname or "" for u in self.start_urls]
            self.allowed_hosts = sorted({h.lower() for h in hosts if h})
        self.allowed_hosts = [h.lower() for h in self.allowed_hosts]

    @property
    def label(self) -> str:
        """The name stored in Articles and shown to readers."""
        return self.display_name.strip() or self.name

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


# -- the schema: what each key of a [[source]] table must hold --------------------------
MAX_DELAY_S = 3600.0  # one request an hour per site is already a crawl that never ends
MAX_PAGES_LIMIT = 10_000_000


@dataclass(frozen=True)
class Rule:
    """One key's type and range (``accepts``), named in Vietnamese for the message
    (``expected``), and an optional check of each value it holds (URL, regex, CSS)."""

    expected: str
    accepts: Callable[[Any], bool]
    each: Callable[[str], str | None] | None = None
    required: bool = False


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_filled_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_filled_texts(value: Any) -> bool:
    return _is_texts(value) and bool(value)


def _is_number_in(low: float, high: float) -> Callable[[Any], bool]:
    # bool is an int in Python, and TOML has inf and nan: neither is a number of seconds.
    def accepts(value: Any) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and low <= value <= high
        )

    return accepts


def _is_integer_in(low: int, high: int) -> Callable[[Any], bool]:
    def accepts(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    return accepts


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool)


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _url_problem(url: str) -> str | None:
    return None if is_http_url(url) else f"không phải URL http(s): {url!r}"


def _regex_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"biểu thức chính quy sai {pattern!r}: {exc}"
    return None


def _province_problem(name: str) -> str | None:
    from crawler.places_register import is_province_name  # late: the register loads on use

    return None if is_province_name(name) else f"không phải tên một tỉnh/thành phố: {name!r}"


def _css_problem(css: str) -> str | None:
    import soupsieve

    try:
        soupsieve.compile(css)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError and others
        return f"bộ chọn CSS sai {css!r}: {exc}"
    return None


_URLS = "một danh sách URL http(s)"
_REGEXES = "một danh sách biểu thức chính quy (chuỗi)"
SOURCE_SCHEMA: dict[str, Rule] = {
    "name": Rule("một chuỗi không rỗng", _is_filled_text, required=True),
    "display_name": Rule("một chuỗi không rỗng", _is_filled_text),
    "start_urls": Rule(_URLS + " không rỗng", _is_filled_texts, _url_problem, required=True),
    "allowed_hosts": Rule("một danh sách tên máy (chuỗi)", _is_texts),
    "listing_patterns": Rule(_REGEXES, _is_texts, _regex_problem),
    "pagination_patterns": Rule(_REGEXES, _is_texts, _regex_problem),
    "article_pattern": Rule("một biểu thức chính quy (chuỗi)", _is_text, _regex_problem),
    "sitemaps": Rule(_URLS, _is_texts, _url_problem),
    "rss": Rule(_URLS, _is_texts, _url_problem),
    "selectors": Rule("một bảng [source.selectors]", _is_table),
    "delay": Rule(f"một số giây từ 0 đến {MAX_DELAY_S:g}", _is_number_in(0, MAX_DELAY_S)),
    "max_pages": Rule(
        f"một số nguyên từ 1 đến {MAX_PAGES_LIMIT}", _is_integer_in(1, MAX_PAGES_LIMIT)
    ),
    "allow_private": Rule("true hoặc false", _is_flag),
    "province": Rule("tên một tỉnh/thành phố (chuỗi)", _is_filled_text, _province_problem),
}
_CSS = "một bộ chọn CSS (chuỗi)"
SELECTOR_SCHEMA: dict[str, Rule] = {
    **{key: Rule(_CSS, _is_text, _css_problem) for key in SELECTOR_KEYS if key != "drop"},
    "drop": Rule("một danh sách bộ chọn CSS (chuỗi)", _is_texts, _css_problem),
}
assert set(SOURCE_SCHEMA) == {f.name for f in fields(Source)}, "schema and Source disagree"


def _table_problems(table: dict[str, Any], schema: dict[str, Rule], prefix: str = "") -> list[str]:
    """Every key of ``table`` against ``schema``: unknown, missing, wrong type or range, bad
    values; ``prefix`` names the enclosing table ("selectors.")."""
    problems = [f"khóa lạ '{prefix}{k}'" for k in table if k not in schema]
    for key, rule in schema.items():
        name = f"khóa '{prefix}{key}'"
        if key not in table:
            if rule.required:
                problems.append(f"thiếu {name}")
            continue
        value = table[key]
        if not rule.accepts(value):
            problems.append(f"{name}: cần {rule.expected}, không phải {value!r}")
            continue
        if rule.each is not None:
            values = value if isinstance(value, list) else [value]
            problems += [f"{name}: {p}" for p in map(rule.each, values) if p]
    return problems


def _entry_problems(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return [f"cần một bảng [[source]], không phải {entry!r}"]
    problems = _table_problems(entry, SOURCE_SCHEMA)
    selectors = entry.get("selectors")
    if isinstance(selectors, dict):
        problems += _table_problems(selectors, SELECTOR_SCHEMA, "selectors.")
    return problems


def _read_toml(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _entries(data: dict[str, Any]) -> list[Any]:
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ValueError("'source' phải là một mảng bảng [[source]]")
    return entries


def source_from_dict(entry: dict[str, Any]) -> Source:
    """Build a Source from one [[source]] table; a table the schema refuses raises ValueError."""
    problems = _entry_problems(entry)
    if problems:
        raise ValueError(f"nguồn {entry.get('name', '?')!r}: " + "; ".join(problems))
    return Source(**entry)


def load_sources(path: str | Path) -> list[Source]:
    """Read every [[source]] from a TOML file. Raises ValueError on a bad file."""
    problems = check_sources(path)
    if problems:
        raise ValueError("; ".join(problems))
    return [source_from_dict(e) for e in _entries(_read_toml(Path(path)))]


def check_sources(path: str | Path) -> list[str]:
    """Every problem in a sources file, each naming the file, the source and the key
    (empty list = fine)."""
    try:
        entries = _entries(_read_toml(Path(path)))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        return [f"{path}: {exc}"]
    if not entries:
        return [f"{path}: không có bảng [[source]] nào"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        label = f"{path}: nguồn #{index} ({name if name is not None else '?'})"
        problems += [f"{label}: {p}" for p in _entry_problems(entry)]
        if isinstance(name, str):
            if name in seen:
                problems.append(f"{label}: tên nguồn bị trùng")
            seen.add(name)
    return problems


def source_provinces(sources: list[Source]) -> dict[str, str]:
    """The province of each source that names one, by the label its Articles carry."""
    return {s.label: s.province for s in sources if s.province}
