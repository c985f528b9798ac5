"""The advanced search form composes the query language and redirects to the results."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from werkzeug.datastructures import MultiDict

from indexer.querylang import parse_query
from search_app.advanced import compose_query


def test_each_field_writes_its_part_of_the_query_language():
    form = MultiDict(
        {
            "all": "nông thôn",
            "phrase": "Ủy ban nhân dân",
            "any": "bão lũ",
            "none": "bóng đá",
            "title": "nông thôn mới",
            "person": "Võ Trọng Hải",
            "source": "Cổng TTĐT tỉnh Mẫu",
            "category": "Xã hội",
            "from": "2024-01-01",
            "to": "2024-03-31",
        }
    )
    assert compose_query(form) == (
        'nông thôn "Ủy ban nhân dân" (bão OR lũ) tieude:"nông thôn mới" '
        'nguoi:"Võ Trọng Hải" nguon:"Cổng TTĐT tỉnh Mẫu" chuyenmuc:"Xã hội" '
        "-bóng -đá ngay:2024-01-01..2024-03-31"
    )
    assert not parse_query(compose_query(form)).warnings


def test_single_values_and_stray_quotes():
    assert compose_query(MultiDict({"title": "bão", "any": "lũ"})) == "lũ tieude:bão"
    assert compose_query(MultiDict({"phrase": 'a "b'})) == '"a b"'
    assert compose_query(MultiDict({"from": "2024-01-01"})) == "ngay:2024-01-01.."
    assert compose_query(MultiDict({"to": "2024-01-31"})) == "ngay:..2024-01-31"
    assert compose_query(MultiDict()) == ""


def test_form_page_is_a_plain_get_form(client):
    html = client.get("/nang-cao").get_data(as_text=True)
    assert 'method="get" action="/nang-cao/tim"' in html
    assert 'name="dau" value="0"' in html
    assert "<script" not in html


def test_compose_redirects_to_the_results_with_the_query_in_the_box(client):
    response = client.get(
        "/nang-cao/tim", query_string={"all": "nông thôn", "none": "covid", "dau": "0"}
    )
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    args = parse_qs(target.query)
    assert target.path == "/" and args == {"q": ["nông thôn -covid"], "dau": ["0"]}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="nông thôn -covid"' in page and '<li class="hit">' in page
    exact = client.get("/nang-cao/tim", query_string={"all": "bão", "dau": "1"})
    assert parse_qs(urlsplit(exact.headers["Location"]).query) == {"q": ["bão"]}
