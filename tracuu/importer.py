"""Read Article records from JSON Lines files (plain or gzip), line by line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.article import Article, is_http_url


@dataclass(frozen=True)
class BadLine:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def article_from_record(record: dict[str, Any]) -> Article:
    """An Article from our own to_dict() output or a corpus record (date, category_vi, …)."""
    if not isinstance(record, dict):
        raise ValueError("a line must hold a JSON object")
    data = dict(record)
    if data.get("url") and not is_http_url(data["url"]):
        raise ValueError(f"URL không phải http(s): {str(data['url'])[:200]!r}")
    if not data.get("published") and data.get("date"):
        data["published"] = data["date"]
    if data.get("category_vi"):
        data["category"] = data["category_vi"]
    if not data.get("source") and data.get("url"):
        data["source"] = urlsplit(str(data["url"])).hostname or ""
    body = data.get("body")
    if isinstance(body, str) and "\n\n" not in body:
        # Corpus files put one paragraph per line; the contract separates them by a blank line.
        data["body"] = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    return Article.from_dict(data)


def open_bytes(path: Path):
    """Lines are read as bytes and decoded one by one: a bad byte costs one line, not the file."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_articles(path: str | Path) -> Iterator[Article | BadLine]:
    """Each line's Article, or a BadLine saying why that line was skipped."""
    path = Path(path)
    with open_bytes(path) as fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                raw = fh.readline()
            except (EOFError, OSError) as exc:  # truncated or corrupt gzip stream
                yield BadLine(str(path), lineno, f"tệp nén hỏng, dừng đọc tệp: {exc}")
                return
            if not raw:
                return
            yield from _parse_line(path, lineno, raw)


def _parse_line(path: Path, lineno: int, raw: bytes) -> Iterator[Article | BadLine]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield BadLine(str(path), lineno, f"không phải UTF-8: {exc.reason}")
        return
    line = line.lstrip("\ufeff")  # a BOM some editors write at the start of the file
    if not line.strip():
        return
    try:
        yield article_from_record(json.loads(line))
    except json.JSONDecodeError as exc:
        yield BadLine(str(path), lineno, f"không phải JSON: {exc.msg} (cột {exc.colno})")
    except (ValueError, TypeError) as exc:
        yield BadLine(str(path), lineno, str(exc))
