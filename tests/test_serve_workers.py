"""`tracuu serve --workers N`: pre-forked worker processes on one socket, supervised by the parent.

The server runs as a real subprocess on an ephemeral localhost port; its workers are found in
/proc (children of the parent), and which worker holds a connection from /proc/net/tcp, so
responses carry no process ids. Every wait polls with a deadline.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tracuu import cli

ROOT = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
SEARCH = "/api/search?q=" + quote("nông thôn")


# -- helpers ---------------------------------------------------------------------------------
def wait_for(condition, seconds: float = 30.0, every: float = 0.05):
    """condition()'s first truthy value, or its last value once the deadline has passed."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str = SEARCH) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def answers(port: int) -> bool:
    try:
        return get(port)[0] == 200
    except OSError:
        return False


def children(pid: int) -> set[int]:
    """Live (not zombie) child processes of ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.add(int(entry))
    return found


def established_inodes(port: int) -> set[str]:
    """Socket inodes of the server's side of established connections to ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if fields[3] == "01" and local_port == port:
                inodes.add(fields[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[len("socket:[") : -1])
    return inodes


class Server:
    """`python -m tracuu.cli serve --workers N` in its own session (so killpg = Ctrl+C)."""

    def __init__(self, data_dir: Path, log: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.log = log
        argv = [sys.executable, "-m", "tracuu.cli", "serve", "--workers", str(workers)]
        argv += ["--port", str(self.port), "--data-dir", str(data_dir)]
        with open(log, "w") as err:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
            )

    def workers(self) -> set[int]:
        return children(self.proc.pid)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    from crawler.article import Article
    from tracuu import pipeline

    path = tmp_path_factory.mktemp("serve-workers")
    with pipeline.open_store(path) as store:
        for i in range(5):
            store.put(
                Article(
                    url=f"https://vd.vn/bai-{i}.html",
                    title=f"Nông thôn mới, bài {i}",
                    body="Xây dựng nông thôn mới ở các tỉnh miền núi phía Bắc.",
                )
            )
    pipeline.index_articles(path, progress=False)
    return path


@pytest.fixture()
def server(data_dir, tmp_path):
    served = Server(data_dir, tmp_path / "stderr.txt")
    try:
        assert wait_for(lambda: answers(served.port)), served.stderr()
        assert wait_for(lambda: len(served.workers()) == 2), served.stderr()
        yield served
    finally:
        served.stop()


# -- the pre-forked server -------------------------------------------------------------------
@linux_only
def test_two_worker_processes_answer_searches(server):
    status, body = get(server.port)
    assert status == 200 and "nông thôn".encode() in body.lower()
    assert "với 2 tiến trình" in server.stderr()
    workers = server.workers()
    # Open connections until both workers hold one: each accepts from the shared socket.
    connections: list[http.client.HTTPConnection] = []

    def serving_workers() -> set[int]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", SEARCH)
        response = conn.getresponse()
        assert response.status == 200
        response.read()
        connections.append(conn)  # kept open (keep-alive): its worker still holds it
        live = established_inodes(server.port)
        serving = {pid for pid in workers if socket_inodes(pid) & live}
        return serving if len(serving) == 2 or len(connections) >= 64 else set()

    try:
        assert wait_for(serving_workers, every=0) == workers
    finally:
        for conn in connections:
            conn.close()


@linux_only
def test_a_killed_worker_is_restarted_and_requests_still_succeed(server):
    before = server.workers()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)

    def replaced() -> set[int]:
        workers = server.workers()
        return workers if len(workers) == 2 and victim not in workers else set()

    assert wait_for(replaced), server.stderr()
    assert f"{victim} đã dừng (tín hiệu SIGKILL)" in server.stderr()
    assert server.proc.poll() is None
    for _ in range(10):
        assert get(server.port)[0] == 200


@linux_only
@pytest.mark.parametrize("how", ["SIGTERM to the parent", "Ctrl+C to the process group"])
def test_stopping_the_parent_stops_every_worker_and_exits_0(server, how):
    workers = server.workers()
    if how.startswith("SIGTERM"):
        server.proc.send_signal(signal.SIGTERM)
    else:
        os.killpg(server.proc.pid, signal.SIGINT)
    assert server.proc.wait(timeout=30) == 0, server.stderr()
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    assert "Traceback" not in server.stderr()
    assert "Đã dừng." in server.stderr()


def test_missing_index_is_a_clear_error_before_any_worker_starts(tmp_path):
    served = Server(tmp_path / "trong", tmp_path / "stderr.txt")
    try:
        assert served.proc.wait(timeout=60) == 2
    finally:
        served.stop()
    err = served.stderr()
    assert err.startswith("tracuu: Chưa có chỉ mục"), err
    assert "đang phục vụ" not in err


@linux_only
def test_workers_dying_at_startup_make_the_supervisor_give_up():
    script = """
import sys
from tracuu import prefork

def fail(sock):
    raise SystemExit(3)

policy = prefork.Policy(backoff_s=0.01, backoff_max_s=0.05, max_quick_failures=3)
try:
    prefork.Supervisor(prefork.bind("127.0.0.1", 0), 2, fail, policy).run()
except prefork.WorkersFailing as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert "3 lần liên tiếp" in done.stderr and "mã thoát 3" in done.stderr


# -- the --workers argument ------------------------------------------------------------------
def test_workers_argument_accepts_counts_and_auto():
    parse = cli.build_parser().parse_args
    assert parse(["serve"]).workers == 1
    assert parse(["serve", "--workers", "3"]).workers == 3
    assert parse(["serve", "--workers", "auto"]).workers == 0
    with pytest.raises(SystemExit):
        parse(["serve", "--workers", "-1"])
    with pytest.raises(SystemExit):
        parse(["serve", "--workers", "nhiều"])


@pytest.mark.parametrize("workers", [0, 4])
def test_one_core_or_no_fork_serves_in_this_process(data_dir, monkeypatch, capsys, workers):
    served = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(kw))
    monkeypatch.setattr("tracuu.prefork.cpu_count", lambda: 1)
    monkeypatch.setattr("tracuu.prefork.can_fork", lambda: False)
    argv = ["serve", "--data-dir", str(data_dir), "--port", "0", "--workers", str(workers)]
    assert cli.main(argv) == 0
    assert served["port"] == 0 and served["threads"] == 8
    warned = "không hỗ trợ fork" in capsys.readouterr().err
    assert warned == (workers == 4)
