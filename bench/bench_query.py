"""Query latency in-process and over HTTP, with SQLite FTS5 and tantivy as reference rows.

    .venv/bin/python bench/bench_index.py             # first: builds bench/out/index-38k
    .venv/bin/python bench/bench_query.py [--quick] [--runs 5] [--data-dir DIR] [--reuse]
    .venv/bin/python bench/bench_query.py --scale 200k # over bench/out/index-200k

A fixed mix of queries (single words, two-syllable words, phrases, diacritic-free, person
searches, date ranges, facet requests).

In-process, as a server runs: one long-lived engine (indexer.open_engine) opened once; opening
and its warm-up (the engine's ``warm_up()`` when it has one: facet value arrays, suggestion
vocabulary) are timed and reported separately, wall and CPU. Then every run times every query
*uncached*: the engine's result caches (finished pages, facet counts, rankings) are cleared
right before each query (``clear_result_caches()``), so each figure is a full search, top 10
with snippets and highlighted titles, while the long-lived state a server keeps (open
searcher, facet arrays, vocabulary) stays warm. Wall time and the searching thread's CPU time
(``time.thread_time``: what the query costs when the machine is not shared) are both
recorded; cells are the median / p95 over every query of a kind × runs. "cached" repeats the
same query right after (the result cache answering). HTTP: `tracuu serve` (waitress) in a
subprocess, GET /api/search, one fresh server per run, timed once its warm-up is over.
References: FTS5 and tantivy over the same articles (bench_refs.py), same queries.
Target: p95 ≤ 150 ms in-process at 38k, facets and highlights included.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench_common import (
    INDEX_38K,
    OUT,
    PYTHON,
    ROOT,
    median,
    percentile,
    print_table,
    wait_until_idle,
    write_json,
)

TARGET_P95_MS = 150
D = date

# (kind, query text, extra SearchQuery fields)
QUERIES: list[tuple[str, str, dict]] = [
    ("single word", "bão", {}),
    ("single word", "điện", {}),
    ("single word", "trường", {}),
    ("single word", "Hà", {}),
    ("single word", "xe", {}),
    ("two-syllable", "giáo dục", {}),
    ("two-syllable", "bóng đá", {}),
    ("two-syllable", "kinh tế", {}),
    ("two-syllable", "tai nạn", {}),
    ("two-syllable", "chứng khoán", {}),
    ("phrase", '"Thủ tướng Chính phủ"', {}),
    ("phrase", '"giá vàng"', {}),
    ("phrase", '"an toàn giao thông"', {}),
    ("phrase", '"Hà Nội"', {}),
    ("diacritic-free", "giao duc", {}),
    ("diacritic-free", "tai nan giao thong", {}),
    ("diacritic-free", "bong da", {}),
    ("diacritic-free", "thu tuong", {}),
    ("diacritic-free", "dien thoai", {}),
    ("person", 'nguoi:"Nguyễn Xuân Phúc"', {}),
    ("person", 'nguoi:"Park Hang-seo"', {}),
    ("person", 'nguoi:"Nguyễn Phú Trọng"', {}),
    ("person", 'nguoi:"Donald Trump"', {}),
    ("date range", "kinh tế", {"date_from": D(2020, 10, 1), "date_to": D(2020, 12, 31)}),
    ("date range", "dịch Covid", {"date_from": D(2020, 1, 1), "date_to": D(2021, 6, 30)}),
    ("date range", "bão lũ", {"date_from": D(2020, 9, 1), "date_to": D(2020, 11, 30)}),
    ("facets", "giáo dục", {"facets": True}),
    ("facets", "Hà Nội", {"facets": True}),
    ("facets", "bão", {"facets": True}),
    ("facets", "thu tuong", {"facets": True}),
]


def search_queries():
    from indexer import SearchQuery

    return [(kind, SearchQuery(text=text, **extra)) for kind, text, extra in QUERIES]


def clear_result_caches(engine) -> None:
    """Empty the engine's per-query caches (not its long-lived warm state)."""
    clear = getattr(engine, "clear_result_caches", None)
    if clear is not None:
        clear()
        return
    for name in ("_pages", "_facet_counts"):  # engines without the method (older trees)
        cache = getattr(engine, name, None)
        if cache is not None:
            cache.clear()


def time_engine(data_dir: Path, runs: int) -> dict:
    """Milliseconds per query kind on one long-lived engine: uncached (caches cleared before
    each query), wall and CPU, and cached repeats; plus the engine's opening and warm-up."""
    from indexer import open_engine

    started, cpu_started = time.perf_counter(), time.process_time()
    engine = open_engine(data_dir)
    opening = {"open_ms": 1000 * (time.perf_counter() - started),
               "open_cpu_ms": 1000 * (time.process_time() - cpu_started)}  # fmt: skip
    warm_up = getattr(engine, "warm_up", None)
    started, cpu_started = time.perf_counter(), time.process_time()
    if warm_up is not None:
        warm_up(wait=True)
    opening["warm_up_ms"] = 1000 * (time.perf_counter() - started)
    opening["warm_up_cpu_ms"] = 1000 * (time.process_time() - cpu_started)
    cold: dict[str, list[float]] = {}
    cold_cpu: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    try:
        for _ in range(runs):
            for kind, query in search_queries():
                clear_result_caches(engine)
                started, cpu_started = time.perf_counter(), time.thread_time()
                engine.search(query)
                cold.setdefault(kind, []).append(1000 * (time.perf_counter() - started))
                cold_cpu.setdefault(kind, []).append(1000 * (time.thread_time() - cpu_started))
                started = time.perf_counter()
                engine.search(query)
                warm.setdefault(kind, []).append(1000 * (time.perf_counter() - started))
    finally:
        engine.close()
    return {"cold": cold, "cold_cpu": cold_cpu, "warm": warm, "opening": opening}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`tracuu serve` in its own process; returns once /api/stats answers and the server has
    finished its background warm-up (idle for a second), as a long-lived server would be."""
    import requests

    port = free_port()
    argv = [PYTHON, "-m", "tracuu.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/api/stats", timeout=5).status_code == 200:
                wait_until_idle(proc.pid)
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("tracuu serve did not start")


def http_params(query) -> dict:
    params = {"q": query.text}
    if query.date_from:
        params["from"] = query.date_from.isoformat()
    if query.date_to:
        params["to"] = query.date_to.isoformat()
    if query.facets:
        params["facets"] = "1"
    return params


def time_http(data_dir: Path, runs: int) -> dict[str, list[float]]:
    import requests

    cold: dict[str, list[float]] = {}
    for _ in range(runs):
        proc, base = start_server(data_dir)
        try:
            with requests.Session() as session:
                session.get(base + "/api/search", params={"q": "khởi động"}).raise_for_status()
                for kind, query in search_queries():
                    started = time.perf_counter()
                    session.get(base + "/api/search", params=http_params(query)).raise_for_status()
                    cold.setdefault(kind, []).append(1000 * (time.perf_counter() - started))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"cold": cold}


def time_references(refs: dict, runs: int) -> dict[str, dict[str, list[float]]]:
    from bench_refs import ref_query

    timings: dict[str, dict[str, list[float]]] = {"fts5": {}, "tantivy": {}}
    for _ in range(runs):
        for kind, query in search_queries():
            rq = ref_query(query.text, query.date_from, query.date_to, query.facets)
            for name in timings:
                started = time.perf_counter()
                refs[name].search(rq)
                timings[name].setdefault(kind, []).append(1000 * (time.perf_counter() - started))
    return timings


def store_articles(data_dir: Path) -> list:
    """The articles the index was built from (latest version of each), for the references."""
    from tracuu.pipeline import open_store

    with open_store(data_dir) as store:
        return list(store.iter_latest())


def stats(by_kind: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    every = [t for times in by_kind.values() for t in times]
    table = {kind: {"median_ms": median(t), "p95_ms": percentile(t, 95)} for kind, t in by_kind.items()}  # fmt: skip
    table["ALL"] = {"median_ms": median(every), "p95_ms": percentile(every, 95)}
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["38k", "200k"], default="38k")
    parser.add_argument("--data-dir", type=Path, help="default bench/out/index-<scale>")
    parser.add_argument("--quick", action="store_true", help="2 runs, no HTTP")
    parser.add_argument("--runs", type=int, default=None, help="default 5 (2 with --quick)")
    parser.add_argument("--no-refs", action="store_true", help="skip FTS5 and tantivy")
    parser.add_argument("--reuse", action="store_true", help="reuse built reference indexes")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or (INDEX_38K if args.scale == "38k" else OUT / "index-200k")
    runs = args.runs or (2 if args.quick else 5)
    if not (data_dir / "index" / "CURRENT").exists():
        raise SystemExit(f"no index in {data_dir}: run bench/bench_index.py first")

    rows_by_engine: dict[str, dict] = {}
    engine = time_engine(data_dir, runs)
    rows_by_engine["tracuu in-process (uncached)"] = stats(engine["cold"])
    rows_by_engine["tracuu in-process (uncached, CPU time)"] = stats(engine["cold_cpu"])
    rows_by_engine["tracuu in-process (cached)"] = stats(engine["warm"])
    if not args.quick:
        rows_by_engine["tracuu HTTP /api/search (cold)"] = stats(time_http(data_dir, runs)["cold"])
    build_s = {}
    if not args.no_refs:
        from bench_refs import build_references

        articles = store_articles(data_dir)
        refs = build_references(OUT / f"refs-{data_dir.name}", articles, args.reuse)
        build_s = refs["build_s"]
        for name, by_kind in time_references(refs, runs).items():
            rows_by_engine[f"{name} (reference)"] = stats(by_kind)

    kinds = [*dict.fromkeys(kind for kind, _, _ in QUERIES), "ALL"]
    rows = [
        [label, kind, table[kind]["median_ms"], table[kind]["p95_ms"]]
        for label, table in rows_by_engine.items()
        for kind in kinds
    ]
    print_table(
        f"Query latency over {data_dir.name} ({len(QUERIES)} queries × {runs} runs), ms",
        ["engine", "kind", "median", "p95"],
        rows,
    )
    p95 = rows_by_engine["tracuu in-process (uncached)"]["ALL"]["p95_ms"]
    p95_cpu = rows_by_engine["tracuu in-process (uncached, CPU time)"]["ALL"]["p95_ms"]
    opening = engine["opening"]
    print(
        "engine opened once: open {open_ms:.0f} ms wall / {open_cpu_ms:.0f} ms CPU, "
        "warm-up {warm_up_ms:.0f} ms wall / {warm_up_cpu_ms:.0f} ms CPU".format(**opening)
    )
    met = "met" if p95 <= TARGET_P95_MS else "MISSED"
    print(f"target p95 ≤ {TARGET_P95_MS} ms in-process (uncached): {p95:.0f} ms wall, {met}")
    print(f"(p95 CPU time of the searching thread: {p95_cpu:.0f} ms; machine load counts in wall)")
    write_json(
        f"query-{data_dir.name}" + ("-quick" if args.quick else ""),
        {"runs": runs, "queries": [[k, t, {a: str(b) for a, b in e.items()}] for k, t, e in QUERIES],
         "results": rows_by_engine, "reference_build_s": build_s, "target_p95_ms": TARGET_P95_MS,
         "target_met": p95 <= TARGET_P95_MS, "p95_cpu_ms": p95_cpu, "engine_opening": opening},
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
