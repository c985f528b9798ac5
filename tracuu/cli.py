"""The `tracuu` command: a thin layer over tracuu.pipeline, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracuu import pipeline

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _data_dir_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where captures, articles and the index live (default: $TRACUU_DATA or ./tracuu-data)",
    )


def _server_args(parser: argparse.ArgumentParser, port: int = 5000) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=port, help=f"port (default {port})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracuu", description="tra cứu: full-text search over Vietnamese news archives"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="crawl the bundled sample portal, index it and serve the UI")
    _data_dir_arg(p)
    _server_args(p)
    p.add_argument("--no-serve", action="store_true", help="stop after indexing (for scripts)")

    p = sub.add_parser("crawl", help="crawl the sources in a sources.toml into the data directory")
    _data_dir_arg(p)
    p.add_argument("--sources", type=Path, default=Path("sources.toml"), help="sources file")
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    p.add_argument("--no-index", action="store_true", help="do not update the index afterwards")

    p = sub.add_parser("index", help="bring the search index up to date with stored articles")
    _data_dir_arg(p)
    p.add_argument(
        "--full", action="store_true", help="rebuild from scratch, then switch atomically"
    )

    p = sub.add_parser(
        "import", help="import Article records from JSON Lines files (.jsonl, .jsonl.gz)"
    )
    _data_dir_arg(p)
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--no-index", action="store_true", help="do not update the index afterwards")

    p = sub.add_parser("extract", help="re-extract Articles from WARC captures (no network)")
    _data_dir_arg(p)
    p.add_argument(
        "warcs", nargs="*", type=Path, help="WARC files (default: the data directory's own)"
    )

    p = sub.add_parser("serve", help="serve the search UI and JSON API (waitress)")
    _data_dir_arg(p)
    _server_args(p)
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    p = sub.add_parser("search", help="search the index and print ranked results")
    _data_dir_arg(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--sort", choices=["relevance", "newest", "oldest"], default="relevance")
    p.add_argument("--json", action="store_true", help="print the JSON the API returns")

    p = sub.add_parser("sources", help="work with sources.toml")
    sources_sub = p.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    check = sources_sub.add_parser("check", help="validate a sources file")
    check.add_argument("path", nargs="?", type=Path, default=Path("sources.toml"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "data_dir", "unset") is None:
        args.data_dir = pipeline.default_data_dir()
    from tracuu import commands

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except commands.UserError as exc:
        print(f"tracuu: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
