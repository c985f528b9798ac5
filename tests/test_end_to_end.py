"""Crawl the sample portal over HTTP → index → query through the Flask test client."""

from __future__ import annotations

import re

import pytest

from search_app.export import CSV_COLUMNS


def test_crawl_reports_404_500_and_non_html_and_finishes(crawled_sample, demo_portal):
    _, report = crawled_sample
    counts = report["counts"]["article"]
    assert counts["new"] == len(demo_portal.article_urls())
    assert counts["not_found"] == 1
    assert counts["server_error"] == 1
    assert counts["not_html"] == 1
    errors = report["errors"]
    assert any(e["url"].endswith("bai-da-go-0.html") for e in errors["not_found"])
    assert any(e["url"].endswith("loi-he-thong-0.html") for e in errors["server_error"])


@pytest.mark.parametrize("position", [0, 7, 42, 123, 250])
def test_exact_title_finds_the_article_first(client, demo_portal, position):
    url = demo_portal.article_urls()[position]
    title = demo_portal.expected_article(url)["title"]
    data = client.get("/api/search", query_string={"q": title}).get_json()
    assert data["results"], title
    assert data["results"][0]["url"] == url


@pytest.mark.parametrize("query", ["nông thôn", "nong thon", "NÔNG THÔN"])
def test_with_and_without_diacritics_find_highlighted_results(client, query):
    data = client.get("/api/search", query_string={"q": query}).get_json()
    assert data["total"] >= 30  # 36 sample articles say "nông thôn"
    for result in data["results"]:
        marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", result["snippet"])}
        in_title = "nông thôn" in result["title"].lower()
        assert marked & {"nông", "thôn"} or in_title, result["snippet"]
    page = client.get("/", query_string={"q": query})
    assert page.status_code == 200
    assert "<mark>" in page.get_data(as_text=True)


def test_api_search_shape(client):
    data = client.get(
        "/api/search", query_string={"q": "covid", "page": 2, "per_page": 5}
    ).get_json()
    assert set(data) >= {"query", "total", "page", "per_page", "results"}
    assert (data["query"], data["page"], data["per_page"]) == ("covid", 2, 5)
    assert len(data["results"]) == 5
    first = data["results"][0]
    # The export's columns (provenance and archive flags included) plus the snippet.
    assert set(first) == {*CSV_COLUMNS, "snippet"}
    assert re.match(r"\d{4}-\d\d-\d\dT", first["published"])


def test_article_page_shows_clean_text_and_original_link(client, demo_portal):
    url = demo_portal.article_urls()[3]
    expected = demo_portal.expected_article(url)
    page = client.get("/bai-viet", query_string={"url": url})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="{url}"' in html
    first_paragraph = expected["body"].split("\n\n")[0]
    from html import escape

    assert escape(first_paragraph, quote=False)[:60] in html.replace("&#39;", "'")
    for boilerplate in ("Gửi cho bạn bè", "Các tin khác", "Xem nhiều nhất"):
        assert boilerplate not in html


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "x"}, {"per_page": "1000"}, {"sort": "random"}, {"from": "28/2"}],
)
def test_bad_parameters_are_400_with_one_error_shape(client, params):
    response = client.get("/api/search", query_string={"q": "covid", **params})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["status"] == 400
    assert body["error"]["message"]


def test_malformed_query_text_is_not_an_error(client):
    for q in ['"nông thôn', "OR", "-", "((", "nguoi:", "ngay:abc", "chết?", "a:b:c"]:
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code == 200, q
        assert client.get("/", query_string={"q": q}).status_code == 200


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
