"""Citations (APA-like, BibTeX, RIS) and the word diff of article versions: pure modules."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.article import VN_TZ, Article
from search_app.citations import apa, bibtex, citation_key, ris
from search_app.versions import latest_diff, word_diff_html


def _article(**changes) -> Article:
    data = dict(
        url="https://baobacgiang.vn/bai-1.html",
        title="Xây dựng nông thôn mới {nâng cao} 100% & bền_vững",
        body="Đoạn một.\n\nĐoạn hai.",
        sapo="Tóm tắt\nhai dòng",
        source="Báo Bắc Giang",
        author="Nguyễn Văn An",
        published=datetime(2024, 2, 28, 23, 30, tzinfo=VN_TZ),
        fetched_at=datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ),
    )
    data.update(changes)
    return Article(**data)


def test_apa_uses_vietnamese_dates_and_access_date():
    text = apa(_article())
    assert text.startswith("Nguyễn Văn An. (2024, ngày 28 tháng 2).")
    assert "Báo Bắc Giang." in text
    assert text.endswith("Truy cập ngày 1 tháng 3 năm 2024, từ https://baobacgiang.vn/bai-1.html")


def test_apa_without_author_or_date_cites_the_source():
    text = apa(_article(author="", published=None))
    assert text.startswith("Báo Bắc Giang. (k.n.).")
    assert text.count("Báo Bắc Giang") == 1


def test_bibtex_escapes_specials_and_uses_local_dates():
    entry = bibtex(_article())
    assert entry.startswith("@online{baobacgiang2024xay,")
    assert r"\{nâng cao\} 100\% \& bền\_vững" in entry
    assert "date = {2024-02-28}" in entry  # 23:30 in Vietnam, already 16:30 UTC
    assert "urldate = {2024-03-01}" in entry
    assert entry.count("{") == entry.count("}")


def test_bibtex_date_is_the_vietnam_date_not_utc():
    late = _article(
        published=datetime(2024, 2, 28, 20, 0, tzinfo=datetime.now().astimezone().tzinfo)
    )
    assert late.published.astimezone(VN_TZ).date().isoformat() in bibtex(late)


def test_ris_has_one_line_per_tag_and_ends_the_record():
    record = ris(_article())
    lines = record.split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert "AB  - Tóm tắt hai dòng" in lines
    assert "DA  - 2024/02/28" in lines and "Y2  - 2024/03/01" in lines
    assert lines[-2] == "ER  - " and lines[-1] == ""
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in lines[:-1])


def test_citation_key_is_ascii():
    key = citation_key(_article(source="Đài PT-TH Điện Biên", title="Đường về Điện Biên"))
    assert key == "daiptthdienbien2024duong"
    assert key.isascii()


def test_word_diff_marks_changed_words_and_escapes():
    html = word_diff_html("Chủ tịch <b>A</b> phát biểu", "Phó Chủ tịch <b>B</b> phát biểu")
    assert "<ins>Phó </ins>" in html
    assert "<del>&lt;b&gt;A&lt;/b&gt;</del><ins>&lt;b&gt;B&lt;/b&gt;</ins>" in html
    assert "<b>" not in html


def test_word_diff_shortens_long_unchanged_text():
    words = [f"từ{i}" for i in range(400)]
    old = " ".join(words)
    new = " ".join(words[:200] + ["SỬA"] + words[201:])
    html = word_diff_html(old, new)
    assert "<del>từ200</del><ins>SỬA</ins>" in html
    assert "[…]" in html and "từ0 " not in html and "từ399" not in html
    assert "từ199" in html and "từ201" in html


def test_latest_diff_compares_the_two_newest_versions():
    def at(day):
        return datetime(2024, 3, day, tzinfo=VN_TZ)

    versions = [(at(3), "T3", "ba"), (at(1), "T1", "một"), (at(2), "T2", "hai")]
    diff = latest_diff(versions)
    assert [v.title for v in diff.versions] == ["T1", "T2", "T3"]
    assert (diff.old.title, diff.new.title) == ("T2", "T3")
    assert diff.body_html == "<del>hai</del><ins>ba</ins>" and diff.changed
    assert latest_diff(versions[:1]) is None
    assert latest_diff([(at(1), "T", "x"), (at(2), "T", "x")]).changed is False


def test_highwire_meta_names_title_date_author_publisher():
    from search_app.citations import highwire_meta

    meta = dict(highwire_meta(_article()))
    assert meta["citation_title"].startswith("Xây dựng nông thôn mới")
    assert meta["citation_date"] == "2024/02/28"
    assert meta["citation_author"] == "Nguyễn Văn An"
    assert meta["citation_publisher"] == "Báo Bắc Giang"
    unsigned = dict(highwire_meta(_article(author="")))
    assert unsigned["citation_author"] == "Báo Bắc Giang"  # the organisation, as APA does


def _first_article_url(client) -> str:
    return client.get("/api/search", query_string={"q": "nông thôn"}).get_json()["results"][0][
        "url"
    ]


def test_every_article_page_has_the_citation_meta_tags(client):
    import re

    for hit in client.get("/api/search", query_string={"per_page": 100}).get_json()["results"]:
        html = client.get("/bai-viet", query_string={"url": hit["url"]}).get_data(as_text=True)
        names = set(re.findall(r'<meta name="(citation_\w+)" content="[^"]+">', html))
        assert {"citation_title", "citation_author", "citation_publisher"} <= names, hit["url"]
        assert "citation_date" in names or not hit["published"]


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("bib", "application/x-bibtex; charset=utf-8", "@online{"),
        ("ris", "application/x-research-info-systems; charset=utf-8", "TY  - ELEC"),
    ],
)
def test_bib_and_ris_download_as_files(client, fmt, content_type, start):
    url = _first_article_url(client)
    response = client.get(f"/trich-dan.{fmt}", query_string={"url": url})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{fmt}"')
    assert response.get_data(as_text=True).startswith(start)
    page = client.get("/bai-viet", query_string={"url": url}).get_data(as_text=True)
    assert f"/trich-dan.{fmt}?url=" in page


def test_citation_file_of_an_unknown_article_or_format_is_404(client):
    assert client.get("/trich-dan.bib", query_string={"url": "https://x.vn/"}).status_code == 404
    url = _first_article_url(client)
    assert client.get("/trich-dan.pdf", query_string={"url": url}).status_code == 404
