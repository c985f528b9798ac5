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

# Caps, as the crawler caps a page at 5 MB: one enormous record must cost neither gigabytes of
# memory nor minutes (people extraction and analysis scale with the text). A line longer than
# MAX_LINE_BYTES is skipped unread; a field longer than its cap is cut, and the cut reported.
MAX_LINE_BYTES = 16 * 1024 * 1024
FIELD_CAPS = {
    "title": 1_000,
    "sapo": 10_000,
    "body": 1_000_000,  # characters; a long article is 50,000
    "author": 500,
    "category": 500,
    "source": 500,
}
MAX_PEOPLE = 200
_DRAIN_CHUNK = 64 * 1024


@dataclass(frozen=True)
class CutFields:
    """A record imported with fields cut to their caps: what was cut, from what length."""

    path: str
    line: int
    url: str
    cuts: tuple[str, ...]  # "body: 3000000 → 1000000"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} ({self.url}): " + ", ".join(self.cuts)


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


def cap_fields(record: Any) -> tuple[Any, tuple[str, ...]]:
    """The record with over-long text fields and people lists cut to their caps, and what
    was cut. Cut before the Article is built: NFC and analysis never see the excess."""
    if not isinstance(record, dict):
        return record, ()  # article_from_record says what is wrong with it
    capped, cuts = dict(record), []
    for name, cap in FIELD_CAPS.items():
        value = capped.get(name)
        if isinstance(value, str) and len(value) > cap:
            capped[name] = value[:cap]
            cuts.append(f"{name}: {len(value)} → {cap}")
    people = capped.get("people")
    if isinstance(people, list) and len(people) > MAX_PEOPLE:
        capped["people"] = people[:MAX_PEOPLE]
        cuts.append(f"people: {len(people)} → {MAX_PEOPLE}")
    return capped, tuple(cuts)


def read_articles(path: str | Path) -> Iterator[Article | BadLine | CutFields]:
    """Each line's Article, or a BadLine saying why that line was skipped; a CutFields
    notice comes just before an Article whose fields were cut to their caps."""
    path = Path(path)
    with open_bytes(path) as fh:
        lineno = 0
        while True:
            lineno += 1
            try:
                raw = fh.readline(MAX_LINE_BYTES + 1)
                if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                    _skip_rest_of_line(fh)
                    yield BadLine(str(path), lineno, f"dòng dài quá {MAX_LINE_BYTES} byte")
                    continue
            except (EOFError, OSError) as exc:  # truncated or corrupt gzip stream
                yield BadLine(str(path), lineno, f"tệp nén hỏng, dừng đọc tệp: {exc}")
                return
            if not raw:
                return
            yield from _parse_line(path, lineno, raw)


def _skip_rest_of_line(fh) -> None:  # noqa: ANN001 - a binary file
    """Read past the end of this line in small pieces: memory stays flat."""
    while True:
        piece = fh.readline(_DRAIN_CHUNK)
        if not piece or piece.endswith(b"\n"):
            return


def _parse_line(path: Path, lineno: int, raw: bytes) -> Iterator[Article | BadLine | CutFields]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield BadLine(str(path), lineno, f"không phải UTF-8: {exc.reason}")
        return
    line = line.lstrip("\ufeff")  # a BOM some editors write at the start of the file
    if not line.strip():
        return
    try:
        record, cuts = cap_fields(json.loads(line))
        article = article_from_record(record)
    except json.JSONDecodeError as exc:
        yield BadLine(str(path), lineno, f"không phải JSON: {exc.msg} (cột {exc.colno})")
    except (ValueError, TypeError) as exc:
        yield BadLine(str(path), lineno, str(exc))
    else:
        if cuts:
            yield CutFields(str(path), lineno, article.url, cuts)
        yield article
