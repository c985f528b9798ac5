"""The cost of archive access: CDXJ indexing rate, capture view latency, WACZ size.

    .venv/bin/python bench/bench_archive.py [--quick] [--articles 2000] [--runs 3]

Setup (not measured): a SamplePortal of real articles (dantri-2020, then baomoi-2017, as
bench_crawl.py) is crawled into a fresh data directory, so the WARCs hold what a real crawl
writes (articles, listings, sitemaps, robots.txt, request records).
1. CDXJ: `crawler.cdxj.update_index` from scratch (cdxj-indexer over every WARC, parts merged),
   median of --runs; records/s and CPU seconds.
2. Capture view: one index lookup (CaptureArchive.captures) per article, CPU µs; then the
   Flask app (test client, no HTTP) answering /ban-luu (banner: index lookup, template) and /ban-luu/khung (the framed page: record read, decode, rewrite) for
   200 articles; p50/p95 wall ms and mean CPU ms, after one warm-up request.
3. WACZ: `tracuu wacz` of the whole archive (the `wacz` package: CDXJ, pages.jsonl, digests);
   bytes per 1,000 articles beside the WARC bytes, and seconds to pack.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from bench_common import machine, median, percentile, print_table, write_json


def crawl_archive(count: int, data_dir: Path) -> int:
    from bench_crawl import portal_records

    from crawler.crawl import CrawlSettings
    from crawler.fetch import FetchSettings
    from tracuu import pipeline
    from tracuu.demo import sample_source
    from tracuu.sample_portal.server import SamplePortal

    settings = CrawlSettings(
        fetch=FetchSettings(timeout=10, retries=1, backoff_base=0.01, backoff_max=0.02), delay=0.0
    )
    with SamplePortal(portal_records(count)) as portal:
        pipeline.crawl_sources(data_dir, [sample_source(portal.base_url)], settings=settings)
    with pipeline.open_store(data_dir) as store:
        return store.count()


def bench_cdxj(data_dir: Path, runs: int) -> dict:
    from crawler.cdxj import cdxj_dir, update_index

    walls, cpus, records = [], [], 0
    for _ in range(runs):
        shutil.rmtree(cdxj_dir(data_dir), ignore_errors=True)
        cpu = time.process_time()
        update = update_index(data_dir)
        cpus.append(time.process_time() - cpu)
        walls.append(update.seconds)
        records = update.records
    started = time.perf_counter()
    unchanged = update_index(data_dir)  # after a crawl that added nothing: nothing re-read
    return {
        "records": records,
        "wall_s": median(walls),
        "cpu_s": median(cpus),
        "records_per_s": records / median(walls),
        "records_per_cpu_s": records / median(cpus),
        "noop_update_s": time.perf_counter() - started,
        "noop_reindexed_files": unchanged.reindexed,
    }


def _time_get(client, path: str, query: dict) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.get(path, query_string=query)
    assert response.status_code == 200, (path, query, response.status_code)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def bench_view(data_dir: Path, samples: int) -> dict:
    from crawler.archive_access import CaptureArchive
    from search_app.app import create_app
    from tracuu import pipeline

    app = create_app({"DATA_DIR": str(data_dir), **pipeline.archive_views(data_dir)})
    client = app.test_client()
    archive = CaptureArchive(data_dir)
    with pipeline.open_store(data_dir) as store:
        urls = sorted(store.urls())
    random.Random(19).shuffle(urls)
    cpu = time.process_time()
    targets = [(u, archive.captures(u)[-1].timestamp) for u in urls]
    lookup_us = (time.process_time() - cpu) / len(urls) * 1e6
    targets = targets[:samples]
    _time_get(client, "/ban-luu/khung", {"url": targets[0][0], "t": targets[0][1]})  # warm-up
    result: dict = {"lookup_cpu_us": lookup_us, "lookups": len(urls)}
    for path in ("/ban-luu", "/ban-luu/khung"):
        timings = [_time_get(client, path, {"url": u, "t": t}) for u, t in targets]
        walls = [w for w, _ in timings]
        result[path] = {
            "p50_ms": percentile(walls, 50),
            "p95_ms": percentile(walls, 95),
            "cpu_mean_ms": sum(c for _, c in timings) / len(timings),
            "requests": len(timings),
        }
    return result


def bench_wacz(data_dir: Path, articles: int, out_dir: Path) -> dict:
    from tracuu import cli, pipeline

    out = out_dir / "kho.wacz"
    started, cpu = time.perf_counter(), time.process_time()
    assert cli.main(["--data-dir", str(data_dir), "wacz", "--out", str(out)]) == 0
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    warc_bytes = sum(p.stat().st_size for p in pipeline.warc_paths(data_dir))
    size = out.stat().st_size
    return {
        "articles": articles,
        "wacz_bytes": size,
        "warc_bytes": warc_bytes,
        "wacz_mb_per_1000": size / articles * 1000 / 2**20,
        "warc_mb_per_1000": warc_bytes / articles * 1000 / 2**20,
        "pack_s": seconds,
        "pack_cpu_s": cpu_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 articles, 1 run")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs, args.samples = 500, 1, 100
    facts = machine()
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        data_dir = Path(tmp) / "data"
        articles = crawl_archive(args.articles, data_dir)
        cdxj = bench_cdxj(data_dir, args.runs)
        view = bench_view(data_dir, args.samples)
        wacz = bench_wacz(data_dir, articles, Path(tmp))
    print_table(
        f"CDXJ index from scratch ({cdxj['records']} records, median of {args.runs})",
        ["records/s (wall)", "records/s (CPU)", "wall s", "no-op update s"],
        [[cdxj["records_per_s"], cdxj["records_per_cpu_s"], cdxj["wall_s"], cdxj["noop_update_s"]]],
    )
    print_table(
        f"Capture view ({args.samples} articles, Flask test client)",
        ["path", "p50 ms", "p95 ms", "CPU mean ms"],
        [[p, v["p50_ms"], v["p95_ms"], v["cpu_mean_ms"]] for p, v in view.items() if "/" in p],
    )
    print(
        f"index lookup (CaptureArchive.captures, {view['lookups']} URLs): "
        f"{view['lookup_cpu_us']:.1f} µs CPU each"
    )
    print_table(
        f"WACZ of the whole archive ({articles} articles)",
        ["WACZ MB / 1,000 articles", "WARC MB / 1,000", "pack s", "pack CPU s"],
        [[wacz["wacz_mb_per_1000"], wacz["warc_mb_per_1000"], wacz["pack_s"], wacz["pack_cpu_s"]]],
    )
    path = write_json("bench_archive", {"machine": facts, "cdxj": cdxj, "view": view, "wacz": wacz})
    print(f"\n→ {path}")


if __name__ == "__main__":
    main()
