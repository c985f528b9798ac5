"""One writer at a time: a kernel lock (``flock``) on ``<data>/update.lock``.

The kernel releases the lock when its holder dies, however it dies (kill -9, OOM, a container
stopped), so a dead run never blocks the next one, and a reused pid (a container restarted in
a new PID namespace gets the same pid every time) cannot pass for a live holder. The file's
content — pid, host, start time, command — is information for people and `tracuu check`,
never what decides who holds the lock.

A file left behind by a run that was killed is reused (and its content reported as taken
over); a run that ends normally, or by SIGTERM/SIGINT, removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from crawler.article import now_vietnam

LOCK_NAME = "update.lock"


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    started: str
    command: str = ""

    def describe(self) -> str:
        what = f"`tracuu {self.command}` " if self.command else ""
        return f"{what}pid {self.pid} trên máy {self.host}, bắt đầu lúc {self.started}"


class LockHeld(RuntimeError):
    """Another run holds the lock."""

    def __init__(self, path: Path, holder: LockInfo | None) -> None:
        self.path, self.holder = path, holder
        who = holder.describe() if holder else "không đọc được người giữ"
        super().__init__(f"Một lần chạy khác đang giữ khóa {path}: {who}.")


class Terminated(KeyboardInterrupt):
    """SIGTERM while holding the lock, unwound like Ctrl+C so that the lock file goes."""


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def read_lock(path: Path) -> LockInfo | None:
    """What the lock file says about its (last) holder; None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockInfo(
            int(data["pid"]), str(data["host"]), str(data["started"]), data.get("command", "")
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_locked(path: Path) -> bool:
    """True while some process holds the kernel lock on ``path`` (read-only probe)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


class RunLock:
    """``with RunLock(data_dir, "update"):`` — raises LockHeld if another run holds it."""

    def __init__(self, data_dir: Path, command: str = "") -> None:
        self.path = lock_path(data_dir)
        self.command = command
        self.took_over: LockInfo | None = None
        self._fd: int | None = None
        self._previous_sigterm = None

    def acquire(self) -> RunLock:
        if self._fd is not None:  # `with RunLock(...).acquire():` enters an already held lock
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while self._fd is None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LockHeld(self.path, read_lock(self.path)) from None
            if self._same_file(fd):
                self._fd = fd
            else:  # the previous holder removed the file between our open and flock: retry
                os.close(fd)
        self.took_over = read_lock(self.path)
        try:
            self._write_info()
        except OSError:
            self.release()
            raise
        self._stop_cleanly_on_sigterm()
        return self

    def _same_file(self, fd: int) -> bool:
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except FileNotFoundError:
            return False

    def _write_info(self) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": now_vietnam().isoformat(timespec="seconds"),
            "command": self.command,
        }
        assert self._fd is not None
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, json.dumps(info).encode(), 0)
        except OSError as exc:  # name the file: a bare "[Errno 28]" does not say where
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc

    def _stop_cleanly_on_sigterm(self) -> None:
        """SIGTERM's default action kills without unwinding; raise instead, so `with` blocks
        (this lock's included) clean up. Only the main thread may set signal handlers."""
        if threading.current_thread() is not threading.main_thread():
            return

        def terminate(signum, frame) -> None:
            raise Terminated()

        self._previous_sigterm = signal.signal(signal.SIGTERM, terminate)

    def release(self) -> None:
        if self._fd is None:
            return
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        # Removed while still locked: a run that opened the file meanwhile sees, once it gets
        # the lock, that the path no longer names its file, and tries again (_same_file).
        with contextlib.suppress(OSError):  # read-only directory: the file stays, harmless
            self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_state(data_dir: Path) -> tuple[str, LockInfo | None]:
    """("free" | "held" | "stale", holder) for `tracuu check`: "stale" is a file left by a
    run that was killed (nobody holds the kernel lock); the next run reuses it."""
    path = lock_path(data_dir)
    if not path.exists():
        return "free", None
    holder = read_lock(path)
    return ("held" if _is_locked(path) else "stale"), holder
