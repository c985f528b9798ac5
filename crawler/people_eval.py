"""Scoring people extraction against the hand-checked gold set.

The committed part (tests/data/people_gold.jsonl) holds texts we may redistribute: the seed
text, the Bắc Giang roster and Dân trí articles (GPL-3.0). The baomoi-2017 part carries no
licence, so only our labels and character spans are committed (bench/data/
people_gold_baomoi.jsonl); its texts are rebuilt from ../shared/corpus when that is present
(benchmarks), never in the test suite.

Name-level: a predicted name counts when the same name (NFC, exact) is in the gold list of the
same text. Role accuracy: over names found whose gold role is not empty, the share whose
predicted role equals it (case and spacing ignored).
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.article import Person

ROOT = Path(__file__).resolve().parent.parent
GOLD_PATH = ROOT / "tests" / "data" / "people_gold.jsonl"
SPANS_PATH = ROOT / "bench" / "data" / "people_gold_baomoi.jsonl"
# Issue 17: articles labelled in full before the recall work began (dantri texts committed,
# baomoi by id only); its "heldout" half is scored only at the end (bench/eval_people.py).
UNSEEN_PATH = ROOT / "bench" / "data" / "people_gold_unseen.jsonl"
BAOMOI_CORPUS = ROOT.parent / "shared" / "corpus" / "baomoi-2017.jsonl.gz"

Extractor = Callable[[str, str], list[Person]]  # (text, byline) -> people


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    roles_checked: int = 0
    roles_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def role_accuracy(self) -> float:
        return self.roles_right / self.roles_checked if self.roles_checked else 1.0


def load_gold(path: Path = GOLD_PATH) -> list[dict]:
    return _read_jsonl(path)


def load_span_labels(path: Path = SPANS_PATH) -> list[dict]:
    """Labels of the texts that are not committed (no text field, only spans)."""
    return _read_jsonl(path)


def load_shared_gold(path: Path = SPANS_PATH, corpus: Path = BAOMOI_CORPUS) -> list[dict]:
    """The span-labelled items with their texts rebuilt from the corpus; [] without it."""
    return _with_corpus_texts(load_span_labels(path), corpus)


def load_mixed_gold(path: Path = UNSEEN_PATH, corpus: Path = BAOMOI_CORPUS) -> list[dict]:
    """A gold file of committed texts and span-labelled ones: every item with its text.

    Items without a text are dropped when the corpus is absent (a machine without ../shared).
    """
    items = _read_jsonl(path)
    with_text = [item for item in items if "text" in item]
    return with_text + _with_corpus_texts([i for i in items if "text" not in i], corpus)


def _with_corpus_texts(span_items: list[dict], corpus: Path) -> list[dict]:
    if not corpus.exists() or not span_items:
        return []
    labels = {item["id"]: item for item in span_items}
    items = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            item = labels.get(record.get("id"))
            if item is None:
                continue
            full = "\n".join(record.get(k) or "" for k in ("title", "sapo", "body"))
            text = "\n".join(full[start:end] for start, end in item["spans"])
            items.append({**item, "text": unicodedata.normalize("NFC", text)})
    return items


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(items: Iterable[dict], extract: Extractor) -> Score:
    result = Score()
    for item in items:
        predicted = {p.name: p.role for p in extract(item["text"], item.get("byline", ""))}
        gold = {_nfc(p["name"]): _nfc(p.get("role", "")) for p in item["people"]}
        _score_item(item["id"], predicted, gold, result)
    return result


def _score_item(item_id: str, predicted: dict, gold: dict, result: Score) -> None:
    for name in predicted.keys() - gold.keys():
        result.false_positives += 1
        result.errors.append(f"{item_id}: thừa  {name!r}")
    for name in gold.keys() - predicted.keys():
        result.false_negatives += 1
        result.errors.append(f"{item_id}: thiếu {name!r}")
    for name in predicted.keys() & gold.keys():
        result.true_positives += 1
        if gold[name]:
            result.roles_checked += 1
            if _same_role(predicted[name], gold[name]):
                result.roles_right += 1
            else:
                result.errors.append(
                    f"{item_id}: vai trò {name!r}: {predicted[name]!r} ≠ {gold[name]!r}"
                )


def _same_role(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")
