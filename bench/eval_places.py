"""Evaluate place extraction against the hand-labelled gold set; measure its speed.

    .venv/bin/python bench/eval_places.py [-v] [--show-heldout]

Gold: ``bench/data/places_gold.jsonl`` (rules in ``bench/data/places_gold.md``); the article
bodies are read from ../shared/corpus by id (baomoi text may not be committed). Every figure
is reported for the "dev" part (read while tuning) and the "heldout" part (never read while
tuning) separately. ``-v`` lists the dev errors; held-out errors only with ``--show-heldout``.

Span rule: a predicted mention matches a gold mention when their character spans overlap
(one-to-one, in text order). So "TP Hà Tĩnh" against a gold "Hà Tĩnh" matches, while two
mentions in one gold span count as one true and one false positive. The share of matches with
exactly equal spans is printed too.
Resolution accuracy: of the matched mentions, the share whose unit is the gold unit (the
register key, or no unit where the gold says "unresolved").
Speed: ``find_mentions`` on every dantri-2020 body (title + sapo + body), CPU and wall time.
Writes bench/out/eval_places.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.places import find_mentions  # noqa: E402
from crawler.places_register import register  # noqa: E402

GOLD = ROOT / "bench" / "data" / "places_gold.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "bench" / "out" / "eval_places.json"


@dataclass
class Score:
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    exact_spans: int = 0
    resolved_right: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def resolution(self) -> float:
        return self.resolved_right / self.matched if self.matched else 1.0

    def row(self) -> dict:
        return {
            **asdict(self),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "resolution_accuracy": round(self.resolution, 3),
        }


def load_bodies(gold: list[dict]) -> dict[tuple[str, str], dict]:
    wanted = {(g["corpus"], g["id"]) for g in gold}
    found = {}
    for corpus in sorted({c for c, _ in wanted}):
        with gzip.open(CORPUS / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if (corpus, row["id"]) in wanted:
                    found[(corpus, row["id"])] = row
    return found


def published(row: dict):
    from crawler.article import parse_iso_datetime

    return parse_iso_datetime(row.get("date") or None)


def score_article(item: dict, row: dict, score: Score, errors: list[str]) -> None:
    body = row["body"]
    for g in item["mentions"]:
        if body[g["start"] : g["end"]] != g["text"]:
            raise SystemExit(f"{item['id']}: gold span {g['text']!r} not found at its offsets")
    predicted = find_mentions(body, published(row))
    gold = list(item["mentions"])
    score.articles += 1
    score.gold += len(gold)
    score.predicted += len(predicted)
    used: set[int] = set()
    for p in predicted:
        match = next(
            (
                n
                for n, g in enumerate(gold)
                if n not in used and p.start < g["end"] and g["start"] < p.end
            ),
            None,
        )
        if match is None:
            errors.append(f"{item['id']} FP  {p.text!r} @{p.start} → {p.unit or '-'}")
            continue
        used.add(match)
        g = gold[match]
        score.matched += 1
        score.exact_spans += (p.start, p.end) == (g["start"], g["end"])
        want = "" if g["unit"] == "unresolved" else g["unit"]
        if p.unit == want:
            score.resolved_right += 1
        else:
            errors.append(
                f"{item['id']} RES {p.text!r} @{p.start} → {describe(p.unit)}, gold {describe(want)}"
            )
    for n, g in enumerate(gold):
        if n not in used:
            errors.append(f"{item['id']} FN  {g['text']!r} @{g['start']} ({describe(g['unit'])})")


def describe(key: str) -> str:
    if not key or key == "unresolved":
        return "unresolved"
    ref = register().units[key].ref
    return f"{key} {ref.type} {ref.name} ({ref.province})"


def throughput() -> dict:
    path = CORPUS / "dantri-2020.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    texts = ["\n\n".join(filter(None, (r["title"], r["sapo"], r["body"]))) for r in rows]
    register()  # loaded once per process: timed separately below
    wall, cpu = time.perf_counter(), time.process_time()
    mentions = sum(len(find_mentions(t)) for t in texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "articles": len(texts),
        "mentions": mentions,
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "articles_per_cpu_s": round(len(texts) / cpu, 1),
        "ms_per_article_cpu": round(1000 * cpu / len(texts), 2),
    }


def register_load() -> dict:
    register.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    register()
    return {
        "cpu_s": round(time.process_time() - cpu, 3),
        "wall_s": round(time.perf_counter() - wall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list the dev errors")
    parser.add_argument("--show-heldout", action="store_true", help="list held-out errors too")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput run")
    args = parser.parse_args()
    load = register_load()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    rows = load_bodies(gold)
    results = {}
    for split in ("dev", "heldout"):
        score, errors = Score(), []
        for item in gold:
            if item["split"] == split:
                score_article(item, rows[(item["corpus"], item["id"])], score, errors)
        results[split] = score.row()
        print(
            f"{split:<8} articles={score.articles:<3} gold={score.gold:<4} "
            f"P={score.precision:.3f} R={score.recall:.3f} "
            f"resolution={score.resolution:.3f} ({score.resolved_right}/{score.matched}) "
            f"exact spans={score.exact_spans}/{score.matched}"
        )
        if args.verbose and (split == "dev" or args.show_heldout):
            print("\n".join("   " + e for e in errors))
    report = {"gold": str(GOLD.relative_to(ROOT)), "register_load": load, **results}
    if not args.no_speed:
        report["throughput_dantri"] = throughput()
        print(f"register load: {load}\nthroughput: {report['throughput_dantri']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
