"""HTML for the sample portal: pure functions from article data to page text.

The layout copies the Hà Tĩnh provincial portal the project started from (date line, title,
sapo, body, "Tin và ảnh: …" byline, "Gửi cho bạn bè", "Các tin khác", "Xem nhiều nhất"), so
extraction is tested against the same boilerplate it meets in the wild. Nothing here does
I/O; the server decides which articles go on which page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from tracuu.sample_portal.paths import CategoryLink, listing_path

if TYPE_CHECKING:
    from tracuu.sample_portal.catalog import PortalArticle  # one way: catalog never imports this

SITE_NAME = "Cổng thông tin điện tử tỉnh Mẫu"
BANNER = "Ủy ban nhân dân tỉnh Mẫu — Thông tin chính thống, kịp thời"
PDF_PATH = "/van-ban/ke-hoach-2020.pdf"
GONE_ARTICLE_PATH = "/tin-tuc/thong-bao/bai-da-go-0.html"
BROKEN_ARTICLE_PATH = "/tin-tuc/thong-bao/loi-he-thong-0.html"
CONTACT_PATH = "/lien-he/"

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

FOOTER_TEXT = (
    "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Mẫu. Địa chỉ: Số 1 đường Trung Tâm, thành phố Mẫu. "
    "Điện thoại: 0239 3855 000. Ghi rõ nguồn khi phát hành lại thông tin từ website này."
)
DATA_NOTE = (
    "Trang mẫu phục vụ kiểm thử. Bài viết: Báo Dân trí (dantri.com.vn), "
    "dữ liệu CP_Vietnamese-UNC, giấy phép GPL-3.0."
)
LINKED_WEBSITES = (
    ("https://chinhphu.vn/", "Cổng thông tin điện tử Chính phủ"),
    ("https://dantri.com.vn/", "Báo Dân trí"),
)


def date_line(day: date) -> str:
    """The portal's date line: weekday, then d/m/yyyy without leading zeros."""
    return f"{WEEKDAYS_VI[day.weekday()]}, {day.day}/{day.month}/{day.year}"


def short_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- page frame


def page_document(title: str, canonical_url: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="canonical" href="{esc(canonical_url)}">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def site_header() -> str:
    return (
        '<header><div class="site-name"><a href="/">'
        f'{esc(SITE_NAME)}</a></div><div class="banner">{esc(BANNER)}</div></header>'
    )


def menu(categories: Sequence[CategoryLink]) -> str:
    items = ['<li><a href="/">Trang chủ</a></li>']
    items += [f'<li><a href="{c.path}">{esc(c.name)}</a></li>' for c in categories]
    items.append(f'<li><a href="{CONTACT_PATH}">Liên hệ</a></li>')
    return f'<nav class="menu"><ul>{"".join(items)}</ul></nav>'


def footer() -> str:
    return f'<footer><p>{esc(FOOTER_TEXT)}</p><p class="data-note">{esc(DATA_NOTE)}</p></footer>'


def article_link(article: PortalArticle) -> str:
    return f'<a href="{article.path}">{esc(article.title)}</a>'


def sidebar(most_viewed: Sequence[PortalArticle]) -> str:
    ranked = "".join(f"<li>{article_link(a)}</li>" for a in most_viewed)
    links = "".join(
        f'<li><a href="{esc(url)}" rel="external">{esc(name)}</a></li>'
        for url, name in LINKED_WEBSITES
    )
    return (
        f'<aside class="sidebar"><h3>Xem nhiều nhất</h3><ol>{ranked}</ol>'
        f"<h3>Liên kết website</h3><ul>{links}</ul></aside>"
    )


def framed(
    title: str,
    canonical_url: str,
    categories: Sequence[CategoryLink],
    main: str,
    aside: str = "",
) -> str:
    body = "\n".join(
        part for part in (site_header(), menu(categories), main, aside, footer()) if part
    )
    return page_document(title, canonical_url, body)


def full_title(title: str) -> str:
    return f"{title} - {SITE_NAME}"


# ---------------------------------------------------------------- article page


def article_detail(article: PortalArticle) -> str:
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    day = f'<div class="date-line">{esc(date_line(article.published))}</div>'
    sapo = f'<div class="sapo"><strong>{esc(article.sapo)}</strong></div>' if article.sapo else ""
    return (
        '<div class="news-detail">'
        f"{day if article.published else ''}"
        f'<h1 class="title">{esc(article.title)}</h1>'
        f"{sapo}"
        f'<div class="content">{paragraphs}</div>'
        f'<p class="author"><strong>Tin và ảnh: {esc(article.byline)}</strong></p>'
        '<div class="share"><a href="#">Gửi cho bạn bè</a> | <a href="#">In bài viết</a></div>'
        "</div>"
    )


def other_news(others: Sequence[PortalArticle]) -> str:
    items = "".join(
        f"<li>{article_link(a)} <span>({short_date(a.published)})</span></li>" for a in others
    )
    return f'<div class="other-news"><h3>Các tin khác</h3><ul>{items}</ul></div>'


def breadcrumb(category: CategoryLink) -> str:
    return (
        '<div class="breadcrumb"><a href="/">Trang chủ</a> » '
        f'<a href="{category.path}">{esc(category.name)}</a></div>'
    )


def render_article_page(
    article: PortalArticle,
    *,
    base_url: str,
    categories: Sequence[CategoryLink],
    others: Sequence[PortalArticle],
    most_viewed: Sequence[PortalArticle],
) -> str:
    category = CategoryLink(article.category_slug, article.category)
    main = (
        f"{breadcrumb(category)}\n"
        f'<div class="main">{article_detail(article)}\n{other_news(others)}</div>'
    )
    return framed(
        full_title(article.title), base_url + article.path, categories, main, sidebar(most_viewed)
    )


# ---------------------------------------------------------------- listings and home


def news_item(article: PortalArticle) -> str:
    sapo = f'<p class="news-sapo">{esc(article.sapo)}</p>' if article.sapo else ""
    return (
        f'<li class="news-item"><a class="news-title" href="{article.path}">'
        f'{esc(article.title)}</a> <span class="news-date">{short_date(article.published)}</span>'
        f"{sapo}</li>"
    )


def news_list(articles: Sequence[PortalArticle]) -> str:
    if not articles:
        return '<p class="empty">Chưa có bài viết.</p>'
    return f'<ul class="news-list">{"".join(news_item(a) for a in articles)}</ul>'


def page_window(page: int, total_pages: int, radius: int = 3) -> list[int]:
    """Page numbers to show: the first, the last, and those near the current page."""
    near = range(max(1, page - radius), min(total_pages, page + radius) + 1)
    return sorted({1, total_pages, *near} - {0})


def pagination(category_slug: str, page: int, total_pages: int) -> str:
    if total_pages <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(
            f'<a href="{listing_path(category_slug, page - 1)}" rel="prev">Trang trước</a>'
        )
    for number in page_window(page, total_pages):
        if number == page:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{listing_path(category_slug, number)}">{number}</a>')
    if page < total_pages:
        parts.append(f'<a href="{listing_path(category_slug, page + 1)}" rel="next">Trang sau</a>')
    return f'<div class="pagination">{" ".join(parts)}</div>'


def render_listing_page(
    category: CategoryLink,
    articles: Sequence[PortalArticle],
    *,
    page: int,
    total_pages: int,
    base_url: str,
    categories: Sequence[CategoryLink],
) -> str:
    heading = category.name if page == 1 else f"{category.name} - Trang {page}"
    main = (
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> » {esc(category.name)}</div>\n'
        f'<div class="main"><h1 class="category-title">{esc(category.name)}</h1>'
        f"{news_list(articles)}{pagination(category.slug, page, total_pages)}</div>"
    )
    canonical = base_url + listing_path(category.slug, page)
    return framed(full_title(heading), canonical, categories, main)


def documents_block() -> str:
    return (
        '<div class="documents"><h3>Văn bản mới</h3><ul>'
        f'<li><a href="{PDF_PATH}">Kế hoạch phát triển kinh tế - xã hội năm 2020 (PDF)</a></li>'
        f'<li><a href="{GONE_ARTICLE_PATH}">Thông báo lịch tiếp công dân (đã gỡ)</a></li>'
        f'<li><a href="{BROKEN_ARTICLE_PATH}">Thông báo kết quả tuyển dụng viên chức</a></li>'
        "</ul></div>"
    )


def render_home_page(
    latest: Sequence[PortalArticle],
    *,
    base_url: str,
    categories: Sequence[CategoryLink],
    most_viewed: Sequence[PortalArticle],
) -> str:
    main = f'<div class="main"><h2>Tin mới nhất</h2>{news_list(latest)}\n{documents_block()}</div>'
    return framed(SITE_NAME, base_url + "/", categories, main, sidebar(most_viewed))


def render_contact_page(*, base_url: str, categories: Sequence[CategoryLink]) -> str:
    main = f'<div class="main"><h1 class="title">Liên hệ</h1><p>{esc(FOOTER_TEXT)}</p></div>'
    return framed(full_title("Liên hệ"), base_url + CONTACT_PATH, categories, main)


def render_error_page(
    status: int, path: str, *, base_url: str, categories: Sequence[CategoryLink]
) -> str:
    """404 and 500 pages: the portal frame around a short Vietnamese message."""
    if status == 404:
        heading, message = "Không tìm thấy trang", "Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ."
    else:
        heading, message = "Lỗi hệ thống", "Máy chủ gặp sự cố. Vui lòng thử lại sau."
    main = (
        f'<div class="main error"><h1>{status} - {esc(heading)}</h1><p>{esc(message)}</p>'
        '<p><a href="/">Về trang chủ</a></p></div>'
    )
    return framed(full_title(heading), base_url + path, categories, main)


# ---------------------------------------------------------------- robots and sitemap


def render_robots(base_url: str) -> str:
    return (
        "User-agent: *\n"
        "Disallow: /tim-kiem/\n"
        "Disallow: /quan-tri/\n"
        f"Sitemap: {base_url}/sitemap.xml\n"
    )


def render_sitemap(entries: Sequence[tuple[str, str]]) -> str:
    """``entries`` are (absolute URL, lastmod in W3C date or datetime form)."""
    urls = "".join(
        f"<url><loc>{esc(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>\n"
        for loc, lastmod in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )
