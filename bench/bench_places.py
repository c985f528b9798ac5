"""Latency of place searches (``noi:``, history, the province facet) at 38k articles.

    .venv/bin/python bench/bench_places.py [--engine whoosh|tantivy] [--runs 3] [--reuse]
    .venv/bin/python bench/bench_places.py --engine whoosh --limit 5000  # a smaller build

Articles: the 38k of baomoi-2017 + dantri-2020 (bench/corpus.py, people not extracted). The
shared corpus carries no places, and the extraction (crawler/places.py) is not what is
measured here: every article gets SYNTHETIC places — each pre-2025 province named in its text
(../shared/lists/provinces.tsv, name without "Tỉnh"/"Thành phố", whole words) becomes a Place
of the pre-2025 register, related to a made-up 2025 unit grouping provinces two by two in code
order (not the real 2025 mergers: only the posting-list sizes matter here). That index is
built in bench/out/index-places-38k-<engine>; each query is timed uncached (the engine's result
caches cleared first), wall and CPU time of the searching thread, as bench_query.py does. The
first place query after opening also builds the place directory: reported on its own.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from bench_common import OUT, SHARED, median, percentile, print_table, write_json
from bench_query import clear_result_caches
from corpus import load_corpus

from indexer.backend import DEFAULT_ENGINE, engine_names

PROVINCES_TSV = SHARED / "lists" / "provinces.tsv"
PREFIXES = ("Thành phố ", "Tỉnh ")

# (kind, query text, extra SearchQuery fields)
QUERIES: list[tuple[str, str, dict]] = [
    ("plain", "giáo dục", {}),
    ("plain", '"an toàn giao thông"', {}),
    ("plain", "thu tuong", {}),
    ("noi:", 'noi:"Hà Nội"', {}),
    ("noi:", 'noi:"tỉnh Nghệ An"', {}),
    ("noi:", 'noi:"ha tinh"', {}),
    ("noi:", "noi:42", {}),
    ("noi: + words", 'giáo dục noi:"Hà Nội"', {}),
    ("noi: + words", 'bão noi:"Quảng Bình"', {}),
    ("noi: history", 'noi:"Quảng Bình" +lịch sử', {}),
    ("noi: history", 'noi:"Hà Nội" +lịch sử', {}),
    ("facets + provinces", "giáo dục", {"facets": True}),
    ("facets + provinces", 'noi:"Hà Tĩnh"', {"facets": True, "provinces": ("pre-2025|Hà Tĩnh",)}),
]


def read_provinces() -> list[tuple[str, str, str]]:
    """(code, name without its type word, type) of the 63 pre-2025 provinces."""
    rows = []
    for line in PROVINCES_TSV.read_text(encoding="utf-8").splitlines()[1:]:
        code, full, _kind = line.split("\t")
        prefix = next((p for p in PREFIXES if full.startswith(p)), "")
        rows.append((code, full[len(prefix) :], prefix.strip().lower() or "tỉnh"))
    return rows


def synthetic_places(articles: list, provinces: list[tuple[str, str, str]]) -> list:
    """The articles with a Place per province named in their text (see the docstring)."""
    from crawler.article import Place, PlaceRef

    old = {name: PlaceRef(name, kind, code, name, "pre-2025") for code, name, kind in provinces}
    new = {}
    for i, (_code, name, _kind) in enumerate(provinces):
        first_code, first_name, first_kind = provinces[i - i % 2]
        new[name] = PlaceRef(first_name, first_kind, f"{int(first_code):02d}", first_name, "2025")
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, old)) + r")(?!\w)")
    enriched = []
    for article in articles:
        places = []
        for match in pattern.finditer(article.body):
            name = match.group(1)
            places.append(Place(name, old[name], match.start(), (new[name],)))
        enriched.append(article.with_changes(places=places, content_hash=article.content_hash))
    return enriched


def build(engine: str, reuse: bool, limit: int | None) -> Path:
    from indexer import rebuild_index

    data_dir = OUT / f"index-places-{limit or '38k'}-{engine}"
    if reuse and (data_dir / "index" / "CURRENT").exists():
        return data_dir
    articles = synthetic_places(list(load_corpus(limit=limit)), read_provinces())
    named = sum(1 for a in articles if a.places)
    started, cpu = time.perf_counter(), time.process_time()
    rebuild_index(data_dir, articles, engine=engine)
    print(
        f"built {data_dir.name}: {len(articles)} articles ({named} with places) in "
        f"{time.perf_counter() - started:.0f} s wall / {time.process_time() - cpu:.0f} s CPU "
        "(this process; Whoosh's second writer process not counted)"
    )
    return data_dir


def time_queries(data_dir: Path, runs: int) -> tuple[dict, dict, dict]:
    from indexer import SearchQuery, open_engine

    engine = open_engine(data_dir)
    warm_up = getattr(engine, "warm_up", None)
    if warm_up is not None:
        warm_up(wait=True)
    started, cpu = time.perf_counter(), time.thread_time()
    engine.search(SearchQuery(text='noi:"Hà Nội"'))  # builds the place directory
    directory = {"ms": 1000 * (time.perf_counter() - started),
                 "cpu_ms": 1000 * (time.thread_time() - cpu)}  # fmt: skip
    wall: dict[str, list[float]] = {}
    cpu_ms: dict[str, list[float]] = {}
    try:
        for _ in range(runs):
            for kind, text, extra in QUERIES:
                clear_result_caches(engine)
                started, cpu = time.perf_counter(), time.thread_time()
                engine.search(SearchQuery(text=text, **extra))
                wall.setdefault(kind, []).append(1000 * (time.perf_counter() - started))
                cpu_ms.setdefault(kind, []).append(1000 * (time.thread_time() - cpu))
    finally:
        engine.close()
    return wall, cpu_ms, directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=engine_names(), default=DEFAULT_ENGINE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep a built places index")
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default all)")
    args = parser.parse_args(argv)
    data_dir = build(args.engine, args.reuse, args.limit)
    wall, cpu, directory = time_queries(data_dir, args.runs)
    rows = []
    for kind in dict.fromkeys(k for k, _, _ in QUERIES):
        rows.append([kind, median(wall[kind]), percentile(wall[kind], 95),
                     median(cpu[kind]), percentile(cpu[kind], 95)])  # fmt: skip
    print_table(
        f"Place queries over {data_dir.name} ({args.engine}, {args.runs} runs, uncached), ms",
        ["kind", "median", "p95", "median CPU", "p95 CPU"],
        rows,
    )
    print(
        "place directory built on first use: {ms:.0f} ms wall / {cpu_ms:.0f} ms CPU".format(
            **directory
        )
    )
    write_json(
        f"places-{data_dir.name}",
        {"runs": args.runs, "engine": args.engine, "rows": rows, "directory": directory,
         "queries": [[k, t, {a: str(b) for a, b in e.items()}] for k, t, e in QUERIES]},
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
