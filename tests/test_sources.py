"""Sources as data: loading and checking TOML source files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_update_helpers import run_tracuu

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
    assert (portal.name, portal.label) == ("mau", "Cổng TTĐT tỉnh Mẫu")  # readers never see "mau"


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
    assert "nguồn #1 (hong): khóa lạ 'colour'" in problems
    assert "khóa 'start_urls': không phải URL http(s): 'ftp://example.vn/'" in problems
    assert "biểu thức chính quy sai '(unclosed'" in problems
    assert "khóa 'selectors.title': bộ chọn CSS sai 'h1[['" in problems
    with pytest.raises(ValueError):
        load_sources(path)


def test_unreadable_toml_and_missing_fields(tmp_path: Path) -> None:
    assert "sources.toml" in check_sources(write(tmp_path, "[[source]\n"))[0]
    path = write(tmp_path, '[[source]]\nname = "a"\n')
    assert check_sources(path) == [f"{path}: nguồn #1 (a): thiếu khóa 'start_urls'"]


REQUIRED = {"name": 'name = "a"', "start_urls": 'start_urls = ["https://a.vn/"]'}
BAD_VALUES = [
    ('allow_private = "no"', "allow_private", "true hoặc false"),
    ('start_urls = "http://a.vn/"', "start_urls", "danh sách URL"),
    ('delay = "fast"', "delay", "số giây"),
    ("delay = -1", "delay", "số giây"),
    ("delay = inf", "delay", "số giây"),
    ("max_pages = -5", "max_pages", "số nguyên"),
    ("max_pages = 2.5", "max_pages", "số nguyên"),
    ("max_pages = true", "max_pages", "số nguyên"),
    ('selectors = "h1"', "selectors", "bảng"),
    ("name = 3", "name", "chuỗi"),
    ("listing_patterns = '^/a/'", "listing_patterns", "danh sách"),
    ("sitemaps = [1]", "sitemaps", "danh sách URL"),
    ("display_name = 3", "display_name", "chuỗi không rỗng"),
    ('display_name = " "', "display_name", "chuỗi không rỗng"),
    ('allowed_hosts = "a.vn"', "allowed_hosts", "danh sách"),
    ("article_pattern = ['^/a']", "article_pattern", "biểu thức"),
    ('[source.selectors]\ndrop = "div.ad"', "selectors.drop", "danh sách"),
    ("[source.selectors]\ntitle = 1", "selectors.title", "bộ chọn CSS"),
]


@pytest.mark.parametrize(("line", "key", "expected"), BAD_VALUES)
def test_every_key_is_checked_for_type_and_range(tmp_path: Path, line, key, expected) -> None:
    replaced = line.split("=")[0].strip()
    kept = [text for key_, text in REQUIRED.items() if key_ != replaced]
    text = "[[source]]\n" + "\n".join([*kept, line]) + "\n"
    path = write(tmp_path, text)
    problems = check_sources(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: nguồn #1 (")
    assert f"khóa '{key}': cần" in problems[0] and expected in problems[0]
    with pytest.raises(ValueError):
        load_sources(path)


@pytest.mark.parametrize(
    "command", [["sources", "check"], ["crawl", "--sources"], ["update", "--sources"]]
)
def test_every_command_refuses_a_bad_file_with_exit_2(tmp_path: Path, command) -> None:
    path = write(tmp_path, "[[source]]\n" + "\n".join([*REQUIRED.values(), "max_pages = -5"]))
    args = ["--data-dir", str(tmp_path / "data")] if command[0] != "sources" else []
    result = run_tracuu(sys.executable, "-m", "tracuu.cli", *command, str(path), *args)
    assert result.returncode == 2, result.stderr
    assert f"{path}: nguồn #1 (a): khóa 'max_pages'" in result.stdout + result.stderr
    assert not (tmp_path / "data" / "warc").exists()


def test_a_source_that_is_not_a_table_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, 'source = ["a"]\n')
    assert check_sources(path) == [f"{path}: nguồn #1 (?): cần một bảng [[source]], không phải 'a'"]
