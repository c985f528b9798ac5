"""`tracuu wacz`: the archive, or a query's result set, as one WACZ file (tracuu.archive)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def add_wacz_parser(sub, data_dir_arg) -> None:  # noqa: ANN001 - argparse's subparsers
    p = sub.add_parser(
        "wacz",
        help="pack the WARC captures (all, or a query's results) into a WACZ file "
        "with pages.jsonl and a CDXJ index, for pywb / ReplayWeb.page / Browsertrix",
    )
    data_dir_arg(p)
    p.add_argument("--out", type=Path, required=True, help="the .wacz file to write")
    p.add_argument("query", nargs="?", default="", help="only this query's results (optional)")
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    p.add_argument("--from", dest="date_from", type=_date, help="published on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="published on or before YYYY-MM-DD")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cần ngày dạng YYYY-MM-DD, không phải {value!r}"
        ) from None


def _selected(args) -> dict[str, str] | None:  # noqa: ANN001
    """url -> title of the query's results; None when no query or filter narrows the archive."""
    if not (args.query or args.source or args.date_from or args.date_to):
        return None
    from indexer import QueryError, SearchQuery, open_engine
    from tracuu.cli_support import UserError, open_index

    try:
        query = SearchQuery(
            text=args.query,
            sort="newest",
            sources=tuple(args.source),
            date_from=args.date_from,
            date_to=args.date_to,
        )
    except QueryError as exc:
        raise UserError(str(exc)) from None
    engine = open_index(args.data_dir, open_engine)
    try:
        return {hit.url: hit.title for hit in engine.iter_results(query)}
    finally:
        engine.close()


def cmd_wacz(args) -> int:  # noqa: ANN001
    from tracuu import pipeline
    from tracuu.archive import pack_wacz
    from tracuu.cli_support import UserError

    if args.out.suffix.lower() != ".wacz":
        raise UserError(f"tệp ra phải có đuôi .wacz: {args.out}")
    titles = _selected(args)
    selection = titles is not None
    if titles is None:
        with pipeline.open_store(args.data_dir, read_only=True) as store:
            titles = {a.url: a.title for a in store.iter_latest()}
    elif not titles:
        raise UserError("truy vấn không có kết quả nào: không có gì để đóng gói")
    try:
        summary = pack_wacz(args.data_dir, args.out, titles, selection=selection)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    what = f"{len(titles)} kết quả" if selection else "toàn bộ kho"
    print(
        f"Đã ghi {summary.path} ({summary.bytes} byte): {what}, {summary.pages} trang có bản lưu, "
        f"{summary.warc_files} tệp WARC"
        + (f", {summary.records} bản ghi" if summary.records is not None else ""),
        file=sys.stderr,
    )
    return 0
