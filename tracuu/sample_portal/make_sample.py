"""Re-create the bundled sample (data/articles.jsonl.gz) from the shared dantri corpus.

Run from the project root:  python -m tracuu.sample_portal.make_sample [--corpus PATH]

This build script is the only code that reads ../shared; nothing the portal runs at
runtime does. The selection is deterministic: per category, every article whose title or
body mentions "nông thôn" (case-insensitive), then articles spread evenly over the
category's id order until the category holds PER_CATEGORY articles. Records are written
unchanged (every field as found), sorted by id, with a fixed gzip header, so re-running the
script yields byte-identical output.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import defaultdict
from pathlib import Path

PER_CATEGORY = 33
MUST_INCLUDE_PHRASE = "nông thôn"
DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dantri-2020.jsonl.gz"
OUTPUT = Path(__file__).resolve().parent / "data" / "articles.jsonl.gz"


def read_corpus(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def mentions_phrase(record: dict, phrase: str = MUST_INCLUDE_PHRASE) -> bool:
    text = f"{record.get('title') or ''}\n{record.get('body') or ''}".lower()
    return phrase in text


def spread_evenly(records: list[dict], count: int) -> list[dict]:
    """``count`` records at evenly spaced positions, so the pick spans the whole category."""
    if count <= 0 or not records:
        return []
    if count >= len(records):
        return list(records)
    step = len(records) / count
    return [records[int(i * step)] for i in range(count)]


def select_sample(records: list[dict], per_category: int = PER_CATEGORY) -> list[dict]:
    """Every phrase match, topped up per category to ``per_category``; sorted by id."""
    by_category: dict[str, list[dict]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r["id"]):
        by_category[record["category"]].append(record)
    chosen: list[dict] = []
    for category in sorted(by_category):
        members = by_category[category]
        required = [r for r in members if mentions_phrase(r)]
        others = [r for r in members if not mentions_phrase(r)]
        chosen += required + spread_evenly(others, per_category - len(required))
    return sorted(chosen, key=lambda r: r["id"])


def write_sample(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(lines.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    sample = select_sample(read_corpus(args.corpus))
    write_sample(sample, args.output)
    phrase_hits = sum(mentions_phrase(r) for r in sample)
    print(
        f"{len(sample)} articles ({phrase_hits} mention {MUST_INCLUDE_PHRASE!r}) -> {args.output}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
