"""`tracuu update`: the scheduled run — incremental crawl, extraction, index update.

Every step is safe to kill: the store commits one article at a time, the frontier resumes
an interrupted crawl, the index commit is atomic (Whoosh writes new segments, then its table
of contents) and the store learns what the index holds only after that commit. Pages that
disappeared are flagged in the store (``gone_at``) and stay searchable.
"""

from __future__ import annotations

import os
import socket
from dataclasses import asdict
from pathlib import Path

from crawler.article import Article, now_vietnam
from tracuu import pipeline
from tracuu.lock import LockHeld, RunLock
from tracuu.runlog import (
    EXIT_CRAWL_FAILED,
    EXIT_INDEX_FAILED,
    EXIT_LOCKED,
    RunResult,
    checkpoint,
    finish_run,
)


def run_update(data_dir: Path, sources: list, *, settings=None, progress=None) -> RunResult:
    """Crawl ``sources`` incrementally into the store and update the live index."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult("update")
    result.report.update(
        {
            "started": now_vietnam().isoformat(timespec="seconds"),
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "sources": [s.name for s in sources],
        }
    )
    try:
        with RunLock(data_dir, "update") as lock:
            if lock.took_over is not None:
                result.report["stale_lock_taken_over"] = asdict(lock.took_over)
            _crawl_step(data_dir, sources, result, settings, progress)
            _index_step(data_dir, result, progress)
    except LockHeld as exc:
        result.fail(EXIT_LOCKED, str(exc))
        result.report["lock_holder"] = asdict(exc.holder) if exc.holder else None
    return finish_run(data_dir, result, _summary(result.report))


def _crawl_step(data_dir: Path, sources: list, result: RunResult, settings, progress) -> None:
    stored = 0

    def on_article(article: Article, outcome: str) -> None:
        nonlocal stored
        stored += 1
        if stored == 1:
            checkpoint(data_dir, "crawl")

    try:
        report = pipeline.crawl_sources(
            data_dir, sources, settings=settings, progress=progress, on_article=on_article
        )
    except Exception as exc:  # the index step still runs: what was stored is good
        result.fail(EXIT_CRAWL_FAILED, f"thu thập thất bại: {type(exc).__name__}: {exc}")
        result.report["crawl"] = {"error": str(exc)}
        return
    data = report.to_dict()
    result.report["crawl"] = data
    reason = crawl_failure(data)
    if reason:
        result.fail(EXIT_CRAWL_FAILED, reason)


def crawl_failure(crawl: dict) -> str | None:
    """Why a crawl counts as failed badly: nothing at all could be fetched."""
    settled = sum(sum(outcomes.values()) for outcomes in crawl.get("counts", {}).values())
    failed = sum(len(urls) for urls in crawl.get("errors", {}).values())
    if settled == 0:
        return "thu thập không xử lý được URL nào (nguồn không truy cập được?)"
    if failed >= settled:
        reasons = ", ".join(sorted(crawl.get("errors", {})))
        return f"mọi URL đều lỗi ({failed} URL: {reasons})"
    return None


def _index_step(data_dir: Path, result: RunResult, progress) -> None:
    seen = 0

    def on_article(article: Article) -> None:
        nonlocal seen
        seen += 1
        if seen == 1:
            checkpoint(data_dir, "index-write")

    try:
        summary = pipeline.index_articles(
            data_dir,
            progress=progress,
            on_article=on_article,
            before_mark=lambda: checkpoint(data_dir, "index-committed"),
        )
    except Exception as exc:
        result.fail(EXIT_INDEX_FAILED, f"cập nhật chỉ mục thất bại: {type(exc).__name__}: {exc}")
        result.report["index"] = {"error": str(exc)}
        return
    with pipeline.open_store(data_dir) as store:
        gone = len(store.gone_urls())
    result.report["index"] = {
        "indexed": summary.indexed,
        "documents": summary.documents,
        "gone_total": gone,  # still searchable; flagged in the store
    }


def _summary(report: dict) -> str:
    articles = report.get("crawl", {}).get("articles", {})
    index = report.get("index", {})
    return (
        f"mới {articles.get('new', 0)}, sửa {articles.get('changed', 0)}, "
        f"gỡ {articles.get('gone', 0)}, lập chỉ mục {index.get('indexed', 0)}, "
        f"tổng {index.get('documents', '?')} bài"
    )
