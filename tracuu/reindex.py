"""`tracuu reindex --full`: rebuild the whole index from the archive, verify, then switch.

1. Re-extract the raw WARC captures with the current extractor (only the sources' article
   URLs), so extractor improvements reach old articles; imported articles are in the store.
2. Build a new index directory from every article in the store, beside the live one.
3. Verify it: document count, and searches for a spread of stored titles find them.
4. Switch CURRENT atomically; a running server follows within a second. The replaced index
   is kept (a search may still be reading it); older ones are removed.
A failure at any step, or a kill, leaves the live index untouched.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
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

VERIFY_SAMPLE = 25


def run_reindex(
    data_dir: Path,
    sources: list | None,
    *,
    sample: int = VERIFY_SAMPLE,
    progress=None,
    engine: str | None = None,
) -> RunResult:
    """Rebuild the index from WARCs (when ``sources`` is given) and the store.

    ``engine`` builds the new index with that engine (None: the live index's engine), so
    ``--engine tantivy`` migrates a Whoosh archive with the same verified switch."""
    data_dir = Path(data_dir)
    result = RunResult("reindex")
    result.report.update(
        {
            "started": now_vietnam().isoformat(timespec="seconds"),
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
    )
    try:
        with RunLock(data_dir, "reindex") as lock:
            if lock.took_over is not None:
                result.report["stale_lock_taken_over"] = asdict(lock.took_over)
            if _reextract_step(data_dir, sources, result):
                _rebuild_step(data_dir, result, sample, progress, engine)
    except LockHeld as exc:
        result.fail(EXIT_LOCKED, str(exc))
        result.report["lock_holder"] = asdict(exc.holder) if exc.holder else None
    return finish_run(data_dir, result, _summary(result.report))


def _reextract_step(data_dir: Path, sources: list | None, result: RunResult) -> bool:
    warcs = pipeline.warc_paths(data_dir)
    if sources is None or not warcs:
        why = "không có tệp nguồn" if sources is None else "không có tệp WARC"
        result.report["reextract"] = {"skipped": why}
        return True
    try:
        report = pipeline.reextract_warcs(data_dir, warcs, sources=sources)
    except Exception as exc:
        result.fail(EXIT_CRAWL_FAILED, f"trích xuất lại WARC thất bại: {type(exc).__name__}: {exc}")
        return False
    result.report["reextract"] = {"warc_files": len(warcs), **report.to_dict()}
    checkpoint(data_dir, "reindex-extracted")
    return True


def _rebuild_step(
    data_dir: Path, result: RunResult, sample: int, progress, engine: str | None = None
) -> None:
    from indexer import build_index, document_count, engine_name, switch_index, verify_index

    with pipeline.open_store(data_dir) as store:
        expected = store.count()
        origins = store.origin_counts()
        written: list[tuple[str, str]] = []
        titles: dict[str, str] = {}
        articles = _recorded(store.iter_latest(), written, titles)
        bar = pipeline.progress_bar(
            articles, desc="Xây chỉ mục mới", total=expected, enabled=progress
        )
        try:
            index_dir, count = build_index(data_dir, bar, engine=engine)
        except Exception as exc:
            result.fail(EXIT_INDEX_FAILED, f"xây chỉ mục mới thất bại: {type(exc).__name__}: {exc}")
            return
        checkpoint(data_dir, "reindex-built")
        documents = document_count(index_dir)
        problems = []
        if documents < expected:  # every stored article must be there (none is skipped)
            problems.append(f"chỉ mục mới có {documents} bài, kho lưu trữ có {expected}")
        problems += verify_index(index_dir, _spread(list(titles.items()), sample))
        result.report["rebuild"] = {
            "index_dir": index_dir.name,
            "engine": engine_name(index_dir),
            "store_articles": expected,
            "by_origin": origins,
            "documents": documents,
            "verified_titles": min(sample, len(titles)),
            "problems": problems,
        }
        if problems:
            shutil.rmtree(index_dir, ignore_errors=True)
            result.fail(
                EXIT_INDEX_FAILED, "chỉ mục mới không đạt kiểm tra: " + "; ".join(problems[:3])
            )
            return
        previous = switch_index(data_dir, index_dir)
        checkpoint(data_dir, "reindex-switched")
        store.mark_indexed(written)
    result.report["rebuild"]["previous_index_dir"] = previous.name if previous else None


def _recorded(articles, written: list, titles: dict) -> Iterator[Article]:
    for article in articles:
        written.append((article.url, article.content_hash))
        titles[article.url] = article.title
        yield article


def _spread(items: list, count: int) -> list:
    """``count`` items evenly spread over the list (first, last and between)."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def _summary(report: dict) -> str:
    rebuild = report.get("rebuild", {})
    extract = report.get("reextract", {})
    counts = extract.get("counts", {}) if isinstance(extract, dict) else {}
    return (
        f"trích xuất lại {sum(counts.values()) if counts else 0} bài, "
        f"chỉ mục mới {rebuild.get('documents', '?')}/{rebuild.get('store_articles', '?')} bài"
    )
