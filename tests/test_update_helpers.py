"""Helpers shared by the update/reindex tests (no tests here): a small portal, its sources
file, and running `tracuu` as a child process the tests can kill."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tracuu.sample_portal.catalog import load_sample_articles
from tracuu.sample_portal.server import SamplePortal

PORTAL_ARTICLES = 24  # a slice of the bundled 330 keeps these tests fast
ROOT = Path(__file__).resolve().parents[1]


def small_portal(count: int = PORTAL_ARTICLES) -> SamplePortal:
    portal = SamplePortal(load_sample_articles()[:count])
    portal.start("127.0.0.1", 0)
    return portal


def write_sources(path: Path, base_url: str, name: str = "mau") -> Path:
    path.write_text(
        f"""[[source]]
name = "{name}"
start_urls = ["{base_url}/"]
listing_patterns = ['^/chuyen-muc/[^/]+/$']
pagination_patterns = ['^/chuyen-muc/[^/]+/trang-\\d+/$']
article_pattern = '^/tin-tuc/[^/]+/[^/]+-\\d+\\.html$'
sitemaps = ["{base_url}/sitemap.xml"]
delay = 0.0
allow_private = true
""",
        encoding="utf-8",
    )
    return path


def load(path: Path) -> list:
    from crawler.sources import load_sources

    return load_sources(path)


def fast_settings():
    from crawler.crawl import CrawlSettings
    from crawler.fetch import FetchSettings

    return CrawlSettings(fetch=FetchSettings(timeout=5, retries=0), delay=0.0, workers=2)


def tracuu_args(command: str, data_dir: Path, sources: Path | None = None) -> list[str]:
    args = [sys.executable, "-m", "tracuu.cli", command, "--data-dir", str(data_dir)]
    if sources is not None:
        args += ["--sources", str(sources)]
    if command == "update":
        args += ["--delay", "0", "--retries", "0"]
    return args


def run_tracuu(*args: str, env: dict | None = None, timeout: float = 60):
    return subprocess.run(
        list(args),
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_paused(args: list[str], data_dir: Path, checkpoint: str) -> subprocess.Popen:
    """Start a child that pauses at ``checkpoint``; returns once it is there."""
    child = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, "TRACUU_PAUSE_AT": checkpoint},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    marker = Path(data_dir) / f"paused-{checkpoint}"
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(f"child ended before {checkpoint}: {child.stderr.read()}")
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"child never reached {checkpoint}")
        time.sleep(0.02)
    marker.unlink()
    return child
