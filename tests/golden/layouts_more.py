"""More golden layouts: the pages an extractor meets on old provincial portals and abroad.

Each layout takes the article fields and returns (markup, expected body paragraphs, byline).
- ``eportal``: a 2000s table-layout e-portal (windows-1258): ``<title>`` is the portal's
  name, the headline only in ``<td class="NewsTitle"><b>…</b></td>``, the date line
  "Cập nhật lúc: 11:48 - 28/04/2017", "Các tin khác" with other stories' dates.
- ``legacy``: a late-1990s page typed in capitals for the headline in a legacy font named only
  in an external stylesheet (the encoder decides TCVN3 or VNI), declared with a wrong charset.
- ``english``: an English news page: ISO dates in ``<time>`` and JSON-LD, "By" byline,
  a related-stories rail with long headline links.
- ``listing_*``: category pages (not articles): a portal's last listing page with three teasers,
  and a table portal's listing with long teasers.
"""

from __future__ import annotations

from html import escape

PORTAL = "Cổng thông tin điện tử tỉnh Mẫu Sơn"
MENU = ["Trang chủ", "Tin tức - Sự kiện", "Kinh tế - Xã hội", "Văn bản", "Liên hệ"]
OTHERS = [
    ("Hội nghị tổng kết công tác năm 2016 của ngành nông nghiệp tỉnh", "21/04/2017"),
    ("Khai mạc Hội chợ thương mại vùng biên giới năm 2017", "19/04/2017"),
    ("Tăng cường công tác phòng chống cháy rừng mùa khô", "18/04/2017"),
]


def _ps(paragraphs: list[str], attrs: str = "") -> str:
    return "\n".join(f"<p{attrs}>{escape(p)}</p>" for p in paragraphs)


def _menu_cells() -> str:
    return "".join(
        f'<td class="menu"><a href="/m{i}.aspx">{m}</a></td>' for i, m in enumerate(MENU)
    )


def eportal(page: dict) -> tuple[str, list[str], str]:
    p = page["published"]
    others = "".join(
        f'<tr><td class="OtherNews"><a href="/tin/{i}.aspx">{escape(t)}</a> <i>({d})</i></td></tr>'
        for i, (t, d) in enumerate(OTHERS)
    )
    markup = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>{PORTAL}</title></head>
<body leftmargin="0" topmargin="0">
<table width="1000" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="2"><img src="/images/banner.jpg" alt="{PORTAL}" width="1000"></td></tr>
<tr><td colspan="2"><table><tr>{_menu_cells()}</tr></table></td></tr>
<tr><td width="200" valign="top"><table><tr><td><b>Thăm dò ý kiến</b></td></tr>
<tr><td>Bạn thấy giao diện mới của cổng thông tin thế nào?</td></tr></table></td>
<td width="800" valign="top"><table width="100%">
<tr><td class="NewsTitle"><b>{escape(page["title"])}</b></td></tr>
<tr><td class="NewsDate">Cập nhật lúc: {p:%H:%M} - {p:%d/%m/%Y}</td></tr>
<tr><td class="NewsSummary"><b>{escape(page["sapo"])}</b></td></tr>
<tr><td class="NewsContent">{_ps(page["paragraphs"])}
<p align="right"><b>{escape(page["author"])}</b></p></td></tr>
<tr><td><b>Các tin khác</b></td></tr>{others}
</table></td></tr>
<tr><td colspan="2" align="center">Bản quyền thuộc {PORTAL}. Địa chỉ: số 2 đường Hùng Vương.</td></tr>
</table></body></html>
"""
    return markup, page["paragraphs"], page["author"]


def legacy(page: dict) -> tuple[str, list[str], str]:
    """Headline in capitals (``title_upper``), fonts named only in /css/style.css."""
    markup = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={page["declared"]}">
<link rel="stylesheet" href="/css/style.css">
<title>Ban tin So Nong nghiep</title></head>
<body>
<div class="top"><a href="index.htm">Trang chủ</a> | <a href="tin.htm">Tin tức</a></div>
<p class="ngay">Ngày {page["published"]:%d/%m/%Y}</p>
<p class="tieude">{escape(page["title_upper"])}</p>
<div class="noidung">{_ps(page["paragraphs"])}
<p class="tacgia">{escape(page["author"])}</p></div>
<div class="cuoi">Ghi rõ nguồn khi phát hành lại thông tin từ website này.</div>
</body></html>
"""
    return markup, page["paragraphs"], page["author"]


def english(page: dict) -> tuple[str, list[str], str]:
    iso = page["published"].isoformat()
    related = "\n".join(
        f'<li><a href="/news/{i}">{escape(t)}</a></li>' for i, t in enumerate(page["related"])
    )
    markup = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(page["title"])} | The Harbour Herald</title>
<meta property="og:site_name" content="The Harbour Herald">
<meta property="og:title" content="{escape(page["title"])}">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{page["title"]}", "datePublished": "{iso}",
"author": {{"@type": "Person", "name": "{page["author"]}"}}}}</script>
</head><body>
<header class="site-header"><a class="logo" href="/">The Harbour Herald</a>
<nav><a href="/news">News</a> <a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav></header>
<main><article>
<h1 class="headline">{escape(page["title"])}</h1>
<div class="byline">By <span class="author-name">{escape(page["author"])}</span>,
<time datetime="{iso}">{page["published"]:%B %d, %Y}</time></div>
<div class="article-body">{_ps(page["paragraphs"])}</div>
</article>
<section class="more-stories"><h2>More stories</h2><ul>{related}</ul></section></main>
<footer>© 2024 The Harbour Herald. All rights reserved.</footer>
</body></html>
"""
    return markup, page["paragraphs"], page["author"]


def listing_portal(items: list[tuple[str, str, str]], category: str) -> str:
    """The bundled portal's category page, last page: three teasers and pagination."""
    teasers = "".join(
        f'<li class="news-item"><a class="news-title" href="/tin-tuc/{i}.html">{escape(t)}</a> '
        f'<span class="news-date">{d}</span><p class="news-sapo">{escape(s)}</p></li>'
        for i, (t, d, s) in enumerate(items)
    )
    links = "".join(
        f'<li><a href="/chuyen-muc/{i}/">{m}</a></li>' for i, m in enumerate([*MENU, category])
    )
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{escape(category)} - Trang 4 - {PORTAL}</title></head><body>
<header><div class="site-name"><a href="/">{PORTAL}</a></div></header>
<nav class="menu"><ul>{links}</ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> » {escape(category)}</div>
<div class="main"><h1 class="category-title">{escape(category)}</h1><ul class="news-list">{teasers}</ul>
<div class="pagination"><a href="/chuyen-muc/x/trang-3/" rel="prev">Trang trước</a> <span class="current">4</span></div></div>
<footer><p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Mẫu Sơn.</p></footer>
</body></html>
"""


def listing_table(items: list[tuple[str, str, str]], category: str) -> str:
    """A table e-portal's category listing: a headline link, a date and a long teaser per row."""
    rows = "".join(
        f'<tr><td class="ListTitle"><a href="/tin/{i}.aspx">{escape(t)}</a> ({d})</td></tr>'
        f'<tr><td class="ListSummary">{escape(s)}</td></tr>'
        for i, (t, d, s) in enumerate(items)
    )
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{PORTAL}</title></head><body><table width="1000">
<tr><td><img src="/images/banner.jpg" alt="{PORTAL}"></td></tr>
<tr><td><table><tr>{_menu_cells()}</tr></table></td></tr>
<tr><td class="CateTitle"><b>{escape(category)}</b></td></tr>
<tr><td><table>{rows}</table></td></tr>
<tr><td align="center">Bản quyền thuộc {PORTAL}.</td></tr></table></body></html>
"""
