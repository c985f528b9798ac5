import unicodedata
from datetime import datetime

import pytest

from crawler.article import VN_TZ
from crawler.extract import ExtractionError, Selectors, extract_article
from crawler.extract_fields import byline_name

PARAS = [
    "Chiều 28/2, Ban Thường vụ Tỉnh ủy Hà Tĩnh tổ chức hội nghị sơ kết công tác quý I và triển khai nhiệm vụ trọng tâm thời gian tới.",
    "Phát biểu tại hội nghị, đồng chí Bí thư Tỉnh ủy đề nghị các cấp, các ngành tập trung tháo gỡ khó khăn cho doanh nghiệp.",
    "Hội nghị cũng thống nhất nhiều nội dung quan trọng về công tác cán bộ và cải cách hành chính trên địa bàn tỉnh.",
]


def portal_page(byline: str = "Tin và ảnh: Chu Thanh Hoài", extra_body: str = "") -> str:
    """The sample portal's article layout (shared spec), written here as a small fixture."""
    body = "".join(f"<p>{p}</p>" for p in PARAS) + extra_body
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Sơ kết công tác quý I - Cổng thông tin điện tử tỉnh Mẫu</title>
<script>var x = "Không được lấy";</script><style>p {{color: red}}</style></head><body>
<header><div>Cổng thông tin điện tử tỉnh Mẫu</div><div>Thứ Sáu, 1/3/2024</div></header>
<nav class="menu"><a href="/">Trang chủ</a> <a href="/chuyen-muc/chinh-tri/">Chính trị</a> <a href="/lien-he/">Liên hệ</a></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/chuyen-muc/chinh-tri/">Chính trị</a></div>
<div class="main"><div class="news-detail">
<div class="date-line">Thứ Tư, 28/2/2024</div>
<h1 class="title">Sơ kết công tác quý I</h1>
<div class="sapo"><strong>Ban Thường vụ Tỉnh ủy sơ kết công tác quý I năm 2024.</strong></div>
<div class="content">{body}<!-- ghi chú biên tập --></div>
<p class="author"><strong>{byline}</strong></p>
<div class="share"><a href="#">Gửi cho bạn bè</a> | <a href="#">In bài viết</a></div>
</div>
<div class="other-news"><h3>Các tin khác</h3><ul><li><a href="/a-1.html">Tin khác một</a> <span>(27/02/2024)</span></li>
<li><a href="/a-2.html">Tin khác hai</a> <span>(26/02/2024)</span></li></ul></div></div>
<aside class="sidebar"><h3>Xem nhiều nhất</h3><ol><li><a href="/b-1.html">Bài xem nhiều</a></li></ol></aside>
<footer>Cơ quan chủ quản: Văn phòng UBND tỉnh. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</footer>
</body></html>"""


def test_portal_layout_fields():
    article = extract_article(portal_page(), "http://127.0.0.1/tin-tuc/chinh-tri/so-ket-1.html")
    assert article.title == "Sơ kết công tác quý I"
    assert article.published == datetime(2024, 2, 28, tzinfo=VN_TZ)
    assert article.author == "Chu Thanh Hoài"
    assert article.category == "Chính trị"
    assert article.sapo == "Ban Thường vụ Tỉnh ủy sơ kết công tác quý I năm 2024."
    assert article.body == "\n\n".join(PARAS)


@pytest.mark.parametrize(
    "junk",
    [
        "Gửi cho bạn bè",
        "In bài viết",
        "Các tin khác",
        "Xem nhiều nhất",
        "Trang chủ",
        "Thứ Tư",
        "Chu Thanh Hoài",
        "Không được lấy",
        "color",
        "ghi chú",
        "Cơ quan chủ quản",
        "sơ kết công tác quý I năm 2024",
    ],
)
def test_portal_body_has_no_boilerplate(junk):
    assert junk not in extract_article(portal_page(), "u").body


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Tin và ảnh: Chu Thanh Hoài", "Chu Thanh Hoài"),
        ("Bài và ảnh: Thu Hà", "Thu Hà"),
        ("Tin, ảnh: Thu Hà", "Thu Hà"),
        ("Theo Báo Hà Tĩnh", "Báo Hà Tĩnh"),
        ("Nguồn: chinhphu.vn", "chinhphu.vn"),
        ("Nguyễn Văn An (TTXVN)", "Nguyễn Văn An"),
        ("Tác giả bài viết: Đại Việt", "Đại Việt"),
        ("Huỳnh Hải", "Huỳnh Hải"),
    ],
)
def test_byline_keeps_the_name_only(line, name):
    assert byline_name(line) == name


@pytest.mark.parametrize(
    "byline", ["Nguyễn Văn An (TTXVN)", "Theo Báo Hà Tĩnh", "Bài và ảnh: Thu Hà"]
)
def test_byline_forms_on_the_page(byline):
    assert extract_article(portal_page(byline), "u").author == byline_name(byline)


def test_right_aligned_name_after_the_text_is_the_byline():
    page = portal_page(byline="").replace(
        "<!-- ghi chú biên tập -->", '<p style="text-align: right;"><strong>Diệu Hoa</strong></p>'
    )
    article = extract_article(page, "u")
    assert article.author == "Diệu Hoa" and "Diệu Hoa" not in article.body


def test_selectors_come_first_and_drop_removes_blocks():
    page = """<html><head><title>Trang</title></head><body>
    <div class="tieu-de">Tiêu đề theo bộ chọn</div><h1>Tiêu đề sai</h1>
    <div class="ngay">Ngày 5 tháng 3 năm 2024</div><div class="tac-gia">Lê Minh</div>
    <div class="chuyen-muc">Thời sự</div>
    <div id="noi-dung"><p>Đoạn văn thứ nhất của bài viết, đủ dài để được coi là nội dung chính thức.</p>
    <p class="quang-cao-chen">Quảng cáo: mua ngay hôm nay giá rẻ bất ngờ cho mọi gia đình.</p>
    <p>Đoạn văn thứ hai của bài viết, cũng đủ dài để được tính vào nội dung chính.</p></div>
    <div class="khac"><p>Một khối văn bản khác rất dài nằm ngoài nội dung chính, không được lấy vào bài viết. Khối này dài hơn cả nội dung chính để thử bộ chọn.</p></div>
    </body></html>"""
    selectors = Selectors(
        title=".tieu-de",
        date=".ngay",
        body="#noi-dung",
        byline=".tac-gia",
        category=".chuyen-muc",
        drop=[".quang-cao-chen"],
    )
    article = extract_article(page, "u", selectors=selectors)
    assert article.title == "Tiêu đề theo bộ chọn"
    assert article.published == datetime(2024, 3, 5, tzinfo=VN_TZ)
    assert (article.author, article.category) == ("Lê Minh", "Thời sự")
    assert article.body.split("\n\n") == [
        "Đoạn văn thứ nhất của bài viết, đủ dài để được coi là nội dung chính thức.",
        "Đoạn văn thứ hai của bài viết, cũng đủ dài để được tính vào nội dung chính.",
    ]


def test_fields_without_selectors_fall_back_to_generic():
    article = extract_article(portal_page(), "u", selectors=Selectors(body=".content"))
    assert article.title == "Sơ kết công tác quý I" and article.author == "Chu Thanh Hoài"


def test_title_falls_back_to_og_title_then_title_without_site_name():
    no_h1 = portal_page().replace('<h1 class="title">Sơ kết công tác quý I</h1>', "")
    assert extract_article(no_h1, "u").title == "Sơ kết công tác quý I"
    with_og = no_h1.replace("<head>", '<head><meta property="og:title" content="Tiêu đề từ og">')
    assert extract_article(with_og, "u").title == "Tiêu đề từ og"


def test_metadata_date_and_section_win():
    page = (
        portal_page()
        .replace(
            "<head>",
            '<head><meta property="article:published_time" content="2024-02-27T09:30:00+07:00">'
            '<meta property="article:section" content="Thời sự">',
        )
        .replace('<div class="breadcrumb">', '<div class="x">')
    )
    article = extract_article(page, "u")
    assert article.published == datetime(2024, 2, 27, 9, 30, tzinfo=VN_TZ)
    assert article.category == "Thời sự"


def test_a_wholly_bold_first_paragraph_is_the_sapo():
    page = portal_page().replace(
        '<div class="sapo"><strong>Ban Thường vụ Tỉnh ủy sơ kết công tác quý I năm 2024.</strong></div>',
        "",
    )
    page = page.replace(f"<p>{PARAS[0]}</p>", f"<p><b>{PARAS[0]}</b></p>")
    article = extract_article(page, "u")
    assert article.sapo == PARAS[0]
    assert article.body == "\n\n".join(PARAS[1:])


def test_whitespace_is_collapsed_and_text_is_nfc():
    nfd = unicodedata.normalize(
        "NFD", "Người dân Hà Tĩnh phấn khởi đón nhận tin vui về dự án mới trên địa bàn."
    )
    page = portal_page().replace(f"<p>{PARAS[1]}</p>", f"<p>  {nfd}\n\t  &nbsp;</p>")
    body = extract_article(page, "u").body
    assert "Người dân Hà Tĩnh phấn khởi đón nhận tin vui về dự án mới trên địa bàn." in body.split(
        "\n\n"
    )


def test_listing_page_is_not_an_article():
    items = "".join(
        f'<div class="item"><h3><a href="/tin-{i}.html">Tiêu đề bài số {i} về kinh tế địa phương</a></h3>'
        f"<p>Tóm tắt bài số {i}: nội dung ngắn giới thiệu về sự kiện đáng chú ý trong tuần qua.</p></div>"
        for i in range(10)
    )
    page = f"<html><head><title>Kinh doanh - Cổng thông tin</title></head><body><h1>Kinh doanh</h1><div class='list'>{items}</div></body></html>"
    with pytest.raises(ExtractionError) as caught:
        extract_article(page, "u")
    assert caught.value.reason == "not an article page"
    assert caught.value.detail.startswith("teaser list: 10 headline links")


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body></body></html>",
        "<html><body><nav><a href='/'>Trang chủ</a></nav></body></html>",
    ],
)
def test_empty_pages_raise_with_a_reason(page):
    with pytest.raises(ExtractionError) as caught:
        extract_article(page, "u")
    assert caught.value.reason in {"no body text", "no title", "not an article page"}
