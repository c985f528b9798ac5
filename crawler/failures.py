"""What extraction answers when a capture yields no Article: typed, so no caller guesses.

``ExtractionError`` is raised by an extractor for a page that holds no article (a listing, an
empty page); ``Failure`` is what ``crawler.capture.extract_capture`` returns for any capture
that gave no Article, with the reason the run reports group failures by.
"""

from __future__ import annotations

from dataclasses import dataclass

CRASH_PREFIX = "crash: "


class ExtractionError(Exception):
    """The page holds no article; ``reason`` says why (e.g. "not an article page")."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


@dataclass(frozen=True)
class Failure:
    """A capture that gave no Article.

    ``reason`` is short and groups failures in reports; ``detail`` says what was measured;
    ``crashed`` marks an extractor bug (any exception but ExtractionError), whose reason
    starts with "crash: ".
    """

    url: str
    reason: str
    detail: str
    crashed: bool = False
