"""A full disk or a read-only data directory: one clear line naming the path, exit code 6,
nothing left behind; `check` and `serve` work on a read-only archive."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat

import pytest

from crawler.article import Article
from crawler.store import ArticleStore
from tracuu import cli, pipeline
from tracuu.check import run_check
from tracuu.lock import lock_path
from tracuu.runlog import EXIT_STORAGE


def article(n: int, body: str = "Bài về nông thôn mới.") -> Article:
    return Article(url=f"https://a.vn/{n}.html", title=f"Nông thôn mới số {n}", body=body)


def fill_up(store: ArticleStore) -> ArticleStore:
    """No page more than it has now: the next sizeable write is SQLITE_FULL."""
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    return store


def test_a_full_store_says_so_instead_of_cannot_rollback(tmp_path):
    store = fill_up(ArticleStore(tmp_path / "articles.sqlite"))
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.put(article(1, body="Nội dung dài. " * 5_000))
    assert store.count() == 0


@pytest.fixture()
def jsonl(tmp_path):
    path = tmp_path / "bai.jsonl"
    path.write_text(json.dumps(article(1, body="Nội dung dài. " * 5_000).to_dict()) + "\n")
    return path


def test_import_on_a_full_disk_exits_6_with_one_line(tmp_path, jsonl, monkeypatch, capsys):
    real = pipeline.open_store
    monkeypatch.setattr(pipeline, "open_store", lambda d, **kw: fill_up(real(d, **kw)))
    data_dir = tmp_path / "data"
    code = cli.main(["import", str(jsonl), "--no-index", "--data-dir", str(data_dir)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_STORAGE == 6
    assert err == [f"tracuu: không ghi được {data_dir / 'articles.sqlite'}: đĩa đầy "
                   "(database or disk is full)."]  # fmt: skip
    assert not lock_path(data_dir).exists()


def test_a_lock_that_cannot_be_written_leaves_no_file(tmp_path, monkeypatch, capsys):
    def disk_full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("tracuu.lock.os.pwrite", disk_full)
    code = cli.main(["index", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_STORAGE
    assert len(err) == 1 and str(lock_path(tmp_path)) in err[0] and "đĩa đầy" in err[0]
    assert not lock_path(tmp_path).exists()


def test_a_report_that_cannot_be_written_leaves_no_partial_file(tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        pipeline.write_report(tmp_path, "import", {"read": 1})
    assert list((tmp_path / "reports").iterdir()) == []


def snapshot(root):
    """Every file of the archive; SQLite's reader files (-wal/-shm) are not the archive, and
    where the directory really is read-only they are not created (see the next test)."""
    return {
        (str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if not p.name.endswith(("-wal", "-shm"))
    }


@pytest.fixture()
def read_only_archive(tmp_path, jsonl):
    data_dir = tmp_path / "data"
    pipeline.import_files(data_dir, [jsonl])
    pipeline.index_articles(data_dir)
    paths = [data_dir, *data_dir.rglob("*")]
    for path in paths:  # as root this stops nothing: the snapshot then shows no write
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield data_dir
    for path in paths:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_check_and_serve_work_on_a_read_only_archive(read_only_archive):
    from search_app.app import create_app

    data_dir = read_only_archive
    before = snapshot(data_dir)
    report = run_check(data_dir)
    assert report.ok, [str(f) for f in report.findings]
    app = create_app({"DATA_DIR": str(data_dir), **pipeline.archive_views(data_dir)})
    client = app.test_client()
    found = client.get("/api/search", query_string={"q": "nông thôn"}).get_json()
    assert found["total"] == 1
    page = client.get("/bai-viet", query_string={"url": article(1).url})
    assert page.status_code == 200
    assert snapshot(data_dir) == before  # not one file of the archive written


def test_the_store_opens_read_only_where_sqlite_cannot_create_its_shm_file(tmp_path):
    # What a read-only directory does to a WAL database's reader, simulated so that it also
    # holds when the tests run as root (chmod does not stop root): the -shm cannot be made.
    with ArticleStore(tmp_path / "articles.sqlite") as store:
        store.put(article(1))
    (tmp_path / "articles.sqlite-shm").mkdir()
    with ArticleStore(tmp_path / "articles.sqlite", read_only=True) as store:
        assert store.get(article(1).url).title == article(1).title


def test_the_read_only_store_refuses_writes(read_only_archive):
    with pipeline.open_store(read_only_archive, read_only=True) as store:
        assert store.count() == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._db.execute("DELETE FROM articles")
