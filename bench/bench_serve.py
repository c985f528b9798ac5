"""Requests/s and latency with 8 concurrent clients against `tracuu serve`, and its memory.

    .venv/bin/python bench/bench_serve.py [--quick] [--clients 8] [--requests 600] [--seconds 120]
        [--workers N] [--distinct] [--data-dir DIR]

`tracuu serve --workers N` (waitress, 8 threads per process; N > 1 pre-forks N processes on one
socket, default 1) runs in a subprocess over bench/out/index-38k (build it with
bench_index.py). Clients are threads, each with its own requests.Session, on localhost only;
the run stops after ``--requests`` requests or ``--seconds``, whichever comes first.

Two request plans, both GET /api/search in a fixed shuffled order:

- default, the query mix: bench_query.py's query mix × result pages 1..10, so most requests
  are distinct; a longer run repeats the plan (the engine's result cache helps only on
  repeats, and only in the worker that saw the request first);
- ``--distinct``, cold throughput: the 400 known-item dev queries of eval_known_item.py
  (../shared/eval/known_item_dev.jsonl: titles, body words, with and without diacritics),
  page 1, each once: no (query, page) pair repeats, so every request is an uncached search.
  At most 399 requests (the distinct texts) whatever ``--requests`` says.

Timing starts once every worker has finished opening its index and its background warm-up
(the server's processes idle for a second; ``ready_s`` in the output), because a server is
long-lived; ``--no-warmup-wait`` measures a cold server instead.

The resident memory of the server and all its worker processes, summed, is sampled throughout
with psutil (pages the workers share copy-on-write count once per process: an upper bound),
and so is the sum of their PSS (a shared page split between the processes sharing it: the
memory they take together).
The JSON records the plan and the workers count; its name is serve-DATADIR, plus -distinct
and -wN when those options are given.
Targets: ≥ 50 req/s, p95 ≤ 300 ms, RSS ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench_common import (
    INDEX_38K,
    PYTHON,
    ROOT,
    RssSampler,
    median,
    percentile,
    print_table,
    wait_until_idle,
    write_json,
)
from bench_query import QUERIES, free_port, http_params, search_queries

TARGETS = {"req_per_s": 50, "p95_ms": 300, "rss_mb": 500}


def request_plan(count: int) -> list[dict]:
    plan = []
    for page in range(1, 11):
        for _, query in search_queries():
            plan.append({**http_params(query), "page": str(page)})
    random.Random(7).shuffle(plan)
    return [plan[i % len(plan)] for i in range(count)]


def distinct_plan(count: int) -> list[dict]:
    """The known-item dev queries, page 1, each once: every request misses every cache."""
    from eval_known_item import load_queries

    texts = dict.fromkeys(row["query"] for row in load_queries())  # two rows share a text
    plan = [{"q": text, "page": "1"} for text in texts]
    random.Random(7).shuffle(plan)
    return plan[:count]


def start_server(data_dir: Path, workers: str) -> tuple[subprocess.Popen, str]:
    """`tracuu serve --workers N` in its own process; returns once /api/stats answers (from
    the first worker ready: the others open their index at the same time)."""
    import requests

    port = free_port()
    argv = [PYTHON, "-m", "tracuu.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)]
    argv += ["--workers", workers]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(base + "/api/stats", timeout=5).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("tracuu serve did not start")


class LoadRun:
    """Clients pull the next request from a shared plan until it or the time runs out."""

    def __init__(self, base: str, plan: list[dict], seconds: float) -> None:
        self.base, self.plan, self.deadline_s = base, plan, seconds
        self._next = 0
        self._lock = threading.Lock()
        self.latencies_ms: list[float] = []
        self.errors = 0

    def _take(self) -> dict | None:
        with self._lock:
            if self._next >= len(self.plan) or time.perf_counter() > self._deadline:
                return None
            self._next += 1
            return self.plan[self._next - 1]

    def _client(self) -> None:
        import requests

        with requests.Session() as session:
            while (params := self._take()) is not None:
                started = time.perf_counter()
                try:
                    ok = session.get(self.base + "/api/search", params=params, timeout=60).ok
                except requests.RequestException:
                    ok = False
                elapsed = 1000 * (time.perf_counter() - started)
                with self._lock:
                    self.latencies_ms.append(elapsed)
                    self.errors += not ok

    def run(self, clients: int) -> float:
        self._deadline = time.perf_counter() + self.deadline_s
        threads = [threading.Thread(target=self._client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=INDEX_38K)
    parser.add_argument("--quick", action="store_true", help="150 requests, 30 s")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=None, help="default 600 (150 quick)")
    parser.add_argument("--seconds", type=float, default=None, help="default 120 (30 quick)")
    parser.add_argument(
        "--workers", default="1", help="passed to `tracuu serve --workers` (default 1)"
    )
    parser.add_argument(
        "--no-warmup-wait",
        action="store_true",
        help="start the clients as soon as /api/stats answers (cold server)",
    )
    parser.add_argument(
        "--distinct", action="store_true", help="400 known-item queries, each once (cold)"
    )
    args = parser.parse_args(argv)
    count = args.requests or (150 if args.quick else 600)
    plan = distinct_plan(count) if args.distinct else request_plan(count)
    seconds = args.seconds or (30 if args.quick else 120)
    if not (args.data_dir / "index" / "CURRENT").exists():
        raise SystemExit(f"no index in {args.data_dir}: run bench/bench_index.py first")

    started = time.perf_counter()
    proc, base = start_server(args.data_dir, args.workers)
    try:
        # A server is long-lived: let every worker finish opening its index and its background
        # warm-up (suggestion vocabulary, facet arrays) before the clients start.
        warm_s = wait_until_idle(proc.pid) if not args.no_warmup_wait else 0.0
        ready_s = time.perf_counter() - started
        sampler = RssSampler(proc.pid, interval=0.1)
        sampler.track_pss = True
        with sampler as rss:  # the parent plus every worker
            idle_mb = rss._total_rss() / 2**20
            load = LoadRun(base, plan, seconds)
            wall = load.run(args.clients)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    done = len(load.latencies_ms)
    result = {
        "data_dir": str(args.data_dir),
        "workers": int(args.workers) if args.workers.isdigit() else args.workers,
        "plan": "distinct known-item, page 1" if args.distinct else "query mix x pages 1-10",
        "clients": args.clients,
        "requests": done,
        "errors": load.errors,
        "distinct_requests": done if args.distinct else min(done, len(QUERIES) * 10),
        "wall_s": wall,
        "req_per_s": done / wall,
        "median_ms": median(load.latencies_ms),
        "p95_ms": percentile(load.latencies_ms, 95),
        "ready_s": ready_s,
        "warmup_wait_s": warm_s,
        "rss_idle_mb": idle_mb,
        "rss_peak_mb": rss.peak_mb,
        "pss_peak_mb": rss.peak_pss_mb,
    }
    result["targets"] = TARGETS
    result["targets_met"] = {
        "req_per_s": result["req_per_s"] >= TARGETS["req_per_s"],
        "p95_ms": result["p95_ms"] <= TARGETS["p95_ms"],
        "rss_mb": result["rss_peak_mb"] <= TARGETS["rss_mb"],
    }
    rows = [[k, result[k]] for k in ("ready_s", "requests", "errors", "wall_s", "req_per_s", "median_ms", "p95_ms", "rss_idle_mb", "rss_peak_mb", "pss_peak_mb")]  # fmt: skip
    print_table(
        f"`tracuu serve --workers {args.workers}` under {args.clients} concurrent clients "
        f"({args.data_dir.name}, {result['plan']})",
        ["figure", "value"],
        rows,
    )
    for name, met in result["targets_met"].items():
        print(f"target {name} {TARGETS[name]}: {'met' if met else 'MISSED'}")
    suffix = ("-distinct" if args.distinct else "") + (
        f"-w{args.workers}" if args.workers != "1" else ""
    )
    write_json(f"serve-{args.data_dir.name}{suffix}", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
