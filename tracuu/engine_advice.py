"""When a Whoosh archive has grown to where tantivy is advised, and the command that moves it.

Whoosh stays the default: pure Python, nothing to compile, and fast enough for a province's
archive. Its query time grows with the postings a query walks (BENCHMARKS.md, "Two engines"
and "Queries"): the query mix's p95 was 92–119 ms at 38k articles and 379–411 ms at 200k,
so the 150 ms target of a results page is crossed at about 57k–67k articles (linear between
the two measured sizes), and its import runs at ~110 articles/s against tantivy's ~900–1,300.
tantivy answers the same queries with the same analysis and ranking in 13–18 ms p50 at
both sizes. Past ``WHOOSH_ADVISED_MAX`` articles `tracuu import`, `tracuu index` and
`tracuu check` say so, with the one command that rebuilds the index with tantivy from the
store (the old index serves until the switch).
"""

from __future__ import annotations

WHOOSH_ADVISED_MAX = 50_000
MIGRATE_COMMAND = "tracuu index --full --engine tantivy"


def engine_advice(engine: str | None, documents: int) -> str | None:
    """A sentence advising tantivy for a Whoosh index of more than WHOOSH_ADVISED_MAX
    documents; None otherwise."""
    if engine != "whoosh" or documents <= WHOOSH_ADVISED_MAX:
        return None
    return (
        f"Chỉ mục Whoosh đã có {_number(documents)} bài: từ {_number(WHOOSH_ADVISED_MAX)} "
        "bài trở lên nên dùng tantivy (tìm kiếm nhanh hơn nhiều lần, cùng cách phân tích và "
        f"xếp hạng). Chuyển một lần bằng lệnh: `{MIGRATE_COMMAND}` "
        "(xây lại chỉ mục từ kho lưu trữ; chỉ mục cũ vẫn phục vụ cho đến khi chuyển xong)."
    )


def _number(n: int) -> str:
    """Vietnamese digit grouping: 50.000."""
    return f"{n:,}".replace(",", ".")
