"""The crawl frontier: per-URL state in SQLite (WAL), so a crawl survives kill -9.

Only the crawl's main thread touches it. Every state change is committed at once; a URL
is marked done only after its WARC record and its Article have been written, so a restart
re-does at most the URLs that were in flight.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KINDS = ("sitemap", "listing", "article", "rss")
_PRIORITY = {"sitemap": 0, "rss": 0, "listing": 1, "article": 2}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',   -- queued | in_progress | done | failed
    outcome TEXT,                           -- what happened in run `run`
    error TEXT,
    run INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    sitemap_lastmod TEXT,                   -- lastmod the sitemap gives now
    fetched_lastmod TEXT,                   -- sitemap lastmod when we last extracted it
    last_fetched TEXT,
    extracted INTEGER NOT NULL DEFAULT 0    -- ever yielded an Article (for "gone")
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(state, priority);
CREATE TABLE IF NOT EXISTS links (
    from_url TEXT NOT NULL, to_url TEXT NOT NULL, kind TEXT NOT NULL, lastmod TEXT,
    PRIMARY KEY (from_url, to_url)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT
);
"""


@dataclass
class QueuedUrl:
    url: str
    source: str
    kind: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    extracted: bool


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Frontier:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a process kill (not a power cut), at far less fsync cost.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.run_id = 0
        self._sources: list[str] = []

    # -- runs ---------------------------------------------------------------------------
    def begin_run(self, sources: Iterable[str]) -> bool:
        """Resume the unfinished run, or start a new one. Returns True when resuming."""
        self._sources = list(sources)
        row = self.db.execute(
            "SELECT id FROM runs WHERE finished IS NULL ORDER BY id DESC"
        ).fetchone()
        if row is not None:
            self.run_id = row["id"]
            self.db.execute("UPDATE urls SET state='queued' WHERE state='in_progress'")
            return True
        self.run_id = self.db.execute("INSERT INTO runs(started) VALUES (?)", (_now(),)).lastrowid
        names = self._sources
        marks = ",".join("?" * len(names))
        # A re-crawl revisits everything we know of these sources (conditionally).
        self.db.execute(
            f"UPDATE urls SET state='queued', outcome=NULL, error=NULL WHERE source IN ({marks})",
            names,
        )
        return False

    def end_run(self) -> None:
        self.db.execute("UPDATE runs SET finished=? WHERE id=?", (_now(), self.run_id))

    def run_started(self) -> str:
        row = self.db.execute("SELECT started FROM runs WHERE id=?", (self.run_id,)).fetchone()
        return row["started"] if row else _now()

    # -- queue --------------------------------------------------------------------------
    def add(self, url: str, source: str, kind: str, *, lastmod: str | None = None) -> bool:
        """Queue a URL unless known; returns True when it is newly queued.

        A known article whose sitemap lastmod equals the one at its last extraction is
        settled at once as "lastmod_unchanged": no request is made for it in this run.
        """
        inserted = self.db.execute(
            "INSERT OR IGNORE INTO urls(url, source, kind, priority, sitemap_lastmod, run) "
            "VALUES (?,?,?,?,?,?)",
            (url, source, kind, _PRIORITY[kind], lastmod, self.run_id),
        ).rowcount
        if inserted or lastmod is None:
            return bool(inserted)
        self.db.execute("UPDATE urls SET sitemap_lastmod=? WHERE url=?", (lastmod, url))
        self.db.execute(
            "UPDATE urls SET state='done', outcome='lastmod_unchanged', run=? "
            "WHERE url=? AND state='queued' AND kind='article' AND extracted=1 "
            "AND fetched_lastmod=?",
            (self.run_id, url, lastmod),
        )
        return False

    def claim(self, limit: int) -> list[QueuedUrl]:
        """Take up to ``limit`` queued URLs (sitemaps, then listings, then articles)."""
        marks = ",".join("?" * len(self._sources))
        # Sitemaps first, alone: their lastmods decide which known articles need no request.
        sitemaps_open = self.db.execute(
            f"SELECT 1 FROM urls WHERE priority=0 AND state IN ('queued','in_progress') "
            f"AND source IN ({marks}) LIMIT 1",
            self._sources,
        ).fetchone()
        rows = self.db.execute(
            f"SELECT * FROM urls WHERE state='queued' AND source IN ({marks}) AND priority<=? "
            "ORDER BY priority, rowid LIMIT ?",
            (*self._sources, 0 if sitemaps_open else 2, limit),
        ).fetchall()
        claimed = []
        for row in rows:
            self.db.execute("UPDATE urls SET state='in_progress' WHERE url=?", (row["url"],))
            claimed.append(
                QueuedUrl(
                    row["url"],
                    row["source"],
                    row["kind"],
                    row["etag"],
                    row["last_modified"],
                    row["content_hash"],
                    bool(row["extracted"]),
                )
            )
        return claimed

    def pending(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM urls WHERE state IN ('queued','in_progress')"
        ).fetchone()[0]

    def fetched_count(self, source: str) -> int:
        """URLs of a source settled in this run (for max_pages)."""
        return self.db.execute(
            "SELECT count(*) FROM urls WHERE source=? AND run=? AND state IN ('done','failed')",
            (source, self.run_id),
        ).fetchone()[0]

    def finish(
        self,
        url: str,
        outcome: str,
        *,
        failed: bool = False,
        error: str = "",
        attempts: int = 0,
        validators: tuple[str | None, str | None] | None = None,
        content_hash: str | None = None,
        extracted: bool = False,
    ) -> None:
        """Settle a URL for this run. ``validators`` = (etag, last_modified) to remember."""
        sets = ["state=?", "outcome=?", "error=?", "run=?", "attempts=attempts+?", "last_fetched=?"]
        values: list[object] = ["failed" if failed else "done", outcome, error or None]
        values += [self.run_id, attempts, _now()]
        if validators is not None:
            sets += ["etag=?", "last_modified=?"]
            values += list(validators)
        if content_hash is not None:
            sets.append("content_hash=?")
            values.append(content_hash)
        if extracted:
            sets += ["extracted=1", "fetched_lastmod=sitemap_lastmod"]
        self.db.execute(f"UPDATE urls SET {', '.join(sets)} WHERE url=?", [*values, url])

    # -- links of listing pages, replayed when the listing answers 304 ------------------------
    def save_links(self, from_url: str, links: list[tuple[str, str, str | None]]) -> None:
        with self.db:
            self.db.execute("DELETE FROM links WHERE from_url=?", (from_url,))
            self.db.executemany(
                "INSERT OR IGNORE INTO links(from_url, to_url, kind, lastmod) VALUES (?,?,?,?)",
                [(from_url, *link) for link in links],
            )

    def links_of(self, from_url: str) -> list[tuple[str, str, str | None]]:
        rows = self.db.execute(
            "SELECT to_url, kind, lastmod FROM links WHERE from_url=?", (from_url,)
        ).fetchall()
        return [(r["to_url"], r["kind"], r["lastmod"]) for r in rows]

    # -- reporting ------------------------------------------------------------------------
    def outcome_counts(self) -> dict[str, dict[str, int]]:
        rows = self.db.execute(
            "SELECT kind, outcome, count(*) AS n FROM urls WHERE run=? AND state IN "
            "('done','failed') GROUP BY kind, outcome",
            (self.run_id,),
        ).fetchall()
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            counts.setdefault(row["kind"], {})[row["outcome"]] = row["n"]
        return counts

    def failures(self) -> dict[str, list[dict[str, str]]]:
        rows = self.db.execute(
            "SELECT url, outcome, error FROM urls WHERE run=? AND state='failed' ORDER BY url",
            (self.run_id,),
        ).fetchall()
        errors: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            errors.setdefault(row["outcome"], []).append(
                {"url": row["url"], "error": row["error"] or ""}
            )
        return errors

    def close(self) -> None:
        self.db.close()
