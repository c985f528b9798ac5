"""The sources page: each source's display name, article count, date coverage and links."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tracuu.demo import DEMO_SOURCE_NAME


def _edge(client, sort: str) -> str:
    data = client.get("/api/search", query_string={"sort": sort, "per_page": 1}).get_json()
    return data["results"][0]["published"]


def test_sources_page_lists_each_source_with_count_and_coverage(client):
    response = client.get("/nguon")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = re.findall(r'<tr class="source-row">(.*?)</tr>', html, re.S)
    documents = client.get("/api/stats").get_json()["documents"]
    assert len(rows) == 1  # the bundled demo has one source
    row = rows[0]
    assert DEMO_SOURCE_NAME in row
    assert f'<td class="num">{documents}</td>' in row
    first, last = _edge(client, "oldest")[:10], _edge(client, "newest")[:10]
    day = lambda iso: "/".join(reversed(iso.split("-")))  # noqa: E731
    assert day(first) in row and day(last) in row


def test_sources_page_links_to_the_sources_articles_by_date(client):
    html = client.get("/nguon").get_data(as_text=True)
    links = [unescape(h) for h in re.findall(r'href="(/\?[^"]+)"', html)]
    year_links = [parse_qs(urlsplit(h).query) for h in links if "from=" in h]
    assert year_links
    for args in year_links:
        assert args["source"] == [DEMO_SOURCE_NAME] and args["from"][0].endswith("-01-01")
        total = client.get(
            "/api/search",
            query_string={
                "source": DEMO_SOURCE_NAME,
                "from": args["from"][0],
                "to": args["to"][0],
            },  # fmt: skip
        ).get_json()["total"]
        assert f"{args['from'][0][:4]}</a> ({total:,})".replace(",", ".") in html
    assert client.get(links[0]).status_code == 200


def test_every_page_links_to_the_sources_page(client):
    assert 'href="/nguon"' in client.get("/huong-dan").get_data(as_text=True)
    assert 'class="all-sources" href="/nguon"' in client.get("/?q=covid").get_data(as_text=True)


def test_the_source_key_never_reaches_readers(client):
    """The demo's sources.toml key is "mau"; readers see only the display name."""
    for path in ("/?q=covid", "/nguon", "/api/search?q=covid"):
        text = client.get(path).get_data(as_text=True)
        assert not re.search(r"\bmau\b", text), path
