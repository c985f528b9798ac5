"""Score extract_article against golden pages: per-field accuracy and body token F1.

A golden page is ``<name>.html`` (raw bytes, decoded with decode_html) and ``<name>.json`` with
the expected fields: title, published (ISO date or datetime, or null), author, sapo, category,
body (full text, where known), body_contains, body_excludes; or ``{"not_article": true}``.
Shared by tests/test_extract_golden.py (which pins floors) and bench/eval_extraction.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.article import Article, parse_iso_datetime
from crawler.encoding import decode_html
from crawler.extract import ExtractionError, extract_article

FIELDS = ("title", "date", "byline", "body_f1", "clean")
_TOKEN_RE = re.compile(r"\w+")


@dataclass
class PageScore:
    name: str
    scores: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def golden_pages(directory: Path) -> list[tuple[str, bytes, dict]]:
    pages = []
    for expected_path in sorted(directory.glob("*.json")):
        html_path = expected_path.with_suffix(".html")
        if html_path.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            pages.append((expected_path.stem, html_path.read_bytes(), expected))
    return pages


def token_f1(expected: str, actual: str) -> float:
    want = Counter(_TOKEN_RE.findall(expected.lower()))
    got = Counter(_TOKEN_RE.findall(actual.lower()))
    overlap = sum((want & got).values())
    if not want and not got:
        return 1.0
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def score_page(name: str, raw: bytes, expected: dict) -> PageScore:
    result = PageScore(name)
    try:
        article = extract_article(decode_html(raw), f"http://golden.test/{name}.html")
    except ExtractionError as exc:
        article = None
        result.problems.append(f"ExtractionError: {exc.reason}")
    if expected.get("not_article"):
        result.scores["rejected"] = 1.0 if article is None or not article.body else 0.0
        return result
    if article is None:
        result.scores = dict.fromkeys(FIELDS, 0.0)
        return result
    _score_fields(article, expected, result)
    return result


def _score_fields(article: Article, expected: dict, result: PageScore) -> None:
    checks = {
        "title": (article.title, expected["title"]),
        "date": (article.published, parse_iso_datetime(expected.get("published"))),
        "byline": (article.author, expected.get("author", "")),
    }
    for key, (got, want) in checks.items():
        result.scores[key] = 1.0 if got == want else 0.0
        if got != want:
            result.problems.append(f"{key}: got {got!r}, want {want!r}")
    if "body" in expected:
        result.scores["body_f1"] = token_f1(expected["body"], article.body)
    missing = [s for s in expected.get("body_contains", []) if s not in article.body]
    leaked = [s for s in expected.get("body_excludes", []) if s in article.body]
    result.scores["clean"] = 0.0 if missing or leaked else 1.0
    result.problems += [f"body lacks {s!r}" for s in missing] + [f"body has {s!r}" for s in leaked]
    for key in ("sapo", "category"):
        if key in expected and getattr(article, key) != expected[key]:
            result.problems.append(f"{key}: got {getattr(article, key)!r}, want {expected[key]!r}")


def summarize(results: list[PageScore]) -> dict[str, float]:
    """Mean of each score over the pages that have it."""
    totals: dict[str, list[float]] = {}
    for result in results:
        for key, value in result.scores.items():
            totals.setdefault(key, []).append(value)
    return {key: sum(values) / len(values) for key, values in totals.items()}


def layout_of(name: str) -> str:
    """Golden pages are named <layout>_<topic>_<n>: the layout is the first word."""
    return name.split("_", 1)[0]


def summarize_by_layout(results: list[PageScore]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[PageScore]] = {}
    for result in results:
        groups.setdefault(layout_of(result.name), []).append(result)
    return {layout: summarize(group) for layout, group in sorted(groups.items())}


def evaluate(directory: Path) -> tuple[list[PageScore], dict[str, float]]:
    results = [score_page(name, raw, expected) for name, raw, expected in golden_pages(directory)]
    return results, summarize(results)
