"""Extraction accuracy over the golden pages, and extract_article speed.

    .venv/bin/python bench/eval_extraction.py [--repeat 20]

Prints the same per-field table the golden test pins (title / date / byline exact match, body
token F1, clean body, non-article pages rejected), each page's problems, then pages per second
for extract_article on one core (target: 80 pages/s). With the bundled sample portal
importable, its article pages are scored too.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from datetime import datetime
from datetime import time as day_start
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.article import VN_TZ  # noqa: E402
from crawler.encoding import decode_html  # noqa: E402
from crawler.extract import ExtractionError, extract_article  # noqa: E402
from crawler.extract_eval import (  # noqa: E402
    evaluate,
    golden_pages,
    layout_of,
    summarize_by_layout,
    token_f1,
)

GOLDEN = ROOT / "tests" / "golden"


def print_table(title: str, summary: dict[str, float], pages: int) -> None:
    print(f"\n{title} ({pages} pages)")
    print(f"{'metric':<10} {'score':>7}")
    for metric, value in summary.items():
        print(f"{metric:<10} {value:>7.3f}")


def golden_report() -> None:
    results, summary = evaluate(GOLDEN)
    print_table("Golden pages", summary, len(results))
    print("\nPer layout (title / date / byline / body_f1 / clean; rejected for listings)")
    for layout, scores in summarize_by_layout(results).items():
        pages = sum(layout_of(r.name) == layout for r in results)
        cells = " ".join(f"{k}={v:.2f}" for k, v in scores.items())
        print(f"  {layout:<12} {pages:>2} pages  {cells}")
    for result in results:
        if result.problems:
            print(f"  {result.name}: {'; '.join(result.problems)}")


def speed_report(repeat: int) -> None:
    documents = [(name, decode_html(raw)) for name, raw, expected in golden_pages(GOLDEN)]
    articles = [(n, d) for n, d in documents if "homepage" not in n]
    for label, docs in (
        ("article pages", articles),
        ("all pages incl. 142 KB homepage", documents),
    ):
        started = time.perf_counter()
        for _ in range(repeat):
            for name, html in docs:
                with contextlib.suppress(ExtractionError):
                    extract_article(html, name)
        elapsed = time.perf_counter() - started
        count = repeat * len(docs)
        print(
            f"\nextract_article, {label}: {count} pages in {elapsed:.2f} s = {count / elapsed:.0f} pages/s (1 core)"
        )


def portal_report() -> None:
    try:
        from tracuu.sample_portal.catalog import Catalog, load_sample_articles
        from tracuu.sample_portal.site import PortalSite
    except ImportError:
        return
    catalog = Catalog(load_sample_articles())
    site = PortalSite(catalog, "http://127.0.0.1:8000")
    scores: dict[str, list[float]] = {
        k: [] for k in ("title", "date", "byline", "category", "body_f1")
    }
    for portal_article in catalog._articles.values():  # the catalog's article list
        expected = portal_article.expected()
        try:
            got = extract_article(
                site.page_for(portal_article.path).body.decode(), portal_article.path
            )
        except ExtractionError:
            for values in scores.values():
                values.append(0.0)
            continue
        day = expected["published"]
        published = datetime.combine(day, day_start(), VN_TZ) if day else None
        scores["title"].append(float(got.title == expected["title"]))
        scores["date"].append(float(got.published == published))
        scores["byline"].append(float(got.author == expected["author"]))
        scores["category"].append(float(got.category == expected["category"]))
        scores["body_f1"].append(token_f1(expected["body"], got.body))
    summary = {k: sum(v) / len(v) for k, v in scores.items() if v}
    print_table("Sample portal article pages", summary, len(scores["title"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the pages for timing")
    args = parser.parse_args()
    golden_report()
    portal_report()
    speed_report(args.repeat)


if __name__ == "__main__":
    main()
