"""Write the second set of golden pages (old portals, legacy fonts, English, listings).

    .venv/bin/python bench/build_golden_more.py      # run by hand; tests never run this

Layouts are in tests/golden/layouts_more.py; Vietnamese text is real dantri.com.vn text from
../shared/corpus/dantri-2020.jsonl.gz (GPL-3.0 data, see tests/golden/README.md), headlines
are the corpus's own (several hold " - " inside the headline). The English page's text is ours.
"""

from __future__ import annotations

import gzip
import html
import json
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "golden"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SHARED = ROOT.parent / "shared"

from golden import layouts_more as layouts  # noqa: E402
from golden.legacy_encoders import encode_cp1258, encode_tcvn3, encode_vni  # noqa: E402

from crawler.article import VN_TZ  # noqa: E402
from crawler.encoding import TCVN3_TO_UNICODE  # noqa: E402

# corpus line -> (page name, layout, published, encoder, declared charset)
PAGES = {
    3: ("eportal_kinhte_3", "eportal", datetime(2017, 4, 28, 11, 48), "cp1258", ""),
    275: ("eportal_giaoduc_275", "eportal", datetime(2021, 4, 24, 8, 5), "cp1258", ""),
    1111: ("tcvn3caps_vanhoa_1111", "legacy", datetime(2021, 1, 5), "tcvn3", "iso-8859-1"),
    749: ("vni_giaitri_749", "legacy", datetime(2020, 12, 30), "vni", "windows-1258"),
    506: ("vniutf8_giaoduc_506", "legacy", datetime(2020, 11, 2), "vni-utf8", "utf-8"),
}
LISTING_LINES = range(400, 413)
ENGLISH = {
    "title": "Harbour bridge - closed since the storm - reopens to traffic",
    "author": "Jane Whitfield",
    "published": datetime(2024, 3, 5, 9, 30, tzinfo=VN_TZ),
    "paragraphs": [
        "The harbour bridge reopened to cars and buses on Tuesday morning, eleven days after the "
        "storm tore away a section of its railings and left cracks in two of its supports.",
        "Engineers worked through the weekend to finish the repairs, the city's transport office "
        "said, and a load test on Monday evening found the supports safe for normal traffic.",
        "Lorries heavier than 20 tonnes will still have to use the ring road until the end of the "
        "month, when the last of the temporary steel plates is replaced.",
        "Shop owners on both ends of the bridge said the closure had cut their trade by half. "
        '"People simply stopped coming across," said one cafe owner, who asked not to be named.',
    ],
    "related": [
        "Storm damage across the coast: what we know so far about the repairs",
        "Council approves new budget for flood defences along the river",
        "Ferry timetable extended while the harbour bridge stays closed",
    ],
}


def main() -> None:
    records = {}
    with gzip.open(SHARED / "corpus" / "dantri-2020.jsonl.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number in PAGES or number in LISTING_LINES:
                records[number] = json.loads(line)
    for number, spec in PAGES.items():
        write_article(records[number], *spec)
    write_listings([records[n] for n in LISTING_LINES])
    write_english()


def _paragraphs(record: dict) -> tuple[list[str], str]:
    lines = [html.unescape(t).replace("&nbsp", " ").strip() for t in record["body"].split("\n")]
    lines = [t for t in lines if t]
    # The corpus ends most articles with the author's name; a sentence there is text.
    author = lines.pop() if len(lines[-1]) <= 40 else ""
    return lines, author


def write_article(record, name, layout, published, encoder, declared) -> None:
    paragraphs, author = _paragraphs(record)
    title = record["title"].strip()
    page = {
        "title": title,
        "title_upper": title.upper(),
        "sapo": record["sapo"].strip(),
        "paragraphs": paragraphs,
        "author": author,
        "published": published,
        "declared": declared,
    }
    markup, body, byline = getattr(layouts, layout)(page)
    if encoder == "tcvn3":  # TCVN3 has no capital toned vowels: without a capitals font they
        body = [_tcvn3_shows(p) for p in body]  # are written, and shown, in lower case
    encoded = {
        "cp1258": encode_cp1258,
        "tcvn3": lambda text: encode_tcvn3(text, upper_font=False),
        "vni": encode_vni,
        "vni-utf8": lambda text: encode_vni(text).decode("cp1252").encode("utf-8"),
    }[encoder](markup)
    (HERE / f"{name}.html").write_bytes(encoded)
    expected = {
        "title": title.upper() if layout == "legacy" else title,
        "published": published.isoformat(),
        "author": byline,
        "body": "\n\n".join(body),
        "body_contains": [body[0][:50], body[-1][-50:]],
        "body_excludes": [
            x
            for x in ("Các tin khác", "Thăm dò ý kiến", "Bản quyền", "Trang chủ", "Ghi rõ nguồn")
            if x not in "\n\n".join(body)
        ],
        "origin": record["origin"],
    }
    write_json(name, expected)


def _tcvn3_shows(text: str) -> str:
    return "".join(
        ch.lower()
        if ch.isupper() and ch not in TCVN3_TO_UNICODE.values() and not ch.isascii()
        else ch
        for ch in text
    )


def write_listings(records: list[dict]) -> None:
    items = [(r["title"].strip(), "12/04/2021", r["sapo"].strip()) for r in records]
    (HERE / "listing_portal_lastpage.html").write_text(
        layouts.listing_portal(items[:3], "Giáo dục - Khuyến học"), encoding="utf-8"
    )
    write_json("listing_portal_lastpage", {"not_article": True})
    (HERE / "listing_table_cate.html").write_text(
        layouts.listing_table(items[3:], "Kinh tế - Xã hội"), encoding="utf-8"
    )
    write_json("listing_table_cate", {"not_article": True})


def write_english() -> None:
    page = dict(ENGLISH)
    markup, body, byline = layouts.english(page)
    (HERE / "english_herald_bridge.html").write_text(markup, encoding="utf-8")
    write_json(
        "english_herald_bridge",
        {
            "title": page["title"],
            "published": page["published"].isoformat(),
            "author": byline,
            "body": "\n\n".join(body),
            "body_contains": [body[0][:40]],
            "body_excludes": ["More stories", "Storm damage across the coast", "All rights"],
        },
    )


def write_json(name: str, expected: dict) -> None:
    path = HERE / f"{name}.json"
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
