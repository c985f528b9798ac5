"""Sources as data: loading and checking TOML source files."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sources import Source, check_sources, load_sources

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, "utf-8")
    return path


def test_example_file_is_valid_and_describes_the_sample_portal() -> None:
    example = ROOT / "sources.example.toml"
    assert check_sources(example) == []
    (portal,) = load_sources(example)
    assert portal.allowed_hosts == ["127.0.0.1"] and portal.allow_private
    assert portal.is_article("/tin-tuc/kinh-doanh/theo-chan-dai-bang-17.html")
    assert not portal.is_article("/chuyen-muc/kinh-doanh/")
    assert portal.is_listing("/chuyen-muc/kinh-doanh/trang-2/")
    assert portal.selectors["drop"] == ["div.share", "div.other-news", "aside.sidebar"]


def test_allowed_hosts_default_to_start_url_hosts() -> None:
    source = Source(name="x", start_urls=["https://BaoHaTinh.vn/", "https://baohatinh.vn/a/"])
    assert source.allowed_hosts == ["baohatinh.vn"]
    assert source.allow_private is False


def test_check_reports_every_problem_clearly(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[source]]
name = "hong"
start_urls = ["ftp://example.vn/"]
article_pattern = "(unclosed"
colour = "red"
[source.selectors]
title = "h1[["
""",
    )
    problems = "\n".join(check_sources(path))
    assert "unknown key 'colour'" in problems
    assert "not an http(s) URL: 'ftp://example.vn/'" in problems
    assert "bad regex '(unclosed'" in problems
    assert "bad CSS selector 'h1[['" in problems
    with pytest.raises(ValueError):
        load_sources(path)


def test_unreadable_toml_and_missing_fields(tmp_path: Path) -> None:
    assert "sources.toml" in check_sources(write(tmp_path, "[[source]\n"))[0]
    problems = check_sources(write(tmp_path, '[[source]]\nname = "a"\n'))
    assert problems == ["source #1 (a): missing 'start_urls'"]
