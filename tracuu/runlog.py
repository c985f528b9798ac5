"""What scheduled runs leave behind: exit codes, a JSON report and one log line per run."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.article import now_vietnam
from tracuu import pipeline

# Exit codes a scheduler (cron, systemd, a container supervisor) can act on.
EXIT_OK = 0
EXIT_USAGE = 2  # bad arguments or sources file
EXIT_LOCKED = 3  # another run holds <data>/update.lock
EXIT_CRAWL_FAILED = 4  # the crawl (or WARC re-extraction) failed as a whole
EXIT_INDEX_FAILED = 5  # the index could not be updated, built or verified
EXIT_STORAGE = 6  # the data directory cannot be written: disk full, read-only, no permission

LOG_NAME = "update.log"
# Test hook: TRACUU_PAUSE_AT=<checkpoint> makes a run stop there (after writing
# <data>/paused-<checkpoint>) until it is killed, so tests can kill it at a known moment.
PAUSE_ENV = "TRACUU_PAUSE_AT"


@dataclass
class RunResult:
    """The outcome of one update/reindex run: exit code, reason, and the JSON report."""

    kind: str
    code: int = EXIT_OK
    reason: str = ""
    report: dict[str, Any] = field(default_factory=dict)
    report_path: Path | None = None
    began: float = field(default_factory=time.monotonic)

    def fail(self, code: int, reason: str) -> RunResult:
        if self.code == EXIT_OK:  # the first failure is the one to act on
            self.code, self.reason = code, reason
        return self

    @property
    def ok(self) -> bool:
        return self.code == EXIT_OK


def checkpoint(data_dir: Path, name: str) -> None:
    """Pause here forever when the test hook asks for this checkpoint."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    (Path(data_dir) / f"paused-{name}").write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(60)


def finish_run(data_dir: Path, result: RunResult, summary: str) -> RunResult:
    """Write the JSON report and append the run's one log line."""
    result.report.update(
        {
            "kind": result.kind,
            "exit_code": result.code,
            "reason": result.reason,
            "finished": now_vietnam().isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - result.began, 3),
        }
    )
    result.report_path = pipeline.write_report(data_dir, result.kind, result.report)
    status = "ok" if result.ok else f"LỖI({result.code}) {result.reason}"
    line = (
        f"{now_vietnam().isoformat(timespec='seconds')} {result.kind} {status} | {summary}"
        f" | {result.report['duration_s']:.1f}s | {result.report_path.name}"
    )
    log = Path(data_dir) / LOG_NAME
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(" ".join(line.split()) + "\n")  # exactly one line, whatever the reason holds
    return result
