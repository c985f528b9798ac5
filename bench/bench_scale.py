"""Scale (issue 18): one tantivy index grown in stages towards 1M articles, measured at each.

    .venv/bin/python bench/bench_scale.py --stages 200000,400000,600000,800000,1000000 \
        [--originals bench/out/index-38k-tantivy] [--refs-at 200000] [--update 1000]

Articles: the 38k corpus with its people (read from the store of ``--originals``, a data
directory `tracuu import` filled, else extracted here), then varied copies
(``corpus.replicate_varied``: each copy's paragraphs and sentences shuffled, its date moved
137 days back per round, its URL ``…#rN``), streamed in a fixed order.

The first stage is a fresh build (``indexer.rebuild_index``, engine tantivy: analysis in
worker processes); each later stage appends the next articles to the live index through the
same fresh-build feed (their URLs are new, so nothing is deleted) and commits, as a fresh
build of the larger size would have, one commit later. After every stage, and before the
next one starts: the index's size on disk, and the query mix of bench_query.py on a newly
opened engine (warmed up; result caches cleared before every timed query; the median of
``--runs`` per query, then p50/p95 over the queries; wall and thread CPU). At
``--refs-at`` articles, bare tantivy (bench_refs.py: its own tokenizer, top 10 with a
snippet, a source facet) is built over the same articles and timed on the same queries in
the same window. After the last stage, ``--update N`` new articles go in as `tracuu update`
puts them (one commit, replacing by URL). The JSON is rewritten after every stage, so a run
stopped by a deadline keeps what it measured. Wall, CPU and the load average are recorded:
the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import OUT, median, percentile, write_json  # noqa: E402

WARMUP = "thời tiết"


def cpu_seconds() -> float:
    """This process (all threads) and its finished children (the analysis workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def originals(from_dir: Path | None) -> list:
    """The 38k corpus with people: from a store `tracuu import` filled, else extracted."""
    if from_dir is not None and (from_dir / "articles.sqlite").exists():
        from tracuu.pipeline import open_store

        with open_store(from_dir, read_only=True) as store:
            return list(store.iter_latest())
    from corpus import load_corpus

    return list(load_corpus(people=True))


def stream(base: list, total: int):
    from corpus import replicate_varied

    return replicate_varied(base, total)


def index_mb(data_dir: Path) -> float:
    from indexer import location

    live = location.current_index_dir(data_dir)
    return sum(f.stat().st_size for f in live.rglob("*") if f.is_file()) / 1e6


def grow(data_dir: Path, articles, fresh: bool) -> dict:
    """Write ``articles``: a fresh build, or appended to the live index (new URLs only)."""
    from indexer import location, rebuild_index
    from indexer.tantivy_backend import TantivyBackend

    started, cpu = time.perf_counter(), cpu_seconds()
    if fresh:
        count = rebuild_index(data_dir, articles, engine="tantivy")
    else:
        count = TantivyBackend().write(location.current_index_dir(data_dir), articles, fresh=True)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"articles": count, "wall_s": wall, "cpu_s": cpu, "articles_per_s": count / wall,
            "cpu_ms_per_article": 1000 * cpu / max(1, count)}  # fmt: skip


def time_mix(search, runs: int, clear=None) -> dict:
    """Per query the median over runs (wall and thread CPU), then p50/p95 over queries."""
    from bench_query import search_queries

    mix = search_queries()
    wall: list[list[float]] = [[] for _ in mix]
    cpu: list[list[float]] = [[] for _ in mix]
    for _ in range(runs):
        for i, (_, query) in enumerate(mix):
            if clear is not None:
                clear()
            started, cpu_started = time.perf_counter(), time.thread_time()
            search(query)
            wall[i].append(1000 * (time.perf_counter() - started))
            cpu[i].append(1000 * (time.thread_time() - cpu_started))
    walls, cpus = [median(w) for w in wall], [median(c) for c in cpu]
    by_kind: dict[str, list[float]] = {}
    for (kind, _), ms in zip(mix, walls, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    return {
        "p50_ms": median(walls), "p95_ms": percentile(walls, 95),
        "cpu_p50_ms": median(cpus), "cpu_p95_ms": percentile(cpus, 95),
        "by_kind": {k: {"p50_ms": median(v), "p95_ms": percentile(v, 95)} for k, v in by_kind.items()},
    }  # fmt: skip


def time_tracuu(data_dir: Path, runs: int) -> dict:
    from bench_query import clear_result_caches

    from indexer import SearchQuery, open_engine

    started = time.perf_counter()
    engine = open_engine(data_dir)
    engine.warm_up(wait=True)  # a server's background warm-up is over before readers come
    engine.search(SearchQuery(text=WARMUP))
    opened_s = time.perf_counter() - started
    try:
        timing = time_mix(engine.search, runs, lambda: clear_result_caches(engine))
    finally:
        engine.close()
    timing["open_and_first_query_s"] = opened_s
    return timing


def time_bare_tantivy(directory: Path, articles, runs: int) -> dict:
    from bench_refs import TantivyEngine, ref_query

    started, cpu = time.perf_counter(), cpu_seconds()
    bare = TantivyEngine.build(directory, articles)
    built = {"wall_s": time.perf_counter() - started, "cpu_s": cpu_seconds() - cpu}

    def search(query):
        bare.search(ref_query(query.text, query.date_from, query.date_to, query.facets))

    return {"build": built, **time_mix(search, runs)}


def update_new(data_dir: Path, base: list, count: int, round_no: int) -> dict:
    """``count`` new articles (varied copies of round ``round_no``) as `tracuu update` adds
    them to a live index: replacing by URL, one commit."""
    from corpus import varied

    from indexer import update_index

    new = [varied(a, round_no) for a in base[:count]]
    started, cpu = time.perf_counter(), cpu_seconds()
    written = update_index(data_dir, new, engine="tantivy")
    return {"articles": written, "wall_s": time.perf_counter() - started,
            "cpu_s": cpu_seconds() - cpu}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", default="200000,400000,600000,800000,1000000")
    parser.add_argument("--originals", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=OUT / "scale-tantivy")
    parser.add_argument("--refs-at", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--update", type=int, default=1000)
    parser.add_argument("--out", default="scale-tantivy")
    parser.add_argument("--limit-originals", type=int, default=None, help="smoke runs")
    args = parser.parse_args(argv)
    stages = [int(s) for s in args.stages.split(",")]

    result: dict = {"loadavg_start": os.getloadavg(), "stages": []}
    started, cpu = time.perf_counter(), cpu_seconds()
    base = originals(args.originals)[: args.limit_originals]
    result["originals"] = {"articles": len(base), "wall_s": time.perf_counter() - started,
                           "cpu_s": cpu_seconds() - cpu}  # fmt: skip
    articles = stream(base, stages[-1])
    done = 0
    for size in stages:
        stage: dict = {"size": size, "loadavg": os.getloadavg()}
        stage["build"] = grow(args.data_dir, islice(articles, size - done), fresh=done == 0)
        done = size
        stage["index_mb"] = index_mb(args.data_dir)
        stage["kb_per_article"] = 1000 * stage["index_mb"] / size
        stage["tracuu"] = time_tracuu(args.data_dir, args.runs)
        if size == args.refs_at:
            refs = stream(base, size)
            stage["bare_tantivy"] = time_bare_tantivy(OUT / f"scale-refs-{size}", refs, args.runs)
            stage["tracuu_again"] = time_tracuu(args.data_dir, args.runs)  # same window
        stage["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["stages"].append(stage)
        result["loadavg_end"] = os.getloadavg()
        write_json(args.out, result)
        print(f"stage {size}: {stage}", flush=True)
    if args.update:
        next_round = stages[-1] // len(base) + 2  # URLs no stage wrote
        result["update"] = update_new(args.data_dir, base, args.update, next_round)
        result["update"]["after"] = time_tracuu(args.data_dir, 1)
        write_json(args.out, result)
        print(f"update: {result['update']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
