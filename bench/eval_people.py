"""Evaluate people extraction: precision, recall, role accuracy, and throughput.

    .venv/bin/python bench/eval_people.py [-v] [--gold tests/data/people_gold.jsonl]

Quality is measured on the hand-checked gold set, split by its ``split`` field ("dev" items were
read while the rules were written; "heldout" items were labelled afterwards and never tuned on).
Throughput is measured on every dantri-2020 article in ../shared (title + sapo + body) when it
is there, else on the gold texts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.people import extract_people  # noqa: E402
from crawler.people_eval import (  # noqa: E402
    GOLD_PATH,
    Score,
    load_gold,
    load_shared_gold,
    score,
)

DANTRI = ROOT.parent / "shared" / "corpus" / "dantri-2020.jsonl.gz"
MIN_TIMED_SECONDS = 2.0


def extract(text: str, byline: str):
    return extract_people(text, byline=byline)


def report(label: str, result: Score, n_items: int) -> None:
    print(
        f"{label:<8} texts={n_items:<3} P={result.precision:.3f} R={result.recall:.3f} "
        f"F1={result.f1:.3f} (tp={result.true_positives} fp={result.false_positives} "
        f"fn={result.false_negatives})  role accuracy={result.role_accuracy:.3f} "
        f"({result.roles_right}/{result.roles_checked})"
    )


def throughput_texts(gold: list[dict]) -> tuple[str, list[str]]:
    if DANTRI.exists():
        with gzip.open(DANTRI, "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        texts = ["\n".join(filter(None, (r["title"], r["sapo"], r["body"]))) for r in rows]
        return "dantri-2020 (all articles)", texts
    return "gold texts (../shared not found)", [item["text"] for item in gold]


def measure_throughput(texts: list[str]) -> tuple[float, float, int]:
    """(articles per wall-clock second, per CPU second, extractions). CPU time is the steadier
    figure on a shared machine; wall time is what a crawl sees."""
    done = 0
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    while True:
        for text in texts:
            extract_people(text)
        done += len(texts)
        wall = time.perf_counter() - wall_start
        if wall >= MIN_TIMED_SECONDS:
            cpu = time.process_time() - cpu_start
            return done / wall, done / cpu, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args()

    shared = load_shared_gold()
    if not shared:
        print("note: ../shared/corpus not found: scoring the committed texts only", file=sys.stderr)
    gold = load_gold(args.gold) + shared
    print(f"gold set: {len(gold)} texts ({len(shared)} rebuilt from ../shared/corpus)")
    splits = sorted({item.get("split", "dev") for item in gold})
    for split in splits:
        items = [item for item in gold if item.get("split", "dev") == split]
        report(split, score(items, extract), len(items))
    overall = score(gold, extract)
    report("all", overall, len(gold))
    if args.verbose:
        for line in overall.errors:
            print("  ", line)

    label, texts = throughput_texts(gold)
    extract_people(texts[0])  # load the word lists before timing
    wall_rate, cpu_rate, done = measure_throughput(texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"throughput: {wall_rate:,.0f} articles/s wall-clock, {cpu_rate:,.0f} per CPU second, "
        f"on {label}, mean {mean_chars:,.0f} chars ({done} extractions; target ≥ 300/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
