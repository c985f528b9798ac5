"""What the first reader of a snapshot pays (issue 18 leftovers): thread CPU of the person
queries, a person page and the facet queries of bench_query.py on a tantivy index — on a newly
opened engine (after its warm-up), again, and on the same engine right after a commit (the
refresh a server sees after `tracuu update`).

    .venv/bin/python bench/bench_refresh.py --data-dir DIR [--code-dir OTHER_CHECKOUT]
        [--store DIR_WITH_ARTICLES_SQLITE] [--commit 200]

``--code-dir`` measures another checkout's indexer (before/after) on the same index. The data
directory is copied first (the commit must not change it). CPU time only: the machine is
shared; the load average is printed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu_ms(work) -> float:
    started = time.thread_time()
    work()
    return 1000 * (time.thread_time() - started)


def _person(engine, queries) -> str:
    times = []
    for query in queries:
        engine.clear_result_caches()
        times.append(_cpu_ms(lambda q=query: engine.search(q)))
    page = _cpu_ms(lambda: engine.person_stats("nguyen xuan phuc"))
    return f"person queries {' '.join(f'{t:.1f}' for t in times)} ms; person page {page:.1f} ms"


def _facets(engine, queries, runs: int = 5) -> str:
    medians = []
    for query in queries:
        times = []
        for _ in range(runs):
            engine.clear_result_caches()
            times.append(_cpu_ms(lambda q=query: engine.search(q)))
        medians.append(statistics.median(times))
    return "facet queries (median of 5) " + " ".join(f"{t:.2f}" for t in medians) + " ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--code-dir", type=Path, default=HERE.parent)
    parser.add_argument("--store", type=Path, default=None, help="articles for the commit")
    parser.add_argument("--commit", type=int, default=200)
    args = parser.parse_args(argv)
    sys.path[:0] = [str(args.code_dir.resolve()), str(HERE)]
    import indexer  # before bench_query, which puts this tree first on the path
    from indexer import SearchQuery, open_engine
    from tracuu.pipeline import open_store

    search_queries = importlib.import_module("bench_query").search_queries

    print(f"load average {os.getloadavg()[0]:.1f}; indexer from {Path(indexer.__file__).parent}")
    with open_store(args.store or args.data_dir, read_only=True) as store:
        extra = list(store.iter_latest())[-args.commit :]
    mix = search_queries()
    person = [q for kind, q in mix if kind == "person"]
    facets = [q for kind, q in mix if kind == "facets"]
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(args.data_dir, data_dir)
        engine = open_engine(data_dir)
        engine.warm_up(wait=True)
        engine.search(SearchQuery(text="thời tiết"))
        first = [_cpu_ms(lambda q=q: engine.search(q)) for q in facets]
        print("new engine, first facet queries " + " ".join(f"{t:.2f}" for t in first) + " ms")
        print("new engine, first: " + _person(engine, person))
        for _, query in mix:
            engine.search(query)
        print("new engine, again: " + _person(engine, person) + "; " + _facets(engine, facets))
        engine.add([replace(a, url=a.url + "#refresh") for a in extra])
        engine.stats()  # the engine sees the commit: a new snapshot, its warm-up starts
        engine.warm_up(wait=True)
        print(f"after a commit of {len(extra)}: " + _person(engine, person))
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
