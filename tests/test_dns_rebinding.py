"""DNS rebinding: a name that resolves public for the SSRF check and 127.0.0.1 for the
connection must not reach the private address (the connected peer is checked)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler import urls
from crawler.crawl import CrawlSettings, run_crawl
from crawler.fetch import Fetcher, FetchSettings
from crawler.peer_guard import private_peers_refused
from crawler.sources import Source
from crawler.urls import check_url, is_public_address

PUBLIC = "93.184.216.34"  # example.com: any global address will do, it is never contacted
NAME = "rebind.example"


class Recorder(BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Recorder.paths.append(self.path)
        body = b"<html><body><h1>noi bo</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def private_server():
    Recorder.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture()
def rebinding_resolver(monkeypatch):
    """The first answer for NAME is public, every later one is 127.0.0.1."""
    real = socket.getaddrinfo
    answers = iter([PUBLIC])

    def getaddrinfo(host, port, *args, **kwargs):
        if host != NAME:
            return real(host, port, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    urls._resolve.cache_clear()
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    urls._resolve.cache_clear()


def test_a_rebound_name_never_reaches_the_private_address(
    tmp_path, private_server, rebinding_resolver
):
    source = Source(name="rebind", start_urls=[f"http://{NAME}:{private_server}/"])
    settings = CrawlSettings(fetch=FetchSettings(timeout=5, retries=0), delay=0.0)
    report = run_crawl([source], tmp_path, lambda article: "new", settings=settings)
    assert Recorder.paths == []  # not one request reached 127.0.0.1, robots.txt included
    assert report.errors  # the start page was not fetched


def test_the_fetcher_checks_the_peer_it_connected_to(private_server, rebinding_resolver):
    url = f"http://{NAME}:{private_server}/trang.html"
    assert check_url(url, [NAME]) is None  # the first answer is public: the check passes
    with private_peers_refused():
        result = Fetcher(FetchSettings(timeout=5, retries=0)).fetch(url)
    assert result.outcome == "private_address", result.error
    assert "127.0.0.1" in result.error and Recorder.paths == []


def test_allow_private_sources_still_reach_localhost(tmp_path, private_server):
    source = Source(
        name="local", start_urls=[f"http://127.0.0.1:{private_server}/"], allow_private=True
    )
    settings = CrawlSettings(fetch=FetchSettings(timeout=5, retries=0), delay=0.0)
    run_crawl([source], tmp_path, lambda article: "new", settings=settings)
    assert "/" in Recorder.paths


@pytest.mark.parametrize(
    ("address", "public"),
    [("93.184.216.34", True), ("127.0.0.1", False), ("10.1.2.3", False), ("::1", False),
     ("::ffff:127.0.0.1", False), ("169.254.169.254", False), ("2606:4700::1111", True)],
)  # fmt: skip
def test_public_addresses(address, public):
    assert is_public_address(address) is public
