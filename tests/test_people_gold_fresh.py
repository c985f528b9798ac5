"""The fresh, blind people gold set of issue 17 and the loader/report that score it.

The loader tests use tiny inline fixtures (a two-record corpus written to tmp_path), not the
real corpora. The file test checks only the shape of the committed labels, not any extractor.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import unicodedata
from pathlib import Path

from crawler.article import Person
from crawler.people_eval import load_mixed_gold

ROOT = Path(__file__).resolve().parent.parent
FRESH = ROOT / "bench" / "data" / "people_gold_fresh.jsonl"

RECORD = {
    "id": "baomoi-1",
    "title": "Tieu đe",
    # decomposed (NFD) on purpose: the rebuilt text must come out NFC
    "sapo": unicodedata.normalize("NFD", "Ông Nguyễn Văn An đến thăm."),
    "body": "Bà Trần Thị Bình cho biết.",
}


def write_fixture(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "baomoi-0", "title": "x", "sapo": "", "body": "y"}) + "\n")
        f.write(json.dumps(RECORD, ensure_ascii=False) + "\n")
    full = "\n".join(RECORD[k] for k in ("title", "sapo", "body"))
    start = len(RECORD["title"]) + 1  # the sapo, after the title line
    gold = tmp_path / "gold.jsonl"
    items = [
        {
            "id": "dantri-news_x_001",
            "origin": "fixture",
            "text": "Ông Lê Văn Cường phát biểu.",
            "byline": "Hoài Nam",
            "people": [{"name": "Lê Văn Cường", "role": ""}],
            "split": "fresh",
        },
        {
            "id": "baomoi-1",
            "origin": "fixture",
            "byline": "",
            "people": [{"name": "Nguyễn Văn An", "role": ""}],
            "split": "fresh",
            "notes": "a note the loader must keep",
            "spans": [[start, len(full)]],
        },
    ]
    gold.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return gold, corpus


def test_loader_rebuilds_span_items_from_the_corpus_as_nfc(tmp_path):
    gold, corpus = write_fixture(tmp_path)
    items = {item["id"]: item for item in load_mixed_gold(gold, corpus)}
    assert set(items) == {"dantri-news_x_001", "baomoi-1"}
    rebuilt = items["baomoi-1"]
    assert rebuilt["text"] == "Ông Nguyễn Văn An đến thăm.\nBà Trần Thị Bình cho biết."
    assert rebuilt["split"] == "fresh" and rebuilt["notes"] == "a note the loader must keep"
    assert items["dantri-news_x_001"]["byline"] == "Hoài Nam"


def test_loader_drops_span_items_when_the_corpus_is_absent(tmp_path):
    gold, _ = write_fixture(tmp_path)
    items = load_mixed_gold(gold, tmp_path / "missing.jsonl.gz")
    assert [item["id"] for item in items] == ["dantri-news_x_001"]


def load_eval_people():
    spec = importlib.util.spec_from_file_location("eval_people", ROOT / "bench" / "eval_people.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fresh_report_prints_totals_and_lists_errors_only_when_verbose(
    tmp_path, capsys, monkeypatch
):
    eval_people = load_eval_people()
    gold, corpus = write_fixture(tmp_path)
    monkeypatch.setattr(eval_people, "load_mixed_gold", lambda path: load_mixed_gold(path, corpus))
    found = [Person("Lê Văn Cường")]  # right on the dantri item, misses the baomoi one
    monkeypatch.setattr(eval_people, "extract", lambda text, _: found if "Cường" in text else [])

    assert eval_people.report_fresh(gold, verbose=False) == 0
    quiet = capsys.readouterr().out
    assert "all      texts=2" in quiet and "tp=1 fp=0 fn=1" in quiet
    assert "baomoi" in quiet and "dantri" in quiet
    assert "thiếu" not in quiet and "Nguyễn Văn An" not in quiet

    assert eval_people.report_fresh(gold, verbose=True) == 0
    assert "baomoi-1: thiếu 'Nguyễn Văn An'" in capsys.readouterr().out


def other_gold_ids() -> set[str]:
    paths = [*(ROOT / "bench" / "data").glob("*.jsonl"), *(ROOT / "tests" / "data").glob("*.jsonl")]
    ids: set[str] = set()
    for path in paths:
        if path == FRESH:
            continue
        with path.open(encoding="utf-8") as f:
            ids.update(json.loads(line).get("id", "").removeprefix("dantri-") for line in f)
    return ids


def test_fresh_gold_file_is_well_formed_and_disjoint_from_the_other_sets():
    items = [json.loads(line) for line in FRESH.read_text(encoding="utf-8").splitlines()]
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) >= 70
    assert {item["split"] for item in items} == {"fresh"}
    assert {item["draw"] for item in items} == {"random", "dense-1", "dense-2"}
    assert sum(item["draw"] == "random" for item in items) >= 70
    assert not {i.removeprefix("dantri-") for i in ids} & other_gold_ids()
    for item in items:
        names = [p["name"] for p in item["people"]]
        assert len(names) == len(set(names)), item["id"]
        assert all(unicodedata.is_normalized("NFC", n) and len(n.split()) >= 2 for n in names)
        if item["id"].startswith("baomoi-"):
            assert "text" not in item and len(item["spans"]) == 1  # text not committed
        else:
            assert all(name in item["text"] for name in names), item["id"]
    corpora = {item["id"].split("-")[0] for item in items}
    assert corpora == {"baomoi", "dantri"}
    assert sum(len(item["people"]) for item in items) >= 250
