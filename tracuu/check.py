"""`tracuu check`: is the index what the store says it should be? And what to do if not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracuu import pipeline
from tracuu.lock import lock_state

SHOW_URLS = 5


@dataclass
class Finding:
    ok: bool
    message: str
    advice: str = ""

    def __str__(self) -> str:
        mark = "OK " if self.ok else "LỖI"
        tail = f"\n      → {self.advice}" if self.advice else ""
        return f"[{mark}] {self.message}{tail}"


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, ok: bool, message: str, advice: str = "") -> None:
        self.findings.append(Finding(ok, message, "" if ok else advice))

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "findings": [f.__dict__ for f in self.findings],
            **self.facts,
        }


def run_check(data_dir: Path) -> CheckReport:
    data_dir = Path(data_dir)
    report = CheckReport()
    _check_lock(data_dir, report)
    index_dir = _check_index(data_dir, report)
    if index_dir is not None:
        _check_contents(data_dir, index_dir, report)
    return report


def _check_lock(data_dir: Path, report: CheckReport) -> None:
    state, holder = lock_state(data_dir)
    report.facts["lock"] = state
    who = holder.describe() if holder else "không đọc được người giữ"
    if state == "held":
        # Not an error: a run is in progress (the kernel says so, not a pid that may be reused).
        report.add(True, f"Đang có lần chạy giữ khóa: {who}")
    elif state == "stale":
        report.add(
            False,
            f"Khóa còn sót lại của một lần chạy bị dừng đột ngột: {who}",
            "không cần làm gì: lần `tracuu update` tới sẽ tự tiếp quản khóa",
        )
    else:
        report.add(True, "Không có lần chạy nào đang giữ khóa")


def _check_index(data_dir: Path, report: CheckReport) -> Path | None:
    from indexer import index_status

    index_dir, problem = index_status(data_dir)
    report.facts["index_dir"] = index_dir.name if index_dir else None
    if problem:
        report.add(False, f"Chỉ mục không dùng được: {problem}", "chạy `tracuu reindex --full`")
        return None
    report.add(True, f"Chỉ mục {index_dir.name}: đúng phiên bản schema")
    leftovers = _leftover_dirs(data_dir, index_dir)
    if leftovers:
        report.add(
            True,
            f"{len(leftovers)} thư mục chỉ mục cũ/dở dang: {', '.join(leftovers)}",
        )
        report.findings[-1].advice = "sẽ được dọn ở lần `tracuu reindex --full` tới"
    return index_dir


def _leftover_dirs(data_dir: Path, live: Path) -> list[str]:
    from indexer.location import index_root, previous_index_dir

    keep = {live, previous_index_dir(data_dir)}
    return sorted(p.name for p in index_root(data_dir).glob("ix-*") if p not in keep)


def _check_contents(data_dir: Path, index_dir: Path, report: CheckReport) -> None:
    from indexer import indexed_urls

    with pipeline.open_store(data_dir, read_only=True) as store:
        stored = store.urls()
        pending = store.pending_count()
        gone = len(store.gone_urls())
    indexed = indexed_urls(index_dir)
    missing = sorted(stored - indexed)
    orphaned = sorted(indexed - stored)
    report.facts.update(
        {
            "store_articles": len(stored),
            "index_documents": len(indexed),
            "missing": len(missing),
            "orphaned": len(orphaned),
            "pending": pending,
            "gone": gone,
        }
    )
    report.add(
        not missing,
        f"{len(stored)} bài trong kho, {len(indexed)} bài trong chỉ mục"
        + (f"; thiếu {len(missing)} bài: {_some(missing)}" if missing else ""),
        "chạy `tracuu index` (hoặc `tracuu reindex --full` nếu vẫn thiếu)",
    )
    report.add(
        not orphaned,
        f"{len(orphaned)} bài trong chỉ mục không có trong kho"
        + (f": {_some(orphaned)}" if orphaned else ""),
        "chạy `tracuu reindex --full` để xây lại chỉ mục từ kho",
    )
    report.add(
        pending == 0,
        f"{pending} bài mới/đã sửa chưa được lập chỉ mục",
        "chạy `tracuu index` hoặc chờ lần `tracuu update` tới",
    )
    if gone:
        report.add(True, f"{gone} bài đã bị gỡ khỏi trang nguồn (vẫn tìm được, có đánh dấu)")
    _advise_engine(index_dir, len(indexed), report)


def _advise_engine(index_dir: Path, documents: int, report: CheckReport) -> None:
    """Not an error (the exit code stays 0): a Whoosh index past the size tantivy is advised."""
    from indexer import engine_name
    from tracuu.engine_advice import engine_advice

    advice = engine_advice(engine_name(index_dir), documents)
    report.facts["engine_advice"] = advice
    if advice:
        report.add(True, f"Bộ máy tìm kiếm: {engine_name(index_dir)}, {documents} bài")
        report.findings[-1].advice = advice


def _some(urls: list[str]) -> str:
    more = f" … và {len(urls) - SHOW_URLS} bài khác" if len(urls) > SHOW_URLS else ""
    return ", ".join(urls[:SHOW_URLS]) + more
