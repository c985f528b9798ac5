"""The Article contract: lossless through dicts, places included; bad records refused."""

import pytest

from crawler.article import Article, Place, PlaceRef

OLD_CAM_BINH = {
    "name": "Cẩm Bình",
    "type": "xã",
    "code": "18517",
    "province": "Hà Tĩnh",
    "register": "pre-2025",
}
NEW_CAM_BINH = {**OLD_CAM_BINH, "code": "18517", "register": "2025"}


def test_places_round_trip_through_dicts():
    article = Article(
        url="https://baohatinh.vn/a/1.htm",
        title="Cẩm Bình về đích nông thôn mới",
        body="Xã Cẩm Bình, huyện Cẩm Xuyên ...",
        places=[
            {"mention": "Xã Cẩm Bình", "unit": OLD_CAM_BINH, "start": 0, "related": [NEW_CAM_BINH]},
            {"mention": "xã Tân Lập"},
        ],
    )
    assert Article.from_dict(article.to_dict()) == article
    assert article.places[0].unit == PlaceRef(**OLD_CAM_BINH)
    assert article.places[1] == Place(mention="xã Tân Lập")


def test_units_are_keyed_by_register_because_codes_repeat():
    old, new = PlaceRef(**OLD_CAM_BINH), PlaceRef(**NEW_CAM_BINH)
    assert old.code == new.code and old.key != new.key


@pytest.mark.parametrize(
    "places",
    [
        "xã Cẩm Bình",
        [{"unit": OLD_CAM_BINH}],
        [{"mention": "x", "unit": {**OLD_CAM_BINH, "register": "2026"}}],
    ],
)
def test_malformed_places_are_refused_with_a_message(places):
    with pytest.raises((ValueError, TypeError)):
        Article.from_dict({"url": "https://a.vn/1", "title": "t", "places": places})
