"""kill -9 in the middle of a crawl, restart: the same Articles as an uninterrupted crawl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_crawl_portal import ARTICLE_COUNT, MemorySink, comparable, crawl, sample_articles

from crawler.article import Article
from crawler.warc import iter_warc_responses
from tracuu.sample_portal.server import SamplePortal

CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_crawl_portal import fast_settings, portal_source
from crawler.crawl import run_crawl

out = open({out!r}, "a", encoding="utf-8")
def sink(article):
    out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\\n")
    out.flush()
    return "new"

report = run_crawl([portal_source({base!r})], Path({data!r}), sink, settings=fast_settings(),
                   progress=False)
print(json.dumps({{"resumed": report.resumed, "new": report.new}}))
"""


def start_child(base_url: str, data_dir: Path, out: Path) -> subprocess.Popen:
    code = CHILD.format(
        tests=str(Path(__file__).parent), out=str(out), base=base_url, data=str(data_dir)
    )
    root = Path(__file__).resolve().parents[1]
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE, text=True
    )


def lines_in(path: Path) -> int:
    return len(path.read_text("utf-8").splitlines()) if path.exists() else 0


def latest_articles(path: Path) -> dict[str, Article]:
    articles = {}
    for line in path.read_text("utf-8").splitlines():
        article = Article.from_dict(json.loads(line))
        articles[article.url] = article
    return articles


def test_kill_9_mid_crawl_then_restart_gives_the_same_articles(tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    data_dir = tmp_path / "data"
    # A small per-request delay in the portal leaves time to kill the crawl half-way.
    with SamplePortal(sample_articles(), delay=0.02) as portal:
        child = start_child(portal.base_url, data_dir, out)
        deadline = time.monotonic() + 30
        while lines_in(out) < ARTICLE_COUNT // 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        killed_with = lines_in(out)
        assert 0 < killed_with < ARTICLE_COUNT  # really interrupted in the middle

        restarted = start_child(portal.base_url, data_dir, out)
        summary = json.loads(restarted.communicate(timeout=60)[0].strip().splitlines()[-1])
        assert restarted.returncode == 0 and summary["resumed"] is True

        reference = MemorySink()
        crawl(portal, tmp_path / "reference", reference)

    assert comparable(latest_articles(out)) == comparable(reference.articles)
    # Done URLs are not fetched again: only the few in flight at the kill may be repeated.
    fetched = [
        r.url
        for r in iter_warc_responses(sorted((data_dir / "warc").glob("*.warc.gz")))
        if "/tin-tuc/" in r.url and r.status == 200
    ]
    assert len(fetched) - len(set(fetched)) <= 4  # 2 workers x 2 claimed ahead
    assert lines_in(out) - ARTICLE_COUNT <= 4
