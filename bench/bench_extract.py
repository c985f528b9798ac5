"""Pages per second per core of crawler.extract.extract_article, beside trafilatura.

    .venv/bin/python bench/bench_extract.py [--quick] [--runs 5]

Page sets: the bundled sample portal's article pages (rendered in-process, no HTTP) and the real
portal HTML in ../shared/html. Each figure is the median of ``--runs`` passes, measured as
process CPU time (one thread = one core), so other users' load on the machine does not count;
wall-clock pages/s is shown too. trafilatura (``extract`` with default options) runs on the same
pages in the same process, interleaved run by run, so the ratio compares like with like.
Target: ≥ 80 pages/s/core.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable

from bench_common import SHARED, median, print_table, write_json

TARGET_PAGES_PER_S = 80


def portal_pages(limit: int | None) -> list[tuple[str, str]]:
    from tracuu.sample_portal.catalog import Catalog, load_sample_articles
    from tracuu.sample_portal.site import PortalSite

    catalog = Catalog(load_sample_articles())
    site = PortalSite(catalog, "http://127.0.0.1:8000")
    pages = []
    for article in catalog.live()[:limit]:
        url = "http://127.0.0.1:8000" + article.path
        pages.append((url, site.page_for(article.path).body.decode("utf-8")))
    return pages


def shared_pages() -> list[tuple[str, str]]:
    from crawler.encoding import decode_html

    pages = []
    for path in sorted((SHARED / "html").glob("*.html")):
        pages.append((f"https://example.vn/{path.name}", decode_html(path.read_bytes())))
    return pages


def run_ours(pages: list[tuple[str, str]]) -> None:
    from crawler.extract import ExtractionError, extract_article

    for url, html in pages:
        with contextlib.suppress(ExtractionError):
            extract_article(html, url)


def run_trafilatura(pages: list[tuple[str, str]]) -> None:
    import trafilatura

    for url, html in pages:
        trafilatura.extract(html, url=url, with_metadata=True)


def measure(func: Callable[[list], None], pages: list, runs: int) -> dict:
    cpu, wall = [], []
    func(pages[:3])  # warm imports and caches outside the timing
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        func(pages)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {"cpu_s": median(cpu), "wall_s": median(wall), "cpu_runs": cpu}


def per_page_ms(pages: list[tuple[str, str]], runs: int) -> list[list]:
    """CPU ms of extract_article for each page: shows which pages dominate a set's figure."""
    rows = []
    for url, html in pages:
        cpu = measure(run_ours, [(url, html)], runs)["cpu_s"]
        rows.append([url.rsplit("/", 1)[-1], len(html) // 1024, 1000 * cpu])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 portal pages, 3 runs")
    parser.add_argument("--runs", type=int, default=None, help="default 5 (3 with --quick)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    sets = {"sample portal articles": portal_pages(60 if args.quick else None)}
    if (SHARED / "html").is_dir():
        sets["shared/html (real portals)"] = shared_pages()

    rows, results = [], {}
    for label, pages in sets.items():
        ours = measure(run_ours, pages, runs)
        theirs = measure(run_trafilatura, pages, runs)
        n = len(pages)
        result = {
            "pages": n,
            "tracuu_pages_per_cpu_s": n / ours["cpu_s"],
            "tracuu_pages_per_wall_s": n / ours["wall_s"],
            "trafilatura_pages_per_cpu_s": n / theirs["cpu_s"],
            "trafilatura_pages_per_wall_s": n / theirs["wall_s"],
            "speed_ratio_tracuu_over_trafilatura": theirs["cpu_s"] / ours["cpu_s"],
            "target_met": n / ours["cpu_s"] >= TARGET_PAGES_PER_S,
            "raw": {"tracuu": ours, "trafilatura": theirs},
        }
        results[label] = result
        rows.append(["tracuu extract_article", label, n, result["tracuu_pages_per_cpu_s"], result["tracuu_pages_per_wall_s"]])  # fmt: skip
        rows.append(["trafilatura.extract", label, n, result["trafilatura_pages_per_cpu_s"], result["trafilatura_pages_per_wall_s"]])  # fmt: skip
    print_table(
        f"Extraction speed (median of {runs} runs, one core)",
        ["extractor", "pages", "n", "pages/CPU-s", "pages/wall-s"],
        rows,
    )
    for label, result in results.items():
        met = "met" if result["target_met"] else "MISSED"
        print(
            f"{label}: tracuu is {result['speed_ratio_tracuu_over_trafilatura']:.2f}× "
            f"trafilatura's speed; target ≥ {TARGET_PAGES_PER_S} pages/s/core {met}"
        )
    if "shared/html (real portals)" in sets:
        breakdown = per_page_ms(sets["shared/html (real portals)"], runs)
        print_table("shared/html, per page", ["page", "KB", "CPU ms"], breakdown)
        results["shared/html (real portals)"]["per_page_cpu_ms"] = breakdown
    write_json("extract", {"runs": runs, "target_pages_per_s": TARGET_PAGES_PER_S, "sets": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
