"""The article archive: every extracted or imported Article, with all its versions.

One SQLite file per data directory. The index is always rebuildable from here (and from the
raw WARC captures), so the store, not the index, is the record of what tracuu holds.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from crawler.article import Article, now_vietnam

PutOutcome = Literal["new", "changed", "unchanged"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    latest INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    gone_at TEXT,
    indexed_hash TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (url, version)
);
"""


@dataclass(frozen=True)
class StoredVersion:
    version: int
    recorded_at: datetime
    article: Article


class ArticleStore:
    """SQLite archive of Articles keyed by canonical URL, keeping every distinct version."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        """``read_only``: never write, not even SQLite's WAL files, so `tracuu check` and
        `tracuu serve` work on an archive mounted read-only (or on a full disk)."""
        self.path = Path(path)
        self._lock = threading.Lock()
        if read_only:
            self._db = _open_read_only(self.path)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def put(self, article: Article, origin: str = "crawl", *, seen_live: bool = True) -> PutOutcome:
        """Record an article; a different content hash becomes a new version, never an overwrite.

        ``seen_live`` (the page was just fetched) clears a "gone" mark; re-extracting an old
        capture (``seen_live=False``) must not bring a removed page back to life.
        """
        with self._lock:
            row = self._db.execute(
                "SELECT latest, content_hash FROM articles WHERE url = ?", (article.url,)
            ).fetchone()
            if row and row[1] == article.content_hash:
                if seen_live:
                    self._db.execute(
                        "UPDATE articles SET gone_at = NULL WHERE url = ?", (article.url,)
                    )
                return "unchanged"
            version = row[0] + 1 if row else 1
            now = now_vietnam().isoformat()
            data = json.dumps(article.to_dict(), ensure_ascii=False)
            own = not self._db.in_transaction  # inside ``batch()`` the batch commits
            if own:
                self._db.execute("BEGIN")
            try:
                self._db.execute(
                    "INSERT INTO versions VALUES (?, ?, ?, ?, ?)",
                    (article.url, version, article.content_hash, now, data),
                )
                self._db.execute(
                    "INSERT INTO articles (url, latest, content_hash, origin, first_seen)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE"
                    " SET latest = excluded.latest, content_hash = excluded.content_hash"
                    + (", gone_at = NULL" if seen_live else ""),
                    (article.url, version, article.content_hash, origin, now),
                )
                if own:
                    self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            return "changed" if row else "new"

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction around many ``put`` calls (an import's batch): one WAL commit
        instead of one per article. All or nothing: an error rolls the whole batch back.
        Only for a single writing thread (the import)."""
        with self._lock:
            self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            with self._lock:
                self._rollback()
            raise
        with self._lock:
            self._db.execute("COMMIT")

    def _rollback(self) -> None:
        # SQLite rolls back by itself on some errors (SQLITE_FULL): a second ROLLBACK would
        # raise "no transaction is active" and hide the error that matters ("disk is full").
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def mark_gone(self, url: str) -> bool:
        """Note that the page disappeared; the article and its versions are kept."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE articles SET gone_at = ? WHERE url = ? AND gone_at IS NULL",
                (now_vietnam().isoformat(), url),
            )
            return cur.rowcount > 0

    def get(self, url: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT v.data FROM articles a JOIN versions v"
                " ON v.url = a.url AND v.version = a.latest WHERE a.url = ?",
                (url,),
            ).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def versions(self, url: str) -> list[StoredVersion]:
        with self._lock:
            rows = self._db.execute(
                "SELECT version, recorded_at, data FROM versions WHERE url = ? ORDER BY version",
                (url,),
            ).fetchall()
        return [
            StoredVersion(v, datetime.fromisoformat(t), Article.from_dict(json.loads(d)))
            for v, t, d in rows
        ]

    def gone_at(self, url: str) -> datetime | None:
        """When the page was found gone (404/410), or None while it is online."""
        with self._lock:
            row = self._db.execute("SELECT gone_at FROM articles WHERE url = ?", (url,)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def edit_status(self, url: str) -> tuple[datetime | None, datetime | None]:
        """(gone_at, edited_at): when the page was found gone, and when its latest version was
        recorded if it has more than one (None for an article never edited). One query, so a
        whole export can be flagged row by row."""
        with self._lock:
            row = self._db.execute(
                "SELECT a.gone_at, a.latest, v.recorded_at FROM articles a JOIN versions v"
                " ON v.url = a.url AND v.version = a.latest WHERE a.url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None, None
        gone_at = datetime.fromisoformat(row[0]) if row[0] else None
        edited_at = datetime.fromisoformat(row[2]) if row[1] > 1 else None
        return gone_at, edited_at

    def latest_fetched_at(self, url: str) -> datetime | None:
        article = self.get(url)
        return article.fetched_at if article else None

    def urls(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT url FROM articles")}

    def origin_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT origin, COUNT(*) FROM articles GROUP BY origin")
            return {origin: n for origin, n in rows}

    def pending_count(self) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT COUNT(*) FROM articles"
                " WHERE indexed_hash IS NULL OR indexed_hash != content_hash"
            ).fetchone()[0]

    def gone_urls(self) -> set[str]:
        with self._lock:
            rows = self._db.execute("SELECT url FROM articles WHERE gone_at IS NOT NULL")
            return {r[0] for r in rows}

    def iter_latest(self, batch: int = 500) -> Iterator[Article]:
        """Every article's latest version, in URL order, read in batches (bounded memory)."""
        return self._latest_where("1", batch)

    def pending_index(self, batch: int = 500) -> Iterator[Article]:
        """Latest versions not yet in the index (new or changed since the last indexing)."""
        return self._latest_where(
            "a.indexed_hash IS NULL OR a.indexed_hash != a.content_hash", batch
        )

    def _latest_where(self, condition: str, batch: int) -> Iterator[Article]:
        """Latest versions matching a fixed SQL condition, paged by URL (no long-held cursor)."""
        last = ""
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT a.url, v.data FROM articles a JOIN versions v"
                    " ON v.url = a.url AND v.version = a.latest"
                    f" WHERE a.url > ? AND ({condition}) ORDER BY a.url LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            for _url, data in rows:
                yield Article.from_dict(json.loads(data))
            last = rows[-1][0]

    def mark_indexed(self, versions: list[tuple[str, str]]) -> None:
        """Remember which version (url, content_hash) of each article the index now holds."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "UPDATE articles SET indexed_hash = ? WHERE url = ?",
                    [(content_hash, url) for url, content_hash in versions],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def mark_all_unindexed(self) -> None:
        with self._lock:
            self._db.execute("UPDATE articles SET indexed_hash = NULL")

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. An archive that does not exist yet reads as empty.

    ``mode=ro`` still sees a writer's commits; where even that cannot open (a WAL database in
    a read-only directory, whose -shm file cannot be created) the file is opened immutable."""
    if not path.exists():
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        db.executescript(_SCHEMA)
        return db
    try:
        return _connect_read_only(path, "mode=ro")
    except sqlite3.OperationalError:
        return _connect_read_only(path, "immutable=1")


def _connect_read_only(path: Path, flags: str) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?{flags}"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        db.execute("SELECT COUNT(*) FROM articles").fetchone()
    except sqlite3.OperationalError:
        db.close()
        raise
    return db
