"""CLI wiring of the operations commands: serve injects the archive, usage errors exit 2."""

from __future__ import annotations

import pytest
from test_update_helpers import run_tracuu, tracuu_args

from tracuu import cli


def test_serve_gives_the_app_versions_and_gone_from_the_store(crawled_sample, monkeypatch):
    data_dir, _ = crawled_sample
    served = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(app=app, **kw))
    assert cli.main(["serve", "--data-dir", str(data_dir), "--port", "0"]) == 0
    config = served["app"].config
    from tracuu import pipeline

    with pipeline.open_store(data_dir) as store:
        url = next(iter(store.urls()))
        title = store.get(url).title
    assert [t for _, t, _ in config["VERSIONS"](url)] == [title]
    assert config["GONE"](url) is None
    assert config["VERSIONS"]("https://khong-co.vn/") == []


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
