"""Property tests: no query string or parameter makes the API (or the pages) answer 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

QUERY_ALPHABET = st.characters(blacklist_categories=("Cs",))
SYNTAX = st.sampled_from(
    ['"', "-", "(", ")", "OR", "|", ":", "nguoi:", "tieude:", "*", "?", "~", "^", "\\",
     "tu:2024", "den:1-1-1", "nông", "thôn", "Đ", " ", "\x00", "\u0301", "🙂", "2024-02-30"]
)  # fmt: skip
QUERY = st.one_of(
    st.text(QUERY_ALPHABET, max_size=80),
    st.lists(SYNTAX, max_size=20).map(" ".join),
    st.lists(SYNTAX, max_size=20).map("".join),
)
PARAM = st.one_of(
    st.text(QUERY_ALPHABET, max_size=12),
    st.integers(-5, 10**12).map(str),
    st.dates().map(str),
    st.sampled_from(["relevance", "newest", "oldest", "1", "0", ""]),
)
SEARCH_PARAMS = st.dictionaries(
    st.sampled_from(["page", "per_page", "sort", "from", "to", "source", "category", "person",
                     "facets", "format", "name", "url"]),
    PARAM,
    max_size=6,
)  # fmt: skip
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(response) -> None:
    assert response.status_code in (200, 400, 404), response.get_data(as_text=True)[:300]
    if response.status_code != 200 and response.mimetype == "application/json":
        error = response.get_json()["error"]
        assert error["status"] == response.status_code and error["message"]


@FUZZ
@given(q=QUERY, params=SEARCH_PARAMS)
def test_api_search_never_fails(sample_app, q, params):
    client = sample_app.test_client()
    response = client.get("/api/search", query_string={"q": q, **params})
    _check(response)
    if response.status_code == 200:
        data = response.get_json()
        assert data["total"] >= len(data["results"])


@FUZZ
@given(q=QUERY, params=SEARCH_PARAMS)
def test_pages_and_other_endpoints_never_fail(sample_app, q, params):
    client = sample_app.test_client()
    for path in ("/", "/api/suggest", "/feed.atom", "/api/person", "/nhan-vat"):
        _check(client.get(path, query_string={"q": q, "name": q, **params}))


@pytest.mark.parametrize("path", ["/api/search", "/", "/feed.atom", "/xuat"])
def test_deep_page_numbers_are_answered(client, path):
    _check(client.get(path, query_string={"q": "tỉnh", "page": 10**12, "per_page": 100}))
