"""What the `tracuu` command handlers share (tracuu.commands, tracuu.commands_ops,
tracuu.serving): the error a user can fix, messages on stderr, JSON on stdout, reading the
sources file, the writer lock, opening the index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracuu.lock import RunLock


class UserError(Exception):
    """Something the user can fix; printed without a traceback, exit code 2."""


def say(message: str) -> None:
    """A message for the person at the terminal: stderr, so stdout stays data."""
    print(message, file=sys.stderr, flush=True)


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def load_sources(path: Path, only: list[str]) -> list:
    """The sources of ``path`` (only those named in ``only``, if any), or a UserError."""
    from crawler.sources import check_sources
    from crawler.sources import load_sources as read_sources

    if not path.exists():
        raise UserError(f"không thấy tệp nguồn {path} (xem sources.example.toml)")
    problems = check_sources(path)
    if problems:
        raise UserError("tệp nguồn có lỗi:\n  " + "\n  ".join(problems))
    sources = read_sources(path)
    if only:
        unknown = set(only) - {s.name for s in sources}
        if unknown:
            raise UserError(f"không có nguồn tên {', '.join(sorted(unknown))} trong {path}")
        sources = [s for s in sources if s.name in only]
    return sources


def writer_lock(args, command: str) -> RunLock:
    """Commands that write the store or index take the same lock as `tracuu update`; a held
    lock ends every one of them with the same exit code (tracuu.cli: EXIT_LOCKED)."""
    return RunLock(args.data_dir, command).acquire()


def open_index(data_dir: Path, open_engine):
    """The engine on the index of ``data_dir``; a missing or outdated index is a UserError."""
    from indexer import IndexMissingError, IndexVersionError

    try:
        return open_engine(data_dir)
    except (IndexMissingError, IndexVersionError) as exc:
        raise UserError(str(exc)) from None
