"""One writer at a time: ``<data>/update.lock`` created with O_EXCL, holding pid, host and start.

A lock left by a process that died (its pid is not alive on this host) is stale and taken
over; a lock from another host is never guessed about, the operator must remove it. The
take-over itself runs under ``flock`` on a side file, so two runs that both find the same
stale lock cannot both win.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from crawler.article import now_vietnam

LOCK_NAME = "update.lock"
# A lock file without readable content is being written right now, or its writer was killed
# between create and write; after this long it is the latter.
TORN_LOCK_GRACE_S = 10.0


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str
    command: str = ""
    torn_age_s: float | None = None  # set when the file could not be read (killed mid-write)

    def describe(self) -> str:
        what = f"`tracuu {self.command}` " if self.command else ""
        return f"{what}pid {self.pid} trên máy {self.host}, bắt đầu lúc {self.started}"

    def is_stale(self) -> bool:
        """True only when the holder is known to be dead (same host, pid gone)."""
        if self.torn_age_s is not None:
            return self.torn_age_s > TORN_LOCK_GRACE_S
        return self.host == socket.gethostname() and not pid_alive(self.pid)


class LockHeld(RuntimeError):
    """Another run holds the lock."""

    def __init__(self, path: Path, holder: LockInfo | None) -> None:
        self.path, self.holder = path, holder
        who = holder.describe() if holder else "không đọc được người giữ"
        super().__init__(f"Một lần chạy khác đang giữ khóa {path}: {who}.")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def read_lock(path: Path) -> LockInfo | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            int(data["pid"]), str(data["host"]), str(data["started"]), data.get("command", "")
        )
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return _torn_lock_info(path)


def _torn_lock_info(path: Path) -> LockInfo | None:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    return LockInfo(-1, socket.gethostname(), "?", torn_age_s=age)


class RunLock:
    """``with RunLock(data_dir, "update"):`` — raises LockHeld if another live run holds it."""

    def __init__(self, data_dir: Path, command: str = "") -> None:
        self.path = lock_path(data_dir)
        self.command = command
        self.took_over: LockInfo | None = None
        self._held = False

    def acquire(self) -> RunLock:
        if self._held:  # `with RunLock(...).acquire():` enters an already held lock
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._try_create():
            return self
        with open(self.path.with_name(LOCK_NAME + ".guard"), "a") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            holder = read_lock(self.path)
            if holder is not None and not holder.is_stale():
                raise LockHeld(self.path, holder)
            self.path.unlink(missing_ok=True)
            if not self._try_create():
                raise LockHeld(self.path, read_lock(self.path))
            self.took_over = holder
        return self

    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": now_vietnam().isoformat(timespec="seconds"),
            "command": self.command,
        }
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(info))
            fh.flush()
            os.fsync(fh.fileno())
        self._held = True
        return True

    def release(self) -> None:
        if self._held:
            holder = read_lock(self.path)
            if holder is not None and holder.pid == os.getpid():
                self.path.unlink(missing_ok=True)
            self._held = False

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_state(data_dir: Path) -> tuple[str, LockInfo | None]:
    """("free" | "held" | "stale", holder) for `tracuu check`."""
    holder = read_lock(lock_path(data_dir))
    if holder is None:
        return "free", None
    return ("stale" if holder.is_stale() else "held"), holder
