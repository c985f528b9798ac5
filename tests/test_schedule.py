"""`tracuu schedule`: intervals, cron expressions, failed runs survived, clean SIGTERM stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta

import pytest
from test_update_helpers import ROOT

from crawler.article import VN_TZ
from tracuu.schedule import ChildUpdate, ScheduleError, Scheduler, parse_cron, parse_every

T0 = datetime(2026, 3, 14, 10, 17, 42, tzinfo=VN_TZ)  # a Saturday


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6h", 21600), ("30m", 1800), ("1d", 86400), ("90s", 90), ("1h30m", 5400), (" 2H ", 7200)],
)
def test_parse_every(text, seconds):
    assert parse_every(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "6", "h", "6 giờ", "-1h", "0m", "1.5h"])
def test_parse_every_rejects(text):
    with pytest.raises(ScheduleError):
        parse_every(text)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("0 */6 * * *", datetime(2026, 3, 14, 12, 0)),
        ("*/15 * * * *", datetime(2026, 3, 14, 10, 30)),
        ("30 2 * * *", datetime(2026, 3, 15, 2, 30)),
        ("0 3 * * 1", datetime(2026, 3, 16, 3, 0)),  # next Monday
        ("0 3 * * 0", datetime(2026, 3, 15, 3, 0)),  # Sunday as 0
        ("0 3 * * 7", datetime(2026, 3, 15, 3, 0)),  # ... and as 7
        ("0 0 1 * *", datetime(2026, 4, 1, 0, 0)),
        ("0 8-10 * * *", datetime(2026, 3, 15, 8, 0)),
        ("5,50 10 * * *", datetime(2026, 3, 14, 10, 50)),
        ("0 0 1 * 1", datetime(2026, 3, 16, 0, 0)),  # day OR weekday when both are set
    ],
)
def test_cron_next_after(expr, expected):
    assert parse_cron(expr).next_after(T0) == expected.replace(tzinfo=VN_TZ)


@pytest.mark.parametrize(
    "expr", ["* * * *", "60 * * * *", "0 24 * * *", "a * * * *", "*/0 * * * *"]
)
def test_cron_rejects(expr):
    with pytest.raises(ScheduleError):
        parse_cron(expr)


class FakeClock:
    """Scheduler time that moves only when the scheduler waits."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_scheduler_survives_a_failed_run_and_keeps_the_rhythm():
    clock, messages, results = FakeClock(), [], iter([RuntimeError("hỏng"), 5, 0])

    def run_once() -> int:
        outcome = next(results)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    scheduler = Scheduler(lambda t: t, run_once, say=messages.append, now=clock)
    scheduler.loop(max_runs=3)
    assert scheduler.runs == [-1, 5, 0]
    assert any("hỏng" in m for m in messages)
    assert messages[-1] == "Đã dừng lịch cập nhật."


def test_stop_interrupts_the_wait_at_once():
    scheduler = Scheduler(lambda t: t + timedelta(days=1), lambda: 0, say=lambda m: None)
    thread = threading.Thread(target=scheduler.loop)
    thread.start()
    scheduler.stop()
    thread.join(10)
    assert not thread.is_alive() and scheduler.runs == []


def test_child_update_after_terminate_does_not_start():
    child = ChildUpdate(["--help"])
    child.terminate()
    assert child() == 0


def test_schedule_command_stops_cleanly_on_sigterm(tmp_path):
    sources = tmp_path / "sources.toml"
    # A valid file (checked at start); no run happens here.
    sources.write_text('[[source]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    process = subprocess.Popen(
        [sys.executable, "-m", "tracuu.cli", "schedule", "--every", "6h",
         "--data-dir", str(tmp_path), "--sources", str(sources)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    first_line = process.stderr.readline()
    assert "Lần cập nhật tới" in first_line
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Đã dừng lịch cập nhật." in rest


def test_schedule_needs_exactly_one_of_every_and_cron(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tracuu.cli", "schedule", "--data-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2 and "--every" in result.stderr
