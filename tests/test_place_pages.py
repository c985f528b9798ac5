"""Places in the API and the UI: ``place=``/``history=`` on /api/search, places on results and
/api/article, /api/place, the place facet, the place page (/noi/<key>), places on the article
and person pages, and the 400s. Over the hand-built corpus of test_place_search, on both
engines."""

from __future__ import annotations

import re
from html import unescape

import pytest
from engine_params import ENGINES, memory_registered  # noqa: F401 (an autouse fixture)
from test_place_search import CORPUS

from indexer import rebuild_index


@pytest.fixture(scope="module", params=ENGINES)
def client(request, tmp_path_factory):
    from search_app.app import create_app

    data_dir = tmp_path_factory.mktemp(f"place-app-{request.param}")
    rebuild_index(data_dir, CORPUS, engine=request.param)
    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True})
    return app.test_client()


def _api(client, path: str = "/api/search", **params):
    response = client.get(path, query_string=params)
    return response.status_code, response.get_json()


def _slugs(data) -> set[str]:
    return {r["url"].rsplit("/", 1)[1].removesuffix(".html") for r in data["results"]}


def test_api_place_and_history(client):
    status, plain = _api(client, place="tỉnh Quảng Bình")
    assert status == 200 and _slugs(plain) == {"lu-quang-binh"}
    status, history = _api(client, place="tỉnh Quảng Bình", history="1")
    assert _slugs(history) == {"lu-quang-binh", "quang-tri-moi"} and history["history"] is True
    unit = history["understood_as"]["units"][0]
    assert unit["field"] == "place"
    assert [(p["register"], p["history"]) for p in unit["places"]] == [
        ("pre-2025", False),
        ("2025", True),
    ]


def test_api_repeated_places_must_all_match(client):
    _, both = _api(client, place=["Hà Tĩnh", "xã Cẩm Bình"])
    assert _slugs(both) == {"cam-binh"}
    _, code_and_name = _api(client, place=["18385", "phường Thành Sen"])
    assert code_and_name["total"] == 0


def test_api_results_and_article_list_units_once(client):
    _, data = _api(client, q="Thành Sen")
    hit = next(r for r in data["results"] if "thanh-sen" in r["url"])
    assert [p["name"] for p in hit["places"]] == ["Thành Sen", "Hà Tĩnh"]
    status, article = _api(client, "/api/article", url=hit["url"])
    assert status == 200
    assert article["places"] == hit["places"]
    assert [m["key"] for m in article["place_mentions"]] == ["2025:18400", "2025:42"]
    unresolved = next(a for a in CORPUS if a.url.endswith("tan-lap-khong-ro.html"))
    _, article = _api(client, "/api/article", url=unresolved.url)
    assert article["places"] == []
    assert article["place_mentions"] == [{"mention": "xã Tân Lập", "start": 0, "key": None}]


def test_api_facets_provinces_and_units_below_a_chosen_one(client):
    _, data = _api(client, q="Tin", facets="1", province="2025|Hà Tĩnh")
    assert data["total"] == 1
    provinces = {f["value"]: f for f in data["facets"]["province"]}
    assert provinces["2025|Hà Tĩnh"]["count"] == 1
    assert provinces["2025|Hà Tĩnh"]["label"] == "Hà Tĩnh (từ 1/7/2025)"
    assert [(f["value"], f["count"]) for f in data["facets"]["place"]] == [("2025:18400", 1)]


def test_api_place_stats(client):
    status, data = _api(client, "/api/place", key="2025:44", history="1")
    assert status == 200 and data["total"] == 3 and data["history"] is True
    assert {r["key"] for r in data["related"]} == {"pre-2025:44", "pre-2025:45"}
    assert _api(client, "/api/place", key="2025:99999")[0] == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/search", {"place": ""}),
        ("/api/search", {"place": "1990:12"}),
        ("/api/search", {"place": "x" * 101}),
        ("/api/search", {"province": "Quảng Trị"}),
        ("/api/place", {"key": ""}),
        ("/api/place", {"key": "Quảng Trị"}),
    ],
)
def test_bad_place_values_are_400_with_the_error_shape(client, path, params):
    status, data = _api(client, path, **params)
    assert status == 400
    assert data["error"]["status"] == 400 and data["error"]["message"]


def test_search_page_reads_the_place_and_offers_history(client):
    html = client.get("/", query_string={"q": 'noi:"Tân Lập"'}).get_data(as_text=True)
    reading = html.split('class="reading"')[1].split("</p>")[0]
    assert "Phú Thọ" in reading and "Đắk Lắk" in reading
    link = unescape(re.search(r'class="history-on" href="([^"]+)"', html).group(1))
    assert "history=1" in link
    assert 'name="history" value="1"' in html  # the checkbox "gồm cả tên cũ/mới"
    with_history = client.get("/", query_string={"q": "noi:2025:44", "history": "1"})
    text = with_history.get_data(as_text=True)
    assert "gồm cả tên cũ/mới: tỉnh Quảng Bình" in text
    assert "checked" in text.split('name="history"')[1].split(">")[0]
    status, flagged = _api(client, q="noi:2025:44 +lichsu")
    assert flagged["history"] is True and flagged["total"] == 3


def test_search_page_province_facet_drills_down(client):
    html = client.get("/", query_string={"q": "Tin"}).get_data(as_text=True)
    section = html.split("<h3>Địa danh</h3>")[1].split("</section>")[0]
    link = unescape(re.search(r'href="([^"]+)">Hà Tĩnh \(trước', section).group(1))
    chosen = client.get(link).get_data(as_text=True)
    units = chosen.split("Trong tỉnh đã chọn")[1].split("</section>")[0]
    assert "xã Cẩm Bình" in units and "xã Cầm Bình" in units and "/noi/pre-2025:18385" in units


def test_place_page_names_over_time_months_people_articles(client):
    html = client.get("/noi/2025:18400").get_data(as_text=True)
    assert "<h1>phường Thành Sen</h1>" in html
    names = html.split("Tên qua các thời kỳ")[1].split("</section>")[0]
    assert "1/7/2025" in names and "hợp thành từ" in names
    assert 'href="/noi/pre-2025:18385"' in names and 'href="/noi/pre-2025:18388"' in names
    assert "Phường Thành Sen ra mắt" in html
    months = html.split("Số bài theo tháng")[1].split("</section>")[0]
    assert re.search(r'href="/\?[^"]*place=2025:18400[^"]*from=2025-07-01', unescape(months))
    history = client.get("/noi/2025:18400?history=1").get_data(as_text=True)
    assert "Võ Trọng Hải" in history.split("Nhân vật thường được nhắc đến cùng")[1]
    assert "Xã Cẩm Bình về đích nông thôn mới" in history
    old = client.get("/noi/pre-2025:18385").get_data(as_text=True)
    assert "sáp nhập vào" in old and 'href="/noi/2025:18400"' in old


def test_place_page_of_an_unknown_or_bad_key_is_404(client):
    assert client.get("/noi/2025:99999").status_code == 404
    assert client.get("/noi/Quảng Trị").status_code == 404


def test_article_and_person_pages_link_places(client):
    url = next(a.url for a in CORPUS if a.url.endswith("/cam-binh.html"))
    html = client.get("/bai-viet", query_string={"url": url}).get_data(as_text=True)
    assert 'href="/noi/pre-2025:18385"' in html and 'href="/noi/pre-2025:42"' in html
    unresolved = next(a.url for a in CORPUS if a.url.endswith("tan-lap-khong-ro.html"))
    html = client.get("/bai-viet", query_string={"url": unresolved}).get_data(as_text=True)
    assert "chưa xác định được đơn vị hành chính" in html
    person = client.get("/nhan-vat", query_string={"name": "Trần Thắng"}).get_data(as_text=True)
    places = person.split("Địa danh được nhắc đến cùng")[1].split("</section>")[0]
    assert 'href="/noi/pre-2025:44"' in places and 'href="/noi/2025:44"' in places


def test_export_keeps_the_place_filters(client):
    response = client.get(
        "/xuat", query_string={"format": "json", "place": "2025:44", "history": "1"}
    )
    data = response.get_json()
    assert data["total"] == 3
    assert data["filters"]["place"] == ["2025:44"] and data["filters"]["history"] is True


def test_advanced_form_writes_the_place_and_the_history_flag(client):
    from werkzeug.datastructures import MultiDict

    from search_app.advanced import compose_query

    text = compose_query(MultiDict({"place": "xã Cẩm Bình", "history": "1"}))
    assert text == 'noi:"xã Cẩm Bình" +lichsu'
    response = client.get("/nang-cao/tim", query_string={"place": "Thành Sen", "history": "1"})
    found = client.get(response.headers["Location"]).get_data(as_text=True)
    found = re.sub("</?mark>", "", found)  # the place's mention is marked in the title
    assert "Phường Thành Sen ra mắt" in found and "Xã Cẩm Bình về đích" in found
    assert "<mark>Xã</mark> <mark>Cẩm</mark> <mark>Bình</mark> về đích" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_csv_export_lists_each_unit_readably(client):
    body = client.get("/xuat", query_string={"format": "csv", "place": "2025:18400"}).data
    text = body.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "places" in header.split(",")
    assert "phường Thành Sen (Hà Tĩnh, từ 1/7/2025); tỉnh Hà Tĩnh (từ 1/7/2025)" in row
