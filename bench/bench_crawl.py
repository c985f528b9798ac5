"""CPU time per page of the crawler itself, against a local SamplePortal of ≥ 5,000 real articles.

    .venv/bin/python bench/bench_crawl.py [--quick] [--pages 5000] [--runs 3]

The portal runs in a separate process (this script with --portal-worker), so its CPU is not
counted: the figure is this process's user+system CPU for `tracuu.pipeline.crawl_sources`
(fetch, WARC write, frontier, extraction, people, store) divided by pages fetched. Politeness
is zero (CrawlSettings(delay=0), retries tiny): only the crawler's own cost is measured.
Records: all of dantri-2020 (dated) then baomoi-2017 (undated in the corpus: given dates spread
over Jan–Jul 2017 so listings and sitemaps look like a real archive).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench_common import OUT, PYTHON, corpus_files, median, print_table, write_json


def portal_records(count: int) -> list[dict]:
    records: list[dict] = []
    start = date(2017, 1, 1)
    for path in reversed(corpus_files()):  # dantri first: it has real dates and categories
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if len(records) >= count:
                    return records
                record = json.loads(line)
                if not (record.get("title") and record.get("body")):
                    continue
                if not record.get("date"):
                    record["date"] = (start + timedelta(days=len(records) % 200)).isoformat()
                records.append(record)
    return records


def portal_worker(count: int) -> None:
    """Serve the portal until stdin closes; the first stdout line is its base URL."""
    from tracuu.sample_portal.server import SamplePortal

    with SamplePortal(portal_records(count)) as portal:
        print(portal.base_url, flush=True)
        sys.stdin.read()


def crawl_once(base_url: str, data_dir: Path, max_pages: int) -> dict:
    from crawler.crawl import CrawlSettings
    from crawler.fetch import FetchSettings
    from tracuu import pipeline
    from tracuu.demo import sample_source

    shutil.rmtree(data_dir, ignore_errors=True)
    source = sample_source(base_url)
    source.max_pages = max_pages
    settings = CrawlSettings(
        fetch=FetchSettings(timeout=10.0, retries=1, backoff_base=0.01, backoff_max=0.05),
        delay=0.0,
    )
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = pipeline.crawl_sources(data_dir, [source], settings=settings, progress=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    data = report.to_dict()
    pages = fetched_pages(data)
    return {"wall_s": wall, "cpu_s": cpu, "pages": pages, "report": summary_of(data)}


def fetched_pages(report: dict) -> int:
    """HTTP requests made (article pages, listings, sitemaps, robots.txt)."""
    return int(report.get("requests", 0))


def summary_of(report: dict) -> dict:
    return {
        "articles": report.get("articles"),
        "requests": report.get("requests"),
        "errors": report.get("errors"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 1 run")
    parser.add_argument("--articles", type=int, default=None, help="portal size (default 5,000)")
    parser.add_argument("--runs", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--portal-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.portal_worker:
        portal_worker(args.portal_worker)
        return 0
    articles = args.articles or (1000 if args.quick else 5000)
    runs = args.runs or (1 if args.quick else 3)

    argv_portal = [PYTHON, __file__, "--portal-worker", str(articles)]
    portal = subprocess.Popen(argv_portal, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base_url = portal.stdout.readline().strip()
        results = [crawl_once(base_url, OUT / "crawl-data", articles * 2) for _ in range(runs)]
    finally:
        portal.stdin.close()
        portal.wait(timeout=30)
    shutil.rmtree(OUT / "crawl-data", ignore_errors=True)

    cpu_ms = median([1000 * r["cpu_s"] / max(1, r["pages"]) for r in results])
    wall_pps = median([r["pages"] / r["wall_s"] for r in results])
    rows = [[i + 1, r["pages"], r["wall_s"], r["cpu_s"], 1000 * r["cpu_s"] / max(1, r["pages"])] for i, r in enumerate(results)]  # fmt: skip
    print_table(
        f"Crawl of a local SamplePortal ({articles:,} articles, portal in its own process)",
        ["run", "pages", "wall s", "crawler CPU s", "CPU ms/page"],
        rows,
    )
    print(
        f"median: {cpu_ms:.1f} ms CPU per page ({1000 / cpu_ms:.0f} pages/CPU-s), {wall_pps:.0f} pages/s wall"
    )
    write_json(
        "crawl",
        {
            "articles": articles,
            "runs": results,
            "cpu_ms_per_page": cpu_ms,
            "pages_per_wall_s": wall_pps,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
