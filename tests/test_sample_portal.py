"""The bundled sample portal: data, page layout, crawlable structure, HTTP semantics."""

from __future__ import annotations

import random
import socket
import unicodedata
from collections import Counter
from datetime import date, datetime, time
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import requests
from bs4 import BeautifulSoup

from tracuu.sample_portal.catalog import load_sample_articles
from tracuu.sample_portal.paths import slugify
from tracuu.sample_portal.render import date_line
from tracuu.sample_portal.server import SamplePortal

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def portal():
    with SamplePortal() as running:
        yield running


@pytest.fixture()
def fresh_portal():
    """A portal of its own, for tests that edit or remove articles."""
    with SamplePortal() as running:
        yield running


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        yield session


def soup_of(response: requests.Response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "lxml")


def sitemap_lastmods(session: requests.Session, base_url: str) -> dict[str, str]:
    root = ElementTree.fromstring(session.get(base_url + "/sitemap.xml").content)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("sm:url", SITEMAP_NS)
    }


# ---------------------------------------------------------------- bundled data


def test_sample_has_every_category_and_all_rural_articles():
    records = load_sample_articles()
    per_category = Counter(r["category_vi"] for r in records)
    assert len(records) >= 330
    assert len(per_category) == 10 and min(per_category.values()) >= 30
    rural = [r for r in records if "nông thôn" in (r["title"] + r["body"])]
    assert len(rural) >= 34
    assert len({r["id"] for r in records}) == len(records)


def test_sample_records_keep_their_attribution_and_nfc_text():
    for record in load_sample_articles():
        assert record["origin"].startswith("github:undertheseanlp/resources@")
        assert record["source"] == "dantri.com.vn" and record["author"] is None
        for key in ("title", "sapo", "body"):
            assert unicodedata.normalize("NFC", record[key]) == record[key]


# ---------------------------------------------------------------- pure rendering


def test_date_line_uses_vietnamese_weekday_and_day_first_without_zeros():
    assert date_line(date(2020, 10, 1)) == "Thứ Năm, 1/10/2020"
    assert date_line(date(2024, 2, 28)) == "Thứ Tư, 28/2/2024"
    assert date_line(date(2021, 5, 2)) == "Chủ Nhật, 2/5/2021"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kinh doanh", "kinh-doanh"),
        ("Giáo dục - Hướng nghiệp", "giao-duc-huong-nghiep"),
        ("Đường về nông thôn Đắk Lắk", "duong-ve-nong-thon-dak-lak"),
        ("!!!", "bai-viet"),
    ],
)
def test_slugify_folds_vietnamese_to_ascii(text, slug):
    assert slugify(text) == slug


def test_long_titles_are_cut_at_a_word_boundary():
    slug = slugify("Chủ tịch UBND tỉnh " * 20)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert set(slug.split("-")) <= {"chu", "tich", "ubnd", "tinh"}


# ---------------------------------------------------------------- site structure


def test_robots_names_disallowed_paths_and_sitemap(portal, http):
    response = http.get(portal.base_url + "/robots.txt")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /tim-kiem/", "Disallow: /quan-tri/"} <= set(lines)
    assert f"Sitemap: {portal.base_url}/sitemap.xml" in lines


def test_sitemap_lists_every_article_with_its_date(portal, http):
    lastmods = sitemap_lastmods(http, portal.base_url)
    assert set(lastmods) == set(portal.article_urls())
    assert len(lastmods) == len(load_sample_articles())
    for url, lastmod in lastmods.items():
        assert lastmod == portal.article_for_url(url)["date"]


def test_article_urls_are_ascii_and_stable_whatever_the_input_order(portal):
    records = load_sample_articles()
    random.Random(7).shuffle(records)
    shuffled_paths = [a.path for a in SamplePortal(records).catalog.live()]
    assert shuffled_paths == [urlsplit(url).path for url in portal.article_urls()]
    assert all(url.isascii() and url.endswith(".html") for url in portal.article_urls())


def test_listing_page_is_newest_first_with_pagination(portal, http):
    home = soup_of(http.get(portal.base_url + "/"))
    category_link = home.select("nav.menu a")[1]
    first = http.get(urljoin(portal.base_url, category_link["href"]))
    page = soup_of(first)
    items = page.select("li.news-item")
    assert first.status_code == 200 and len(items) == 10
    dates = [
        date.fromisoformat("-".join(reversed(i.select_one(".news-date").text.split("/"))))
        for i in items
    ]
    assert dates == sorted(dates, reverse=True)
    assert page.find("a", string="Trang trước") is None
    second = soup_of(http.get(urljoin(first.url, page.find("a", string="Trang sau")["href"])))
    assert second.find("a", string="Trang trước") is not None
    assert second.select_one(".pagination .current").text == "2"
    first_titles = {i.select_one("a.news-title").text for i in items}
    assert first_titles.isdisjoint(a.text for a in second.select("a.news-title"))


def crawl_listings(session: requests.Session, base_url: str) -> set[str]:
    """Article URLs found by visiting every menu category and following "Trang sau"."""
    home = soup_of(session.get(base_url + "/"))
    found: set[str] = set()
    for link in home.select("nav.menu a[href^='/chuyen-muc/']"):
        url = urljoin(base_url, link["href"])
        while url:
            page = soup_of(session.get(url))
            found |= {urljoin(url, a["href"]) for a in page.select("a.news-title")}
            following = page.find("a", string="Trang sau")
            url = urljoin(url, following["href"]) if following else ""
    return found


def test_every_article_is_reachable_through_category_pagination(portal, http):
    assert crawl_listings(http, portal.base_url) == set(portal.article_urls())


def test_article_page_follows_the_portal_layout(portal, http):
    url = portal.article_urls()[len(portal.article_urls()) // 2]
    expected = portal.expected_article(url)
    response = http.get(url)
    page = soup_of(response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.select_one("link[rel=canonical]")["href"] == url
    assert page.title.text == f"{expected['title']} - Cổng thông tin điện tử tỉnh Mẫu"
    detail = page.select_one("div.main > div.news-detail")
    assert detail.select_one(".date-line").text == date_line(expected["published"])
    assert detail.select_one("h1.title").text == expected["title"]
    assert detail.select_one(".sapo strong").text == expected["sapo"]
    assert "\n\n".join(p.text for p in detail.select(".content p")) == expected["body"]
    assert detail.select_one("p.author").text == "Tin và ảnh: Báo Dân trí"
    assert detail.select_one(".share a").text == "Gửi cho bạn bè"
    crumbs = [a.text for a in page.select(".breadcrumb a")]
    assert crumbs == ["Trang chủ", expected["category"]]


def test_article_page_links_other_news_of_its_category_and_most_viewed(portal, http):
    url = portal.article_urls()[0]
    page = soup_of(http.get(url))
    category_dir = urlsplit(url).path.rsplit("/", 1)[0]
    others = page.select(".other-news li a")
    assert page.select_one(".other-news h3").text == "Các tin khác" and len(others) == 5
    assert all(a["href"].startswith(category_dir + "/") for a in others)
    assert urlsplit(url).path not in {a["href"] for a in others}
    assert page.select_one("aside.sidebar h3").text == "Xem nhiều nhất"
    most_viewed = [a["href"] for a in page.select("aside.sidebar ol a")]
    elsewhere = soup_of(http.get(portal.article_urls()[-1]))
    assert len(most_viewed) == 5
    assert most_viewed == [a["href"] for a in elsewhere.select("aside.sidebar ol a")]


def test_text_is_html_escaped_and_any_article_list_is_served():
    articles = [
        {
            "id": f"x{n}",
            "title": f"Giá <b>lúa</b> & ngô số {n}",
            "sapo": 'Nông dân "phấn khởi"',
            "body": "Đoạn một <script>alert(1)</script>\nĐoạn hai & ba",
            "date": "2021-03-0" + str(n),
            "category_vi": "Nông nghiệp",
            "source": "baohatinh.vn",
            "author": "Chu Thanh Hoài",
        }
        for n in (1, 2)
    ]
    with SamplePortal(articles) as portal:
        url = portal.article_urls()[0]
        response = requests.get(url)
        expected = portal.expected_article(url)
    assert "<script>" not in response.text and "&lt;b&gt;lúa" in response.text
    detail = soup_of(response).select_one(".news-detail")
    assert detail.select_one("h1").text == expected["title"] == "Giá <b>lúa</b> & ngô số 1"
    assert expected["body"] == "Đoạn một <script>alert(1)</script>\n\nĐoạn hai & ba"
    assert detail.select_one("p.author").text == "Tin và ảnh: Chu Thanh Hoài"
    assert urlsplit(url).path == "/tin-tuc/nong-nghiep/gia-b-lua-b-ngo-so-1-1.html"


# ---------------------------------------------------------------- HTTP semantics


def test_conditional_requests_answer_304(portal, http):
    url = portal.article_urls()[3]
    first = http.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    by_etag = http.get(url, headers={"If-None-Match": etag})
    by_date = http.get(url, headers={"If-Modified-Since": last_modified})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304 and by_date.headers["ETag"] == etag
    stale_etag = http.get(url, headers={"If-None-Match": '"stale"'})
    older_date = http.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})
    assert stale_etag.status_code == 200 and older_date.status_code == 200


def test_last_modified_is_midnight_of_the_article_date_in_vietnam(portal, http):
    url = portal.article_urls()[5]
    published = portal.expected_article(url)["published"]
    header = http.get(url).headers["Last-Modified"]
    midnight = datetime.combine(published, time(), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert header.endswith(" GMT") and parsedate_to_datetime(header) == midnight


def test_edit_changes_page_etag_and_sitemap_lastmod(fresh_portal, http):
    url = fresh_portal.article_urls()[10]
    before = http.get(url)
    lastmod_before = sitemap_lastmods(http, fresh_portal.base_url)[url]
    fresh_portal.edit_article(url, title="Tiêu đề đã sửa", body="Đoạn mới một.\nĐoạn mới hai.")
    after = http.get(url)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert http.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    assert soup_of(after).select_one("h1.title").text == "Tiêu đề đã sửa"
    assert fresh_portal.expected_article(url)["body"] == "Đoạn mới một.\n\nĐoạn mới hai."
    assert fresh_portal.article_for_url(url)["title"] == "Tiêu đề đã sửa"
    lastmod_after = sitemap_lastmods(http, fresh_portal.base_url)[url]
    assert lastmod_after != lastmod_before and lastmod_after > lastmod_before
    assert fresh_portal.article_urls()[10] == url  # an edit keeps the address


def test_removed_article_is_gone_everywhere(fresh_portal, http):
    url = fresh_portal.article_urls()[0]
    assert http.get(url).status_code == 200
    fresh_portal.remove_article(url)
    assert http.get(url).status_code == 404
    assert url not in sitemap_lastmods(http, fresh_portal.base_url)
    assert url not in crawl_listings(http, fresh_portal.base_url)
    with pytest.raises(KeyError):
        fresh_portal.expected_article(url)


def test_pdf_is_served_as_pdf(portal, http):
    home = soup_of(http.get(portal.base_url + "/"))
    pdf_link = home.select_one(".documents a[href$='.pdf']")
    response = http.get(urljoin(portal.base_url, pdf_link["href"]))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tin-tuc/thong-bao/bai-da-go-0.html", 404),
        ("/tin-tuc/thong-bao/loi-he-thong-0.html", 500),
        ("/khong-co-trang-nay", 404),
        ("/chuyen-muc/kinh-doanh/trang-999/", 404),
        ("/chuyen-muc/khong-ton-tai/", 404),
    ],
)
def test_error_pages_have_html_and_status(portal, http, path, status):
    response = http.get(portal.base_url + path)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert soup_of(response).select_one(".error h1").text.startswith(str(status))


def test_error_pages_are_linked_from_home(portal, http):
    hrefs = {a["href"] for a in soup_of(http.get(portal.base_url + "/")).select(".documents a")}
    assert {
        "/tin-tuc/thong-bao/bai-da-go-0.html",
        "/tin-tuc/thong-bao/loi-he-thong-0.html",
    } <= hrefs


def test_head_sends_headers_without_body(portal, http):
    url = portal.article_urls()[1]
    head = http.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == http.get(url).headers["ETag"]


def test_start_inside_with_moves_to_the_requested_port_and_keeps_edits(http):
    with SamplePortal() as portal:
        first_base = portal.base_url
        url = portal.edit_article(1, title="Bài đã sửa trước khi đổi cổng")
        assert portal.start() == first_base  # port 0: keep the running server
        with socket.socket() as probe:  # a free port to move to
            probe.bind(("127.0.0.1", 0))
            wanted = probe.getsockname()[1]
        moved = portal.start("127.0.0.1", wanted)
        assert moved == f"http://127.0.0.1:{wanted}" and moved != first_base
        page = soup_of(http.get(moved + urlsplit(url).path))
        assert page.select_one("h1.title").text == "Bài đã sửa trước khi đổi cổng"
