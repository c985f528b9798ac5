"""Evaluate people extraction: precision, recall, role accuracy, and throughput.

    .venv/bin/python bench/eval_people.py [-v] [--heldout] [--archive N] [--speed baomoi:5000]
    .venv/bin/python bench/eval_people.py --fresh bench/data/people_gold_fresh.jsonl [-v]

Quality is measured on two hand-checked gold sets, each split by its ``split`` field:
- the original set (tests/data/people_gold.jsonl + bench/data/people_gold_baomoi.jsonl): "dev"
  items were read while the rules were written, "heldout" ones labelled afterwards;
- the unseen set of issue 17 (bench/data/people_gold_unseen.jsonl, whole articles labelled
  before the recall work): its "dev" half may be read while improving; its "heldout" half is
  scored only with ``--heldout`` (at the end), so that its errors are not read by accident.
Throughput: by default every dantri-2020 article in ../shared (title + sapo + body); ``--speed
baomoi:5000`` takes the first 5,000 non-empty baomoi-2017 articles instead; the gold texts when
../shared is absent. ``--fresh PATH`` scores only that blind gold file (issue 17's fresh set,
bench/data/people_gold_fresh.jsonl, scored once at the end): totals per corpus, and no list of
errors unless ``-v`` is given, so that its errors are not read by accident. ``--archive N`` scores the second pass: names that at least N articles of
the whole corpus state with a role are accepted role-less (crawler/people_archive.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.people import extract_people  # noqa: E402
from crawler.people_archive import confirmed_names, role_mentions  # noqa: E402
from crawler.people_eval import (  # noqa: E402
    GOLD_PATH,
    UNSEEN_PATH,
    Score,
    load_gold,
    load_mixed_gold,
    load_shared_gold,
    score,
)

CORPUS_DIR = ROOT.parent / "shared" / "corpus"
CORPORA = {"dantri": "dantri-2020.jsonl.gz", "baomoi": "baomoi-2017.jsonl.gz"}
MIN_TIMED_SECONDS = 2.0


CONFIRMED: frozenset[str] = frozenset()  # --archive: names the corpus states with a role
ARCHIVE_CACHE = ROOT / "bench" / "out" / "people_confirmed_names.json"


def extract(text: str, byline: str):
    return extract_people(text, byline=byline, confirmed=CONFIRMED)


def archive_lexicon(min_mentions: int) -> frozenset[str]:
    """Names the whole corpus (dantri + baomoi) states with a role — the second pass an import
    would build; cached in bench/out (delete it after a rule change)."""
    if ARCHIVE_CACHE.exists():
        counts = Counter(json.loads(ARCHIVE_CACHE.read_text(encoding="utf-8")))
        return confirmed_names(counts, min_mentions)
    people = []
    for name in CORPORA.values():
        with gzip.open(CORPUS_DIR / name, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                text = "\n".join(filter(None, (r["title"], r["sapo"], r["body"])))
                people.append(extract_people(text, byline=r.get("author") or ""))
    counts = role_mentions(people)
    ARCHIVE_CACHE.parent.mkdir(exist_ok=True)
    ARCHIVE_CACHE.write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
    return confirmed_names(counts, min_mentions)


def report(label: str, result: Score, n_items: int) -> None:
    print(
        f"{label:<8} texts={n_items:<3} P={result.precision:.3f} R={result.recall:.3f} "
        f"F1={result.f1:.3f} (tp={result.true_positives} fp={result.false_positives} "
        f"fn={result.false_negatives})  role accuracy={result.role_accuracy:.3f} "
        f"({result.roles_right}/{result.roles_checked})"
    )


def throughput_texts(gold: list[dict], speed: str) -> tuple[str, list[str]]:
    name, _, count = speed.partition(":")
    path = CORPUS_DIR / CORPORA[name]
    if not path.exists():
        return "gold texts (../shared not found)", [item["text"] for item in gold]
    limit = int(count) if count else None
    texts: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if not r.get("body"):
                continue
            texts.append("\n".join(filter(None, (r["title"], r["sapo"], r["body"]))))
            if limit and len(texts) >= limit:
                break
    label = f"{path.name} ({'first ' + str(limit) if limit else 'all'} articles with a body)"
    return label, texts


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


def report_splits(gold: list[dict], splits: list[str]) -> Score:
    """Print one line per split and one for their union; return the union's score."""
    for split in splits:
        items = [item for item in gold if item.get("split", "dev") == split]
        report(split, score(items, extract), len(items))
    chosen = [item for item in gold if item.get("split", "dev") in splits]
    overall = score(chosen, extract)
    if len(splits) > 1:
        report("all", overall, len(chosen))
    return overall


def report_fresh(path: Path, verbose: bool) -> int:
    """Score a blind gold file: one line per corpus and one for all; errors only if verbose."""
    items = load_mixed_gold(path)
    expected = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    if len(items) < expected:
        print(f"note: {expected - len(items)} texts not rebuilt (../shared/corpus not found)")
    if not items:
        return 1
    print(f"fresh gold set {path.name}: {len(items)} texts (scored blind: totals only)")
    for corpus in sorted({item["id"].split("-")[0] for item in items}):
        part = [item for item in items if item["id"].startswith(corpus + "-")]
        report(corpus, score(part, extract), len(part))
    for draw in sorted({item.get("draw", "") for item in items} - {""}):
        part = [item for item in items if item.get("draw") == draw]
        report(draw, score(part, extract), len(part))
    overall = score(items, extract)
    report("all", overall, len(items))
    if verbose:
        print_errors(overall)
    return 0


def print_errors(result: Score) -> None:
    for line in result.errors:
        print("  ", line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--unseen", type=Path, default=UNSEEN_PATH)
    parser.add_argument(
        "--heldout", action="store_true", help="also score the unseen heldout and fresh halves"
    )
    parser.add_argument("--speed", default="dantri", help="dantri | baomoi[:N] | dantri:N")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument(
        "--fresh",
        type=Path,
        metavar="PATH",
        help="score only this blind gold file: totals, errors only with -v",
    )
    parser.add_argument(
        "--archive",
        type=int,
        default=0,
        metavar="N",
        help="second pass: names the corpus states with a role in at least N articles",
    )
    args = parser.parse_args()
    if args.archive:
        global CONFIRMED
        CONFIRMED = archive_lexicon(args.archive)
        print(f"archive lexicon: {len(CONFIRMED)} names stated with a role in the corpus")
    if args.fresh:
        return report_fresh(args.fresh, args.verbose)

    shared = load_shared_gold()
    if not shared:
        print("note: ../shared/corpus not found: scoring the committed texts only", file=sys.stderr)
    gold = load_gold(args.gold) + shared
    print(f"original gold set: {len(gold)} texts ({len(shared)} rebuilt from ../shared/corpus)")
    overall = report_splits(gold, sorted({i.get("split", "dev") for i in gold}))
    if args.verbose:
        print_errors(overall)

    unseen = load_mixed_gold(args.unseen)
    splits = ["dev", "heldout", "fresh"] if args.heldout else ["dev"]
    print(f"unseen gold set (issue 17): {len(unseen)} texts, scoring {' + '.join(splits)}")
    unseen_result = report_splits(unseen, splits)
    if args.verbose:
        print_errors(unseen_result)

    label, texts = throughput_texts(gold, args.speed)
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
