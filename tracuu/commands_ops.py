"""Handlers for the operations commands: update, reindex, schedule, check."""

from __future__ import annotations

from pathlib import Path

from tracuu import runlog
from tracuu.cli_support import UserError, load_sources, print_json, say


def _crawl_settings(delay: float | None, retries: int | None):
    from crawler.crawl import CrawlSettings
    from crawler.fetch import FetchSettings

    settings = CrawlSettings()
    if delay is not None:
        settings.delay = delay
    if retries is not None:
        settings.fetch = FetchSettings(retries=retries, backoff_base=min(1.0, delay or 1.0))
    return settings


def _reindex_sources(args) -> list | None:
    """The sources file if there is one; the demo portal's source for a demo data dir."""

    if args.sources is not None:
        return load_sources(args.sources, [])
    if Path("sources.toml").exists():
        return load_sources(Path("sources.toml"), [])
    from tracuu.demo import STATE_FILE, remembered_port, sample_source

    if (args.data_dir / STATE_FILE).exists():
        return [sample_source(f"http://127.0.0.1:{remembered_port(args.data_dir)}")]
    return None


def _finish(result: runlog.RunResult, ok_message: str) -> int:
    if result.ok:
        say(ok_message)
    else:
        say(f"tracuu {result.kind}: {result.reason}")
    say(f"Báo cáo: {result.report_path}")
    return result.code


def cmd_update(args) -> int:
    from tracuu.update import run_update

    sources = load_sources(args.sources, args.source)
    result = run_update(args.data_dir, sources, settings=_crawl_settings(args.delay, args.retries))
    index = result.report.get("index", {})
    crawl = result.report.get("crawl", {}).get("articles", {})
    return _finish(
        result,
        f"Cập nhật xong: {crawl.get('new', 0)} bài mới, {crawl.get('changed', 0)} bài sửa, "
        f"{crawl.get('gone', 0)} bài bị gỡ; chỉ mục có {index.get('documents', '?')} bài.",
    )


def cmd_reindex(args) -> int:
    from tracuu.reindex import run_reindex

    if not args.full:
        raise UserError("hiện chỉ hỗ trợ `tracuu reindex --full` (cập nhật dần: `tracuu update`)")
    sources = None if args.no_reextract else _reindex_sources(args)
    if sources is None and not args.no_reextract:
        say("Không có tệp nguồn: bỏ qua trích xuất lại WARC, xây chỉ mục từ kho lưu trữ.")
    result = run_reindex(args.data_dir, sources, engine=getattr(args, "engine", None))
    damaged = result.report.get("reextract", {}).get("damaged", [])
    if damaged:
        say(f"Bỏ qua {len(damaged)} bản ghi WARC hỏng (tệp, vị trí, URL: xem báo cáo).")
    rebuild = result.report.get("rebuild", {})
    return _finish(
        result,
        f"Đã chuyển sang chỉ mục mới {rebuild.get('index_dir')}: "
        f"{rebuild.get('documents')} bài, kiểm tra {rebuild.get('verified_titles')} tiêu đề.",
    )


def cmd_check(args) -> int:
    from tracuu.check import run_check

    report = run_check(args.data_dir)
    if args.json:
        print_json(report.to_dict())
    else:
        for finding in report.findings:
            print(finding)
        print("Mọi thứ ổn." if report.ok else "Có vấn đề cần xử lý (xem → ở trên).")
    return 0 if report.ok else 1


def cmd_schedule(args) -> int:
    from tracuu.schedule import (
        ChildUpdate,
        ScheduleError,
        Scheduler,
        install_stop_handlers,
        parse_cron,
        parse_every,
    )

    if (args.every is None) == (args.cron is None):
        raise UserError("cần đúng một trong --every hoặc --cron")
    try:
        if args.every:
            interval = parse_every(args.every)
            next_time = lambda now: now + interval  # noqa: E731
        else:
            next_time = parse_cron(args.cron).next_after
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    load_sources(args.sources, [])  # a bad file is refused now, not at every run
    child_args = ["--data-dir", str(args.data_dir), "--sources", str(args.sources)]
    if args.delay is not None:
        child_args += ["--delay", str(args.delay)]
    if args.retries is not None:
        child_args += ["--retries", str(args.retries)]
    child = ChildUpdate(child_args)
    scheduler = Scheduler(next_time, child, say=say)
    install_stop_handlers(scheduler, child)
    if args.now:
        scheduler.runs.append(scheduler.run_now())
    scheduler.loop(max_runs=args.max_runs)
    return 0
