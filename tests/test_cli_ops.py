"""CLI wiring of the operations commands: serve injects the archive, usage errors exit 2."""

from __future__ import annotations

import pytest
from test_update_helpers import run_tracuu, tracuu_args

from tracuu import cli


def test_serve_gives_the_app_versions_and_gone_from_the_store(tmp_path, monkeypatch):
    from crawler.article import Article
    from tracuu import pipeline

    url = "https://vd.vn/bai.html"
    with pipeline.open_store(tmp_path) as store:
        store.put(Article(url=url, title="Bản đầu", body="Nội dung đầu"))
        store.put(Article(url=url, title="Bản sửa", body="Nội dung sửa"))
        store.mark_gone(url)
    pipeline.index_articles(tmp_path, progress=False)
    served = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(app=app, **kw))
    assert cli.main(["serve", "--data-dir", str(tmp_path), "--port", "0"]) == 0
    config = served["app"].config
    assert [(t, b) for _, t, b in config["VERSIONS"](url)] == [
        ("Bản đầu", "Nội dung đầu"),
        ("Bản sửa", "Nội dung sửa"),
    ]
    assert config["GONE"](url) is not None
    assert config["VERSIONS"]("https://khong-co.vn/") == []
    assert config["GONE"]("https://khong-co.vn/") is None


@pytest.mark.parametrize(
    "argv",
    [
        ["update", "--sources", "/khong/co/sources.toml"],
        ["schedule", "--every", "6h", "--cron", "0 * * * *"],
        ["schedule", "--every", "sáu giờ"],
        ["schedule", "--cron", "0 25 * * *"],
    ],
)
def test_usage_errors_exit_2(tmp_path, argv):
    result = run_tracuu(*tracuu_args(argv[0], tmp_path), *argv[1:])
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("tracuu: ")


def test_update_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        cli.main(["update", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--sources" in help_text and "--delay" in help_text
    overview = " ".join(cli.build_parser().format_help().split())
    for code in ("0 ok", "2 config", "3 locked", "4 crawl failed", "5 index failed"):
        assert code in overview


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "{d}", "check"],
        ["check", "--data-dir", "{d}"],
        ["--data-dir", "/elsewhere", "check", "--data-dir", "{d}"],  # the command's own wins
    ],
)
def test_data_dir_works_before_or_after_the_command(tmp_path, argv):
    args = cli.parse_args([a.replace("{d}", str(tmp_path)) for a in argv])
    assert args.data_dir == tmp_path


def test_demo_checks_its_port_before_crawling(tmp_path, monkeypatch):
    import socket

    crawled = []
    monkeypatch.setattr("tracuu.demo.run_demo", lambda *a, **k: crawled.append(a))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        argv = ["demo", "--data-dir", str(tmp_path), "--port", str(port)]
        assert cli.main(argv) == 2
    assert crawled == []


def test_a_crawl_writes_one_report(tmp_path):
    from test_update_helpers import small_portal, write_sources

    portal = small_portal(3)
    try:
        sources = write_sources(tmp_path / "sources.toml", portal.base_url)
        argv = ["crawl", "--sources", str(sources), "--data-dir", str(tmp_path), "--no-index"]
        assert cli.main(argv) == 0
    finally:
        portal.stop()
    assert len(list((tmp_path / "reports").glob("crawl-*.json"))) == 1
