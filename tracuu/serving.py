"""How `tracuu serve` runs waitress so that idle or slow clients cannot lock everyone out.

waitress reads requests asynchronously (threads only run the app), so what idle connections
exhaust is its connection limit: by default 100 connections, idle ones closed after 120 s,
checked every 30 s — 105 idle sockets stopped a single process answering anyone for two
minutes. Here the limit follows the open-file limit (raised to its hard limit, up to
MAX_CONNECTIONS), an idle connection is closed after IDLE_TIMEOUT_S, checked every second,
and poll() replaces select(), which cannot watch descriptors above 1024.

A client that keeps sending a byte now and then is not idle; on a public network put a
buffering proxy (nginx, Caddy) in front, as the README says.
"""

from __future__ import annotations

MAX_CONNECTIONS = 4096
IDLE_TIMEOUT_S = 10  # a keep-alive client simply reconnects after this
RESERVED_FDS = 256  # index segments, SQLite, logs: never given to connections
FALLBACK_FDS = 1024


def waitress_options(threads: int) -> dict:
    """Keyword arguments for waitress.serve / waitress.create_server."""
    return {
        "threads": threads,
        "ident": "tracuu",
        "connection_limit": connection_limit(),
        "channel_timeout": IDLE_TIMEOUT_S,
        "cleanup_interval": 1,
        "asyncore_use_poll": True,
    }


def connection_limit() -> int:
    """As many connections as this process may open files for, keeping RESERVED_FDS."""
    return max(100, min(MAX_CONNECTIONS, _raise_open_file_limit() - RESERVED_FDS))


def _raise_open_file_limit() -> int:
    """The soft RLIMIT_NOFILE, first raised towards the hard one (no privilege needed)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return FALLBACK_FDS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + RESERVED_FDS
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else wanted
