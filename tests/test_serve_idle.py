"""Idle connections cannot lock a served app: 300 idle sockets (waitress's default limit was
100 per process) and a real request is still answered within a few seconds."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import time

import pytest
from test_serve_workers import ROOT, free_port, wait_for

from crawler.article import Article
from indexer import rebuild_index
from tracuu.serving import IDLE_TIMEOUT_S, connection_limit

IDLE_SOCKETS = 300


def help_page(port: int, timeout: float) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/huong-dan")
        return conn.getresponse().status
    finally:
        conn.close()


def answers(port: int) -> bool:
    try:
        return help_page(port, 2) == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve-idle")
    rebuild_index(data_dir, [Article(url="https://a.vn/1.html", title="Tin", body="Nội dung.")])
    return data_dir


@pytest.mark.parametrize("workers", ["1", "2"])
def test_idle_connections_leave_room_for_a_real_request(data_dir, workers):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tracuu.cli", "serve", "--data-dir", str(data_dir),
         "--port", str(port), "--workers", workers],
        cwd=ROOT, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    idle: list[socket.socket] = []
    try:
        assert wait_for(lambda: answers(port), seconds=20)
        for _ in range(IDLE_SOCKETS):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)  # let the server accept them all
        began = time.monotonic()
        assert help_page(port, timeout=5) == 200
        assert time.monotonic() - began < 3
    finally:
        for sock in idle:
            sock.close()
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def test_limits_are_generous_and_idle_connections_short_lived():
    assert connection_limit() >= IDLE_SOCKETS
    assert IDLE_TIMEOUT_S <= 15
