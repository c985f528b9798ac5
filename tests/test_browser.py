"""The search experience in a real browser (Playwright driving Debian's chromium).

Runs the app on the crawled sample in a threaded server on an ephemeral port, then types a
query, clicks a timeline bar and a facet, opens an article and downloads an export, asserting
what the page shows. Screenshots go to tmp, or to docs/ when TRACUU_SCREENSHOTS=1.
No browser is downloaded: without /usr/bin/chromium these tests are skipped.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS = Path(__file__).resolve().parent.parent / "docs"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="chromium not installed (apt-get install chromium)"
)


def serve_in_thread(app):
    """Serve ``app`` on an ephemeral localhost port; yields its base URL (a fixture body)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def server_url(sample_app):
    yield from serve_in_thread(sample_app)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
            locale="vi-VN",
        )
        yield context
        context.close()


@pytest.fixture()
def page(browser_context, server_url):
    page = browser_context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server_url) else None,
    )
    yield page
    page.close()
    assert not outside, f"requests left the server: {outside}"


def _shot_path(tmp_path: Path, name: str) -> Path:
    return DOCS / name if os.environ.get("TRACUU_SCREENSHOTS") else tmp_path / name


def _total(page) -> int:
    text = page.locator("p.count strong").first.inner_text()
    return int(text.replace(".", ""))


def test_search_timeline_facet_article_and_export(page, server_url, tmp_path):
    page.goto(server_url + "/")
    page.fill("#q", "nong thon")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=nong"))
    everything = _total(page)
    assert everything > 10
    assert page.locator("li.hit").count() == 10
    marked = {m.lower() for m in page.locator("li.hit mark").all_inner_texts()}
    assert {"nông", "thôn"} <= marked  # matched without diacritics, highlighted with them

    bar = page.locator("section.timeline li a").first
    year = bar.locator(".bar-label").inner_text()
    bar_count = int(bar.locator(".bar-count").inner_text().replace(".", ""))
    bar.click()
    page.wait_for_url(re.compile(r"from=\d{4}-01-01"))
    assert _total(page) == bar_count < everything
    for label in page.locator("li.hit time").all_inner_texts():
        assert label.endswith(year) or f"/{year}" in label
    assert page.locator("text=Bỏ lọc thời gian").count() == 1

    facet = page.locator("section.facet:has(h3:text('Chuyên mục')) li a").first
    category = facet.inner_text()
    facet.click()
    page.wait_for_url(re.compile(r"category="))
    assert "from=" in page.url  # the timeline filter is kept
    assert page.locator("section.facet strong", has_text=category).count() == 1
    for shown in page.locator("li.hit .category").all_inner_texts():
        assert shown == category
    filtered = _total(page)
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-results.png")), full_page=True)

    with page.expect_download() as download_info:
        page.click("a.export-csv")
    content = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(content)) if r and not r[0].startswith("#")]
    assert len(rows) - 1 == filtered
    assert all(r[4] == category for r in rows[1:])

    title = page.locator("li.hit h2 a").first.inner_text()
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/bai-viet\?"))
    assert page.locator("article h1").inner_text() == title
    assert page.locator("article mark").count() > 0
    assert page.locator("text=Thời điểm thu thập").count() == 1
    assert page.locator("code.content-hash").inner_text().startswith("sha256:")
    assert page.locator("text=Bài liên quan").count() == 1
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-article.png")))


def test_phone_sized_screen_needs_no_sideways_scrolling(browser_context, server_url):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/?q=n%C3%B4ng+th%C3%B4n", "/huong-dan"):
        page.goto(server_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, path
    page.close()


def test_core_needs_no_javascript(browser_context, server_url):
    page = browser_context.new_page()
    page.goto(server_url + "/")
    page.fill("#q", "covid")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=covid"))
    assert page.locator("li.hit").count() > 0
    # No script is served at all: the core never depended on one.
    assert page.locator("script").count() == 0
    page.close()
