"""URL canonicalisation and host rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.urls import canonicalize, check_url, is_private_host, try_canonicalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://BaoHaTinh.VN:80/a/b.htm#top", "http://baohatinh.vn/a/b.htm"),
        ("https://x.vn:443", "https://x.vn/"),
        ("https://x.vn:8443/a", "https://x.vn:8443/a"),
        ("http://x.vn/a/./b/../c.htm", "http://x.vn/a/c.htm"),
        ("http://x.vn/tin/?b=2&utm_source=fb&a=1&fbclid=zz", "http://x.vn/tin/?a=1&b=2"),
        ("http://x.vn//a//b/", "http://x.vn/a/b/"),
    ],
)
def test_canonicalize(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


def test_relative_links_resolve_against_the_page() -> None:
    assert canonicalize("../tin/1.htm", "http://x.vn/a/b/") == "http://x.vn/a/tin/1.htm"


@pytest.mark.parametrize("raw", ["mailto:a@x.vn", "javascript:void(0)", "ftp://x.vn/", "http://"])
def test_non_http_urls_are_refused(raw: str) -> None:
    assert try_canonicalize(raw) is None


@given(st.sampled_from(["a", "b", "utm_medium", "q"]), st.text(max_size=5))
def test_canonicalize_is_idempotent(name: str, value: str) -> None:
    once = canonicalize(f"http://X.vn/p/../q/?{name}={value}#f")
    assert canonicalize(once) == once


def test_host_rules() -> None:
    allowed = ["127.0.0.1", "localhost"]
    assert check_url("http://other.vn/", allowed) == "host_not_allowed"
    assert check_url("http://127.0.0.1:8000/", allowed) == "private_address"
    assert check_url("http://localhost/", allowed) == "private_address"
    assert check_url("http://127.0.0.1:8000/", allowed, allow_private=True) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.1.1", "::1"])
def test_private_addresses(host: str) -> None:
    assert is_private_host(host)


def test_public_address_literal_is_not_private() -> None:
    assert not is_private_host("8.8.8.8")  # a literal: no DNS query is made
