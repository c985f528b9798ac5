"""Match-set evaluation: precision and recall of complete result sets (`/xuat`), per kind.

Is every article the export returns one that holds the query, and is every such article
returned?

    .venv/bin/python bench/eval_match_set.py [--engine whoosh|tantivy|both] [--reuse]
        [--quick [N]] [--code-dir DIR] [--tag TAG]

1. The evaluation slice: all of ../shared/corpus/dantri-2020 plus the first 10,000 lines of
   baomoi-2017 (12,653 articles), the slice ../shared/eval/match_dev.jsonl was chosen on,
   written once to bench/out/match-slice.jsonl (kept if it has the right line count).
2. `tracuu import SLICE --data-dir bench/out/match-[TAG-]ENGINE --engine ENGINE` into a fresh
   data dir (an existing one is removed first), or nothing with ``--reuse`` when that data dir
   already holds an index of that engine.
3. `tracuu serve` on a free port; once /api/stats answers, ../shared/eval/eval_match_set.py
   (run as is, in a subprocess) compares the complete export of every query with the
   articles of the slice that hold it, for ../shared/eval/match_dev.jsonl and for our own
   bench/data/match_extra.jsonl; the server is stopped afterwards, on errors too.

Truth (the eval script's rules): a query with any diacritic matches the articles whose
title, sapo or body hold its syllables as one contiguous run with the same diacritics
(tone-mark placement ignored: hoà = hòa); a query with none, the same run compared without
diacritics. So a ``mixed`` query ("Hà tinh": one syllable accented, one not) is judged as
exact, and counts in the accented micro figures (every kind not ending in ``nodiac``); the
accented figures without ``mixed`` are printed too.

``--code-dir DIR`` measures another checkout's code, e.g. before/after a change: the import
and the server run ``python -m tracuu.cli`` with PYTHONPATH=DIR and DIR as working directory
(so DIR's packages win over this tree's), checked by printing ``tracuu.__file__`` first.
``--tag before`` keeps that run's data dirs and JSON apart (match-before-whoosh, ...).
``--quick [N]``: only the first N queries (default 40) of each query file.

Figures: bench/out/eval_match_set-[TAG-]ENGINE.json (the import's own time, also when reused:
bench/out/match-[TAG-]ENGINE-import.json; server log: match-[TAG-]ENGINE-serve.log). Targets: accented precision ≥ 0.97 at
recall ≥ 0.97; nodiac precision ≥ 0.95.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench_common import CORPUS, OUT, PYTHON, ROOT, SHARED, print_table, write_json
from bench_query import free_port

from indexer.backend import engine_names

SLICE_PARTS = (("dantri-2020", None), ("baomoi-2017", 10_000))  # (corpus, first N lines)
SLICE = OUT / "match-slice.jsonl"
EVAL_SCRIPT = SHARED / "eval" / "eval_match_set.py"
QUERY_FILES = (SHARED / "eval" / "match_dev.jsonl", ROOT / "bench" / "data" / "match_extra.jsonl")
ENGINES = engine_names()
QUICK_QUERIES = 40
TARGETS = {"accented_precision": 0.97, "accented_recall": 0.97, "nodiac_precision": 0.95}


# --- the slice ---------------------------------------------------------------------------


def slice_lines() -> int:
    """Articles in the evaluation slice (the sum of what each part contributes)."""
    total = 0
    for name, limit in SLICE_PARTS:
        with gzip.open(CORPUS / f"{name}.jsonl.gz", "rt", encoding="utf-8") as source:
            total += sum(1 for _ in itertools.islice(source, limit))
    return total


def count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def write_slice(target: Path = SLICE) -> Path:
    """dantri-2020 and the head of baomoi-2017 as one JSONL file, unless it is already there."""
    expected = slice_lines()
    if target.exists() and count_lines(target) == expected:
        print(f"slice: {target.relative_to(ROOT)} ({expected:,} articles, kept)")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    with partial.open("w", encoding="utf-8") as out:
        for name, limit in SLICE_PARTS:
            with gzip.open(CORPUS / f"{name}.jsonl.gz", "rt", encoding="utf-8") as source:
                for number, line in enumerate(source):
                    if limit is not None and number >= limit:
                        break
                    out.write(line if line.endswith("\n") else line + "\n")
    partial.replace(target)
    print(f"slice: wrote {target.relative_to(ROOT)} ({expected:,} articles)")
    return target


def query_file(path: Path, limit: int | None) -> Path:
    """The query file itself, or its first ``limit`` lines written to bench/out."""
    if limit is None:
        return path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
    head = OUT / f"{path.stem}.first{limit}.jsonl"
    head.write_text("".join(lines), encoding="utf-8")
    return head


# --- the code under test -----------------------------------------------------------------


def code_env(code_dir: Path | None) -> tuple[dict[str, str], Path]:
    """Environment and working directory for `python -m tracuu.cli` of the code measured.

    With ``-m`` the working directory comes first on sys.path, so it must be the checkout."""
    env = dict(os.environ)
    if code_dir is None:
        return env, ROOT
    env["PYTHONPATH"] = str(code_dir) + os.pathsep + env.get("PYTHONPATH", "")
    return env, code_dir


def check_code(code_dir: Path | None) -> dict[str, Any]:
    """Which tracuu the subprocesses import (stops if it is not the one asked for), and its
    git commit and whether its tree has uncommitted changes."""
    env, cwd = code_env(code_dir)
    probe = "import indexer, tracuu; print(tracuu.__file__); print(indexer.__file__)"
    files = subprocess.run(
        [PYTHON, "-c", probe], env=env, cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.split()
    root = (code_dir or ROOT).resolve()
    if not all(Path(f).resolve().is_relative_to(root) for f in files):
        raise SystemExit(f"subprocesses import {files}, not the code in {root}")
    print(f"code: {root} ({', '.join(files)})")

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "code_dir": str(root),
        "tracuu_file": files[0],
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def tracuu_argv(*args: str) -> list[str]:
    return [PYTHON, "-m", "tracuu.cli", *args]


# --- import ------------------------------------------------------------------------------


def index_engine(data_dir: Path) -> str | None:
    """The engine of the data dir's live index, None when it has none."""
    index = data_dir / "index"
    try:
        current = (index / "CURRENT").read_text(encoding="utf-8").strip()
        meta = json.loads((index / current / "tracuu-index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta.get("engine")


def import_slice(
    slice_path: Path, data_dir: Path, engine: str, code_dir: Path | None, reuse: bool
) -> float | None:
    """Seconds `tracuu import` took, or None when ``reuse`` found the index already there."""
    found = index_engine(data_dir)
    if reuse and found == engine:
        print(f"import: {data_dir.relative_to(ROOT)} already holds a {engine} index (--reuse)")
        return None
    if reuse and found is not None:
        raise SystemExit(f"{data_dir} holds a {found} index, not {engine}: drop --reuse")
    if data_dir.exists():
        if not data_dir.resolve().is_relative_to(OUT.resolve()):
            raise SystemExit(f"refusing to remove {data_dir}: not under {OUT}")
        shutil.rmtree(data_dir)
    env, cwd = code_env(code_dir)
    argv = tracuu_argv("import", str(slice_path), "--data-dir", str(data_dir), "--engine", engine)
    print(f"import: {' '.join(argv[2:])}", flush=True)
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True)
    seconds = time.perf_counter() - started
    if index_engine(data_dir) != engine:
        raise SystemExit(f"tracuu import left no {engine} index in {data_dir}")
    print(f"import: {seconds:,.0f} s")
    return seconds


# --- serve -------------------------------------------------------------------------------


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    data_dir: Path, code_dir: Path | None, log_path: Path, limit_s: float = 180
) -> tuple[subprocess.Popen, str]:
    """`tracuu serve` on a free port; returns once /api/stats answers. Its output goes to
    ``log_path``."""
    env, cwd = code_env(code_dir)
    port = free_port()
    argv = tracuu_argv("serve", "--data-dir", str(data_dir), "--port", str(port))
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        if answers(base + "/api/stats"):
            return proc, base
        time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"tracuu serve did not answer within {limit_s:.0f} s: see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- evaluation --------------------------------------------------------------------------


def run_eval(base: str, slice_path: Path, queries: Path) -> dict[str, Any]:
    """../shared/eval/eval_match_set.py's figures (per kind, micro, worst), the queries it
    reported as errors, and how long it took."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, str(EVAL_SCRIPT), base, str(slice_path), str(queries)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"{EVAL_SCRIPT.name} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    output = json.loads(done.stdout.strip().splitlines()[-1])
    micro = {name: output.pop(name) for name in ("accented", "nodiac", "worst")}
    result = {
        "queries": count_lines(queries),
        "eval_s": seconds,
        "errors": [line for line in done.stderr.splitlines() if line.startswith("error ")],
        "kinds": output,
        **micro,
        "accented_without_mixed": micro_from_kinds(output, exclude=("mixed",)),
    }
    if not any(kind.endswith("nodiac") for kind in output):
        result["nodiac"] = {"precision": None, "recall": None}  # the script says 0.0
    result["targets_met"] = targets_met(result)
    return result


def micro_from_kinds(kinds: dict[str, Any], exclude: tuple[str, ...]) -> dict[str, Any]:
    """Accented micro precision/recall over the kinds not in ``exclude``, rebuilt from the
    per-kind figures: true positives = recall × truth or precision × returned, whichever
    the script's rounding (3 decimals) leaves exact: the smaller count."""
    picked = [v for k, v in kinds.items() if not k.endswith("nodiac") and k not in exclude]
    returned = sum(v["returned"] for v in picked)
    truth = sum(v["truth"] for v in picked)
    hits = sum(true_positives(v) for v in picked)
    return {
        "precision": round(hits / returned, 3) if returned else None,
        "recall": round(hits / truth, 3) if truth else None,
        "excluded": list(exclude),
    }


def true_positives(kind: dict[str, Any]) -> int:
    if kind["truth"] <= kind["returned"]:
        return round((kind["recall"] or 0) * kind["truth"])
    return round((kind["precision"] or 0) * kind["returned"])


def targets_met(result: dict[str, Any]) -> dict[str, bool | None]:
    def at_least(value: float | None, floor: float) -> bool | None:
        return None if value is None else value >= floor

    accented, nodiac = result["accented"], result["nodiac"]
    return {
        "accented_precision": at_least(accented["precision"], TARGETS["accented_precision"]),
        "accented_recall": at_least(accented["recall"], TARGETS["accented_recall"]),
        "nodiac_precision": at_least(nodiac["precision"], TARGETS["nodiac_precision"]),
    }


def report(engine: str, name: str, result: dict[str, Any]) -> None:
    header = ["kind", "precision", "recall", "returned", "truth"]
    rows = [[k, v["precision"], v["recall"], v["returned"], v["truth"]] for k, v in result["kinds"].items()]  # fmt: skip
    title = f"{engine}: {name} ({result['queries']} queries, {result['eval_s']:.0f} s)"
    print_table(title, header, rows)
    met = result["targets_met"]
    accented, nodiac = result["accented"], result["nodiac"]
    print(
        f"accented micro  precision {num(accented['precision'])} "
        f"(target ≥ {TARGETS['accented_precision']}: {ok(met['accented_precision'])})  "
        f"recall {num(accented['recall'])} "
        f"(target ≥ {TARGETS['accented_recall']}: {ok(met['accented_recall'])})"
    )
    if "mixed" in result["kinds"]:
        other = result["accented_without_mixed"]
        print(
            f"  without mixed precision {num(other['precision'])}  "
            f"recall {num(other['recall'])}  (mixed queries are judged as exact)"
        )
    print(
        f"nodiac micro    precision {num(nodiac['precision'])} "
        f"(target ≥ {TARGETS['nodiac_precision']}: {ok(met['nodiac_precision'])})  "
        f"recall {num(nodiac['recall'])}"
    )
    print("worst (query, returned, truth, precision, recall):")
    for query, got, truth, precision, recall in result["worst"]:
        print(f"  {query!r:32} {got:>6} {truth:>6}  p {precision:.3f}  r {recall:.3f}")
    for line in result["errors"]:
        print(f"  {line}")


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def ok(met: bool | None) -> str:
    return "n/a" if met is None else "met" if met else "MISSED"


def evaluate_engine(
    engine: str, slice_path: Path, args: argparse.Namespace, code: dict[str, Any]
) -> dict[str, Any]:
    """Import (or reuse), serve, evaluate every query file, stop the server."""
    label = f"{args.tag}-{engine}" if args.tag else engine
    data_dir = OUT / f"match-{label}"
    import_s = import_slice(slice_path, data_dir, engine, args.code_dir, args.reuse)
    import_record = OUT / f"match-{label}-import.json"
    if import_s is not None:
        record = {"import_s": import_s, "articles": count_lines(slice_path), "code": code}
        import_record.write_text(json.dumps(record, indent=2), encoding="utf-8")
    earlier = json.loads(import_record.read_text()) if import_record.exists() else None
    started = time.perf_counter()
    proc, base = start_server(data_dir, args.code_dir, OUT / f"match-{label}-serve.log")
    evals: dict[str, Any] = {}
    try:
        ready_s = time.perf_counter() - started
        print(f"serve: {base} answered after {ready_s:.1f} s", flush=True)
        for path in QUERY_FILES:
            result = run_eval(base, slice_path, query_file(path, args.quick))
            evals[path.stem] = result
            report(engine, path.stem, result)
    finally:
        stop_server(proc)
    result = {
        "engine": engine,
        "tag": args.tag,
        "code": code,
        "data_dir": str(data_dir.relative_to(ROOT)),
        "slice": {"path": str(slice_path.relative_to(ROOT)), "parts": SLICE_PARTS},
        "articles": count_lines(slice_path),
        "import_s": import_s,
        "import_reused": import_s is None,
        "import_that_built_it": earlier,  # the import run's own record (also when reused)
        "server_ready_s": ready_s,
        "quick": args.quick,
        "targets": TARGETS,
        "query_files": {p.stem: str(p) for p in QUERY_FILES},
        "evals": evals,
    }
    write_json(f"eval_match_set-{label}", result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=[*ENGINES, "both"], default="whoosh")
    parser.add_argument(
        "--reuse", action="store_true", help="no import when the data dir already has the index"
    )
    parser.add_argument(
        "--quick",
        type=int,
        nargs="?",
        const=QUICK_QUERIES,
        default=None,
        metavar="N",
        help=f"only the first N queries of each file (default {QUICK_QUERIES})",
    )
    parser.add_argument(
        "--code-dir",
        type=Path,
        default=None,
        help="measure another checkout's code, e.g. before/after (PYTHONPATH for the "
        "import and the server; default: this tree)",
    )
    parser.add_argument(
        "--tag", default="", help="names the data dirs and JSON: match-TAG-ENGINE (e.g. before)"
    )
    args = parser.parse_args(argv)
    # `kill` as well as Ctrl-C unwinds through the finally blocks that stop the server.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.code_dir is not None:
        args.code_dir = args.code_dir.resolve()
    code = check_code(args.code_dir)
    slice_path = write_slice()
    engines = ENGINES if args.engine == "both" else (args.engine,)
    for engine in engines:  # one after the other: the machine has few cores
        evaluate_engine(engine, slice_path, args, code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
