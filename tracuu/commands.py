"""What each `tracuu` subcommand does (argument parsing lives in tracuu.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracuu import pipeline
from tracuu.commands_ops import cmd_check, cmd_reindex, cmd_schedule, cmd_update
from tracuu.lock import RunLock
from tracuu.serving import waitress_options

__all__ = ["cmd_check", "cmd_reindex", "cmd_schedule", "cmd_update"]


class UserError(Exception):
    """Something the user can fix; printed without a traceback, exit code 2."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- crawl / import / extract / index --------------------------------------------------
def _load_sources(path: Path, only: list[str]):
    from crawler.sources import check_sources, load_sources

    if not path.exists():
        raise UserError(f"không thấy tệp nguồn {path} (xem sources.example.toml)")
    problems = check_sources(path)
    if problems:
        raise UserError("tệp nguồn có lỗi:\n  " + "\n  ".join(problems))
    sources = load_sources(path)
    if only:
        unknown = set(only) - {s.name for s in sources}
        if unknown:
            raise UserError(f"không có nguồn tên {', '.join(sorted(unknown))} trong {path}")
        sources = [s for s in sources if s.name in only]
    return sources


def _report_crawl(args, report) -> None:
    # The crawler has written the run's one report (reports/crawl-*.json) already.
    _say(report.summary())
    _say(f"Báo cáo: {report.path}")


def _writer_lock(args, command: str) -> RunLock:
    """Commands that write the store or index take the same lock as `tracuu update`; a held
    lock ends every one of them with the same exit code (tracuu.cli: EXIT_LOCKED)."""
    return RunLock(args.data_dir, command).acquire()


def _index_and_report(args, full: bool = False) -> None:
    engine = getattr(args, "engine", None)
    summary = pipeline.index_articles(args.data_dir, full=full, engine=engine)
    rebuilt = ", xây lại toàn bộ" if summary.full and not full else ""
    _say(
        f"Chỉ mục: {summary.indexed} bài được cập nhật, tổng cộng {summary.documents} bài. "
        f"(bộ máy tìm kiếm: {summary.engine}{rebuilt})"
    )


def cmd_crawl(args) -> int:
    sources = _load_sources(args.sources, args.source)
    with _writer_lock(args, "crawl"):
        report = pipeline.crawl_sources(args.data_dir, sources)
        _report_crawl(args, report)
        if not args.no_index:
            _index_and_report(args)
    return 0


def cmd_import(args) -> int:
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        raise UserError(f"không thấy tệp: {', '.join(missing)}")
    with _writer_lock(args, "import"):
        _import(args)
    return 0


MAX_BAD_LINES_SHOWN = 20


def _import(args) -> None:
    shown = 0

    def on_bad_line(bad) -> None:
        nonlocal shown
        shown += 1
        if shown <= MAX_BAD_LINES_SHOWN:
            _say(f"Bỏ qua dòng lỗi {bad}")
        elif shown == MAX_BAD_LINES_SHOWN + 1:
            _say("… (các dòng lỗi khác: xem báo cáo)")

    provinces = pipeline.sources_file_provinces(Path("sources.toml"))
    summary = pipeline.import_files(
        args.data_dir, args.files, on_bad_line=on_bad_line, provinces=provinces
    )
    _say(
        f"Đã đọc {summary.read} bài: {summary.outcomes['new']} mới, "
        f"{summary.outcomes['changed']} thay đổi, {summary.outcomes['unchanged']} không đổi; "
        f"{len(summary.bad_lines)} dòng lỗi bị bỏ qua."
    )
    if summary.cut:
        _say(f"{len(summary.cut)} bài có trường quá dài bị cắt bớt (xem báo cáo: cut_fields).")
    path = pipeline.write_report(args.data_dir, "import", summary.to_dict())
    _say(f"Báo cáo: {path}")
    if not args.no_index:
        _index_and_report(args)


def cmd_extract(args) -> int:
    missing = [str(p) for p in args.warcs if not p.exists()]
    if missing:
        raise UserError(f"không thấy tệp WARC: {', '.join(missing)}")
    if getattr(args, "explain", None):
        from crawler.explain import explain_capture

        account = explain_capture(args.warcs or pipeline.warc_paths(args.data_dir), args.explain)
        _print_json(account)
        return 0 if account["found"] else 1
    with _writer_lock(args, "extract"):
        provinces = pipeline.sources_file_provinces(Path("sources.toml"))
        report = pipeline.reextract_warcs(args.data_dir, args.warcs or None, provinces=provinces)
    for damaged in report.damaged:
        _say(f"Bỏ qua bản ghi WARC hỏng (không tạo phiên bản mới): {damaged}")
    data = report.to_dict()
    pipeline.write_report(args.data_dir, "extract", data)
    _print_json(data)
    _say("Chạy `tracuu index` để cập nhật chỉ mục.")
    return 0


def cmd_index(args) -> int:
    with _writer_lock(args, "index"):
        _index_and_report(args, full=args.full)
    return 0


def cmd_sources(args) -> int:
    from crawler.sources import check_sources

    if not args.path.exists():
        raise UserError(f"không thấy tệp nguồn {args.path}")
    problems = check_sources(args.path)
    for problem in problems:
        print(problem)  # each names the file, the source and the key
    if problems:
        return 2  # the same code as every command that refuses this file
    print(f"{args.path}: hợp lệ")
    return 0


# -- search / serve ----------------------------------------------------------------------
def cmd_search(args) -> int:
    from indexer import QueryError, SearchQuery, open_engine
    from indexer.api import cut_query_text
    from search_app.formatting import vn_date

    text, cut_warning = cut_query_text(args.query)
    try:
        query = SearchQuery(
            text=text,
            page=args.page,
            per_page=args.limit,
            sort=args.sort,
            group_words=not args.apart,
            exact_accents=not args.any_accent,
            loosen_counts=True,
        )
    except QueryError as exc:
        raise UserError(str(exc)) from None
    engine = _engine(args.data_dir, open_engine)
    page = engine.search(query)
    page.warnings[:0] = [cut_warning] if cut_warning else []
    if args.json:
        _print_json(page.to_dict())
        return 0
    for warning in page.warnings:
        _say(f"Lưu ý: {warning}")
    if page.suggestion:
        _say(f"Có phải bạn muốn tìm: {page.suggestion} ({page.suggestion_total} kết quả)")
    _say_reading(page)
    print(f"{page.total} kết quả cho «{args.query}»")
    first = (query.page - 1) * query.per_page
    for rank, hit in enumerate(page.hits, start=first + 1):
        print(f"{rank:>3}. {hit.title}")
        print(f"     {vn_date(hit.published)} · {hit.source} · {hit.category}")
        print(f"     {hit.url}")
    return 0


def _say_reading(page) -> None:
    """The page's "understood as" line and its looser readings, on stderr."""
    from search_app.reading_text import reading_summary

    reading = page.reading
    if reading.units:
        words = " + ".join(f"{'-' if u.excluded else ''}[{u.text}]" for u in reading.units)
        _say(f"Đã hiểu là: {words} · {reading_summary(reading, page.query)}")
    flags = {"words": "--apart", "accents": "--any-accent"}
    for option in reading.loosen:
        _say(f"Nới lỏng: {flags[option.kind]} ({option.total} kết quả)")  # counted: asked


def _engine(data_dir: Path, open_engine):
    from indexer import IndexMissingError, IndexVersionError

    try:
        return open_engine(data_dir)
    except (IndexMissingError, IndexVersionError) as exc:
        raise UserError(str(exc)) from None


def cmd_serve(args) -> int:
    from indexer import open_engine

    return _serve(
        args.data_dir,
        args.host,
        args.port,
        threads=args.threads,
        workers=args.workers,
        open_engine=open_engine,
    )


def _serve(
    data_dir: Path, host: str, port: int, *, threads: int = 8, workers: int = 1, open_engine=None
) -> int:
    """Serve with waitress: in this process (workers=1), or pre-forked (tracuu.prefork).
    workers=0 means one per CPU core."""
    from tracuu import prefork

    if workers == 0:
        workers = prefork.cpu_count()
    if workers > 1 and not prefork.can_fork():
        _say("Lưu ý: hệ điều hành này không hỗ trợ fork: chỉ chạy 1 tiến trình phục vụ.")
        workers = 1
    if workers == 1:
        import waitress

        app = _app(data_dir, open_engine)
        _say(f"tracuu đang phục vụ tại http://{host}:{port}  (Ctrl+C để dừng)")
        waitress.serve(app, host=host, port=port, **waitress_options(threads))
        return 0
    return _serve_prefork(data_dir, host, port, threads, workers, open_engine)


def _app(data_dir: Path, open_engine):
    from search_app.app import create_app

    engine = _engine(data_dir, open_engine) if open_engine else None
    config = {"DATA_DIR": str(data_dir), "ENGINE": engine, **pipeline.archive_views(data_dir)}
    return create_app(config)


def _check_index(data_dir: Path, open_engine) -> None:
    """Fail before forking, with the engine's own message, when the index cannot be used.

    Only a broken index is opened here: opening a healthy one would start the engine's
    threads (Whoosh's warm-up, tantivy's pools) in the parent, and a process with threads
    must not fork. A worker that still fails to open it is handled by the supervisor."""
    from indexer import index_status

    _index_dir, problem = index_status(data_dir)
    if problem:
        _engine(data_dir, open_engine).close()  # raises UserError unless fixed meanwhile


def _serve_prefork(data_dir: Path, host: str, port: int, threads: int, workers: int, open_engine):
    from tracuu import prefork

    if open_engine:
        _check_index(data_dir, open_engine)
    # Imported once here, so the workers share these modules' memory copy-on-write.
    import waitress  # noqa: F401

    from search_app import app  # noqa: F401

    try:
        sock = prefork.bind(host, port)
    except OSError as exc:
        raise UserError(f"không mở được cổng {port} trên {host}: {exc.strerror}") from None
    with sock:
        bound_port = sock.getsockname()[1]
        _say(
            f"tracuu đang phục vụ tại http://{host}:{bound_port} với {workers} tiến trình  "
            "(Ctrl+C để dừng)"
        )
        try:
            prefork.Supervisor(sock, workers, _worker_main(data_dir, threads, open_engine)).run()
        except prefork.WorkersFailing as exc:
            _say(f"tracuu: {exc}")
            return 1
    _say("Đã dừng.")
    return 0


def _worker_main(data_dir: Path, threads: int, open_engine):
    """What each forked worker runs: its own engine and app, waitress on the shared socket."""

    def run(sock) -> None:
        import logging

        import waitress

        try:
            app = _app(data_dir, open_engine)
        except UserError as exc:
            _say(f"tracuu: {exc}")
            raise SystemExit(2) from None
        logging.basicConfig()  # as waitress.serve does: its warnings reach stderr
        waitress.create_server(app, sockets=[sock], **waitress_options(threads)).run()

    return run


# -- demo ---------------------------------------------------------------------------------
def cmd_demo(args) -> int:
    from tracuu.demo import port_free, run_demo

    # Checked before crawling: a busy port must not cost a whole crawl to find out.
    if not args.no_serve and not port_free(args.host, args.port):
        raise UserError(f"cổng {args.port} đang bận: chạy lại với --port KHÁC")
    run_demo(args.data_dir, progress=None)
    if args.no_serve:
        return 0
    from indexer import open_engine

    return _serve(args.data_dir, args.host, args.port, open_engine=open_engine)
