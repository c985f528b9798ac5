"""A local HTTP server for the sample portal, for tests, benchmarks and the demo.

    with SamplePortal() as portal:            # the bundled 330 articles
        urls = portal.article_urls()
        ...

Standalone: ``python -m tracuu.sample_portal.server --port 8000``.
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tracuu.sample_portal.catalog import Catalog, load_sample_articles
from tracuu.sample_portal.site import Page, PortalSite


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses weak comparison: W/"x" matches "x"; "*" matches any page."""
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def not_modified_since(header: str, last_modified: datetime | None) -> bool:
    if last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 asks
    if since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def is_not_modified(request_headers: Any, page: Page) -> bool:
    """RFC 9110 order: If-None-Match decides when present, else If-Modified-Since."""
    if page.status != 200:
        return False
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        return etag_matches(if_none_match, page.etag)
    if_modified_since = request_headers.get("If-Modified-Since")
    return bool(if_modified_since) and not_modified_since(if_modified_since, page.last_modified)


class PortalRequestHandler(BaseHTTPRequestHandler):
    """GET/HEAD only; HTTP/1.1 keep-alive so a crawler's session reuses connections."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in one buffered write with Nagle off; otherwise delayed ACKs
    # add ~40 ms to every keep-alive response.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: PortalHTTPServer
    server_version = "MauPortal/1.0"

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, *, send_body: bool) -> None:
        if self.server.delay > 0:
            time.sleep(self.server.delay)
        path = unquote(urlsplit(self.path).path) or "/"
        page = self.server.site.page_for(path)
        status = 304 if is_not_modified(self.headers, page) else page.status
        self.send_response(status)
        for name, value in page.headers().items():
            if status == 304 and name == "Content-Type":
                continue
            self.send_header(name, value)
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: tests and benchmarks should not drown in access logs."""


class PortalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Benchmarks open many connections at once; the default backlog of 5 drops some.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site: PortalSite, delay: float) -> None:
        self.site = site
        self.delay = delay
        super().__init__(address, PortalRequestHandler)


def base_url_for(host: str, port: int) -> str:
    """The address clients should use; a wildcard bind is reached through loopback."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


class SamplePortal:
    """The sample portal on a background thread, plus helpers tests use to check extraction."""

    def __init__(self, articles: list[dict] | None = None, *, delay: float = 0.0) -> None:
        self.catalog = Catalog(load_sample_articles() if articles is None else articles)
        self.delay = delay
        self.base_url = ""
        self._host = ""
        self._server: PortalHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0 picks a free port) and return the base URL.

        Already running (e.g. inside ``with``): port 0 or the same address keeps the server;
        another explicit address moves it there. Edits and removals survive the move.
        """
        if self._server is not None:
            if port in (0, self._server.server_address[1]) and host == self._host:
                return self.base_url
            self.stop()
        self._host = host
        server = PortalHTTPServer((host, port), PortalSite(self.catalog, ""), self.delay)
        self.base_url = base_url_for(host, server.server_address[1])
        server.site.base_url = self.base_url
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns quickly
            name="sample-portal",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SamplePortal:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def serve_forever(self, host: str = "127.0.0.1", port: int = 8000) -> None:
        """Blocking standalone mode (the CLI); Ctrl-C stops it."""
        self.start(host, port)
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # ------------------------------------------------------------ helpers for tests

    def _absolute(self, path: str) -> str:
        if not self.base_url:
            raise RuntimeError("SamplePortal is not running: call start() first")
        return self.base_url + path

    def article_urls(self) -> list[str]:
        """Absolute URLs of every live article, oldest first."""
        return [self._absolute(a.path) for a in self.catalog.live()]

    def listing_urls(self) -> list[str]:
        """Absolute URLs of every category listing page."""
        return [self._absolute(path) for path in self.catalog.listing_paths()]

    def article_for_url(self, url: str) -> dict:
        """The source dict behind an article URL, with any runtime edit applied."""
        return self.catalog.require(url).as_record()

    def expected_article(self, url: str) -> dict:
        """title, sapo, body ("\\n\\n" between paragraphs), published (date), author, category."""
        return self.catalog.require(url).expected()

    def edit_article(
        self, article_id_or_url: int | str, *, title: str | None = None, body: str | None = None
    ) -> str:
        """Change an article's title and/or body (paragraphs one a line); returns its URL."""
        return self.base_url + self.catalog.edit(article_id_or_url, title=title, body=body).path

    def remove_article(self, article_id_or_url: int | str) -> str:
        """Take an article down (its page answers 404); returns the URL that went away."""
        return self.base_url + self.catalog.remove(article_id_or_url).path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the sample provincial portal.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait per request")
    parser.add_argument(
        "--articles", type=Path, help=".jsonl or .jsonl.gz of articles (default: bundled sample)"
    )
    args = parser.parse_args(argv)
    articles = load_sample_articles(args.articles) if args.articles else None
    portal = SamplePortal(articles, delay=args.delay)
    portal.start(args.host, args.port)
    print(f"Cổng mẫu: {len(portal.catalog)} bài viết tại {portal.base_url}/ (Ctrl-C để dừng)")
    portal.serve_forever(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
