"""Draw and assemble the fresh, blind people gold set of issue 17 (bench/data/people_gold_fresh.jsonl).

    .venv/bin/python bench/build_people_gold_fresh.py --skeleton bench/out/fresh   # draw, dump texts
    .venv/bin/python bench/build_people_gold_fresh.py --build LABELS.txt           # labels -> JSONL
    .venv/bin/python bench/build_people_gold_fresh.py --check                      # parse, rebuild

Run by hand (reads ../shared/corpus); tests never run it. Selection, seed **20261703**:
articles of baomoi-2017 and dantri-2020 with a body, 400–4,000 characters (title + sapo + body),
whose id is in no existing gold or sample file (bench/data/*.jsonl, tests/data/*.jsonl: ids
written "baomoi-N" or "dantri-news_x_N", places_gold by its bare corpus id) and whose text holds a
person cue — a form of address followed by a capitalised word ("ông Nguyễn", "chị Lan", "đồng chí
Trần") or an office word (Chủ tịch, Bí thư, Giám đốc). The cue is a substring test, never the
extractor. ``random.Random(SEED).sample`` draws PER_CORPUS articles from each corpus's pool, in
corpus order. The people were then labelled by reading each text (bench/data/people_gold_fresh.md).

The labels file is plain text, one block per article::

    == baomoi-22345678
    Nguyễn Văn An | Chủ tịch UBND xã Cẩm Bình
    Trần Thị Bình |
    # a note kept in the item's "notes" field

Output lines follow bench/data/people_gold_unseen.jsonl: dantri-2020 items carry their text
(GPL-3.0; trailing author/credit lines moved to ``byline``), baomoi-2017 items only a span over
title + sapo + body (no licence: text not committed). Every item has split "fresh" and
``draw``: "random" (the first, cue-filtered random draw) or "dense-1"/"dense-2" (the supplements,
drawn among people-dense articles: see SUPPLEMENTS), so the random part can be scored apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.people_eval import load_mixed_gold  # noqa: E402

SEED = 20261703
PER_CORPUS = 36
MIN_CHARS, MAX_CHARS = 400, 4000
CORPUS_DIR = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "bench" / "data" / "people_gold_fresh.jsonl"
BAOMOI_ORIGIN = (
    "baomoi-2017 (no licence stated: text not committed; rebuilt from ../shared/corpus) {url}"
)
DANTRI_ORIGIN = "dantri-2020, {url} via {origin} (GPL-3.0)"
ADDRESS_CUE = re.compile(r"(?<!\w)(?:[ôÔ]ng|[bB]à|[aA]nh|[cC]hị|[đĐ]ồng chí) (\w)")
OFFICE_CUES = ("Chủ tịch", "Bí thư", "Giám đốc")
# Supplements: the first draw held few people (foreign news, given names only), so more
# articles per corpus were drawn, in the order below, among the remaining candidates with at
# least SUPPLEMENT_MIN_CUES distinct "cue + surname + capitalised word" openings: 16 (seed + 1),
# then 6 more (seed + 2) when the count stood at 235 people.
SUPPLEMENTS = ((SEED + 1, 16), (SEED + 2, 6))
SUPPLEMENT_MIN_CUES = 3
SUPPLEMENT_MAX_CHARS = 3500
SURNAMES = ROOT.parent / "shared" / "lists" / "surnames_freq.tsv"
NAMED_CUE = re.compile(
    r"(?<!\w)(?:[ôÔ]ng|[bB]à|[aA]nh|[cC]hị|[đĐ]ồng chí|Chủ tịch|Bí thư|Giám đốc|HLV|Đại tá|"
    r"Thượng tá|Trung tá|Thiếu tá|bị cáo|PGS|TS|ThS|bác sĩ|Bác sĩ|nhà văn|nghệ sĩ|NSND|NSƯT) "
    r"(\w+) (\w+)"
)
# A trailing line that is a credit, not text: "Doãn Công", "Theo Reuters", "Ảnh: ...".
CREDIT_LINE = re.compile(
    r"^(?:\(?Theo\b|Ảnh:|Nguồn:|Video:|Clip:).{0,50}$|^[^.!?:\"”]{1,40}$|^\S{1,12}$"
)


def gold_key(item: dict) -> str:
    """The corpus id an item of a gold or sample file stands for."""
    item_id = item.get("id", "")
    return item_id.removeprefix("dantri-")


def used_ids() -> set[str]:
    paths = [
        *sorted((ROOT / "bench" / "data").glob("*.jsonl")),
        *(ROOT / "tests" / "data").glob("*.jsonl"),
    ]
    used: set[str] = set()
    for path in paths:
        if path == OUT:
            continue
        with path.open(encoding="utf-8") as f:
            used.update(gold_key(json.loads(line)) for line in f if line.strip())
    used.discard("")
    return used


def full_text(record: dict) -> str:
    return "\n".join(record.get(k) or "" for k in ("title", "sapo", "body"))


def has_person_cue(text: str) -> bool:
    if any(cue in text for cue in OFFICE_CUES):
        return True
    return any(m.group(1).isupper() for m in ADDRESS_CUE.finditer(text))


def pool(corpus: str, used: set[str]) -> list[dict]:
    chosen = []
    with gzip.open(CORPUS_DIR / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = full_text(record)
            if not record.get("body") or record["id"] in used:
                continue
            if MIN_CHARS <= len(text) <= MAX_CHARS and has_person_cue(text):
                chosen.append(record)
    return chosen


def draw() -> list[tuple[str, dict, str]]:
    """(corpus, record, tranche) for every article drawn: tranche "random" or "dense-N"."""
    used = used_ids()
    rng = random.Random(SEED)
    supplement_rngs = [(random.Random(seed), size) for seed, size in SUPPLEMENTS]
    surnames = read_surnames()
    drawn = []
    for corpus in ("baomoi-2017", "dantri-2020"):
        candidates = pool(corpus, used)
        picks = sorted(rng.sample(range(len(candidates)), PER_CORPUS))
        print(f"{corpus}: {len(candidates)} candidates, {PER_CORPUS} drawn", file=sys.stderr)
        drawn += [(corpus, candidates[i], "random") for i in picks]
        taken = {candidates[i]["id"] for i in picks}
        for number, (supplement_rng, size) in enumerate(supplement_rngs, 1):
            dense = [
                record
                for record in candidates
                if record["id"] not in taken
                and len(full_text(record)) <= SUPPLEMENT_MAX_CHARS
                and named_cues(full_text(record), surnames) >= SUPPLEMENT_MIN_CUES
            ]
            extra = sorted(supplement_rng.sample(range(len(dense)), size))
            print(f"{corpus}: {len(dense)} dense candidates, {size} drawn", file=sys.stderr)
            drawn += [(corpus, dense[i], f"dense-{number}") for i in extra]
            taken.update(dense[i]["id"] for i in extra)
    return drawn


def read_surnames() -> frozenset[str]:
    lines = SURNAMES.read_text(encoding="utf-8").splitlines()[1:]
    return frozenset(line.split("\t")[0] for line in lines if line.strip())


def named_cues(text: str, surnames: frozenset[str]) -> int:
    """Distinct "cue + surname" openings ("ông Nguyễn Văn", "Bí thư Trần Quốc"): a person cue
    followed by a word of the shared surname list and one more capitalised word."""
    found = {
        (m.group(1), m.group(2))
        for m in NAMED_CUE.finditer(text)
        if m.group(1) in surnames and m.group(2)[:1].isupper()
    }
    return len(found)


def split_byline(text: str) -> tuple[str, str]:
    """Move trailing credit lines (author, "Theo Reuters") out of a dantri text."""
    lines = text.split("\n")
    credits: list[str] = []
    while len(lines) > 3 and CREDIT_LINE.search(lines[-1].strip()):
        credits.insert(0, lines.pop().strip())
    return "\n".join(lines), " / ".join(c for c in credits if c)


def skeleton_item(corpus: str, record: dict, tranche: str) -> dict:
    text = unicodedata.normalize("NFC", full_text(record))
    if corpus == "baomoi-2017":
        return {
            "id": record["id"],
            "origin": BAOMOI_ORIGIN.format(url=record["url"]),
            "byline": "",
            "people": [],
            "split": "fresh",
            "draw": tranche,
            "spans": [[0, len(full_text(record))]],
        }
    body, byline = split_byline(text)
    return {
        "id": "dantri-" + record["id"],
        "origin": DANTRI_ORIGIN.format(url=record["url"], origin=record["origin"]),
        "text": body,
        "byline": byline,
        "people": [],
        "split": "fresh",
        "draw": tranche,
    }


def write_skeleton(folder: Path) -> None:
    """The drawn items (people empty) and one text file per article for reading."""
    folder.mkdir(parents=True, exist_ok=True)
    items = [skeleton_item(*drawn) for drawn in draw()]
    with (folder / "skeleton.jsonl").open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    for item in load_mixed_gold(folder / "skeleton.jsonl"):
        byline = f"\n--- byline: {item['byline']}" if item["byline"] else ""
        (folder / f"{item['id']}.txt").write_text(item["text"] + byline + "\n", encoding="utf-8")
    print(f"{len(items)} items in {folder}", file=sys.stderr)


def parse_labels(path: Path) -> dict[str, dict]:
    labels: dict[str, dict] = {}
    current: dict | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", raw.strip())
        if line.startswith("== "):
            current = labels.setdefault(line[3:].strip(), {"people": [], "notes": []})
        elif line.startswith("#") and current is not None:
            current["notes"].append(line.lstrip("# ").strip())
        elif line and current is not None:
            name, _, role = line.partition("|")
            current["people"].append({"name": name.strip(), "role": role.strip()})
    return labels


def build(labels_path: Path, skeleton: Path) -> None:
    labels = parse_labels(labels_path)
    items = [json.loads(line) for line in skeleton.read_text(encoding="utf-8").splitlines()]
    missing = [item["id"] for item in items if item["id"] not in labels]
    unknown = labels.keys() - {item["id"] for item in items}
    if missing or unknown:
        raise SystemExit(f"labels missing for {missing}; labels for unknown ids {sorted(unknown)}")
    with OUT.open("w", encoding="utf-8") as f:
        for item in items:
            label = labels[item["id"]]
            item["people"] = label["people"]
            if label["notes"]:
                item["notes"] = " ".join(label["notes"])
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)


def check() -> None:
    """The file parses, every text rebuilds, each labelled name occurs in its text."""
    items = load_mixed_gold(OUT)
    raw = OUT.read_text(encoding="utf-8").splitlines()
    assert len(items) == len(raw), f"{len(raw) - len(items)} texts not rebuilt"
    for item in items:
        for person in item["people"]:
            assert person["name"] in item["text"], (item["id"], person["name"])
    groups = [("baomoi", "id"), ("dantri", "id"), ("random", "draw"), ("dense", "draw")]
    for prefix, key in groups:
        part = [i for i in items if i[key].startswith(prefix)]
        people = sum(len(i["people"]) for i in part)
        splits = sorted({i["split"] for i in part})
        print(f"{prefix}: {len(part)} articles, {people} people, split {splits}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skeleton", type=Path, help="draw; write skeleton + texts in this folder")
    parser.add_argument(
        "--build", type=Path, help="labels file -> bench/data/people_gold_fresh.jsonl"
    )
    parser.add_argument(
        "--from", dest="source", type=Path, default=ROOT / "bench/out/fresh/skeleton.jsonl"
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.skeleton:
        write_skeleton(args.skeleton)
    if args.build:
        build(args.build, args.source)
    if args.check:
        check()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
