"""`tracuu schedule`: run `tracuu update` on a schedule, in the foreground.

For a container or a service manager that wants one long-running process. Each run is a
child process (a crash or a leak in one run cannot take the scheduler down); a failed run is
logged and the next one happens on time. SIGTERM/SIGINT stop the scheduler cleanly: the
running update (if any) is stopped too — updates are safe to kill — and it exits 0.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.article import now_vietnam

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_CRON_FIELDS = (
    ("phút", 0, 59),
    ("giờ", 0, 23),
    ("ngày", 1, 31),
    ("tháng", 1, 12),
    ("thứ", 0, 7),
)  # 0 and 7: Sunday


class ScheduleError(ValueError):
    """A schedule that cannot be understood (message in Vietnamese)."""


def parse_every(text: str) -> timedelta:
    """'6h', '30m', '1d', '90s', '1h30m' → timedelta."""
    compact = re.sub(r"\s", "", text.lower())
    if not re.fullmatch(r"(\d+[smhd])+", compact):
        raise ScheduleError(f"không hiểu khoảng thời gian {text!r} (ví dụ: 6h, 30m, 1d)")
    seconds = sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)([smhd])", compact))
    if seconds < 1:
        raise ScheduleError("khoảng thời gian phải lớn hơn 0")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Cron:
    """A five-field cron expression: minute hour day-of-month month day-of-week (0=CN)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    def matches(self, t: datetime) -> bool:
        weekday = (t.weekday() + 1) % 7  # cron: 0 = Sunday
        day_ok = t.day in self.days
        weekday_ok = weekday in self.weekdays
        # Cron's rule: when both day fields are restricted, either may match.
        if self.any_day or self.any_weekday:
            date_ok = day_ok and weekday_ok
        else:
            date_ok = day_ok or weekday_ok
        return (
            t.minute in self.minutes and t.hour in self.hours and t.month in self.months and date_ok
        )

    def next_after(self, t: datetime) -> datetime:
        candidate = t.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(366 * 24 * 60 * 5):  # bounded: an impossible date (30 Feb) must end
            if self.matches(candidate):
                return candidate
            candidate += timedelta(minutes=1)
        raise ScheduleError("lịch cron không bao giờ tới")


def parse_cron(text: str) -> Cron:
    fields = text.split()
    if len(fields) != 5:
        raise ScheduleError(f"lịch cron cần 5 trường (phút giờ ngày tháng thứ): {text!r}")
    sets = [_cron_field(f, *spec) for f, spec in zip(fields, _CRON_FIELDS, strict=True)]
    weekdays = frozenset(d % 7 for d in sets[4])
    return Cron(*sets[:4], weekdays, fields[2] == "*", fields[4] == "*")


def _cron_field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        match = re.fullmatch(r"(\*|\d+(?:-\d+)?)(?:/(\d+))?", part)
        if not match:
            raise ScheduleError(f"trường {name} không hợp lệ: {part!r}")
        span, step = match.group(1), int(match.group(2) or 1)
        if span == "*":
            start, end = low, high
        else:
            start, _, end_text = span.partition("-")
            start, end = int(start), int(end_text or (high if match.group(2) else start))
        if not (low <= start <= end <= high) or step < 1:
            raise ScheduleError(f"trường {name} ngoài khoảng {low}-{high}: {part!r}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


class Scheduler:
    """Runs ``run_once()`` at each time ``next_time(after)`` gives, until stopped."""

    def __init__(
        self,
        next_time: Callable[[datetime], datetime],
        run_once: Callable[[], int],
        *,
        say: Callable[[str], None],
        now: Callable[[], datetime] = now_vietnam,
    ) -> None:
        self.next_time, self.run_once, self.say, self.now = next_time, run_once, say, now
        self.stopping = threading.Event()
        self.runs: list[int] = []

    def loop(self, *, max_runs: int | None = None) -> None:
        while not self.stopping.is_set():
            due = self.next_time(self.now())
            self.say(f"Lần cập nhật tới: {due.isoformat(timespec='seconds')}")
            if self.stopping.wait(max(0.0, (due - self.now()).total_seconds())):
                break
            code = self.run_now()
            self.runs.append(code)
            if max_runs is not None and len(self.runs) >= max_runs:
                break
        self.say("Đã dừng lịch cập nhật.")

    def run_now(self) -> int:
        try:
            code = self.run_once()
        except Exception as exc:  # a failed run must not end the schedule
            self.say(f"Lần cập nhật lỗi: {type(exc).__name__}: {exc}")
            return -1
        self.say(f"Lần cập nhật kết thúc với mã {code}")
        return code

    def stop(self) -> None:
        self.stopping.set()


class ChildUpdate:
    """Runs `tracuu update` as a child process; ``terminate()`` stops the current one."""

    def __init__(self, args: list[str]) -> None:
        self.command = [sys.executable, "-m", "tracuu.cli", "update", *args]
        self._child: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopped = False

    def __call__(self) -> int:
        with self._lock:
            if self._stopped:
                return 0
            self._child = subprocess.Popen(self.command)
        code = self._child.wait()
        with self._lock:
            self._child = None
        return code

    def terminate(self) -> None:
        with self._lock:
            self._stopped = True
            if self._child is not None and self._child.poll() is None:
                self._child.terminate()


def install_stop_handlers(scheduler: Scheduler, child: ChildUpdate) -> None:
    def handle(signum, frame) -> None:
        scheduler.say("Nhận tín hiệu dừng; kết thúc lần cập nhật đang chạy (nếu có).")
        scheduler.stop()
        child.terminate()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
