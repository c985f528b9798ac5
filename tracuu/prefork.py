"""Pre-fork serving: the parent binds one listening socket, forks N workers and supervises them.

Searching is pure Python, so the threads of one process share one core (the GIL); separate
processes use every core. Each worker opens its own engine and app *after* the fork (an open
index, searcher, SQLite connection or thread must never cross a fork) and accepts on the
inherited socket. The parent only supervises:

- SIGTERM or SIGINT (Ctrl+C) → SIGTERM to every worker, SIGKILL after a grace period, exit 0;
- a worker that dies is restarted after a short backoff; workers that keep dying soon after they
  start (a broken index, no memory) make the parent stop everything and raise WorkersFailing.

POSIX only (os.fork); callers fall back to one process where ``can_fork()`` is false.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from tracuu.cli_support import say

WorkerMain = Callable[[socket.socket], None]
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class WorkersFailing(RuntimeError):
    """Workers kept dying right after they started: restarting them again would only loop."""


def can_fork() -> bool:
    return hasattr(os, "fork")


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The listening socket every worker inherits (IPv4 or IPv6, as ``host`` resolves)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    return socket.create_server((host, port), family=family, backlog=backlog)


@dataclass(frozen=True)
class Policy:
    grace_s: float = 10.0  # SIGTERM → SIGKILL when stopping
    min_uptime_s: float = 10.0  # a worker dying sooner failed at startup
    max_quick_failures: int = 5  # startup failures in a row before giving up
    backoff_s: float = 0.5  # restart delay, doubled per startup failure in a row
    backoff_max_s: float = 8.0
    poll_s: float = 0.1  # how often the parent looks at its workers and signals


def describe_exit(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"tín hiệu {signal.Signals(-code).name}"
    return f"mã thoát {code}"


class Supervisor:
    """Keeps ``count`` workers running ``worker_main(sock)`` until asked to stop."""

    def __init__(
        self, sock: socket.socket, count: int, worker_main: WorkerMain, policy: Policy | None = None
    ) -> None:
        self.sock, self.count, self.worker_main = sock, count, worker_main
        self.policy = policy or Policy()
        self.workers: dict[int, float] = {}  # pid → when it started (monotonic)
        self._restarts_due: list[float] = []  # monotonic times at which to start a worker
        self._quick_failures = 0
        self._stop_requests = 0

    # -- the parent's loop ---------------------------------------------------------------
    def run(self) -> int:
        """Serve until SIGTERM/SIGINT (returns 0); raises WorkersFailing if workers keep dying."""
        previous = {sig: signal.signal(sig, self._on_stop_signal) for sig in STOP_SIGNALS}
        try:
            for _ in range(self.count):
                self._spawn()
            while not self._stop_requests:
                for pid, status, started in self._reap():
                    self._schedule_restart(pid, status, started)
                self._start_due()
                time.sleep(self.policy.poll_s)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0

    def _on_stop_signal(self, signum: int, frame: object) -> None:
        # Only a flag: the loop notices within poll_s; a second Ctrl+C skips the grace period.
        self._stop_requests += 1

    def _reap(self) -> list[tuple[int, int, float]]:
        """(pid, wait status, start time) of every worker that has exited, without blocking."""
        dead = []
        while self.workers:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in self.workers:
                dead.append((pid, status, self.workers.pop(pid)))
        return dead

    def _schedule_restart(self, pid: int, status: int, started: float) -> None:
        quick = time.monotonic() - started < self.policy.min_uptime_s
        self._quick_failures = self._quick_failures + 1 if quick else 0
        if self._quick_failures >= self.policy.max_quick_failures:
            raise WorkersFailing(
                f"tiến trình phục vụ dừng ngay sau khi khởi động {self._quick_failures} lần "
                f"liên tiếp (lần cuối: {describe_exit(status)}); xem lỗi ở trên."
            )
        delay = min(self.policy.backoff_s * 2**self._quick_failures, self.policy.backoff_max_s)
        say(
            f"tracuu: tiến trình phục vụ {pid} đã dừng ({describe_exit(status)}); "
            f"khởi động lại sau {delay:.1f} s"
        )
        self._restarts_due.append(time.monotonic() + delay)

    def _start_due(self) -> None:
        now = time.monotonic()
        due = [t for t in self._restarts_due if t <= now]
        self._restarts_due = [t for t in self._restarts_due if t > now]
        for _ in due:
            self._spawn()

    def _stop_all(self) -> None:
        """SIGTERM to every worker, SIGKILL to those still alive after the grace period."""
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + self.policy.grace_s
        stop_requests = self._stop_requests
        while self.workers and time.monotonic() < deadline:
            if self._stop_requests > max(stop_requests, 1):  # asked again: don't wait
                break
            self._reap()
            time.sleep(self.policy.poll_s / 2)
        self._signal_all(signal.SIGKILL)
        for pid in list(self.workers):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            del self.workers[pid]

    def _signal_all(self, sig: signal.Signals) -> None:
        for pid in self.workers:
            with contextlib.suppress(ProcessLookupError):  # already dead: reaped later
                os.kill(pid, sig)

    # -- forking -------------------------------------------------------------------------
    def _spawn(self) -> None:
        # Output buffered now would be written twice (once by each process) after the fork.
        sys.stdout.flush()
        sys.stderr.flush()
        # Stop signals are held back across the fork so the child cannot run the parent's
        # handler before it has installed its own; the child unblocks them once ready.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:
            _worker(self.sock, self.worker_main, os.getppid())
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        self.workers[pid] = time.monotonic()


def _worker(sock: socket.socket, worker_main: WorkerMain, parent: int) -> NoReturn:
    """The child's whole life: never returns into the parent's code (os._exit)."""
    # Ctrl+C reaches the whole process group: the parent decides, then sends SIGTERM,
    # whose default action ends the worker at once (a search index is only read).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    _exit_when_orphaned(parent)
    code = 1
    try:
        worker_main(sock)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):  # nothing may stop os._exit below
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _exit_when_orphaned(parent: int, every_s: float = 1.0) -> None:
    """A parent killed with SIGKILL cannot stop its workers: they notice and leave."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(0)

    threading.Thread(target=watch, name="tracuu-orphan-watch", daemon=True).start()
