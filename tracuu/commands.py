"""What each `tracuu` subcommand does. Argument parsing lives in tracuu.cli; `serve` in
tracuu.serving; update/reindex/schedule/check in tracuu.commands_ops; wacz in
tracuu.commands_archive; what handlers share in tracuu.cli_support. The work itself is the library's (tracuu.pipeline and friends)."""

from __future__ import annotations

from pathlib import Path

from tracuu import pipeline
from tracuu.cli_support import UserError, load_sources, open_index, print_json, say, writer_lock
from tracuu.commands_archive import cmd_wacz
from tracuu.commands_ops import cmd_check, cmd_reindex, cmd_schedule, cmd_update
from tracuu.engine_advice import engine_advice
from tracuu.serving import cmd_serve, serve

# cli.py finds each handler here by name (cmd_<command>) and catches UserError from here.
__all__ = [
    "UserError",
    "cmd_check",
    "cmd_reindex",
    "cmd_schedule",
    "cmd_serve",
    "cmd_update",
    "cmd_wacz",
]


# -- crawl / import / extract / index --------------------------------------------------
def _report_crawl(args, report) -> None:
    # The crawler has written the run's one report (reports/crawl-*.json) already.
    say(report.summary())
    say(f"Báo cáo: {report.path}")


def _index_and_report(args, full: bool = False, streamed: int = 0) -> None:
    """Index what is pending; ``streamed``: articles the import already indexed."""
    engine = getattr(args, "engine", None)
    summary = pipeline.index_articles(args.data_dir, full=full, engine=engine)
    rebuilt = ", xây lại toàn bộ" if summary.full and not full else ""
    indexed = summary.indexed if summary.full else summary.indexed + streamed
    say(
        f"Chỉ mục: {indexed} bài được cập nhật, tổng cộng {summary.documents} bài. "
        f"(bộ máy tìm kiếm: {summary.engine}{rebuilt})"
    )
    advice = engine_advice(summary.engine, summary.documents)
    if advice:
        say(advice)


def cmd_crawl(args) -> int:
    sources = load_sources(args.sources, args.source)
    with writer_lock(args, "crawl"):
        report = pipeline.crawl_sources(args.data_dir, sources)
        _report_crawl(args, report)
        if not args.no_index:
            _index_and_report(args)
    return 0


def cmd_import(args) -> int:
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        raise UserError(f"không thấy tệp: {', '.join(missing)}")
    with writer_lock(args, "import"):
        _import(args)
    return 0


MAX_BAD_LINES_SHOWN = 20


def _import(args) -> None:
    shown = 0

    def on_bad_line(bad) -> None:
        nonlocal shown
        shown += 1
        if shown <= MAX_BAD_LINES_SHOWN:
            say(f"Bỏ qua dòng lỗi {bad}")
        elif shown == MAX_BAD_LINES_SHOWN + 1:
            say("… (các dòng lỗi khác: xem báo cáo)")

    provinces = pipeline.sources_file_provinces(Path("sources.toml"))
    summary = pipeline.import_files(
        args.data_dir,
        args.files,
        on_bad_line=on_bad_line,
        provinces=provinces,
        index=not args.no_index,  # in the same pass where the engine allows (indexer.stream)
        engine=getattr(args, "engine", None),
    )
    say(
        f"Đã đọc {summary.read} bài: {summary.outcomes['new']} mới, "
        f"{summary.outcomes['changed']} thay đổi, {summary.outcomes['unchanged']} không đổi; "
        f"{len(summary.bad_lines)} dòng lỗi bị bỏ qua."
    )
    if summary.cut:
        say(f"{len(summary.cut)} bài có trường quá dài bị cắt bớt (xem báo cáo: cut_fields).")
    path = pipeline.write_report(args.data_dir, "import", summary.to_dict())
    say(f"Báo cáo: {path}")
    if not args.no_index:
        _index_and_report(args, streamed=summary.indexed)


def cmd_extract(args) -> int:
    missing = [str(p) for p in args.warcs if not p.exists()]
    if missing:
        raise UserError(f"không thấy tệp WARC: {', '.join(missing)}")
    if getattr(args, "explain", None):
        from crawler.explain import explain_capture

        account = explain_capture(args.warcs or pipeline.warc_paths(args.data_dir), args.explain)
        print_json(account)
        return 0 if account["found"] else 1
    with writer_lock(args, "extract"):
        provinces = pipeline.sources_file_provinces(Path("sources.toml"))
        report = pipeline.reextract_warcs(args.data_dir, args.warcs or None, provinces=provinces)
    for damaged in report.damaged:
        say(f"Bỏ qua bản ghi WARC hỏng (không tạo phiên bản mới): {damaged}")
    data = report.to_dict()
    pipeline.write_report(args.data_dir, "extract", data)
    print_json(data)
    say("Chạy `tracuu index` để cập nhật chỉ mục.")
    return 0


def cmd_index(args) -> int:
    with writer_lock(args, "index"):
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
    engine = open_index(args.data_dir, open_engine)
    page = engine.search(query)
    page.warnings[:0] = [cut_warning] if cut_warning else []
    if args.json:
        print_json(page.to_dict())
        return 0
    for warning in page.warnings:
        say(f"Lưu ý: {warning}")
    if page.suggestion:
        say(f"Có phải bạn muốn tìm: {page.suggestion} ({page.suggestion_total} kết quả)")
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
    from search_app.reading_text import place_reading, reading_summary

    def unit_text(unit) -> str:  # noqa: ANN001
        shown = f"{'-' if unit.excluded else ''}[{unit.text}]"
        return f"{shown} = {place_reading(unit)}" if unit.field == "place" else shown

    reading = page.reading
    if reading.units:
        words = " + ".join(unit_text(u) for u in reading.units)
        say(f"Đã hiểu là: {words} · {reading_summary(reading, page.query)}")
    flags = {"words": "--apart", "accents": "--any-accent"}
    for option in reading.loosen:
        say(f"Nới lỏng: {flags[option.kind]} ({option.total} kết quả)")  # counted: asked


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

    return serve(args.data_dir, args.host, args.port, open_engine=open_engine)
