"""The `tracuu` command: a thin layer over tracuu.pipeline, one subcommand per job."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from indexer.backend import engine_names
from tracuu import pipeline
from tracuu.lock import LockHeld, Terminated
from tracuu.runlog import EXIT_LOCKED, EXIT_STORAGE, EXIT_USAGE
from tracuu.storage_errors import storage_problem

EXIT_OK, EXIT_FAILED = 0, 1
EXIT_TERMINATED = 128 + 15  # what a shell reports for a process ended by SIGTERM


def _data_dir_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where captures, articles and the index live (default: $TRACUU_DATA or ./tracuu-data)",
    )


def _engine_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=engine_names(),
        default=None,
        help="search engine of the index (default: the live index's, whoosh for a new one); "
        "another engine than the live one's rebuilds the whole index with it",
    )


def _server_args(parser: argparse.ArgumentParser, port: int = 5000) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=port, help=f"port (default {port})")


def _workers(value: str) -> int:
    """--workers: a count >= 0, or 'auto' (0: one per CPU core, decided when serving)."""
    if value == "auto":
        return 0
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"cần một số >= 0 hoặc 'auto', không phải {value!r}")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracuu", description="tra cứu: full-text search over Vietnamese news archives"
    )
    # Also before the command (`tracuu --data-dir DIR search …`); a subcommand's own
    # --data-dir wins. Its own dest: a subparser's default would overwrite a shared one.
    parser.add_argument(
        "--data-dir", dest="global_data_dir", type=Path, default=None, help=argparse.SUPPRESS
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
    _engine_arg(p)

    p = sub.add_parser(
        "import", help="import Article records from JSON Lines files (.jsonl, .jsonl.gz)"
    )
    _data_dir_arg(p)
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--no-index", action="store_true", help="do not update the index afterwards")
    _engine_arg(p)

    p = sub.add_parser(
        "extract", help="re-extract Articles from WARC or WACZ captures (no network)"
    )
    _data_dir_arg(p)
    p.add_argument(
        "warcs", nargs="*", type=Path, help="WARC/WACZ files (default: the data directory's own)"
    )
    p.add_argument(
        "--explain",
        metavar="URL",
        help="show, for the latest capture of URL, what was found for each field and why "
        "(stores nothing)",
    )

    p = sub.add_parser("serve", help="serve the search UI and JSON API (waitress)")
    _data_dir_arg(p)
    _server_args(p)
    p.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="server processes (default 1: this process alone). N > 1 binds the port once and "
        "forks N processes, each with its own index and --threads threads, restarted if one "
        "dies; 0 or 'auto' means one per CPU core. POSIX only: elsewhere 1",
    )

    p = sub.add_parser("search", help="search the index and print ranked results")
    _data_dir_arg(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--sort", choices=["relevance", "newest", "oldest"], default="relevance")
    p.add_argument("--json", action="store_true", help="print the JSON the API returns")
    p.add_argument(
        "--apart",
        action="store_true",
        help="syllables of a word need not stand together (the page's lien=0)",
    )
    p.add_argument(
        "--any-accent",
        action="store_true",
        help="ignore the diacritics typed (the page's dau=0)",
    )

    _ops_parsers(sub)
    from tracuu.commands_archive import add_wacz_parser

    add_wacz_parser(sub, _data_dir_arg)

    p = sub.add_parser("sources", help="work with sources.toml")
    sources_sub = p.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    check = sources_sub.add_parser("check", help="validate a sources file")
    check.add_argument("path", nargs="?", type=Path, default=Path("sources.toml"))
    return parser


def _delay_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delay",
        type=float,
        default=None,
        help="minimum seconds between two requests to one site (default 1; a source may ask more)",
    )
    parser.add_argument(
        "--retries", type=int, default=None, help="retries of a failing URL per run (default 3)"
    )


def _ops_parsers(sub) -> None:
    """update / reindex / schedule / check: the commands an archivist schedules and monitors."""
    p = sub.add_parser(
        "update",
        help="scheduled run: incremental crawl + index update "
        "(exit 0 ok, 2 config, 3 locked, 4 crawl failed, 5 index failed, 6 data dir not writable)",
    )
    _data_dir_arg(p)
    p.add_argument("--sources", type=Path, default=Path("sources.toml"), help="sources file")
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    _delay_arg(p)

    p = sub.add_parser(
        "reindex", help="rebuild the whole index from WARCs + stored articles, verify, switch"
    )
    _data_dir_arg(p)
    p.add_argument("--full", action="store_true", help="rebuild everything (required)")
    p.add_argument(
        "--sources", type=Path, default=None, help="sources file (default ./sources.toml)"
    )
    p.add_argument(
        "--no-reextract", action="store_true", help="index the store only, skip WARC re-extraction"
    )
    _engine_arg(p)

    p = sub.add_parser("schedule", help="run `update` on a schedule in the foreground")
    _data_dir_arg(p)
    p.add_argument("--every", help="interval, e.g. 6h, 30m, 1d")
    p.add_argument("--cron", help='cron expression, e.g. "0 */6 * * *" (local time)')
    p.add_argument("--sources", type=Path, default=Path("sources.toml"), help="sources file")
    p.add_argument("--now", action="store_true", help="also run once right away")
    p.add_argument("--max-runs", type=int, default=None, help=argparse.SUPPRESS)
    _delay_arg(p)

    p = sub.add_parser("check", help="verify the index against the store; non-zero if wrong")
    _data_dir_arg(p)
    p.add_argument("--json", action="store_true", help="print the findings as JSON")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line, with --data-dir taken from before or after the command."""
    args = build_parser().parse_args(argv)
    if getattr(args, "data_dir", "unset") is None:
        args.data_dir = args.global_data_dir or pipeline.default_data_dir()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from tracuu import commands

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return handler(args)
    except Terminated:
        print("Đã dừng (SIGTERM).", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except LockHeld as exc:
        print(f"tracuu: {exc} Thử lại sau.", file=sys.stderr)
        return EXIT_LOCKED
    except commands.UserError as exc:
        print(f"tracuu: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, sqlite3.Error) as exc:
        problem = storage_problem(exc, getattr(args, "data_dir", None))
        if problem is None:
            raise
        print(f"tracuu: {problem}", file=sys.stderr)
        return EXIT_STORAGE


if __name__ == "__main__":
    raise SystemExit(main())
