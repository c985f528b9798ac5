"""Issue 13: headlines never cut inside, listings rejected only on evidence, legacy fonts read
from their letters, dates in every usual form, host templates learned from a collection."""

from __future__ import annotations

from datetime import datetime

import pytest
from golden.legacy_encoders import encode_tcvn3, encode_vni

from crawler.article import VN_TZ
from crawler.dates import parse_vietnamese_date
from crawler.encoding import decode_html, decode_html_explained
from crawler.extract import ExtractionError, extract_article
from crawler.extract_title import strip_site_name
from crawler.host_template import HostTemplate, TemplateLearner

PARAS = [
    "Sáng 28/4, Sở Công Thương và Hội Doanh nhân trẻ tỉnh ký kết quy chế phối hợp trong công tác hỗ trợ doanh nghiệp khởi nghiệp.",
    "Theo quy chế, hai bên phối hợp tổ chức các diễn đàn đối thoại, tư vấn pháp lý và kết nối thị trường cho doanh nghiệp trẻ.",
    "Các hoạt động được triển khai định kỳ hằng quý, có đánh giá kết quả vào cuối mỗi năm để điều chỉnh cho phù hợp.",
]
HEADLINE = "Ký kết Quy chế phối hợp giai đoạn 2022 - 2026 giữa Sở Công Thương và Hội Doanh nhân trẻ"


def table_portal(title: str = HEADLINE, page_title: str = "Cổng TTĐT tỉnh Mẫu Sơn") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<html><head><title>{page_title}</title></head><body><table>
<tr><td><img class="banner" src="/b.jpg" alt="Cổng TTĐT tỉnh Mẫu Sơn"></td></tr>
<tr><td><b>Cổng TTĐT tỉnh Mẫu Sơn</b></td></tr>
<tr><td class="NewsTitle"><b>{title}</b></td></tr>
<tr><td>Cập nhật lúc: 11:48 - 28/04/2017</td></tr>
<tr><td class="NewsContent">{body}<p align="right"><b>Minh Châu</b></p></td></tr>
<tr><td><b>Các tin khác</b></td></tr>
<tr><td><a href="/1.aspx">Hội nghị tổng kết công tác năm 2016 của ngành nông nghiệp</a> (21/04/2017)</td></tr>
</table></body></html>"""


def test_table_portal_headline_date_and_author():
    article = extract_article(table_portal(), "http://portal.test/tin/1.aspx")
    assert article.title == HEADLINE
    assert article.published == datetime(2017, 4, 28, 11, 48, tzinfo=VN_TZ)
    assert article.author == "Minh Châu"
    assert "Các tin khác" not in article.body and "Hội nghị tổng kết" not in article.body


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        (f"{HEADLINE} - Cổng TTĐT tỉnh Mẫu Sơn", set(), HEADLINE),
        (
            "Tình hình kinh tế - xã hội tháng 4 - Báo Hà Tĩnh",
            set(),
            "Tình hình kinh tế - xã hội tháng 4",
        ),
        ("Tình hình kinh tế - xã hội tháng 4", set(), "Tình hình kinh tế - xã hội tháng 4"),
        (
            "Tin Hà Tĩnh | Giá lúa tăng - nông dân phấn khởi",
            {"Tin Hà Tĩnh"},
            "Giá lúa tăng - nông dân phấn khởi",
        ),
        (
            "Giá lúa tăng - nông dân phấn khởi - Nhịp sống",
            {"Nhịp sống"},
            "Giá lúa tăng - nông dân phấn khởi",
        ),
    ],
)
def test_site_name_is_cut_only_where_it_is_the_site(title, sites, expected):
    assert strip_site_name(title, sites) == expected


def test_title_from_metadata_keeps_the_hyphen_inside_the_headline():
    page = (
        table_portal().replace('<td class="NewsTitle">', "<td>").replace(f"<b>{HEADLINE}</b>", "")
    )
    page = page.replace("<head>", f'<head><meta property="og:title" content="{HEADLINE}">')
    assert extract_article(page, "u").title == HEADLINE


def test_an_article_with_many_related_links_is_kept():
    related = "".join(
        f'<li><a href="/r{i}.html">Bài liên quan số {i} về kinh tế địa phương tuần qua</a></li>'
        for i in range(8)
    )
    body = "".join(f"<p>{p}</p>" for p in PARAS * 2) + f"<ul>{related}</ul>"
    page = f"<html><body><h1>{HEADLINE}</h1><div>{body}</div></body></html>"
    assert extract_article(page, "u").title == HEADLINE


@pytest.fixture(scope="module")
def portal_site():
    from tracuu.sample_portal.catalog import Catalog, load_sample_articles
    from tracuu.sample_portal.site import PortalSite

    return PortalSite(Catalog(load_sample_articles()), "http://127.0.0.1:8000")


@pytest.mark.parametrize("category", ["xa-hoi", "the-thao", "du-lich"])
def test_sample_portal_last_listing_page_is_no_article(portal_site, category):
    html = portal_site.page_for(f"/chuyen-muc/{category}/trang-4/").body.decode()
    with pytest.raises(ExtractionError) as caught:
        extract_article(html, "http://127.0.0.1:8000/chuyen-muc/x/trang-4/")
    assert caught.value.detail.startswith("section page")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cập nhật lúc: 11:48 - 28/04/2017", datetime(2017, 4, 28, 11, 48)),
        ("Ngày 28/2/2024", datetime(2024, 2, 28)),
        ("Thứ Tư, 28/2/2024 - 08:15", datetime(2024, 2, 28, 8, 15)),
        ("March 5, 2024", datetime(2024, 3, 5)),
        ("Published 5 Mar. 2024, 10:30 p.m.", datetime(2024, 3, 5, 22, 30)),
        ("Sep 30th, 2023 at 9:05 AM", datetime(2023, 9, 30, 9, 5)),
    ],
)
def test_more_date_forms(text, expected):
    assert parse_vietnamese_date(text) == expected.replace(tzinfo=VN_TZ)


def test_json_ld_date_headline_and_author():
    page = f"""<html><head><script type="application/ld+json">{{"@type": "NewsArticle",
    "headline": "{HEADLINE}", "datePublished": "2024-03-05T02:30:00Z",
    "author": {{"@type": "Person", "name": "Jane Doe"}}}}</script></head>
    <body><div>{"".join(f"<p>{p}</p>" for p in PARAS)}</div></body></html>"""
    article = extract_article(page, "u")
    assert article.title == HEADLINE
    assert article.published == datetime(2024, 3, 5, 9, 30, tzinfo=VN_TZ)
    assert article.author == "Jane Doe"


def test_other_stories_dates_are_never_the_article_date():
    page = table_portal().replace("<tr><td>Cập nhật lúc: 11:48 - 28/04/2017</td></tr>", "")
    assert extract_article(page, "u").published is None


CAPS = "KÝ KẾT QUY CHẾ PHỐI HỢP GIAI ĐOẠN 2022 - 2026"
TEXT = " ".join(PARAS)


def _legacy_page(title: bytes, body: bytes, charset: bytes) -> bytes:
    head = b'<meta http-equiv="Content-Type" content="text/html; charset=' + charset + b'">'
    return (
        b"<html><head>"
        + head
        + b"</head><body><h1>"
        + title
        + b"</h1><p>"
        + body
        + b"</p></body></html>"
    )


def test_vni_declared_windows_1258_is_read_as_vni():
    raw = _legacy_page(encode_vni(CAPS), encode_vni(TEXT), b"windows-1258")
    text, why = decode_html_explained(raw)
    assert CAPS in text and TEXT in text and why.startswith("vni")


def test_vni_glyphs_saved_as_utf8_are_read_as_vni():
    raw = _legacy_page(encode_vni(CAPS), encode_vni(TEXT), b"utf-8").decode("cp1252").encode()
    assert TEXT in decode_html(raw)


def test_tcvn3_capitals_without_a_named_font_decode_to_capitals():
    raw = _legacy_page(
        encode_tcvn3(CAPS, upper_font=False), encode_tcvn3(TEXT.lower()), b"iso-8859-1"
    )
    assert CAPS in decode_html(raw)


def test_clean_utf8_is_not_reinterpreted():
    raw = _legacy_page(CAPS.encode(), TEXT.encode(), b"utf-8")
    assert decode_html_explained(raw)[1] == "valid UTF-8 without legacy-font glyphs"


def _host_page(n: int) -> str:
    story = [f"Bài số {n}: {p}" for p in PARAS]
    body = "".join(f"<p>{p}</p>" for p in story)
    return f"""<html><head><title>Tin số {n} trong tuần - Nhịp sống Mẫu Sơn</title></head><body>
<div class="x1"><p>Nhịp sống Mẫu Sơn — thông tin chính thống, kịp thời</p></div>
<h1>Tin số {n} trong tuần</h1><div class="noi-dung">{body}<p>Mời bạn đọc gửi ý kiến về tòa soạn</p></div>
<div class="x2"><p>Đường dây nóng: 0239 000 000. Ghi rõ nguồn khi phát hành lại.</p></div></body></html>"""


def test_host_template_learned_from_the_hosts_pages():
    learner = TemplateLearner()
    for n in range(6):
        learner.add(f"http://nhipsong.test/tin-{n}.html", _host_page(n))
    template = learner.template("http://nhipsong.test/tin-9.html")
    assert "Mời bạn đọc gửi ý kiến về tòa soạn" in template.texts
    assert "Nhịp sống Mẫu Sơn" in template.site_names
    assert learner.template("http://other.test/").texts == frozenset()
    article = extract_article(_host_page(7), "http://nhipsong.test/tin-7.html", template=template)
    assert "Mời bạn đọc" not in article.body and article.title == "Tin số 7 trong tuần"
    plain = extract_article(
        _host_page(7), "http://nhipsong.test/tin-7.html", template=HostTemplate()
    )
    assert "Mời bạn đọc" in plain.body  # without the other pages there is no evidence


def test_trace_says_why_for_each_field():
    trace: dict = {}
    extract_article(table_portal(), "u", trace=trace)
    assert trace["title"]["value"] == HEADLINE and "title-class" in trace["title"]["why"]
    assert "Cập nhật lúc" in trace["published"]["why"]
    assert trace["listing"]["verdict"] == "an article"
