"""The search UI and JSON API over the crawled sample portal (Flask test client)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote_plus

import pytest


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def _facets(client, **params) -> dict:
    data = client.get("/api/search", query_string={**params, "facets": 1}).get_json()
    return data["facets"]


def test_results_show_title_vietnamese_date_source_category_people(client):
    html = client.get("/", query_string={"q": "nông thôn"}).get_data(as_text=True)
    first = html.split('<li class="hit">')[1].split("</li>\n  {% endfor")[0]
    assert re.search(r"(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật), \d\d/\d\d/\d{4}", first)
    assert 'class="source"' in first and 'class="category"' in first
    assert "<mark>" in first


def test_diacritic_free_query_highlights_accented_words(client):
    data = client.get("/api/search", query_string={"q": "nong thon"}).get_json()
    marked = re.findall(r"<mark>(.*?)</mark>", " ".join(r["snippet"] for r in data["results"]))
    assert {"nông", "thôn"} <= {m.lower() for m in marked}


def test_overlong_query_is_cut_with_a_warning_not_refused(client):
    page = client.get("/", query_string={"q": "nông " * 120})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "quá dài" in html and "chưa được thực hiện" not in html
    assert '<li class="hit">' in html
    api = client.get("/api/search", query_string={"q": "nông " * 120})
    assert api.status_code == 200
    data = api.get_json()
    assert data["total"] > 0 and len(data["query"]) <= 500
    assert any("quá dài" in w for w in data["warnings"])
    assert client.get("/api/suggest", query_string={"q": "x" * 600}).status_code == 200


def test_cut_query_never_ends_on_half_a_word():
    from indexer.api import MAX_QUERY_CHARS, cut_query_text

    text, warning = cut_query_text("nghìn " * 100)
    assert len(text) <= MAX_QUERY_CHARS and text.split()[-1] == "nghìn" and warning
    assert cut_query_text("nông thôn") == ("nông thôn", None)


def test_a_pasted_paragraph_finds_its_article(client):
    hits = client.get("/api/search", query_string={"q": "nông thôn"}).get_json()["results"]
    url = hits[0]["url"]
    body = client.get("/api/article", query_string={"url": url}).get_json()["body"]
    pasted = " ".join(body.split())[:800]  # longer than 500 characters and 32 words
    assert len(pasted) > 500 and len(pasted.split()) > 32
    data = client.get("/api/search", query_string={"q": pasted}).get_json()
    assert url in [r["url"] for r in data["results"][:3]]
    assert len(data["warnings"]) >= 1


def test_query_warnings_are_shown_with_best_effort_results(client):
    html = client.get("/", query_string={"q": 'nông thôn "mới'}).get_data(as_text=True)
    assert 'class="notice"' in html
    assert '<li class="hit">' in html


def test_bad_filter_is_reported_and_words_still_searched(client):
    html = client.get("/", query_string={"q": "nông thôn", "from": "hôm qua"}).get_data(
        as_text=True
    )
    assert "YYYY-MM-DD" in html
    assert '<li class="hit">' in html


def test_timeline_bar_narrows_the_date_range_and_keeps_the_query(client):
    html = client.get("/", query_string={"q": "nông thôn"}).get_data(as_text=True)
    links = re.findall(r'<section class="facet timeline">.*?</section>', html, re.S)[0]
    first_bar = unescape(re.findall(r'href="([^"]+)"', links)[0])
    assert "q=n" in first_bar and "from=" in first_bar and "to=" in first_bar
    year = re.search(r"from=(\d{4})-01-01", first_bar).group(1)
    narrowed = client.get(first_bar).get_data(as_text=True)
    # One year in view: the timeline switches to months of that year.
    assert re.search(rf"\d\d/{year}</span>", narrowed)
    api = client.get("/api" + first_bar.replace("/?", "/search?", 1)).get_json()
    assert api["total"] > 0
    assert all(r["published"].startswith(year) for r in api["results"])


def test_facet_counts_match_filtered_totals(client):
    facets = _facets(client, q="nông thôn")
    assert set(facets) == {"source", "category", "month", "person", "province", "place"}
    category = facets["category"][0]
    filtered = client.get(
        "/api/search", query_string={"q": "nông thôn", "category": category["value"]}
    ).get_json()
    assert filtered["total"] == category["count"]
    month_total = sum(f["count"] for f in facets["month"])
    everything = client.get("/api/search", query_string={"q": "nông thôn"}).get_json()
    assert month_total == everything["total"]


def test_facet_link_adds_a_filter_and_permalink_keeps_every_parameter(client):
    params = {"q": "nông thôn", "sort": "newest", "per_page": "20"}
    html = client.get("/", query_string=params).get_data(as_text=True)
    section = html.split("<h3>Chuyên mục</h3>")[1].split("</section>")[0]
    link = unescape(re.findall(r'href="([^"]+)"', section)[0])
    assert "sort=newest" in link and "per_page=20" in link and "category=" in link
    filtered = client.get(link).get_data(as_text=True)
    assert 'aria-label="Bỏ lọc"' in filtered


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_are_ordered(client, sort):
    data = client.get(
        "/api/search", query_string={"q": "tỉnh", "sort": sort, "per_page": 50}
    ).get_json()
    dates = [r["published"] for r in data["results"] if r["published"]]
    assert len(dates) > 10
    assert dates == sorted(dates, reverse=sort == "newest")


def test_article_page_has_metadata_citations_related_and_person_links(client):
    hit = client.get("/api/search", query_string={"q": "nông thôn"}).get_json()["results"][0]
    article = client.get("/api/article", query_string={"url": hit["url"]}).get_json()
    html = client.get("/bai-viet", query_string={"url": hit["url"], "q": "nong thon"}).get_data(
        as_text=True
    )
    assert article["content_hash"] in html
    assert "Thời điểm thu thập" in html and "Bài liên quan" in html
    assert "<mark>" in html
    assert "@online{" in html and "TY  - ELEC" in html
    assert re.search(r"ngày \d+ tháng \d+", html)  # Vietnamese date in the APA citation
    assert article["people"]
    links = {unquote_plus(unescape(h)) for h in re.findall(r'href="([^"]+)"', html)}
    for person in article["people"]:
        assert f"/nhan-vat?name={person['name']}" in links
        assert f"/?person={person['name']}" in links
    related = re.findall(r'<ul class="related">(.*?)</ul>', html, re.S)
    assert related and hit["url"] not in related[0]


def test_article_api_returns_the_documented_fields(client):
    url = client.get("/api/search", query_string={"q": "covid"}).get_json()["results"][0]["url"]
    data = client.get("/api/article", query_string={"url": url}).get_json()
    assert set(data) >= {
        "url", "title", "published", "source", "category", "author", "people", "body",
        "fetched_at", "content_hash",
    }  # fmt: skip
    assert data["url"] == url and data["content_hash"].startswith("sha256:")


def test_person_page_shows_monthly_bars_and_co_mentions(client):
    facets = _facets(client)
    name = facets["person"][0]["value"]
    stats = client.get("/api/person", query_string={"name": name}).get_json()
    assert stats["total"] == facets["person"][0]["count"]
    assert sum(m["count"] for m in stats["months"]) == stats["total"]
    assert name not in {p["value"] for p in stats["co_mentioned"]}
    html = client.get("/nhan-vat", query_string={"name": name}).get_data(as_text=True)
    assert html.count('class="bar"') == len(stats["months"])
    for other in stats["co_mentioned"][:3]:
        assert other["value"] in _text(html)


def test_unknown_person_page_says_so(client):
    html = client.get("/nhan-vat", query_string={"name": "Không Ai Cả"}).get_data(as_text=True)
    assert "Không có bài nào" in html


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/search", {"page": "x"}),
        ("/api/search", {"sort": "best"}),
        ("/api/search", {"per_page": "1000"}),
        ("/api/search", {"from": "2024-13-01"}),
        ("/api/search", {"from": "2024-02-01", "to": "2024-01-01"}),
        ("/api/article", {}),
        ("/api/person", {}),
        ("/xuat", {"format": "xml"}),
        ("/feed.atom", {"per_page": "x", "page": "-1", "from": "no"}),
    ],
)
def test_bad_parameters_are_400_with_one_error_shape(client, path, params):
    response = client.get(path, query_string=params)
    assert response.status_code == 400
    if path.startswith("/api/"):
        error = response.get_json()["error"]
        assert error["status"] == 400 and error["message"]


def test_unknown_article_is_404_json(client):
    response = client.get("/api/article", query_string={"url": "http://x.invalid/"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_openapi_documents_every_api_route(client, sample_app):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    routes = {r.rule for r in sample_app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert routes == set(spec["paths"])
    article = spec["components"]["schemas"]["Article"]["required"]
    assert {"fetched_at", "content_hash", "body", "people"} <= set(article)


def test_pages_load_nothing_from_outside(client):
    for path in ("/", "/?q=covid", "/huong-dan", "/nhan-vat?name=X"):
        response = client.get(path)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert not re.search(r'(src|href)="(https?:)?//', response.get_data(as_text=True))


def test_article_versions_show_dates_and_a_word_diff(client, sample_app):
    from datetime import datetime

    from crawler.article import VN_TZ

    url = client.get("/api/search", query_string={"q": "covid"}).get_json()["results"][0]["url"]
    recorded = {
        url: [
            (datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ), "Tiêu đề", "Chủ tịch tỉnh phát biểu."),
            (datetime(2024, 3, 2, 9, 30, tzinfo=VN_TZ), "Tiêu đề", "Phó Chủ tịch tỉnh phát biểu."),
        ]
    }
    sample_app.config["VERSIONS"] = lambda u: recorded.get(u, [])
    try:
        edited = client.get("/bai-viet", query_string={"url": url}).get_data(as_text=True)
        recorded[url] = recorded[url][:1]
        single = client.get("/bai-viet", query_string={"url": url}).get_data(as_text=True)
    finally:
        sample_app.config.pop("VERSIONS")
    assert "Bài viết đã được chỉnh sửa" in edited
    assert "01/03/2024 08:00" in edited and "02/03/2024 09:30" in edited
    assert "<ins>Phó </ins>Chủ tịch" in edited
    assert "Bài viết đã được chỉnh sửa" not in single


def test_article_whose_page_is_gone_says_so(client, sample_app):
    from datetime import datetime

    from crawler.article import VN_TZ

    url = client.get("/api/search", query_string={"q": "covid"}).get_json()["results"][0]["url"]
    sample_app.config["GONE"] = lambda u: (
        datetime(2024, 5, 6, 7, 8, tzinfo=VN_TZ) if u == url else None
    )
    try:
        gone = client.get("/bai-viet", query_string={"url": url}).get_data(as_text=True)
        other = client.get("/api/search", query_string={"q": "covid"}).get_json()["results"][1][
            "url"
        ]
        live = client.get("/bai-viet", query_string={"url": other}).get_data(as_text=True)
    finally:
        sample_app.config.pop("GONE")
    assert "Trang gốc không còn trên website nguồn" in gone
    assert "06/05/2024 07:08" in gone
    assert "Trang gốc không còn" not in live


def test_results_page_says_how_the_query_was_read_and_offers_to_loosen(client):
    html = client.get("/", query_string={"q": "nông thôn"}).get_data(as_text=True)
    reading = html.split('<p class="reading">')[1].split("</p>")[0]
    assert "[nông thôn]" in _text(reading)
    loosen = html.split('<p class="loosen">')[1].split("</p>")[0]
    words = re.search(r'href="([^"]*lien=0[^"]*)"[^>]*>[^(]*\(([\d.]+) bài\)', loosen)
    accents = re.search(r'href="([^"]*dau=0[^"]*)"[^>]*>[^(]*\(([\d.]+) bài\)', loosen)
    assert words and accents
    loose = client.get("/api/search", query_string={"q": "nông thôn", "lien": "0"}).get_json()
    assert loose["total"] == int(words.group(2).replace(".", ""))
    assert loose["group_words"] is False
    strict = client.get("/api/search", query_string={"q": "nông thôn"}).get_json()
    assert strict["total"] <= loose["total"]
    assert strict["understood_as"]["units"][0]["text"] == "nông thôn"
    # The loosened page offers the way back.
    back = client.get(unescape(words.group(1))).get_data(as_text=True)
    assert 'class="strict"' in back


def test_a_query_with_nothing_positive_is_answered_with_nothing(client):
    for q in ("-bão", "*", "OR"):
        data = client.get("/api/search", query_string={"q": q}).get_json()
        assert data["total"] == 0 and data["results"] == []
        assert data["understood_as"]["nothing_to_match"] is True
        exported = client.get("/xuat", query_string={"q": q, "format": "json"}).get_json()
        assert exported["results"] == []


def test_a_page_past_the_end_is_empty_and_says_so(client):
    data = client.get("/api/search", query_string={"q": "nông thôn", "page": 999}).get_json()
    assert data["results"] == [] and data["total"] > 0
    html = client.get("/", query_string={"q": "nông thôn", "page": 999}).get_data(as_text=True)
    assert 'class="past-end"' in html and "/999" not in html
    assert '<li class="hit">' not in html


def test_the_page_with_no_query_lists_the_newest_first_and_says_so(client):
    html = client.get("/").get_data(as_text=True)
    assert "bài trong kho lưu trữ, xếp mới nhất trước" in html
    assert '<option value="newest" selected>' in html
    shown = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(shown) == 10 and shown == sorted(shown, reverse=True)
    newest = client.get("/api/search", query_string={"sort": "newest", "per_page": 1}).get_json()
    assert shown[0] == newest["results"][0]["published"]
    api = client.get("/api/search").get_json()
    assert api["results"][0]["url"] == newest["results"][0]["url"]
    assert "xếp liên quan nhất" not in client.get("/?q=covid").get_data(as_text=True)


def test_person_page_lists_roles_with_dates_and_articles_newest_first(client, sample_app):
    from indexer import SearchQuery
    from search_app.engine_handle import engine_of

    engine = engine_of(sample_app)
    named = [
        (p.name, p.role, hit.published)
        for hit in engine.iter_results(SearchQuery(sort="newest"))
        for p in engine.get(hit.url).people
        if p.role
    ]
    assert named, "the demo data names people with their roles"
    name = named[0][0]
    html = client.get("/nhan-vat", query_string={"name": name}).get_data(as_text=True)
    roles = re.findall(r'<span class="role">(.*?)</span>', html)
    assert set(map(unescape, roles)) == {r for n, r, _ in named if n == name}
    shown = re.findall(r'<li class="hit">.*?<time datetime="([^"]*)"', html, re.S)
    total = client.get("/api/person", query_string={"name": name}).get_json()["total"]
    assert len(shown) == min(total, 20)
    assert shown == sorted(shown, reverse=True)


def test_timeline_drills_down_to_days_and_has_a_relative_view(client):
    month = _facets(client, q="nông thôn")["month"][0]["value"]  # "YYYY-MM"
    year, mon = (int(x) for x in month.split("-"))
    import calendar

    last = calendar.monthrange(year, mon)[1]
    params = {"q": "nông thôn", "from": f"{month}-01", "to": f"{month}-{last:02d}"}
    html = client.get("/", query_string=params).get_data(as_text=True)
    timeline = html.split('<section class="facet timeline">')[1].split("</section>")[0]
    counts = [int(c.replace(".", "")) for c in re.findall(r'class="bar-count">([\d.]+)<', timeline)]
    assert len(counts) == last  # one bar per day of the month
    total = client.get("/api/search", query_string=params).get_json()["total"]
    assert sum(counts) == total
    relative = client.get("/", query_string={"q": "nông thôn", "tuongdoi": "1"}).get_data(
        as_text=True
    )
    shares = re.findall(r'class="bar-share">([\d,]+)%<', relative)
    assert shares and all(0 < float(s.replace(",", ".")) <= 100 for s in shares)


def test_relative_timeline_sizes_bars_by_share_not_count():
    from datetime import date

    from indexer.api import FacetCount, SearchQuery
    from search_app.timeline import archive_counts, timeline_bars

    months = [FacetCount("2023-05", 10), FacetCount("2024-05", 10)]
    archive = archive_counts([FacetCount("2023-05", 100), FacetCount("2024-05", 1000)])
    bars = timeline_bars(months, SearchQuery(), archive)
    assert [(b.label, b.count, b.share) for b in bars] == [("2023", 10, 10.0), ("2024", 10, 1.0)]
    assert [b.percent for b in bars] == [100.0, 10.0]  # equal counts, a tenth of the share
    assert bars[0].date_from == date(2023, 1, 1)
