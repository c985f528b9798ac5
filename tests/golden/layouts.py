"""Page layouts for the golden set, each styled after a real CMS we did not design.

Each layout takes the article fields and returns (markup, expected body paragraphs, expected
byline). Boilerplate (menus, breadcrumbs, share links, related and most-read lists, footers) is
written the way those CMSs write it, because that is what extraction must leave out.
"""

from __future__ import annotations

from html import escape

SITE = "Cổng thông tin điện tử tỉnh Mẫu"
OTHER_TITLES = [
    "Hà Tĩnh triển khai kế hoạch phát triển kinh tế - xã hội năm 2021",
    "Khánh thành cầu Cửa Hội nối hai tỉnh Nghệ An và Hà Tĩnh",
    "Nông dân Can Lộc thu hoạch lúa xuân sớm",
]


def _ps(paragraphs: list[str], attrs: str = "") -> str:
    return "\n".join(f"<p{attrs}>{escape(p)}</p>" for p in paragraphs)


def _links(prefix: str = "/tin-tuc/") -> str:
    return "\n".join(
        f'<li><a href="{prefix}{i}.html">{escape(t)}</a></li>' for i, t in enumerate(OTHER_TITLES)
    )


def portal(page: dict) -> tuple[str, list[str], str]:
    """The bundled sample portal (Hà Tĩnh provincial portal style), as the shared spec describes."""
    byline = "Báo Dân trí"
    others = "\n".join(
        f'<li><a href="/tin-tuc/kinh-doanh/bai-{i}.html">{escape(t)}</a> <span>(2{i}/04/2021)</span></li>'
        for i, t in enumerate(OTHER_TITLES)
    )
    markup = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{escape(page["title"])} - {SITE}</title>
<link rel="canonical" href="http://127.0.0.1:8080/tin-tuc/kinh-doanh/bai-119.html">
</head><body>
<header><div class="site-name">{SITE}</div><div class="banner">Thông tin chính thống của tỉnh</div></header>
<nav class="menu"><a href="/">Trang chủ</a> <a href="/chuyen-muc/kinh-doanh/">Kinh doanh</a>
<a href="/chuyen-muc/xa-hoi/">Xã hội</a> <a href="/lien-he/">Liên hệ</a></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/chuyen-muc/kinh-doanh/">{escape(page["category"])}</a></div>
<div class="main"><div class="news-detail">
<div class="date-line">{page["date_line"]}</div>
<h1 class="title">{escape(page["title"])}</h1>
<div class="sapo"><strong>{escape(page["sapo"])}</strong></div>
<div class="content">{_ps(page["paragraphs"])}</div>
<p class="author"><strong>Tin và ảnh: {byline}</strong></p>
<div class="share"><a href="#">Gửi cho bạn bè</a> | <a href="#">In bài viết</a></div>
</div>
<div class="other-news"><h3>Các tin khác</h3><ul>{others}</ul></div>
</div>
<aside class="sidebar"><h3>Xem nhiều nhất</h3><ol>{_links()}</ol>
<h3>Liên kết website</h3><ul><li><a href="http://chinhphu.vn">Cổng TTĐT Chính phủ</a></li></ul></aside>
<footer>Cơ quan chủ quản: Văn phòng UBND tỉnh Mẫu. Địa chỉ: 01 đường Mẫu. Điện thoại: 0239 000 000.
Ghi rõ nguồn khi phát hành lại thông tin từ website này.</footer>
</body></html>
"""
    return markup, page["paragraphs"], byline


def nukeviet(page: dict) -> tuple[str, list[str], str]:
    """NukeViet 4 news module, default theme: .news_column, #news-bodyhtml.bodytext."""
    p = page["published"]
    date = f"Thứ năm - {p:%d/%m/%Y %H:%M}"
    markup = f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#"><head>
<title>{escape(page["title"])} - Tin Tức - Sở Kế hoạch và Đầu tư</title>
<meta name="description" content="{escape(page["sapo"])}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(page["title"])}">
<meta charset="UTF-8">
</head><body>
<div class="body-bg"><div class="wraper">
<header><div class="container"><div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8">
<a title="Sở Kế hoạch và Đầu tư" href="/"><img src="/uploads/logo.png" alt="Sở Kế hoạch và Đầu tư"></a>
<h1>Sở Kế hoạch và Đầu tư</h1><h2>Cổng thông tin điện tử</h2></div></div></div></header>
<nav class="second-nav" id="menusite"><ul class="nav navbar-nav"><li><a href="/">Trang nhất</a></li>
<li><a href="/news/">Tin Tức</a></li><li><a href="/laws/">Văn bản</a></li><li><a href="/contact/">Liên hệ</a></li></ul></nav>
<div class="breadcrumbs-wrap"><ul class="breadcrumbs list-none">
<li><a href="/" title="Trang nhất"><em class="fa fa-home"></em><span>Trang nhất</span></a></li>
<li><a href="/news/" title="Tin Tức"><span>Tin Tức</span></a></li>
<li><a href="/news/kinh-doanh/" title="{escape(page["category"])}"><span>{escape(page["category"])}</span></a></li></ul></div>
<div class="row"><div class="col-md-18">
<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
<div class="panel-body">
<h1 class="title margin-bottom-lg" itemprop="headline">{escape(page["title"])}</h1>
<div class="row margin-bottom-lg"><div class="col-md-12"><span class="h5">{date}</span></div>
<div class="col-md-12"><ul class="list-inline text-right"><li><a class="dimgray" rel="nofollow" title="Gửi bài viết qua email" href="#"><em class="fa fa-envelope fa-lg">&nbsp;</em></a></li>
<li><a class="dimgray" rel="nofollow" title="In ấn" href="#"><em class="fa fa-print fa-lg">&nbsp;</em></a></li></ul></div></div>
<div class="clearfix"><div class="hometext m-bottom" itemprop="description">{escape(page["sapo"])}</div></div>
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{"".join(f'<p style="text-align: justify;">{escape(x)}</p>' for x in page["paragraphs"])}
</div>
<div class="margin-bottom-lg"><p class="h5 text-right"><strong>Tác giả bài viết: </strong>{escape(page["author"])}</p>
<p class="h5 text-right"><strong>Nguồn tin: </strong>Báo Dân trí</p></div>
</div></div>
<div class="news_column panel panel-default"><div class="panel-body other-news">
<p class="h3"><strong>Những tin mới hơn</strong></p><div class="clearfix"><ul class="related list-items">{_links("/news/kinh-doanh/")}</ul></div>
<p class="h3"><strong>Những tin cũ hơn</strong></p><div class="clearfix"><ul class="related list-items">{_links("/news/xa-hoi/")}</ul></div>
</div></div></div>
<div class="col-md-6"><div class="panel panel-default"><div class="panel-heading">Tin xem nhiều</div>
<div class="panel-body"><ul>{_links()}</ul></div></div></div></div>
<footer id="footer"><div class="copyright">© Bản quyền thuộc về Sở Kế hoạch và Đầu tư. Địa chỉ: 02 đường Mẫu.</div></footer>
</div></div></body></html>
"""
    return markup, page["paragraphs"], page["author"]


def newspaper(page: dict) -> tuple[str, list[str], str]:
    """A VnExpress-like newspaper page: h1.title-detail, p.description, article.fck_detail."""
    p = page["published"]
    paragraphs = page["paragraphs"]
    caption = paragraphs[2]  # the corpus flattened a photo caption into the text; restore it
    body = [x for x in paragraphs if x != caption]
    figure = (
        '<figure data-size="true" itemprop="associatedMedia image" itemscope>'
        '<div class="fig-picture"><img itemprop="contentUrl" alt="" src="/anh/1.jpg"></div>'
        f'<figcaption itemprop="description"><p class="Image">{escape(caption)}</p></figcaption></figure>'
    )
    text = [f'<p class="Normal">{escape(x)}</p>' for x in body]
    text.insert(2, figure)
    markup = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{escape(page["title"])} - Báo Mẫu</title>
<meta property="og:title" content="{escape(page["title"])}">
<meta name="its_publication" content="{int(p.timestamp())}">
</head><body>
<header class="section header"><div class="container"><a class="logo" href="/">Báo Mẫu</a>
<span class="time-now">Thứ sáu, 30/4/2021</span>
<nav class="main-nav"><ul class="parent"><li><a href="/thoi-su">Thời sự</a></li><li><a href="/kinh-doanh">Kinh doanh</a></li>
<li><a href="/phap-luat">Pháp luật</a></li></ul></nav></div></header>
<section class="section page-detail top-detail"><div class="container">
<div class="sidebar-1">
<div class="header-content width_common"><ul class="breadcrumb" data-campaign="Header">
<li><a href="/kinh-doanh" title="{escape(page["category"])}">{escape(page["category"])}</a></li>
<li><a href="/kinh-doanh/hang-hoa" title="Hàng hóa">Hàng hóa</a></li></ul>
<span class="date">Thứ năm, {p.day}/{p.month}/{p.year}, {p:%H:%M} (GMT+7)</span></div>
<h1 class="title-detail">{escape(page["title"])}</h1>
<p class="description">{escape(page["sapo"])}</p>
<article class="fck_detail ">
{chr(10).join(text)}
<p class="Normal" style="text-align:right;"><strong>{escape(page["author"])}</strong></p>
</article>
<div class="footer-content"><div class="box-tinlienquanv2"><h3 class="title-box">Tin liên quan</h3>
<ul>{_links("/kinh-doanh/")}</ul></div>
<div class="social"><a href="#">Chia sẻ</a> <a href="#">Facebook</a></div></div>
</div>
<div class="sidebar-2"><div class="box-category"><h2 class="title-box">Xem nhiều</h2><ul>{_links("/tin/")}</ul></div></div>
</div></section>
<footer class="footer"><p>Báo điện tử Mẫu. Giấy phép số 000/GP-BTTTT. Liên hệ quảng cáo.</p></footer>
</body></html>
"""
    return markup, body, page["author"]


def cp1258(page: dict) -> tuple[str, list[str], str]:
    """An early-2000s table-layout portal page, declared windows-1258, no <h1>."""
    p = page["published"]
    markup = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>{escape(page["title"])} | Sở Công Thương</title></head>
<body><table width="780" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="2" class="top"><img src="/images/banner.jpg" alt="Sở Công Thương"></td></tr>
<tr><td width="180" valign="top" class="leftmenu"><a href="/">Trang chủ</a><br><a href="/gioi-thieu">Giới thiệu</a><br>
<a href="/tin-tuc">Tin tức - Sự kiện</a><br><a href="/van-ban">Văn bản pháp quy</a><br><a href="/lien-he">Liên hệ</a></td>
<td width="600" valign="top">
<table width="100%"><tr><td class="path"><a href="/">Trang chủ</a> &gt; <a href="/tin-tuc">{escape(page["category"])}</a></td></tr>
<tr><td class="ngay">Cập nhật: {p:%H:%M} | {p:%d/%m/%Y}</td></tr>
<tr><td class="tieude"><b><font size="4">{escape(page["title"])}</font></b></td></tr>
<tr><td class="trichdan"><i>{escape(page["sapo"])}</i></td></tr>
<tr><td class="noidung">{_ps(page["paragraphs"], ' align="justify"')}
<p align="right"><b>Theo Dân trí</b></p></td></tr>
<tr><td><a href="javascript:window.print()">In bài viết</a> | <a href="#">Gửi cho bạn bè</a></td></tr>
<tr><td class="tinkhac"><b>Các tin khác:</b><ul>{_links()}</ul></td></tr></table>
</td></tr>
<tr><td colspan="2" class="bottom">Bản quyền thuộc Sở Công Thương. Địa chỉ: 03 đường Mẫu.</td></tr>
</table></body></html>
"""
    return markup, page["paragraphs"], "Dân trí"


def tcvn3(page: dict) -> tuple[str, list[str], str]:
    """A late-1990s page typed in TCVN3 fonts (.VnTime body, .VnTimeH title), declared iso-8859-1."""
    p = page["published"]
    body = "\n".join(
        f'<p><font face=".VnTime" size="3">{escape(x)}</font></p>' for x in page["paragraphs"]
    )
    markup = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Ban tin Thuy san</title></head>
<body bgcolor="#FFFFFF">
<div id="menu"><a href="index.htm">Trang chủ</a> | <a href="tin.htm">Tin tức</a> | <a href="lienhe.htm">Liên hệ</a></div>
<div id="noidung">
<p><font face=".VnTime" size="2"><i>Ngày {p.day} tháng {p.month} năm {p.year}</i></font></p>
<h1 align="center"><font face=".VnTimeH" size="5">{escape(page["title"].lower())}</font></h1>
<div class="tomtat"><font face=".VnTime"><b>{escape(page["sapo"])}</b></font></div>
{body}
<p align="right"><font face=".VnTime"><b>{escape(page["author"])}</b></font></p>
</div>
<div id="chantrang"><font face=".VnTime" size="1">Ghi rõ nguồn khi phát hành lại thông tin từ website này.</font></div>
</body></html>
"""
    return markup, page["paragraphs"], page["author"]


LAYOUTS = {
    "portal": portal,
    "nukeviet": nukeviet,
    "newspaper": newspaper,
    "cp1258": cp1258,
    "tcvn3": tcvn3,
}
