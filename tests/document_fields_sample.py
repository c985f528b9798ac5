"""A varied sample of Articles and a digest of their tantivy ``document_fields``' analysed fields.

The sample: the golden extraction articles (tests/golden/*.json: portal pages, tables,
rosters), the committed people texts (tests/data/people_gold.jsonl, with their hand-labelled
people as the article's people) and a few constructed texts with the analyzer's edge cases
(hyphenated runs, over-long tokens, NFD input, second-vowel tones, lookalike Ð, numbers).
``tests/data/document_fields_digest.json`` holds, per article and field, a digest of the
value the analysis gave before its fast path (generated once by ``python -m
tests.document_fields_sample``): the fast path must give the very same strings.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import datetime
from pathlib import Path

from crawler.article import Article, Person
from indexer.fields import TEXT_FIELDS

TESTS = Path(__file__).parent
DIGEST_FILE = TESTS / "data" / "document_fields_digest.json"

EDGE_TEXTS = [
    "Bà Rịa-Vũng Tàu, Mát-xcơ-va; Covid-19, F-16 và SARS-CoV-2 — hoà bình, khoẻ, THUỶ, uỷ ban",
    "Ðà Nẵng ðón 1.000 khách, tăng 5,02%… " + "x" * 70 + " rồi a-" + "b" * 70 + "-c tiếp",
    unicodedata.normalize("NFD", "Hà Tĩnh: Thủy điện Hố Hô xả lũ\nNgày 1/7/2025 — sáp nhập"),
    "a_b __ -x- 12.3.4 ,5 .6 -- 3-.5 x-y-z-w 中文字 Ελληνικά İstanbul ǅemal ﬁnal ß",
    "",
    "   \n\n  ",
]


def sample_articles() -> list[Article]:
    articles = []
    for path in sorted((TESTS / "golden").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles.append(
            Article(
                url=f"https://golden.example.vn/{path.stem}.html",
                title=data.get("title") or "",
                sapo=data.get("sapo") or "",
                body=data.get("body") or "",
                author=data.get("author") or "",
                source="golden.example.vn",
                published=datetime(2024, 2, 28, 9, 30),
            )
        )
    for line in (TESTS / "data" / "people_gold.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        title, _, body = item["text"].partition("\n")
        articles.append(
            Article(
                url=f"https://people.example.vn/{item['id']}.html",
                title=title,
                body=body,
                author=item.get("byline", ""),
                source="dantri.com.vn",
                category="Xã hội",
                people=[Person(p["name"], p.get("role", "")) for p in item["people"]],
            )
        )
    for number, text in enumerate(EDGE_TEXTS):
        articles.append(
            Article(
                url=f"https://edge.example.vn/{number}.html",
                title=text[:80],
                sapo=text[::-1],
                body=text,
                author=text[:20],
                category=text[:30],
                source="edge.example.vn",
                people=[Person(text[:25]), Person("Nguyễn Thị Hoà")],
            )
        )
    return articles


def digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:20]


def field_digests(fields: dict) -> dict[str, str]:
    """Digests of the analysed fields only (``TEXT_FIELDS``): the stored JSON, facets and
    keywords do not go through the analysis, and change with the Article contract."""
    return {field.name: digest(fields[field.name]) for field in TEXT_FIELDS}


if __name__ == "__main__":
    from indexer.tantivy_schema import document_fields

    digests = {a.url: field_digests(document_fields(a)) for a in sample_articles()}
    DIGEST_FILE.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(digests)} articles → {DIGEST_FILE}")
