"""The capture view in a real browser: the banner, the framed page as captured, its
captured image shown, nothing run and nothing fetched from outside tracuu.

Screenshots go to tmp, or to docs/ when TRACUU_SCREENSHOTS=1 (as tests/test_browser.py).
"""

from __future__ import annotations

import pytest

from tests.capture_sample import WITH_IMAGES, archive
from tests.test_browser import _shot_path, browser_context, pytestmark, serve_in_thread
from tracuu import pipeline

__all__ = ["archive", "browser_context", "pytestmark"]


@pytest.fixture(scope="module")
def capture_server(archive):
    from search_app.app import create_app

    config = {"DATA_DIR": str(archive["dir"]), "TESTING": True}
    yield from serve_in_thread(create_app({**config, **pipeline.archive_views(archive["dir"])}))


@pytest.fixture()
def watched_page(browser_context, capture_server):
    """A page that records every request that would leave tracuu, and every dialog."""
    page = browser_context.new_page()
    outside: list[str] = []
    dialogs: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(capture_server) else outside.append(r.url)
    )
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page, outside, dialogs
    page.close()


def test_capture_view_of_an_edited_article_in_a_browser(
    watched_page, capture_server, archive, tmp_path
):
    page, outside, _ = watched_page
    page.goto(f"{capture_server}/bai-viet?url={archive['edited']}")
    page.locator("a.capture-link").last.click()  # the oldest capture
    page.wait_for_load_state("networkidle")
    banner = page.locator(".capture-banner").inner_text()
    assert "Bản lưu" in banner and archive["edited"] in banner and "Các bản lưu khác (1)" in banner
    frame = page.frame_locator("iframe.capture-frame")
    title = frame.locator("h1").first.inner_text()
    assert title and title != "Tiêu đề đã sửa sau khi đăng"  # the text as first captured
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-capture.png")), full_page=True)
    assert not outside


def test_captured_image_shows_scripts_do_not_run_nothing_leaves(
    watched_page, capture_server, tmp_path
):
    page, outside, dialogs = watched_page
    page.goto(f"{capture_server}/ban-luu?url={WITH_IMAGES}")
    page.wait_for_load_state("networkidle")
    frame = page.frame_locator("iframe.capture-frame")
    image = frame.locator("img[alt='ảnh']")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 240  # served by tracuu
    assert frame.locator("h1").inner_text() == "Bài có ảnh"
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-capture-images.png")), full_page=True)
    assert dialogs == []  # <script>, onload and javascript: links are gone
    assert not outside  # the image from ngoai.example.com was never requested
