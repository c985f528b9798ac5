"""`tracuu import`: JSON Lines (plain and gzip), bad lines reported and skipped, summary,
progress bar, re-import counted as unchanged/changed."""

from __future__ import annotations

import gzip
import json

import pytest
from test_update_helpers import run_tracuu, tracuu_args

from tracuu import pipeline
from tracuu.importer import BadLine, read_articles


def record(n: int, **changes) -> dict:
    return {
        "url": f"https://baotinh.example.vn/bai-{n}.html",
        "title": f"Tỉnh khởi công dự án đường số {n}",
        "body": f"Dòng thứ nhất của bài {n}.\nDòng thứ hai của bài {n}.",
        "date": f"2021-04-2{n % 10}",
        "category_vi": "Kinh tế",
        **changes,
    }


GOOD = [record(n) for n in range(1, 5)]
BAD_LINES = {
    3: "{không phải json",
    5: json.dumps({"url": "https://baotinh.example.vn/thieu-tieu-de.html", "body": "x"}),
    7: json.dumps(
        {"url": "https://baotinh.example.vn/ngay-sai.html", "title": "T", "date": "hôm qua"}
    ),
    8: json.dumps(["một", "mảng"]),
}


def jsonl_bytes() -> bytes:
    """Lines 1,2,4,6 good; 3,5,7,8 bad; 9 blank; 10 not UTF-8."""
    lines, good = [], iter(GOOD)
    for lineno in range(1, 11):
        if lineno in BAD_LINES:
            lines.append(BAD_LINES[lineno].encode())
        elif lineno == 9:
            lines.append(b"   ")
        elif lineno == 10:
            lines.append(b'{"url": "https://x.vn/a", "title": "\xff\xfe"}')
        else:
            lines.append(json.dumps(next(good), ensure_ascii=False).encode())
    return b"\n".join(lines) + b"\n"


@pytest.fixture(params=["plain", "gzip"])
def jsonl(request, tmp_path):
    if request.param == "gzip":
        path = tmp_path / "bai.jsonl.gz"
        path.write_bytes(gzip.compress(jsonl_bytes()))
    else:
        path = tmp_path / "bai.jsonl"
        path.write_bytes(jsonl_bytes())
    return path


def test_read_articles_yields_good_records_and_explains_bad_lines(jsonl):
    items = list(read_articles(jsonl))
    articles = [i for i in items if not isinstance(i, BadLine)]
    bad = {b.line: b.reason for b in items if isinstance(b, BadLine)}
    assert [a.url for a in articles] == [r["url"] for r in GOOD]
    assert sorted(bad) == [3, 5, 7, 8, 10]
    assert "JSON" in bad[3] and "title" in bad[5] and "ISO 8601" in bad[7]
    assert "UTF-8" in bad[10]
    assert articles[0].category == "Kinh tế" and "\n\n" in articles[0].body


def test_truncated_gzip_keeps_what_was_read_and_says_why(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(b"\n".join(json.dumps(r).encode() for r in GOOD) + b"\n")
    path.write_bytes(data[: len(data) - 12])
    items = list(read_articles(path))
    assert isinstance(items[-1], BadLine) and "nén" in items[-1].reason
    assert all(not isinstance(i, BadLine) for i in items[:-1])


def test_bom_at_start_is_ignored(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD[0]).encode() + b"\n")
    assert [a.url for a in read_articles(path)] == [GOOD[0]["url"]]


def test_import_summary_counts_new_changed_unchanged(tmp_path, jsonl):
    data_dir = tmp_path / "data"
    first = pipeline.import_files(data_dir, [jsonl], progress=False)
    assert (first.read, first.outcomes["new"], len(first.bad_lines)) == (4, 4, 5)
    edited = tmp_path / "sua.jsonl"
    edited.write_text(
        json.dumps(record(1, title="Tiêu đề đã sửa")) + "\n" + json.dumps(GOOD[1]) + "\n"
    )
    second = pipeline.import_files(data_dir, [edited], progress=False)
    assert second.outcomes == {"new": 0, "changed": 1, "unchanged": 1}
    with pipeline.open_store(data_dir) as store:
        assert store.origin_counts() == {"import": 4}
        assert len(store.versions(GOOD[0]["url"])) == 2


def test_progress_bar_counts_every_line_read(tmp_path, jsonl, capsys):
    pipeline.import_files(tmp_path / "data", [jsonl], progress=True)
    err = capsys.readouterr().err
    assert f"Nhập {jsonl.name}" in err
    assert "9 bài" in err  # 4 good + 5 bad lines went through the bar


def test_import_command_reports_bad_lines_summary_and_indexes(tmp_path, jsonl):
    data_dir = tmp_path / "data"
    result = run_tracuu(*tracuu_args("import", data_dir), str(jsonl))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Bỏ qua dòng lỗi") == 5
    assert f"{jsonl}:3:" in result.stderr
    assert "Đã đọc 4 bài: 4 mới, 0 thay đổi, 0 không đổi; 5 dòng lỗi bị bỏ qua." in result.stderr
    assert "Chỉ mục: 4 bài được cập nhật, tổng cộng 4 bài." in result.stderr
    report = json.loads(sorted((data_dir / "reports").glob("import-*.json"))[-1].read_text())
    assert report["read"] == 4 and len(report["bad_lines"]) == 5


def test_import_of_missing_file_is_a_usage_error(tmp_path):
    result = run_tracuu(*tracuu_args("import", tmp_path), str(tmp_path / "khong-co.jsonl"))
    assert result.returncode == 2 and "không thấy tệp" in result.stderr


def test_over_long_fields_are_cut_to_their_caps_and_reported(tmp_path):
    from tracuu.importer import FIELD_CAPS

    path = tmp_path / "dai.jsonl"
    huge = record(1, body="Một đoạn văn rất dài. " * 150_000, title="T" * 5_000)  # 3.3M chars
    path.write_text(json.dumps(huge, ensure_ascii=False) + "\n" + json.dumps(GOOD[1]) + "\n")
    data_dir = tmp_path / "data"
    summary = pipeline.import_files(data_dir, [path])
    assert summary.read == 2 and not summary.bad_lines
    (cut,) = summary.cut
    assert cut.line == 1 and cut.url == huge["url"]
    assert cut.cuts == (
        f"title: 5000 → {FIELD_CAPS['title']}",
        f"body: 3300000 → {FIELD_CAPS['body']}",
    )
    assert summary.to_dict()["cut_fields"] == [str(cut)]
    with pipeline.open_store(data_dir) as store:
        stored = store.get(huge["url"])
    assert len(stored.body) <= FIELD_CAPS["body"] and len(stored.title) <= FIELD_CAPS["title"]


def test_a_line_over_the_cap_is_skipped_with_flat_memory(tmp_path, monkeypatch):
    import tracemalloc

    from tracuu import importer

    monkeypatch.setattr(importer, "MAX_LINE_BYTES", 100_000)
    path = tmp_path / "mot-dong-lon.jsonl"
    giant = json.dumps(record(9, body="x" * 8_000_000))  # 8 MB on one line
    path.write_text("\n".join([json.dumps(GOOD[0]), giant, json.dumps(GOOD[1])]) + "\n")
    tracemalloc.start()
    try:
        items = list(read_articles(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [getattr(i, "url", None) for i in items] == [GOOD[0]["url"], None, GOOD[1]["url"]]
    assert items[1].line == 2 and "dài quá" in items[1].reason
    assert peak < 2_000_000  # the 8 MB line was never held whole
