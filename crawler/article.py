"""The Article contract: the one record every stage of tracuu exchanges.

crawler produces Articles, indexer consumes them, and JSON Lines files carry them between
runs. ``Article.from_dict(a.to_dict()) == a`` holds for every Article (lossless).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_TEXT_FIELDS = ("url", "source", "title", "sapo", "body", "author", "category")


def nfc(text: str | None) -> str:
    """NFC-normalise text; None becomes ''. NFD input would otherwise split syllables."""
    return unicodedata.normalize("NFC", text or "")


def is_http_url(value: Any) -> bool:
    """True for an absolute http(s) URL with a host: the only URLs an Article may carry.

    Anything else (javascript:, data:, file:, a bare path) would become a live link in the
    search UI and the Atom feed, so every way in (crawl, import, WARC) refuses it.
    """
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def as_vietnam_time(value: datetime | None) -> datetime | None:
    """Make a datetime timezone-aware; naive values are taken as Vietnam local time."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value


@dataclass(frozen=True)
class Person:
    """A person named in an article, with the role stated next to the name, if any."""

    name: str
    role: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}

    @classmethod
    def from_value(cls, value: Any) -> Person:
        """Accept {"name", "role"} dicts, plain name strings, or Person objects."""
        if isinstance(value, Person):
            return value
        if isinstance(value, str):
            return cls(name=nfc(value).strip())
        if isinstance(value, dict) and value.get("name"):
            return cls(name=nfc(value["name"]).strip(), role=nfc(value.get("role")).strip())
        raise ValueError(f"not a person: {value!r}")


PLACE_REGISTERS = ("pre-2025", "2025")


@dataclass(frozen=True)
class PlaceRef:
    """One administrative unit of a register: the pre-2025 one (63 provinces, districts,
    ~10,000 communes) or the one in force from 1 July 2025 (34 provinces, ~3,300 communes).

    ``code`` is the register's own code; codes repeat across registers, so ``key`` (register
    and code) is what identifies a unit. ``name`` has no type word ("Cẩm Bình", type "xã").
    """

    name: str
    type: str
    code: str
    province: str
    register: str

    @property
    def key(self) -> str:
        return f"{self.register}:{self.code}"

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "type": self.type,
            "code": self.code,
            "province": self.province,
            "register": self.register,
        }

    @classmethod
    def from_value(cls, value: Any) -> PlaceRef:
        if isinstance(value, PlaceRef):
            return value
        if not isinstance(value, dict):
            raise ValueError(f"not a place: {value!r}")
        ref = cls(
            **{
                k: nfc(value.get(k)).strip()
                for k in ("name", "type", "code", "province", "register")
            }
        )
        if ref.register not in PLACE_REGISTERS:
            raise ValueError(f"place register must be one of {PLACE_REGISTERS}: {value!r}")
        return ref


@dataclass(frozen=True)
class Place:
    """A place an article names: the words as written, and the unit they were resolved to.

    ``unit`` is None when the mention could not be resolved with confidence (an ambiguous
    "xã Tân Lập" with no province nearby): the text is kept, never guessed. ``start`` is the
    mention's character offset in the article's ``body`` (-1 when it was found elsewhere, e.g.
    in the title). ``related`` are the units of the other register this one was merged into
    or from, so a search "with history" can reach coverage under every name the area has had.
    """

    mention: str
    unit: PlaceRef | None = None
    start: int = -1
    related: tuple[PlaceRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "mention": self.mention,
            "unit": self.unit.to_dict() if self.unit else None,
            "start": self.start,
            "related": [r.to_dict() for r in self.related],
        }

    @classmethod
    def from_value(cls, value: Any) -> Place:
        if isinstance(value, Place):
            return value
        if not isinstance(value, dict) or not value.get("mention"):
            raise ValueError(f"not a place: {value!r}")
        unit = value.get("unit")
        return cls(
            mention=nfc(value["mention"]).strip(),
            unit=PlaceRef.from_value(unit) if unit else None,
            start=int(value.get("start", -1)),
            related=tuple(PlaceRef.from_value(r) for r in value.get("related") or ()),
        )


@dataclass
class Article:
    """One news article, from whichever source it came.

    ``url`` is canonical and the unique key. ``published`` and ``fetched_at`` are
    timezone-aware (naive input is read as Asia/Ho_Chi_Minh). ``body`` is NFC plain text with
    paragraphs separated by blank lines. ``content_hash`` covers title, sapo and body, so a
    re-crawl can tell a changed article from an unchanged one.
    """

    url: str
    title: str
    body: str
    source: str = ""
    sapo: str = ""
    published: datetime | None = None
    author: str = ""
    category: str = ""
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    fetched_at: datetime | None = None
    content_hash: str = ""

    def __post_init__(self) -> None:
        for name in _TEXT_FIELDS:
            setattr(self, name, nfc(getattr(self, name)).strip())
        self.published = as_vietnam_time(self.published)
        self.fetched_at = as_vietnam_time(self.fetched_at)
        self.people = [Person.from_value(p) for p in self.people]
        self.places = [Place.from_value(p) for p in self.places]
        if not self.content_hash:
            self.content_hash = self.compute_hash()

    def compute_hash(self) -> str:
        """sha256 of the text that readers see; metadata changes do not count as edits."""
        payload = "\x1f".join((self.title, self.sapo, self.body))
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def person_names(self) -> list[str]:
        return [p.name for p in self.people]

    def with_changes(self, **changes: Any) -> Article:
        """A copy with some fields replaced; the content hash is recomputed."""
        changes.setdefault("content_hash", "")
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif f.name in ("people", "places"):
                value = [p.to_dict() for p in value]
            data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Build an Article from ``to_dict`` output (or a looser JSON record).

        Raises ValueError with a readable message when a required field is missing or a
        date cannot be read.
        """
        missing = [k for k in ("url", "title") if not data.get(k)]
        if missing:
            raise ValueError(f"missing required field(s): {', '.join(missing)}")
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known and v is not None}
        kwargs.setdefault("body", "")
        for key in ("published", "fetched_at"):
            if key in kwargs:
                kwargs[key] = parse_iso_datetime(kwargs[key], key)
        for key in _TEXT_FIELDS:
            if key in kwargs and not isinstance(kwargs[key], str):
                raise ValueError(f"field {key!r} must be a string")
        for key in ("people", "places"):
            if not isinstance(kwargs.get(key, []), list):
                raise ValueError(f"field {key!r} must be a list")
        return cls(**kwargs)


def parse_iso_datetime(value: Any, name: str = "date") -> datetime | None:
    """Read an ISO 8601 date or datetime; a bare date is midnight in Vietnam."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return as_vietnam_time(value)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"field {name!r}: not an ISO 8601 date: {value!r}") from exc
    return as_vietnam_time(parsed)


def now_vietnam() -> datetime:
    return datetime.now(UTC).astimezone(VN_TZ)
