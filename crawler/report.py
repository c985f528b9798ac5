"""CrawlReport: what a crawl run did, counted from the frontier (so it survives restarts)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Article outcomes that mean "we have it and it did not change".
UNCHANGED_OUTCOMES = ("unchanged", "not_modified", "lastmod_unchanged")


@dataclass
class CrawlReport:
    run_id: int
    started: str
    finished: str
    duration_s: float
    resumed: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> outcome -> n
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # reason -> urls
    requests: int = 0
    warc_files: list[str] = field(default_factory=list)
    path: Path | None = None

    def _article(self, *outcomes: str) -> int:
        counts = self.counts.get("article", {})
        return sum(counts.get(o, 0) for o in outcomes)

    @property
    def new(self) -> int:
        return self._article("new")

    @property
    def changed(self) -> int:
        return self._article("changed")

    @property
    def unchanged(self) -> int:
        return self._article(*UNCHANGED_OUTCOMES)

    @property
    def gone(self) -> int:
        return self._article("gone")

    @property
    def error_count(self) -> int:
        return sum(len(urls) for urls in self.errors.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "started": self.started,
            "finished": self.finished,
            "duration_s": round(self.duration_s, 3),
            "resumed": self.resumed,
            "articles": {
                "new": self.new,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "gone": self.gone,
            },
            "counts": self.counts,
            "errors": self.errors,
            "requests": self.requests,
            "warc_files": self.warc_files,
        }

    def summary(self) -> str:
        """One Vietnamese line for people."""
        return (
            f"Thu thập xong trong {self.duration_s:.1f} giây: {self.new} bài mới, "
            f"{self.changed} bài thay đổi, {self.unchanged} bài không đổi, {self.gone} bài đã gỡ, "
            f"{self.error_count} lỗi, {self.requests} yêu cầu HTTP."
        )

    def write(self, reports_dir: Path) -> Path:
        reports_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = reports_dir / f"crawl-{stamp}.json"
        self.path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), "utf-8")
        return self.path
