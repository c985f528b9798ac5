"""robots.txt per host (protego), fetched once per crawl through the polite fetcher."""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

# fetch_text(url) -> (status, text) or None when the host could not be reached
RobotsFetch = Callable[[str], "tuple[int, str] | None"]


class RobotsCache:
    """Decides whether a URL may be fetched and what Crawl-delay a host asks for.

    Per RFC 9309: a 4xx robots.txt means "no rules", a 5xx or unreachable one means
    "disallow everything" for this crawl (the site may be overloaded).
    """

    def __init__(self, fetch_text: RobotsFetch, user_agent: str) -> None:
        self._fetch_text = fetch_text
        self._agent = user_agent.split("/")[0]
        self._rules: dict[str, Protego | None] = {}
        self._blocked: set[str] = set()
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    def _origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _load(self, origin: str) -> None:
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        with host_lock:
            if origin in self._rules or origin in self._blocked:
                return
            answer = self._fetch_text(origin + "/robots.txt")
            if answer is None or answer[0] >= 500:
                self._blocked.add(origin)
            elif answer[0] >= 400:
                self._rules[origin] = None
            else:
                self._rules[origin] = Protego.parse(answer[1])

    def allowed(self, url: str) -> bool:
        origin = self._origin(url)
        self._load(origin)
        if origin in self._blocked:
            return False
        rules = self._rules.get(origin)
        return rules is None or rules.can_fetch(url, self._agent)

    def crawl_delay(self, url: str) -> float:
        origin = self._origin(url)
        self._load(origin)
        rules = self._rules.get(origin)
        delay = rules.crawl_delay(self._agent) if rules is not None else None
        return float(delay or 0.0)

    def sitemaps(self, url: str) -> list[str]:
        origin = self._origin(url)
        self._load(origin)
        rules = self._rules.get(origin)
        return list(rules.sitemaps) if rules is not None else []
