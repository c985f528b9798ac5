"""The parallel import (issue 18): people extracted in worker processes and the store written
in batches give the archive a one-process import gives, in order, bad lines included."""

from __future__ import annotations

import json

import pytest

from crawler.article import Article
from tracuu import import_stage, pipeline

VISITORS = ("Nguyễn Văn An", "Lê Văn Tám", "Phạm Thị Hoa")
CHAIRS = ("Trần Thị Bình", "Hoàng Minh Đức")


def record(n: int) -> dict:
    return {
        "url": f"https://baotinh.example.vn/bai-{n}.html",
        "title": f"Ông {VISITORS[n % 3]} thăm công trình số {n}",
        "body": f"Chủ tịch UBND tỉnh {CHAIRS[n % 2]} cho biết dự án {n} đúng tiến độ.",
        "date": f"2021-04-{n % 28 + 1:02d}",
    }


def write_jsonl(path, n: int) -> None:
    lines = [json.dumps(record(i), ensure_ascii=False) for i in range(n)]
    lines[7] = "{không phải json"  # a bad line in the first batch
    lines.append(json.dumps(record(3), ensure_ascii=False))  # the same article again
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stored(data_dir) -> dict[str, Article]:
    with pipeline.open_store(data_dir) as store:
        return {a.url: a for a in store.iter_latest()}


def test_parallel_import_stores_what_one_process_stores(tmp_path, monkeypatch):
    source = tmp_path / "bai.jsonl"
    write_jsonl(source, 60)
    one = pipeline.import_files(tmp_path / "one", [source])
    monkeypatch.setattr(import_stage, "PARALLEL_MIN", 10)
    monkeypatch.setattr(import_stage, "BATCH", 7)
    monkeypatch.setattr(import_stage, "CHUNK", 2)
    many = pipeline.import_files(tmp_path / "many", [source])
    assert many.to_dict() == one.to_dict()
    assert many.outcomes == {"new": 59, "changed": 0, "unchanged": 1}
    assert [b.line for b in many.bad_lines] == [8]
    assert stored(tmp_path / "many") == stored(tmp_path / "one")
    people = stored(tmp_path / "many")["https://baotinh.example.vn/bai-4.html"].person_names
    assert people == ["Lê Văn Tám", "Trần Thị Bình"]


def test_a_failing_batch_leaves_nothing_of_it_in_the_store(tmp_path, monkeypatch):
    source = tmp_path / "bai.jsonl"
    write_jsonl(source, 30)
    monkeypatch.setattr(import_stage, "BATCH", 10)
    real_put = pipeline.ArticleStore.put

    def put(self, article, *args, **kwargs):
        if article.url.endswith("bai-15.html"):
            raise OSError("đĩa đầy")
        return real_put(self, article, *args, **kwargs)

    monkeypatch.setattr(pipeline.ArticleStore, "put", put)
    with pytest.raises(OSError):
        pipeline.import_files(tmp_path / "data", [source])
    urls = set(stored(tmp_path / "data"))
    # The first batch (lines 1-10, one bad) committed; the second (11-20) rolled back whole.
    assert len(urls) == 9
    assert "https://baotinh.example.vn/bai-12.html" not in urls
