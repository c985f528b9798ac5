"""Rebuild tests/golden/ from ../shared (run by hand; tests never run this).

    .venv/bin/python bench/build_golden.py

Copies the five bacgiang.gov.vn fragments and the baohatinh.vn homepage, and writes five
article pages in layouts styled after real CMSs, with real dantri.com.vn text (GPL-3.0 data,
see README.md). Expected fields go to <name>.json beside each page.
"""

from __future__ import annotations

import gzip
import html
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tests" / "golden"  # where the golden pages live
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
SHARED = ROOT.parent / "shared"

from golden.layouts import LAYOUTS  # noqa: E402
from golden.legacy_encoders import encode_cp1258, encode_tcvn3  # noqa: E402

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
# corpus line -> (layout, title written from the article's URL slug, published)
PAGES = {
    119: ("portal", "Hà Tĩnh mở cửa đón dự án nhà máy ô tô VinFast", datetime(2021, 4, 22)),
    160: (
        "nukeviet",
        "Nam A Bank đặt mục tiêu lợi nhuận tăng khủng 40%",
        datetime(2021, 4, 29, 13, 14),
    ),
    167: (
        "newspaper",
        "Người đàn ông thu gom, vận chuyển trái phép nhiều tấn xương chân gà",
        datetime(2021, 4, 29, 12, 51),
    ),
    57: (
        "cp1258",
        "Chủ tịch thị xã vận thơ Tố Hữu để kêu gọi giải cứu hành tím",
        datetime(2021, 4, 24, 11, 16),
    ),
    76: (
        "tcvn3",
        "Đặc sản cua Cà Mau tăng giá kỷ lục, khách tìm tới tận chỗ nuôi để mua",
        datetime(2021, 4, 28),
    ),
}
BACGIANG_AUTHORS = {1: "", 2: "chinhphu.vn", 3: "Diệu Hoa", 4: "ĐCSVN", 5: "ĐCSVN"}


def main() -> None:
    copy_shared_pages()
    with gzip.open(SHARED / "corpus" / "dantri-2020.jsonl.gz", "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number in PAGES:
                write_article(number, json.loads(line))


def copy_shared_pages() -> None:
    from bs4 import BeautifulSoup

    for n, author in BACGIANG_AUTHORS.items():
        source = SHARED / "html" / f"bacgiang_post_{n}_fragment.html"
        page = source.read_text(encoding="utf-8")
        page = page.replace("added by the research helper", "added when the page was collected")
        (HERE / f"bacgiang_post_{n}.html").write_text(page, encoding="utf-8")
        soup = BeautifulSoup(source.read_text(encoding="utf-8"), "lxml")
        expected = {
            "title": soup.h1.get_text(strip=True),
            "published": None,
            "author": author,
            "sapo": soup.select_one("p.sapo").get_text(" ", strip=True),
            "body_contains": [],
            "body_excludes": [soup.select_one("p.sapo").get_text(" ", strip=True)[:40]],
        }
        if author:
            expected["body_excludes"].append(author)
        write_json(f"bacgiang_post_{n}", expected, keep_existing=("body", "body_contains"))
    shutil.copyfile(
        SHARED / "html" / "baohatinh.vn_homepage_2017.html", HERE / "baohatinh_homepage_2017.html"
    )
    write_json("baohatinh_homepage_2017", {"not_article": True, "body_excludes": ["Trang chủ"]})


def write_article(number: int, record: dict) -> None:
    layout, title, published = PAGES[number]
    lines = [html.unescape(t).replace("&nbsp", " ").strip() for t in record["body"].split("\n")]
    lines = [t for t in lines if t]
    author = lines.pop()
    page = {
        "title": title,
        "sapo": record["title"].strip(),
        "paragraphs": [record["sapo"].strip(), *lines],
        "author": author,
        "published": published,
        "date_line": f"{WEEKDAYS[published.weekday()]}, {published.day}/{published.month}/{published.year}",
        "category": record["category_vi"],
        "url": record["url"],
    }
    markup, body_paragraphs, byline = LAYOUTS[layout](page)
    name = f"{layout}_{record['id']}"
    if layout == "cp1258":
        (HERE / f"{name}.html").write_bytes(encode_cp1258(markup))
    elif layout == "tcvn3":
        (HERE / f"{name}.html").write_bytes(encode_tcvn3(markup))
    else:
        (HERE / f"{name}.html").write_text(markup, encoding="utf-8")
    expected = {
        "title": title.upper() if layout == "tcvn3" else title,
        "published": published.isoformat(),
        "author": byline,
        "sapo": page["sapo"],
        "category": {"tcvn3": "", "newspaper": "Hàng hóa"}.get(layout, page["category"]),
        "body": "\n\n".join(body_paragraphs),
        "body_contains": [body_paragraphs[0][:50], body_paragraphs[-1][-50:]],
        "body_excludes": [
            "Gửi cho bạn bè",
            "Các tin khác",
            "Xem nhiều nhất",
            "Trang chủ",
            page["sapo"][-40:],
            byline,
        ],
        "origin": record["origin"],
    }
    # dantri ledes are sometimes repeated in the text: exclude only what the body lacks.
    expected["body_excludes"] = [x for x in expected["body_excludes"] if x not in expected["body"]]
    write_json(name, expected)


def write_json(name: str, expected: dict, keep_existing: tuple[str, ...] = ()) -> None:
    path = HERE / f"{name}.json"
    if path.exists() and keep_existing:
        old = json.loads(path.read_text(encoding="utf-8"))
        expected.update({k: old[k] for k in keep_existing if k in old})
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
