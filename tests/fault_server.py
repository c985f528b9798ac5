"""A localhost HTTP server that misbehaves on purpose, for crawler fault tests.

Every path under /a/ is an "article" the crawler should try; each one fails in its own way.
The server records every request it received (path + headers) so tests can prove, e.g., that a
robots.txt-disallowed path was never asked for. Ephemeral port, daemon threads, bounded sleeps.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bs4 import BeautifulSoup

from crawler.article import Article
from crawler.failures import ExtractionError

HANG_SECONDS = 1.0  # the crawler's timeout in tests is far below this
HUGE_BYTES = 20 * 1024 * 1024

ARTICLE_PATHS = [
    "/a/ok.html",
    "/a/timeout.html",
    "/a/reset.html",
    "/a/flaky.html",
    "/a/busy.html",
    "/a/loop.html",
    "/a/truncated.html",
    "/a/huge.html",
    "/a/charset.html",
    "/a/report.pdf",
    "/a/missing.html",
    "/a/moved.html",
    "/a/empty.html",
    "/private/secret.html",
]


def article_html(title: str, body: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    ).encode()


def home_html() -> bytes:
    links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in ARTICLE_PATHS)
    return f"<html><body><h1>Trang chủ</h1><ul>{links}</ul></body></html>".encode()


def simple_extract(html: str, url: str, *, selectors: object = None) -> Article:
    """Test double for crawler.extract.extract_article: <h1> is the title, <p>s the body."""
    soup = BeautifulSoup(html, "lxml")
    heading = soup.find("h1")
    if heading is None:
        raise ExtractionError("no_title")
    body = "\n\n".join(p.get_text(" ", strip=True) for p in soup.find_all("p"))
    return Article(url=url, title=heading.get_text(strip=True), body=body)


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def finish(self) -> None:
        # The client hung up on purpose (timeouts, size cap): not our problem.
        with contextlib.suppress(OSError):
            super().finish()

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              extra: dict[str, str] | None = None) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        hits = self.server.record(self.path, dict(self.headers))
        handler = getattr(
            self, "_" + self.path.strip("/").replace("/", "_").replace(".", "_"), None
        )
        try:
            if handler is None:
                self._send(404, b"<html><body>404</body></html>")
            else:
                handler(hits)
        except OSError:
            self.close_connection = True

    # -- endpoints (name = path with / and . as _) ----------------------------------------------
    def _(self, hits: int) -> None:
        self._send(200, home_html())

    def _robots_txt(self, hits: int) -> None:
        self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    def _a_ok_html(self, hits: int) -> None:
        self._send(200, article_html("Bài bình thường", "Nội dung đầy đủ."))

    def _a_timeout_html(self, hits: int) -> None:
        time.sleep(HANG_SECONDS)
        self.close_connection = True

    def _a_reset_html(self, hits: int) -> None:
        # SO_LINGER 0 makes close() send RST instead of FIN: a "connection reset by peer".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _a_flaky_html(self, hits: int) -> None:
        if hits == 1:
            self._send(500, b"<html><body>Internal error</body></html>")
        else:
            self._send(200, article_html("Bài lỗi rồi khỏi", "Lần thứ hai thì được."))

    def _a_busy_html(self, hits: int) -> None:
        if hits == 1:
            self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            self._send(200, article_html("Bài bận", "Đợi một chút rồi được."))

    def _a_loop_html(self, hits: int) -> None:
        self._send(302, b"", extra={"Location": "/a/loop2.html"})

    def _a_loop2_html(self, hits: int) -> None:
        self._send(302, b"", extra={"Location": "/a/loop.html"})

    def _a_moved_html(self, hits: int) -> None:
        self._send(301, b"", extra={"Location": "/a/ok.html?utm_source=x"})

    def _a_truncated_html(self, hits: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"<html><body><h1>Thi")
        self.close_connection = True

    def _a_huge_html(self, hits: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"x" * 65536
        for _ in range(HUGE_BYTES // len(chunk)):
            self.wfile.write(chunk)

    def _a_charset_html(self, hits: int) -> None:
        # The header lies (Latin-1); the bytes are UTF-8, as the meta tag says.
        body = article_html("Tiếng Việt có dấu", "Hà Tĩnh, Nghệ An.")
        self._send(200, body, "text/html; charset=iso-8859-1")

    def _a_report_pdf(self, hits: int) -> None:
        self._send(200, b"%PDF-1.4\n%fake\n", "application/pdf")

    def _a_empty_html(self, hits: int) -> None:
        self._send(200, "<html><body><p>Trang không có tiêu đề</p></body></html>".encode())

    def _private_secret_html(self, hits: int) -> None:
        self._send(200, article_html("Bí mật", "Không được thu thập."))


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def record(self, path: str, headers: dict[str, str]) -> int:
        """Remember a request; returns how many times this path has now been asked for."""
        with self._lock:
            self.requests.append((path, headers))
            return sum(1 for p, _ in self.requests if p == path)

    def paths(self) -> list[str]:
        with self._lock:
            return [p for p, _ in self.requests]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
