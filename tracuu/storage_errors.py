"""A data directory that cannot be written (disk full, read-only, no permission) ends a
command with one clear line naming the path and EXIT_STORAGE, never a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

# errno -> what to tell the operator
_STORAGE_ERRNOS = {
    errno.ENOSPC: "đĩa đầy",
    errno.EDQUOT: "vượt hạn mức đĩa",
    errno.EROFS: "hệ thống tệp chỉ đọc",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
}
_SQLITE_MESSAGES = {
    "database or disk is full": "đĩa đầy",
    "attempt to write a readonly database": "cơ sở dữ liệu chỉ đọc",
    "unable to open database file": "không mở được cơ sở dữ liệu",
    "disk i/o error": "lỗi đọc/ghi đĩa",
}


def storage_problem(exc: BaseException, data_dir: Path | None) -> str | None:
    """One Vietnamese line for a storage failure (None when ``exc`` is something else)."""
    for cause in _chain(exc):
        if isinstance(cause, OSError) and cause.errno in _STORAGE_ERRNOS:
            where = cause.filename or data_dir or "thư mục dữ liệu"
            return f"không ghi được {where}: {_STORAGE_ERRNOS[cause.errno]} ({cause.strerror})."
        if isinstance(cause, sqlite3.OperationalError):
            what = _SQLITE_MESSAGES.get(str(cause).lower())
            if what:
                where = Path(data_dir or ".") / "articles.sqlite"
                return f"không ghi được {where}: {what} ({cause})."
    return None


def _chain(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__
