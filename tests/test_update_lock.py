"""The run lock: one writer at a time, the holder named, stale locks taken over."""

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


def test_lock_from_another_host_is_never_guessed_stale(tmp_path):
    write_lock(tmp_path, dead_pid(), host="may-khac.example")
    with pytest.raises(LockHeld, match="may-khac.example"):
        RunLock(tmp_path).acquire()


def test_torn_lock_is_held_while_young_and_stale_when_old(tmp_path):
    lock_path(tmp_path).write_text("")
    with pytest.raises(LockHeld):
        RunLock(tmp_path).acquire()
    os.utime(lock_path(tmp_path), (0, 0))
    with RunLock(tmp_path) as lock:
        assert lock.took_over.torn_age_s > 10


def test_release_never_removes_someone_elses_lock(tmp_path):
    lock = RunLock(tmp_path).acquire()
    write_lock(tmp_path, os.getppid())  # as if another run had taken over meanwhile
    lock.release()
    assert lock_path(tmp_path).exists()


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


def test_index_command_respects_the_lock(tmp_path):
    with RunLock(tmp_path, "update"):
        result = run_tracuu(
            sys.executable, "-m", "tracuu.cli", "index", "--data-dir", str(tmp_path)
        )
    assert result.returncode == 2
    assert "khóa" in result.stderr
