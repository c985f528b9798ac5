"""What the archive knows about a result beyond the index: removed from its site, edited.

The index holds the latest text only; the archive (``STATUS`` in the app config, given by
``tracuu serve``) knows whether the original page is gone and whether the text changed since
first captured. A journalist quoting a result must see both in the list, the API and every
export, not only on the article page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app


@dataclass(frozen=True)
class ArchiveFlags:
    gone_at: datetime | None = None  # when the original page was found removed
    edited_at: datetime | None = None  # when the latest of several versions was recorded

    @property
    def edited(self) -> bool:
        return self.edited_at is not None

    def to_dict(self) -> dict:
        return {
            "gone_at": self.gone_at.isoformat() if self.gone_at else None,
            "edited": self.edited,
            "edited_at": self.edited_at.isoformat() if self.edited_at else None,
        }


NO_FLAGS = ArchiveFlags()


def flags_of(url: str) -> ArchiveFlags:
    """The flags of one article; none when the app was started without an archive."""
    status = current_app.config.get("STATUS")
    if not callable(status):
        return NO_FLAGS
    gone_at, edited_at = status(url)
    return ArchiveFlags(gone_at=gone_at, edited_at=edited_at)


def hit_dict(hit) -> dict:
    """A SearchHit as the API and the exports give it: the index's fields and the flags."""
    return {**hit.to_dict(), **flags_of(hit.url).to_dict()}


__all__ = ["NO_FLAGS", "ArchiveFlags", "flags_of", "hit_dict"]
