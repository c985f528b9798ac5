"""Evaluate people extraction: precision, recall, role accuracy, and throughput.

    .venv/bin/python bench/eval_people.py [-v] [--heldout] [--archive N] [--speed baomoi:5000]

Quality is measured on two hand-checked gold sets, each split by its ``split`` field:
- the original set (tests/data/people_gold.jsonl + bench/data/people_gold_baomoi.jsonl): "dev"
  items were read while the rules were written, "heldout" ones labelled afterwards;
- the unseen set of issue 17 (bench/data/people_gold_unseen.jsonl, whole articles labelled
  before the recall work): its "dev" half may be read while improving; its "heldout" half is
  scored only with ``--heldout`` (at the end), so that its errors are not read by accident.
Throughput: by default every dantri-2020 article in ../shared (title + sapo + body); ``--speed
baomoi:5000`` takes the first 5,000 non-empty baomoi-2017 articles instead; the gold texts when
../shared is absent. ``--archive N`` scores the second pass: names that at least N articles of
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


ARCHIVE_MIN = 0  # --archive N: names >= N other articles of the corpus state with a role
ROLE_COUNTS: Counter[str] = Counter()  # folded name -> articles of the corpus stating a role
OWN_MENTIONS: dict[str, set[str]] = {}  # article id -> the role-stated names it contributes
ARCHIVE_CACHE = ROOT / "bench" / "out" / "people_role_mentions.json"


TEXT_IDS: dict[str, str] = {}  # gold text -> its article id (scoring passes only the text)


IS_PLACE = None  # --register-places: crawler.places.is_place_name as the place predicate


def extract(text: str, byline: str):
    confirmed = confirmed_without(TEXT_IDS.get(text, ""))
    return extract_people(text, byline=byline, is_place=IS_PLACE, confirmed=confirmed)


def confirmed_without(item_id: str) -> frozenset[str]:
    """The archive lexicon as an import would see it for this article: the whole corpus
    minus the article itself (its own role mentions do not confirm its own names)."""
    if not ARCHIVE_MIN:
        return frozenset()
    own = OWN_MENTIONS.get(item_id, set())
    counts = ROLE_COUNTS - Counter({name: 1 for name in own}) if own else ROLE_COUNTS
    return _confirmed(counts, item_id if own else "")


_CONFIRMED_CACHE: dict[str, frozenset[str]] = {}


def _confirmed(counts: Counter[str], key: str) -> frozenset[str]:
    if key not in _CONFIRMED_CACHE:
        _CONFIRMED_CACHE[key] = confirmed_names(counts, ARCHIVE_MIN)
    return _CONFIRMED_CACHE[key]


def load_role_mentions() -> None:
    """Per article of the whole corpus (dantri + baomoi), the names it states with a role —
    what an import's archive holds; cached in bench/out (delete it after a rule change)."""
    if ARCHIVE_CACHE.exists():
        per_article = json.loads(ARCHIVE_CACHE.read_text(encoding="utf-8"))
    else:
        per_article = {}
        for prefix, name in (("dantri-", CORPORA["dantri"]), ("", CORPORA["baomoi"])):
            with gzip.open(CORPUS_DIR / name, "rt", encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    text = "\n".join(filter(None, (r["title"], r["sapo"], r["body"])))
                    people = extract_people(text, byline=r.get("author") or "")
                    names = sorted(role_mentions([people]))
                    if names:
                        per_article[prefix + r["id"]] = names
        ARCHIVE_CACHE.parent.mkdir(exist_ok=True)
        ARCHIVE_CACHE.write_text(json.dumps(per_article, ensure_ascii=False), encoding="utf-8")
    for item_id, names in per_article.items():
        OWN_MENTIONS[item_id] = set(names)
        ROLE_COUNTS.update(names)


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
    parser.add_argument("--no-speed", action="store_true", help="score only, no throughput run")
    parser.add_argument(
        "--register-places",
        action="store_true",
        help="pass the places register's is_place_name to the extractor",
    )
    parser.add_argument(
        "--archive",
        type=int,
        default=0,
        metavar="N",
        help="second pass: names the corpus states with a role in at least N articles",
    )
    args = parser.parse_args()
    if args.register_places:
        global IS_PLACE
        from crawler.places import is_place_name

        IS_PLACE = is_place_name
    if args.archive:
        global ARCHIVE_MIN
        ARCHIVE_MIN = args.archive
        load_role_mentions()
        lexicon_size = len(confirmed_names(ROLE_COUNTS, ARCHIVE_MIN))
        print(
            f"archive lexicon: {lexicon_size} names stated with a role in >= {ARCHIVE_MIN} "
            "articles of the corpus (each text scored without its own mentions)"
        )

    shared = load_shared_gold()
    if not shared:
        print("note: ../shared/corpus not found: scoring the committed texts only", file=sys.stderr)
    gold = load_gold(args.gold) + shared
    TEXT_IDS.update({item["text"]: item["id"] for item in gold})
    print(f"original gold set: {len(gold)} texts ({len(shared)} rebuilt from ../shared/corpus)")
    overall = report_splits(gold, sorted({i.get("split", "dev") for i in gold}))
    if args.verbose:
        print_errors(overall)

    unseen = load_mixed_gold(args.unseen)
    TEXT_IDS.update({item["text"]: item["id"] for item in unseen})
    splits = ["dev", "dev2", "heldout", "fresh"] if args.heldout else ["dev", "dev2"]
    splits = [s for s in splits if any(i.get("split") == s for i in unseen)]
    print(f"unseen gold set (issue 17): {len(unseen)} texts, scoring {' + '.join(splits)}")
    unseen_result = report_splits(unseen, splits)
    if args.verbose:
        print_errors(unseen_result)

    if args.no_speed:
        return 0
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
