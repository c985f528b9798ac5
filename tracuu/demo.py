"""`tracuu demo`: the whole path on the bundled sample portal, on this machine only."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

from tracuu import pipeline

DEMO_SOURCE_NAME = "Cổng TTĐT tỉnh Mẫu"
STATE_FILE = "demo-portal.json"


def sample_source(base_url: str):
    """The sources.toml entry for the sample portal, as an object (see sources.example.toml)."""
    from crawler.sources import Source

    return Source(
        name=DEMO_SOURCE_NAME,
        start_urls=[base_url + "/"],
        listing_patterns=[r"^/$", r"^/chuyen-muc/[^/]+/$"],
        pagination_patterns=[r"^/chuyen-muc/[^/]+/trang-\d+/$"],
        article_pattern=r"^/(tin-tuc|van-ban)/",
        sitemaps=[base_url + "/sitemap.xml"],
        delay=0.0,
        allow_private=True,
    )


def remembered_port(data_dir: Path) -> int:
    """The portal keeps its port across runs, so article URLs (the unique key) stay the same."""
    try:
        return int(json.loads((data_dir / STATE_FILE).read_text())["port"])
    except (FileNotFoundError, ValueError, KeyError):
        return 0


def port_free(host: str, port: int) -> bool:
    """True when ``host:port`` can be bound now (lingering TIME_WAIT connections allowed)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def run_demo(data_dir: Path, *, progress=None) -> dict:
    """Start the sample portal, crawl it, index it; return the crawl report as a dict."""
    from tracuu.sample_portal.server import SamplePortal

    data_dir.mkdir(parents=True, exist_ok=True)
    port = remembered_port(data_dir)
    if port and not port_free("127.0.0.1", port):
        print(f"Cổng {port} của cổng thông tin mẫu đang bận; dùng cổng khác.", file=sys.stderr)
        port = 0
    with SamplePortal() as portal:
        base_url = portal.start("127.0.0.1", port)
        (data_dir / STATE_FILE).write_text(json.dumps({"port": int(base_url.rsplit(":", 1)[1])}))
        print(f"Cổng thông tin mẫu: {base_url}", file=sys.stderr)
        report = pipeline.crawl_sources(data_dir, [sample_source(base_url)], progress=progress)
    # The crawler has written the run's one report (reports/crawl-*.json) already.
    print(report.summary(), file=sys.stderr)
    print(f"Báo cáo thu thập: {report.path}", file=sys.stderr)
    summary = pipeline.index_articles(data_dir)
    print(f"Chỉ mục: {summary.documents} bài ({summary.indexed} vừa cập nhật).", file=sys.stderr)
    return report.to_dict()
