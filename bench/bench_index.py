"""`tracuu import` speed and peak memory, beside plain Whoosh (StandardAnalyzer) on the same text.

    .venv/bin/python bench/bench_index.py             # 38k: baomoi + dantri (minutes)
    .venv/bin/python bench/bench_index.py --quick     # 3k articles, 3 runs
    .venv/bin/python bench/bench_index.py --scale 200k  # replicated with distinct URLs (20+ min)
    .venv/bin/python bench/bench_index.py --reuse     # keep bench/out/index-38k if it exists
    .venv/bin/python bench/bench_index.py --quick --compare-places  # import with/without places

Phases, each a separate `tracuu` process whose RSS (with its writer sub-processes) is sampled:
  import  `tracuu import --no-index FILES`  (JSONL → Article → people → articles.sqlite)
  index   `tracuu index`                    (store → Vietnamese analysis → Whoosh, procs=2)
  whoosh  plain Whoosh, title/body TEXT(StandardAnalyzer), same writer settings, same articles
The index/whoosh ratio is the cost of the Vietnamese analysis (folded + exact + pairs fields).
The 38k data dir is left in bench/out/index-38k for bench_query.py and bench_serve.py.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_common import (
    INDEX_38K,
    OUT,
    PYTHON,
    ROOT,
    RssSampler,
    corpus_files,
    median,
    print_table,
    write_json,
)

TARGET_ARTICLES_PER_S = 150


def run_measured(argv: list[str]) -> dict:
    """Run a process to completion; wall seconds, CPU seconds (with children), peak RSS."""
    import psutil

    cpu_before = children_cpu_s()
    started = time.perf_counter()
    proc = psutil.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with RssSampler(proc.pid) as rss:
        out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"failed: {' '.join(argv)}")
    return {
        "wall_s": wall,
        "cpu_s": children_cpu_s() - cpu_before,
        "peak_rss_mb": rss.peak_mb,
        "output": (out + err).decode(errors="replace").strip()[-400:],
    }


def children_cpu_s() -> float:
    """User + system CPU of reaped children (and theirs): immune to other users' load."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tracuu(phase: str, data_dir: Path, files: list[Path], engine: str = "whoosh") -> list[str]:
    """A worker process running one phase of `tracuu import` through tracuu.pipeline.

    The library rather than the CLI: the same calls `tracuu import` makes, minus argument
    parsing and the run lock (the CLI's lock refused every import in 5957fe8, fixed in 47cf497).
    """
    argv = [PYTHON, __file__, "--engine", engine, "--tracuu-worker", phase, str(data_dir)]
    return argv + [str(f) for f in files]


def tracuu_worker(phase: str, data_dir: Path, files: list[Path], engine: str) -> None:
    from tracuu import pipeline

    if phase in ("import", "import-no-places"):
        summary = pipeline.import_files(data_dir, files, places=phase == "import")
        print(f"imported {summary.read} ({summary.outcomes})")
    elif phase == "one-pass":  # what `tracuu import` does: index in the same pass if it can
        summary = pipeline.import_files(data_dir, files, index=True, engine=engine)
        indexed = pipeline.index_articles(data_dir, engine=engine)
        print(f"imported {summary.read}, indexed {summary.indexed} + {indexed.indexed} after")
    else:
        summary = pipeline.index_articles(data_dir, engine=engine)
        print(f"indexed {summary.indexed}, {summary.documents} documents")


def count_lines(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            total += sum(1 for line in fh if line.strip())
    return total


def head_file(paths: list[Path], per_file: int, target: Path) -> Path:
    """The first lines of each corpus file: a small, fixed input for --quick."""
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for path in paths:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if i >= per_file:
                        break
                    out.write(line)
    return target


def replicated_file(total: int, target: Path, *, vary: bool = False) -> Path:
    """The full corpus replicated to ``total`` articles with distinct URLs (bench/corpus.py);
    ``vary``: each copy's sentences and paragraphs shuffled and its date moved back."""
    import json

    from bench.corpus import load_corpus, replicate, replicate_varied

    if target.exists():
        return target
    articles = list(load_corpus(["baomoi-2017", "dantri-2020"], None))
    factor = -(-total // len(articles))
    copies = replicate_varied(articles, total) if vary else replicate(articles, factor)
    partial = target.with_name(target.name + ".part")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as out:
        for n, article in enumerate(copies):
            if n >= total:
                break
            out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
    partial.rename(target)
    return target


NOTHING = {"wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mb": 0.0, "output": ""}


def build_tracuu(
    files: list[Path], data_dir: Path, engine: str = "whoosh", import_phase: str = "import"
) -> dict:
    """``import_phase`` "one-pass": one process stores and indexes (``indexer.stream``, as
    `tracuu import` does); its figures are the import row's, the index row's are zero."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    imported = run_measured(tracuu(import_phase, data_dir, files, engine))
    if import_phase == "one-pass":
        return {"import": imported, "index": dict(NOTHING, output=imported["output"])}
    indexed = run_measured(tracuu("index", data_dir, [], engine))
    return {"import": imported, "index": indexed}


def build_whoosh_plain(files: list[Path], index_dir: Path) -> dict:
    if index_dir.exists():
        shutil.rmtree(index_dir)
    argv = [PYTHON, __file__, "--whoosh-worker", str(index_dir), *map(str, files)]
    return run_measured(argv)


def whoosh_worker(index_dir: Path, files: list[Path]) -> None:
    """Plain Whoosh over the same Articles: what indexing costs without Vietnamese analysis."""
    from whoosh import index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    from tracuu.importer import BadLine, CutFields, read_articles

    schema = Schema(
        url=ID(stored=True, unique=True),
        title=TEXT(analyzer=StandardAnalyzer(), stored=True),
        body=TEXT(analyzer=StandardAnalyzer(), stored=True),
    )
    index_dir.mkdir(parents=True)
    ix = index.create_in(str(index_dir), schema)
    # The same settings as indexer.whoosh_engine.write_articles(fresh=True).
    writer = ix.writer(procs=2, limitmb=256, multisegment=True)
    for path in files:
        for article in read_articles(path):
            if isinstance(article, BadLine | CutFields):
                continue
            body = "\n\n".join(p for p in (article.sapo, article.body) if p)
            writer.add_document(url=article.url, title=article.title, body=body)
    writer.commit()


def one_run(
    files: list[Path],
    data_dir: Path,
    articles: int,
    engine: str = "whoosh",
    plain: bool = True,
    phase: str = "import",
) -> dict:
    ours = build_tracuu(files, data_dir, engine, phase)
    plain = build_whoosh_plain(files, OUT / "whoosh-plain") if plain else None
    shutil.rmtree(OUT / "whoosh-plain", ignore_errors=True)
    if plain is None:  # no reference run (--no-reference): its columns stay empty
        plain = {"wall_s": float("nan"), "cpu_s": float("nan"), "peak_rss_mb": float("nan")}
    total = ours["import"]["wall_s"] + ours["index"]["wall_s"]
    return {
        "articles": articles,
        "import_s": ours["import"]["wall_s"],
        "index_s": ours["index"]["wall_s"],
        "total_s": total,
        "whoosh_plain_s": plain["wall_s"],
        "import_cpu_s": ours["import"]["cpu_s"],
        "index_cpu_s": ours["index"]["cpu_s"],
        "whoosh_plain_cpu_s": plain["cpu_s"],
        "import_peak_mb": ours["import"]["peak_rss_mb"],
        "index_peak_mb": ours["index"]["peak_rss_mb"],
        "whoosh_plain_peak_mb": plain["peak_rss_mb"],
        "tracuu_output": ours["index"]["output"],
        "engine": engine,
        "one_pass": phase == "one-pass",
        "disk_mb": disk_mb(data_dir),
    }


def disk_mb(data_dir: Path) -> dict:
    """Megabytes on disk: the store, the live index, the whole data directory."""

    def size(path: Path) -> float:
        files = [path] if path.is_file() else path.rglob("*")
        return sum(f.stat().st_size for f in files if f.is_file()) / 1e6

    from indexer import location

    live = location.current_index_dir(data_dir)
    return {
        "store": size(data_dir / "articles.sqlite"),
        "index": size(live) if live else 0.0,
        "total": size(data_dir),
    }


def summarise(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if k.endswith("_s") or k.endswith("_mb")]
    keys = [k for k in keys if k != "disk_mb"]
    summary = {k: median([r[k] for r in runs]) for k in keys}
    n = runs[0]["articles"]
    summary["articles"] = n
    summary["disk_mb"] = runs[-1]["disk_mb"]
    summary["engine"] = runs[-1]["engine"]
    summary["one_pass"] = runs[-1].get("one_pass", False)
    summary["import_articles_per_s"] = n / summary["import_s"]
    summary["index_articles_per_s"] = n / summary["index_s"] if summary["index_s"] else float("nan")
    summary["end_to_end_articles_per_s"] = n / summary["total_s"]
    summary["whoosh_plain_articles_per_s"] = n / summary["whoosh_plain_s"]
    # Ratio per run (same machine state), then the median of the ratios.
    summary["index_vs_plain_ratio"] = median([r["index_s"] / r["whoosh_plain_s"] for r in runs])
    # (zero with --one-pass: the index row is part of the import row then)
    summary["index_vs_plain_cpu_ratio"] = median(
        [r["index_cpu_s"] / r["whoosh_plain_cpu_s"] for r in runs]
    )
    summary["end_to_end_cpu_ms_per_article"] = (
        1000 * (summary["import_cpu_s"] + summary["index_cpu_s"]) / n
    )
    summary["target_articles_per_s"] = TARGET_ARTICLES_PER_S
    summary["target_met"] = summary["end_to_end_articles_per_s"] >= TARGET_ARTICLES_PER_S
    return summary


def report(label: str, summary: dict) -> None:
    s = summary
    if s.get("one_pass"):
        print("one pass: store, people, places and index in one `tracuu import` process")
    rows = [
        ["tracuu import (store + people)", s["import_s"], s["import_articles_per_s"], s["import_peak_mb"], s["import_cpu_s"]],
        ["tracuu index (Vietnamese analysis)", s["index_s"], s["index_articles_per_s"], s["index_peak_mb"], s["index_cpu_s"]],
        ["tracuu import end to end", s["total_s"], s["end_to_end_articles_per_s"], max(s["import_peak_mb"], s["index_peak_mb"]), s["import_cpu_s"] + s["index_cpu_s"]],
        ["whoosh StandardAnalyzer (reference)", s["whoosh_plain_s"], s["whoosh_plain_articles_per_s"], s["whoosh_plain_peak_mb"], s["whoosh_plain_cpu_s"]],
    ]  # fmt: skip
    print_table(
        f"Indexing {label}: {s['articles']:,} articles",
        ["stage", "wall s", "articles/s", "peak RSS MB", "CPU s"],
        rows,
    )
    print(
        f"index / plain Whoosh: {s['index_vs_plain_ratio']:.2f}× wall, "
        f"{s['index_vs_plain_cpu_ratio']:.2f}× CPU; "
        f"{s['end_to_end_cpu_ms_per_article']:.1f} ms CPU per article end to end"
    )
    met = "met" if s["target_met"] else "MISSED"
    print(f"target ≥ {TARGET_ARTICLES_PER_S} articles/s end to end: {met}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["38k", "200k", "1m"], default="38k")
    parser.add_argument("--engine", choices=["whoosh", "tantivy"], default="whoosh")
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the plain Whoosh reference build"
    )
    parser.add_argument("--quick", action="store_true", help="3k articles, 3 runs")
    parser.add_argument("--runs", type=int, default=None, help="default: 1 (3 with --quick)")
    parser.add_argument("--reuse", action="store_true", help="skip if index-38k exists")
    parser.add_argument(
        "--one-pass",
        action="store_true",
        help="store and index in one `tracuu import` process (indexer.stream), as the CLI "
        "does; default: `import --no-index` then `index`, each measured",
    )
    parser.add_argument(
        "--compare-places",
        action="store_true",
        help="import + index with place extraction and without, alternating, same run",
    )
    parser.add_argument("--whoosh-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tracuu-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.whoosh_worker:
        whoosh_worker(args.whoosh_worker, args.files)
        return 0
    if args.tracuu_worker:
        tracuu_worker(args.tracuu_worker[0], Path(args.tracuu_worker[1]), args.files, args.engine)
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    if args.quick:
        label, files = "quick", [head_file(corpus_files(), 1500, OUT / "quick-3k.jsonl.gz")]
        data_dir = OUT / "index-quick"
    elif args.scale == "200k":
        label, files = "200k", [replicated_file(200_000, OUT / "corpus-200k.jsonl.gz")]
        data_dir = OUT / "index-200k"
    elif args.scale == "1m":
        # Copies varied (sentences shuffled, dates moved): not 26 identical posting lists.
        label = "1m"
        files = [replicated_file(1_000_000, OUT / "corpus-1m.jsonl.gz", vary=True)]
        data_dir = OUT / "index-1m"
    else:
        label, files, data_dir = "38k", corpus_files(), INDEX_38K
        if args.reuse and (data_dir / "index" / "CURRENT").exists():
            print(f"{data_dir} exists (--reuse): nothing to do")
            return 0
    runs = args.runs or (3 if args.quick else 1)
    articles = count_lines(files)
    if args.compare_places:
        compare_places(files, data_dir, articles, runs)
        return 0
    if args.engine != "whoosh":
        label, data_dir = (
            f"{label}-{args.engine}",
            data_dir.with_name(f"{data_dir.name}-{args.engine}"),
        )
    plain = not args.no_reference
    phase = "one-pass" if args.one_pass else "import"
    if args.one_pass:
        label += "-one-pass"
    results = [one_run(files, data_dir, articles, args.engine, plain, phase) for _ in range(runs)]
    summary = summarise(results)
    report(label, summary)
    write_json(f"index-{label}", {"runs": results, "summary": summary})
    return 0


def compare_places(files: list[Path], data_dir: Path, articles: int, runs: int) -> None:
    """`tracuu import` (store + people [+ places]) then `tracuu index`, with places and
    without, alternating within each run so both see the same machine load; CPU seconds."""
    rows = {"with places": [], "without places": []}
    for _ in range(runs):
        for label, phase in (("with places", "import"), ("without places", "import-no-places")):
            built = build_tracuu(files, data_dir, import_phase=phase)
            rows[label].append(
                {
                    "import_cpu_s": built["import"]["cpu_s"],
                    "index_cpu_s": built["index"]["cpu_s"],
                    "import_wall_s": built["import"]["wall_s"],
                    "index_wall_s": built["index"]["wall_s"],
                }
            )
    summary = {}
    for label, measured in rows.items():
        summary[label] = {k: median([m[k] for m in measured]) for k in measured[0]}
        summary[label]["end_to_end_cpu_s"] = (
            summary[label]["import_cpu_s"] + summary[label]["index_cpu_s"]
        )
    on, off = summary["with places"], summary["without places"]
    summary["import_cpu_ratio"] = on["import_cpu_s"] / off["import_cpu_s"]
    summary["end_to_end_cpu_ratio"] = on["end_to_end_cpu_s"] / off["end_to_end_cpu_s"]
    print_table(
        f"Places on/off: {articles:,} articles, median of {runs}",
        ["", "import CPU s", "index CPU s", "end to end CPU s", "import wall s", "index wall s"],
        [
            [k, v["import_cpu_s"], v["index_cpu_s"], v["end_to_end_cpu_s"], v["import_wall_s"], v["index_wall_s"]]
            for k, v in (("with places", on), ("without places", off))
        ],
    )  # fmt: skip
    print(
        f"with / without places: import stage {summary['import_cpu_ratio']:.3f}× CPU, "
        f"end to end {summary['end_to_end_cpu_ratio']:.3f}× CPU"
    )
    write_json("index-places-compare", {"articles": articles, "runs": rows, "summary": summary})


if __name__ == "__main__":
    sys.exit(main())
