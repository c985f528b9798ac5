"""Whoosh stays the default; past the size where tantivy is advised, `tracuu import`,
`tracuu index` and `tracuu check` say so with the one command that migrates (issue 18)."""

from __future__ import annotations

import json

import pytest

from indexer import live_engine_name
from tracuu import engine_advice
from tracuu.check import run_check
from tracuu.cli import main
from tracuu.engine_advice import MIGRATE_COMMAND

pytest.importorskip("tantivy")


def write_articles(path, n: int) -> None:
    lines = [
        json.dumps(
            {
                "url": f"https://baotinh.example.vn/bai-{i}.html",
                "title": f"Tỉnh khởi công dự án đường số {i}",
                "body": f"Dự án số {i} nối hai huyện miền núi.",
                "date": "2021-04-20",
            },
            ensure_ascii=False,
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_small_whoosh_archive_gets_no_advice(tmp_path, capsys):
    write_articles(tmp_path / "bai.jsonl", 5)
    assert main(["import", "--data-dir", str(tmp_path / "d"), str(tmp_path / "bai.jsonl")]) == 0
    assert MIGRATE_COMMAND not in capsys.readouterr().err
    report = run_check(tmp_path / "d")
    assert report.ok and report.facts["engine_advice"] is None


def test_grown_whoosh_archive_is_advised_and_the_command_migrates(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine_advice, "WHOOSH_ADVISED_MAX", 4)
    data_dir = tmp_path / "d"
    write_articles(tmp_path / "bai.jsonl", 5)
    assert main(["import", "--data-dir", str(data_dir), str(tmp_path / "bai.jsonl")]) == 0
    said = capsys.readouterr().err
    assert "Whoosh đã có 5 bài" in said and MIGRATE_COMMAND in said

    report = run_check(data_dir)
    assert report.ok  # advice, not an error: the exit code stays 0
    assert MIGRATE_COMMAND in report.facts["engine_advice"]
    assert any(MIGRATE_COMMAND in f.advice for f in report.findings)

    assert main([*MIGRATE_COMMAND.split()[1:], "--data-dir", str(data_dir)]) == 0
    assert live_engine_name(data_dir) == "tantivy"
    assert MIGRATE_COMMAND not in capsys.readouterr().err
    report = run_check(data_dir)
    assert report.ok and report.facts["engine_advice"] is None
    assert report.facts["index_documents"] == 5
