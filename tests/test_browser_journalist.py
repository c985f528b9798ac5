"""A journalist's first minutes in a real browser: phone layout, advanced form, flags, sources.

Same set-up as test_browser.py (Debian's chromium through Playwright; skipped without it).
Screenshots go to tmp, or to docs/ when TRACUU_SCREENSHOTS=1.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import test_browser
from test_browser import _shot_path, _total

from crawler.article import VN_TZ
from tracuu.demo import DEMO_SOURCE_NAME

PHONE = {"width": 390, "height": 844}
# The browser, the page and the server of test_browser.py (and its skip without chromium).
pytestmark = test_browser.pytestmark
server_url = test_browser.server_url
browser_context = test_browser.browser_context
page = test_browser.page


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_phone_shows_search_count_and_results_first_filters_folded(page, server_url, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(server_url + "/?q=nông+thôn")
    order = [_top(page, s) for s in ("#q", "p.count", "li.hit", "aside.facets")]
    assert order == sorted(order), order
    assert _top(page, "li.hit") < PHONE["height"]  # the first result is on the first screen
    assert page.locator("details.fold").get_attribute("open") is None
    assert not page.locator("form.filters").is_visible()
    title_px = page.locator("li.hit h2").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(title_px.rstrip("px")) >= 17
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-phone.png")))
    page.locator("details.fold > summary").click()
    assert page.locator("form.filters").is_visible()


def test_wide_screen_shows_the_filters_without_a_click(page, server_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server_url + "/?q=nông+thôn")
    assert page.locator("form.filters").is_visible()
    assert not page.locator("details.fold > summary").is_visible()


def test_advanced_form_writes_the_query_into_the_search_box(page, server_url, tmp_path):
    page.goto(server_url + "/nang-cao")
    page.fill("input[name=all]", "nông thôn")
    page.fill("input[name=none]", "covid")
    page.check("input[name=dau][value='0']")
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-advanced.png")), full_page=True)
    page.click("form.advanced-form button[type=submit]")
    page.wait_for_url(re.compile(r"/\?q="))
    assert page.input_value("#q") == "nông thôn -covid"
    assert "dau=0" in page.url
    assert _total(page) > 0


def test_removed_and_edited_results_are_flagged_in_the_list(page, server_url, sample_app):
    page.goto(server_url + "/?q=nông+thôn")
    urls = [
        re.search(r"url=([^&]+)", h).group(1)
        for h in page.locator("li.hit h2 a").evaluate_all("l => l.map(a => a.href)")[:2]
    ]
    from urllib.parse import unquote

    gone, edited = (unquote(u) for u in urls)
    moment = datetime(2025, 1, 2, 9, 0, tzinfo=VN_TZ)
    flags = {gone: (moment, None), edited: (None, moment)}
    sample_app.config["STATUS"] = lambda url: flags.get(url, (None, None))
    try:
        page.reload()
        hits = page.locator("li.hit")
        assert hits.nth(0).locator(".flag.gone").inner_text().startswith("Đã gỡ khỏi trang gốc")
        assert hits.nth(1).locator(".flag.edited").inner_text().startswith("Đã chỉnh sửa")
        assert page.locator(".flag").count() == 2
    finally:
        sample_app.config.pop("STATUS")


def test_sources_page_links_to_the_sources_articles(page, server_url, tmp_path):
    page.goto(server_url + "/")
    page.click("header nav >> text=Nguồn tin")
    page.wait_for_url(re.compile(r"/nguon$"))
    row = page.locator("tr.source-row").first
    assert row.locator(".source-name").inner_text() == DEMO_SOURCE_NAME
    articles = int(row.locator("td.num").inner_text().replace(".", ""))
    page.screenshot(path=str(_shot_path(tmp_path, "screenshot-sources.png")), full_page=True)
    row.locator(".source-name").click()
    page.wait_for_url(re.compile(r"source="))
    assert _total(page) == articles
    assert "mới nhất trước" in page.locator("p.count").inner_text()


@pytest.mark.parametrize("path", ["/", "/nang-cao", "/nguon", "/huong-dan"])
def test_pages_fit_a_phone(page, server_url, path):
    page.set_viewport_size(PHONE)
    page.goto(server_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
