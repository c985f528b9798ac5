"""Whoosh and tantivy side by side behind tracuu's engine-neutral API, in one run.

For each engine: build the index from the full ≈38k corpus (or a replica, ``--replica 5`` ≈
190k) with ``indexer.rebuild_index(..., engine=...)`` and report articles/s (wall) and CPU
seconds; time the query mix of bench_query.py in-process (top 10 with snippets and
highlighted titles, facets where the mix asks, suggestions) on one long-lived engine, warmed
up, with its result caches cleared before every timed query (as bench_query.py); and score
the known-item dev queries (MRR@10 per kind, bench/eval_known_item.py; on a replica a copy
of the target counts as the target). Targets for tantivy: p95 ≤ 50 ms, ≥ 1,000 articles/s indexing,
MRR@10 per kind within 0.01 of Whoosh.

The machine is shared with other sessions: the load average at start and end goes into the
JSON, and each query time is the median over ``--runs`` runs before taking p50/p95.

    .venv/bin/python bench/bench_engines.py              # 38k, both engines
    .venv/bin/python bench/bench_engines.py --reuse      # skip builds if indexes exist
    .venv/bin/python bench/bench_engines.py --replica 5  # ≈190k copies (slow for Whoosh)
    .venv/bin/python bench/bench_engines.py --total 200000 \
        --index whoosh=bench/out/index-200k          # bench_index.py's 200k corpus and index
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import OUT, median, percentile, print_table, write_json  # noqa: E402

from indexer.backend import engine_names  # noqa: E402

ENGINES = engine_names()
TARGETS = {"p95_ms": 50.0, "articles_per_s": 1000.0, "mrr_gap": 0.01}
WARMUP = "thời tiết"
CORPUS_SIZE = 38_092  # articles of load_corpus() (baomoi-2017 + dantri-2020)


def load_articles(replica: int, people: bool, total: int | None = None, vary: bool = False):
    """The corpus (people extracted once), replicated ``replica`` times or up to ``total``
    articles exactly as bench_index.py's ``corpus-200k`` (copies with ``#rN`` URLs).
    ``vary``: copies with shuffled sentences and earlier dates (corpus.varied), streamed —
    a million Articles would not fit in memory — and carrying their original's people."""
    from itertools import islice

    from corpus import load_corpus, replicate, replicate_varied

    articles = list(load_corpus(people=people))
    if vary:
        return replicate_varied(articles, total or len(articles) * replica)
    if total:
        replica = -(-total // len(articles))
    copies = replicate(articles, replica) if replica > 1 else articles
    return list(islice(copies, total)) if total else list(copies)


def build(engine: str, data_dir: Path, articles) -> dict:
    from indexer import rebuild_index

    started, cpu = time.perf_counter(), _cpu_seconds()
    count = rebuild_index(data_dir, articles, engine=engine)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {
        "articles": count,
        "wall_s": wall,
        "cpu_s": cpu,
        "articles_per_s": count / wall,
        # Peak RSS of this process (the writer, and the corpus it holds) and of the largest
        # analysis worker: no sampling thread, since the feed forks its workers.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "index_mb": _index_mb(data_dir),
        "kb_per_article": 1000 * _index_mb(data_dir) / max(1, count),
    }


def _index_mb(data_dir: Path) -> float:
    from indexer import location

    live = location.current_index_dir(data_dir)
    files = live.rglob("*") if live else []
    return sum(f.stat().st_size for f in files if f.is_file()) / 1e6


def update_new(engine: str, data_dir: Path, count: int, round_no: int) -> dict:
    """Add ``count`` new articles (varied copies of round ``round_no``: URLs the index does
    not hold) to the live index, as `tracuu update` does after a crawl: one commit."""
    from itertools import islice

    from corpus import load_corpus, varied

    from indexer import open_engine, update_index

    new = [varied(a, round_no) for a in islice(load_corpus(people=True), count)]
    started, cpu = time.perf_counter(), _cpu_seconds()
    written = update_index(data_dir, new, engine=engine)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    opened = open_engine(data_dir)
    documents = opened.stats().documents
    opened.close()
    return {"articles": written, "wall_s": wall, "cpu_s": cpu, "documents_after": documents}


def _cpu_seconds() -> float:
    """CPU of this process (all threads) and its finished children (Whoosh's procs=2)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def query_mix() -> list[tuple[str, object]]:
    try:
        from bench_query import search_queries

        return search_queries()
    except ImportError:  # bench_query moved: a small fallback mix
        from indexer import SearchQuery

        texts = ["bão", "giáo dục", '"Hà Nội"', "tai nan giao thong", 'nguoi:"Donald Trump"']
        return [("fallback", SearchQuery(text=t, facets=True)) for t in texts]


def time_queries(data_dir: Path, runs: int) -> dict:
    """Per query: the median over runs of wall ms of an uncached search, as a server runs:
    one long-lived engine, warmed up (Whoosh's background warm-up awaited), its result caches
    cleared before every timed query (bench_query.py's method)."""
    from bench_query import clear_result_caches

    from indexer import SearchQuery, open_engine

    mix = query_mix()
    samples: list[list[float]] = [[] for _ in mix]
    engine = open_engine(data_dir)
    warm_up = getattr(engine, "warm_up", None)
    if warm_up is not None:
        warm_up(wait=True)
    engine.search(SearchQuery(text=WARMUP))
    for _ in range(runs):
        for i, (_, query) in enumerate(mix):
            clear_result_caches(engine)
            started = time.perf_counter()
            engine.search(query)
            samples[i].append((time.perf_counter() - started) * 1000)
    engine.close()
    per_query = [median(s) for s in samples]
    by_kind: dict[str, list[float]] = {}
    for (kind, _), ms in zip(mix, per_query, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    by_kind["ALL"] = per_query
    return {k: {"p50_ms": median(v), "p95_ms": percentile(v, 95)} for k, v in by_kind.items()}


def known_item(data_dir: Path, limit: int | None, copies: int) -> dict | None:
    """MRR@10 of the dev queries; on a replica, a copy of the target counts as the target and
    copies of one article count once (each article is there ``copies`` times)."""
    try:
        import eval_known_item as ki
    except ImportError:
        return None
    if not ki.QUERIES.exists():
        return None
    search = ki.tracuu_searcher(data_dir, depth=ki.TOP * copies)
    rows = ki.run(search, ki.load_queries(limit), collapse_copies=copies > 1)
    return ki.summarise(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replica", type=int, default=1, help="copies of the corpus (5 ≈ 190k)")
    parser.add_argument(
        "--total",
        type=int,
        default=None,
        help="replicate up to exactly this many articles (200000: bench_index's corpus-200k)",
    )
    parser.add_argument(
        "--index",
        action="append",
        default=[],
        metavar="ENGINE=DIR",
        help="use an existing data directory for ENGINE instead of building one "
        "(e.g. whoosh=bench/out/index-200k, built from the same articles by bench_index.py)",
    )
    parser.add_argument("--runs", type=int, default=3, help="query runs (median per query)")
    parser.add_argument("--reuse", action="store_true", help="reuse indexes already built")
    parser.add_argument("--no-people", action="store_true", help="skip people extraction")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--known-item-limit", type=int, default=None)
    parser.add_argument("--out", default=None, help="JSON name in bench/out (default engines-…)")
    parser.add_argument(
        "--vary", action="store_true", help="varied copies, streamed (corpus.varied; for 1M)"
    )
    parser.add_argument(
        "--update", type=int, default=0, help="then time adding this many new articles"
    )
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    load_start = os.getloadavg()
    given = dict(item.split("=", 1) for item in args.index)
    if args.total:
        scale = f"{args.total // 1000}k" if args.total < 1_000_000 else f"{args.total // 10**6}m"
        scale += "-varied" if args.vary else ""
    else:
        scale = "38k" if args.replica == 1 else f"38k×{args.replica}"
    copies = -(-args.total // CORPUS_SIZE) if args.total else args.replica
    articles = None
    results: dict[str, dict] = {}
    for engine in engines:
        data_dir = Path(given[engine]) if engine in given else OUT / f"engines-{scale}-{engine}"
        row: dict = {"data_dir": str(data_dir)}
        reuse = engine in given or args.reuse and (data_dir / "index" / "CURRENT").exists()
        if not reuse:
            if articles is None or args.vary:  # a varied stream is read once
                articles = load_articles(args.replica, not args.no_people, args.total, args.vary)
            row["build"] = build(engine, data_dir, articles)
            print(f"{engine}: built {row['build']}", flush=True)
        if args.update:
            row["update"] = update_new(engine, data_dir, args.update, copies + 1)
            print(f"{engine}: update {row['update']}", flush=True)
        row["queries"] = time_queries(data_dir, args.runs)
        print(f"{engine}: queries {row['queries']['ALL']}", flush=True)
        row["known_item"] = known_item(data_dir, args.known_item_limit, copies)
        results[engine] = row
    report(results, scale)
    write_json(
        args.out or f"engines-{scale.replace('×', 'x')}",
        {"results": results, "targets": TARGETS, "runs": args.runs,
         "loadavg_start": load_start, "loadavg_end": os.getloadavg()},
    )  # fmt: skip
    return 0


def report(results: dict[str, dict], scale: str) -> None:
    names = list(results)
    build_rows = [
        [n, r["build"]["articles"], r["build"]["wall_s"], r["build"]["cpu_s"],
         r["build"]["articles_per_s"]]
        for n, r in results.items() if "build" in r
    ]  # fmt: skip
    if build_rows:
        print_table(f"Indexing ({scale})", ["engine", "articles", "wall s", "CPU s", "art/s"],
                    build_rows)  # fmt: skip
    kinds = list(results[names[0]]["queries"])
    print_table(
        f"Query latency ({scale}), ms: median over runs per query, then p50/p95 over queries",
        ["kind", *(f"{n} {m}" for n in names for m in ("p50", "p95"))],
        [[k, *(results[n]["queries"].get(k, {}).get(f"{m}_ms", float("nan"))
               for n in names for m in ("p50", "p95"))] for k in kinds],
    )  # fmt: skip
    if all(results[n].get("known_item") for n in names):
        kinds = list(results[names[0]]["known_item"])
        print_table(
            "Known-item MRR@10",
            ["kind", *names],
            [[k, *(results[n]["known_item"][k]["mrr10"] for n in names)] for k in kinds],
        )


if __name__ == "__main__":
    raise SystemExit(main())
