"""Generic extraction (no selectors) on every article page of the bundled sample portal.

The portal renders real Dân trí articles in the Hà Tĩnh portal layout, with menus, breadcrumb,
date line, byline, "Gửi cho bạn bè", "Các tin khác" and "Xem nhiều nhất"; the extracted fields
must equal the source article and carry none of that chrome.
"""

from __future__ import annotations

import re

import pytest
import requests

from crawler.extract import extract_article

BOILERPLATE = (
    "Gửi cho bạn bè",
    "In bài viết",
    "Các tin khác",
    "Xem nhiều nhất",
    "Liên kết website",
    "Trang chủ",
    "Cơ quan chủ quản",
    "Cổng thông tin điện tử tỉnh Mẫu",
    "Tin và ảnh",
)


def _squash(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


@pytest.fixture(scope="module")
def pages(demo_portal):
    """(url, html, extracted Article) for every article page: extracted once for both tests."""
    session = requests.Session()
    fetched = [(url, session.get(url, timeout=10).text) for url in demo_portal.article_urls()]
    return [(url, html, extract_article(html, url)) for url, html in fetched]


def test_every_sample_article_extracts_exactly(pages, demo_portal):
    mismatches = []
    for url, _html, article in pages:
        expected = demo_portal.expected_article(url)
        got = {
            "title": article.title,
            "sapo": article.sapo,
            "date": article.published.date() if article.published else None,
            "author": article.author,
            "category": article.category,
            "body": _squash(article.body),
        }
        want = {
            "title": expected["title"],
            "sapo": expected["sapo"],
            "date": expected["published"],
            "author": expected["author"],
            "category": expected["category"],
            "body": _squash(expected["body"]),
        }
        for field, value in want.items():
            if got[field] != value:
                mismatches.append((url, field))
    assert not mismatches, mismatches[:10]


def test_no_boilerplate_in_any_extracted_body(pages, demo_portal):
    for url, _html, article in pages:
        source_text = demo_portal.expected_article(url)["body"]
        for phrase in BOILERPLATE:
            if phrase in source_text:
                continue  # the article itself says it (one does: "Cơ quan chủ quản")
            assert phrase not in article.body, (url, phrase)
        assert not re.search(r"Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy), \d", article.body), url
