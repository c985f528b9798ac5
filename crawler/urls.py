"""URL canonicalisation and the host rules every fetched URL must pass."""

from __future__ import annotations

import ipaddress
import posixpath
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_EXACT = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "_ga", "mc_cid", "mc_eid"}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in _TRACKING_EXACT


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    resolved = posixpath.normpath(path)
    # normpath drops a trailing slash and keeps a leading '//' — both matter for URLs.
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    if resolved.startswith("//"):
        resolved = "/" + resolved.lstrip("/")
    return "/" if resolved == "." else resolved


def canonicalize(url: str, base: str | None = None) -> str:
    """Canonical form of a (possibly relative) URL.

    Lowercases scheme and host, drops the default port, the fragment and tracking parameters
    (utm_*, fbclid, …), sorts the query and resolves dot segments. Raises ValueError when the
    URL has no host or is not http(s).
    """
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    if ":" in host:  # IPv6 literal needs its brackets back
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = urlencode(sorted(p for p in query_pairs if not _is_tracking(p[0])))
    return urlunsplit((scheme, netloc, _normalise_path(parts.path), query, ""))


def try_canonicalize(url: str, base: str | None = None) -> str | None:
    """canonicalize, or None for URLs we never fetch (mailto:, javascript:, garbage)."""
    try:
        return canonicalize(url, base)
    except ValueError:
        return None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def path_of(url: str) -> str:
    """Path plus query: what source patterns are matched against."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=1024)
def _resolve(host: str) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return ()
    return tuple(sorted({info[4][0] for info in infos}))


def is_private_host(host: str) -> bool:
    """True when the host is, or resolves to, a private/loopback/link-local/reserved address.

    A host that cannot be resolved counts as private: we cannot prove it is safe to contact.
    """
    host = host.strip("[]")
    addresses = _resolve(host)
    return not addresses or not all(map(is_public_address, addresses))


def is_public_address(address: str) -> bool:
    """True for a global unicast IP address (not private, loopback, link-local, reserved)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


def check_url(url: str, allowed_hosts: list[str], *, allow_private: bool = False) -> str | None:
    """Why this URL may not be fetched (a short reason), or None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS:
        return "bad_scheme"
    host = (parts.hostname or "").lower()
    if host not in allowed_hosts:
        return "host_not_allowed"
    if not allow_private and is_private_host(host):
        return "private_address"
    return None
