"""ArticleStore: versions, gone marks, what the index holds."""

from __future__ import annotations

from crawler.article import Article
from crawler.store import ArticleStore


def article(title: str = "Tiêu đề", body: str = "Nội dung") -> Article:
    return Article(url="https://vd.vn/bai.html", title=title, body=body)


def test_every_distinct_version_is_kept_in_order(tmp_path):
    with ArticleStore(tmp_path / "a.sqlite") as store:
        assert store.put(article()) == "new"
        assert store.put(article()) == "unchanged"
        assert store.put(article(title="Tiêu đề sửa")) == "changed"
        versions = store.versions("https://vd.vn/bai.html")
        assert [v.article.title for v in versions] == ["Tiêu đề", "Tiêu đề sửa"]
        assert versions[0].recorded_at <= versions[1].recorded_at
        assert store.get("https://vd.vn/bai.html").title == "Tiêu đề sửa"


def test_gone_mark_is_cleared_only_by_a_live_fetch(tmp_path):
    with ArticleStore(tmp_path / "a.sqlite") as store:
        store.put(article())
        assert store.mark_gone("https://vd.vn/bai.html")
        assert not store.mark_gone("https://vd.vn/bai.html")  # already marked
        store.put(article(), origin="warc", seen_live=False)
        store.put(article(body="Bản khác từ WARC"), origin="warc", seen_live=False)
        assert store.gone_at("https://vd.vn/bai.html") is not None
        store.put(article())
        assert store.gone_at("https://vd.vn/bai.html") is None
        assert store.gone_urls() == set()


def test_pending_until_marked_indexed(tmp_path):
    with ArticleStore(tmp_path / "a.sqlite") as store:
        store.put(article())
        store.put(Article(url="https://vd.vn/khac.html", title="Khác", body=""), origin="import")
        assert store.pending_count() == 2
        store.mark_indexed([(a.url, a.content_hash) for a in store.pending_index()])
        assert store.pending_count() == 0 and list(store.pending_index()) == []
        store.put(article(title="Sửa"))
        assert [a.title for a in store.pending_index()] == ["Sửa"]
        assert store.origin_counts() == {"crawl": 1, "import": 1}
        assert store.urls() == {"https://vd.vn/bai.html", "https://vd.vn/khac.html"}


def test_store_survives_reopen(tmp_path):
    with ArticleStore(tmp_path / "a.sqlite") as store:
        store.put(article())
        store.put(article(title="Hai"))
    with ArticleStore(tmp_path / "a.sqlite") as store:
        assert len(store.versions("https://vd.vn/bai.html")) == 2
        assert store.latest_fetched_at("https://vd.vn/bai.html") is None
