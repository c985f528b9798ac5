"""The SSRF guard's second half: the address a connection actually reached.

``urls.check_url`` resolves a host before it is fetched, but ``requests`` resolves it again
when it connects, and a DNS answer can change in between (DNS rebinding: public for the
check, 127.0.0.1 for the connection). So while a crawl refuses private addresses, every
connection the fetcher opens checks its peer right after the TCP connect, before a single
byte is sent (before TLS too), and is closed unless the peer is a public address.

Through a proxy (``HTTP(S)_PROXY``) the peer is the proxy, which the operator chose; those
connections are not checked here (requests opens them through its ProxyManager).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from crawler.urls import is_public_address

_state = threading.local()


class PrivatePeerError(NewConnectionError):
    """The connection reached a private, loopback or reserved address."""


@contextmanager
def private_peers_refused(refuse: bool = True) -> Iterator[None]:
    """Within this block (this thread), connections to non-public addresses are refused."""
    previous = getattr(_state, "refuse", False)
    _state.refuse = refuse
    try:
        yield
    finally:
        _state.refuse = previous


def _checked(connection: HTTPConnection, sock: socket.socket) -> socket.socket:
    if not getattr(_state, "refuse", False):
        return sock
    address = sock.getpeername()[0]
    if is_public_address(address):
        return sock
    sock.close()
    raise PrivatePeerError(connection, f"{connection.host} resolved to private address {address}")


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(self, super()._new_conn())


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(self, super()._new_conn())


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose direct connections pass ``_checked``; mount for http and https."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


def refused_private_peer(exc: BaseException) -> PrivatePeerError | None:
    """The PrivatePeerError behind a requests exception (it arrives wrapped), if any."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if id(item) in seen or not isinstance(item, BaseException):
            continue
        seen.add(id(item))
        if isinstance(item, PrivatePeerError):
            return item
        pending += [*item.args, getattr(item, "reason", None), item.__cause__, item.__context__]
    return None
