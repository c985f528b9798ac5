"""Shared helpers for the bench_*.py scripts: machine facts, medians, tables, JSON output.

Every script prints a plain table and writes the same figures as JSON to ``bench/out/``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
FULL_CORPORA = ("baomoi-2017", "dantri-2020")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
INDEX_38K = OUT / "index-38k"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def corpus_files(names: Sequence[str] = FULL_CORPORA) -> list[Path]:
    return [CORPUS / f"{name}.jsonl.gz" for name in names]


def machine() -> dict[str, Any]:
    """What the figures were measured on (the machine is shared: say so in the report)."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        import psutil

        ram_gb = round(psutil.virtual_memory().total / 2**30, 1)
        load = [round(x, 2) for x in os.getloadavg()]
    except (ImportError, OSError):
        load = None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": load,
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


def timed_runs(func: Callable[[], Any], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``func``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def fmt(value: Any) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_json(name: str, data: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    payload = {"bench": name, "when": datetime.now(UTC).isoformat(), "machine": machine(), **data}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


class RssSampler:
    """Peak resident memory of a process and its children, sampled from a thread."""

    def __init__(self, pid: int | None = None, interval: float = 0.2) -> None:
        import psutil

        self._process = psutil.Process(pid or os.getpid())
        self._interval = interval
        self._stop = threading.Event()
        self.peak_bytes = 0
        # PSS splits a page shared by n processes (the mmapped index, fork's copy-on-write
        # pages) into n parts, so the processes' sum is the memory they really take together;
        # summed RSS counts such a page once per process (an upper bound).
        self.peak_pss_bytes = 0
        self.track_pss = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _summed(self, measure) -> int:
        """``measure(process)`` in bytes, summed over the process and all its children."""
        import psutil

        try:
            procs = [self._process, *self._process.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for proc in procs:
            try:
                total += measure(proc)
            except (psutil.Error, AttributeError):  # gone, or no PSS on this platform
                continue
        return total

    def _total_rss(self) -> int:
        return self._summed(lambda proc: proc.memory_info().rss)

    def _total_pss(self) -> int:
        return self._summed(lambda proc: proc.memory_full_info().pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._total_rss())
            if self.track_pss:
                self.peak_pss_bytes = max(self.peak_pss_bytes, self._total_pss())
            self._stop.wait(self._interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2**20

    @property
    def peak_pss_mb(self) -> float:
        return self.peak_pss_bytes / 2**20


def wait_until_idle(pid: int, window_s: float = 1.0, limit_s: float = 120.0) -> float:
    """Seconds until the server's processes use < 5% of a core over ``window_s``."""
    import psutil

    started = time.perf_counter()
    parent = psutil.Process(pid)
    while time.perf_counter() - started < limit_s:
        procs = [parent, *parent.children(recursive=True)]
        before = sum(_cpu(p) for p in procs)
        time.sleep(window_s)
        if sum(_cpu(p) for p in procs) - before < 0.05 * window_s:
            break
    return time.perf_counter() - started


def _cpu(proc) -> float:
    import psutil

    try:
        times = proc.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system
