"""The run lock: one writer at a time (a kernel lock), the holder named, a killed run's file
reused, the same exit code for every locked command, SIGTERM cleans up."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

import pytest
from test_update_helpers import run_tracuu, small_portal, start_paused, tracuu_args, write_sources

from tracuu.lock import LockHeld, RunLock, lock_path, lock_state, read_lock


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid  # just exited; reused only after the pid space wraps


def write_lock(data_dir, pid: int, host: str | None = None) -> None:
    info = {"pid": pid, "host": host or socket.gethostname(), "started": "2026-01-01T00:00:00"}
    lock_path(data_dir).write_text(json.dumps(info))


def test_lock_file_names_pid_host_and_start(tmp_path):
    with RunLock(tmp_path, "update"):
        holder = read_lock(lock_path(tmp_path))
        assert (holder.pid, holder.host, holder.command) == (
            os.getpid(),
            socket.gethostname(),
            "update",
        )
        assert holder.started
    assert not lock_path(tmp_path).exists()


def test_second_lock_in_a_live_process_is_refused_with_the_holder(tmp_path):
    with RunLock(tmp_path, "update"), pytest.raises(LockHeld) as caught:
        RunLock(tmp_path, "reindex").acquire()
    assert caught.value.holder.pid == os.getpid()
    assert f"pid {os.getpid()}" in str(caught.value)


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    pid = dead_pid()
    write_lock(tmp_path, pid)
    assert lock_state(tmp_path)[0] == "stale"
    with RunLock(tmp_path, "update") as lock:
        assert lock.took_over.pid == pid
        assert read_lock(lock_path(tmp_path)).pid == os.getpid()
    assert not lock_path(tmp_path).exists()


def test_a_reused_pid_is_not_a_holder(tmp_path):
    # A container restarted in a new PID namespace gets the same pid: a lock file naming a
    # live pid (here our own) whose run was killed must not block every later run.
    write_lock(tmp_path, os.getpid())
    assert lock_state(tmp_path)[0] == "stale"
    with RunLock(tmp_path, "update") as lock:
        assert lock.took_over.pid == os.getpid()


def test_an_empty_lock_file_is_no_holder(tmp_path):
    lock_path(tmp_path).write_text("")  # a run killed between creating and writing it
    with RunLock(tmp_path) as lock:
        assert lock.took_over is None


HOLD = "from tracuu.lock import RunLock; import sys, time; RunLock(sys.argv[1], 'crawl').acquire()"


def hold_lock_in_child(data_dir) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD + "; print('ok', flush=True); time.sleep(60)", str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "ok\n"
    return child


def test_the_kernel_frees_the_lock_when_its_holder_is_killed(tmp_path):
    child = hold_lock_in_child(tmp_path)
    try:
        with pytest.raises(LockHeld, match=f"pid {child.pid}"):
            RunLock(tmp_path).acquire()
        assert lock_state(tmp_path) == ("held", read_lock(lock_path(tmp_path)))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert lock_state(tmp_path)[0] == "stale"  # its file is left, nobody holds it
    with RunLock(tmp_path, "update") as lock:
        assert lock.took_over.pid == child.pid


def test_second_update_exits_3_naming_the_holder(tmp_path):
    portal = small_portal(6)
    try:
        sources = write_sources(tmp_path / "sources.toml", portal.base_url)
        first = start_paused(tracuu_args("update", tmp_path, sources), tmp_path, "crawl")
        try:
            second = run_tracuu(*tracuu_args("update", tmp_path, sources))
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
    finally:
        portal.stop()
    assert second.returncode == 3
    assert f"pid {first.pid}" in second.stderr
    assert "tracuu update" in second.stderr
    log = (tmp_path / "update.log").read_text(encoding="utf-8").splitlines()
    assert "LỖI(3)" in log[-1]


@pytest.mark.parametrize("command", ["index", "import", "crawl", "extract", "reindex"])
def test_every_locked_command_exits_3_like_update(tmp_path, command):
    sources = write_sources(tmp_path / "sources.toml", "http://127.0.0.1:9")
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("")
    extra = {"import": [str(jsonl)], "crawl": ["--sources", str(sources)], "reindex": ["--full"]}
    args = [sys.executable, "-m", "tracuu.cli", command, "--data-dir", str(tmp_path)]
    with RunLock(tmp_path, "update"):
        result = run_tracuu(*args, *extra.get(command, []))
    assert result.returncode == 3, result.stderr
    assert f"pid {os.getpid()}" in result.stderr and "khóa" in result.stderr


def test_sigterm_to_a_run_removes_its_lock(tmp_path):
    portal = small_portal(6)
    try:
        sources = write_sources(tmp_path / "sources.toml", portal.base_url)
        child = start_paused(tracuu_args("update", tmp_path, sources), tmp_path, "crawl")
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=30)
    finally:
        portal.stop()
    assert child.returncode == 143, stderr
    assert not lock_path(tmp_path).exists()


def test_sigterm_to_schedule_mid_run_leaves_the_next_run_free(tmp_path):
    portal = small_portal(6)
    try:
        sources = write_sources(tmp_path / "sources.toml", portal.base_url)
        args = [sys.executable, "-m", "tracuu.cli", "schedule", "--every", "6h", "--now",
                "--data-dir", str(tmp_path), "--sources", str(sources), "--delay", "0"]  # fmt: skip
        scheduler = start_paused(args, tmp_path, "crawl")  # its child update pauses there
        scheduler.send_signal(signal.SIGTERM)
        _, stderr = scheduler.communicate(timeout=30)
        assert scheduler.returncode == 0, stderr
        assert "143" in stderr  # the update was stopped by SIGTERM, and cleaned up
        assert not lock_path(tmp_path).exists()
        again = run_tracuu(*tracuu_args("update", tmp_path, sources))
    finally:
        portal.stop()
    assert again.returncode == 0, again.stderr
