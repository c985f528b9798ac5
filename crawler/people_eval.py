"""Scoring people extraction against the hand-checked gold set (tests/data/people_gold.jsonl).

Name-level: a predicted name counts when the same name (NFC, exact) is in the gold list of the
same text. Role accuracy: over names found whose gold role is not empty, the share whose
predicted role equals it (case and spacing ignored).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.article import Person

GOLD_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "people_gold.jsonl"

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
