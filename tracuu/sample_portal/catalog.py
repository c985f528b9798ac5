"""The portal's articles: stable ids, URLs, category listings, runtime edits and removals.

Built once from plain article dicts (the bundled sample or any list of the same shape) in
one sort, so 5,000+ articles load in well under a second; pages are rendered on request.
"""

from __future__ import annotations

import gzip
import json
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from tracuu.sample_portal.paths import CategoryLink, article_path, listing_path, slugify

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "articles.jsonl.gz"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PER_PAGE = 10
# The records carry no author; the byline names the original publisher instead.
PUBLISHER_NAMES = {"dantri.com.vn": "Báo Dân trí"}
FALLBACK_BYLINE = "Ban biên tập"
FALLBACK_CATEGORY = "Tin tức"


def load_sample_articles(path: Path = SAMPLE_PATH) -> list[dict[str, Any]]:
    """The bundled article dicts (gzip JSON Lines), or any .jsonl/.jsonl.gz of that shape."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def split_paragraphs(body: str) -> tuple[str, ...]:
    """One paragraph per non-blank line; "\\n" and "\\n\\n" separated text both work."""
    return tuple(line for line in (nfc(part) for part in body.splitlines()) if line)


def parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def byline_for(record: dict[str, Any]) -> str:
    source = nfc(record.get("source"))
    return nfc(record.get("author")) or PUBLISHER_NAMES.get(source) or source or FALLBACK_BYLINE


def category_name_for(record: dict[str, Any]) -> str:
    return nfc(record.get("category_vi")) or nfc(record.get("category")) or FALLBACK_CATEGORY


@dataclass(frozen=True, eq=False)
class PortalArticle:
    """One article as the portal serves it; an edit makes a new object with new text."""

    article_id: int
    path: str
    title: str
    sapo: str
    paragraphs: tuple[str, ...]
    published: date | None
    category: str
    category_slug: str
    byline: str
    record: dict[str, Any] = field(repr=False)
    edited_at: datetime | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def last_modified(self) -> datetime | None:
        """The edit time, else midnight (Vietnam time) of the publication day."""
        if self.edited_at:
            return self.edited_at
        return datetime.combine(self.published, time(), VN_TZ) if self.published else None

    @property
    def lastmod(self) -> str:
        """Sitemap form: a bare date until the article is edited, then a full timestamp."""
        if self.edited_at:
            return self.edited_at.isoformat(timespec="seconds")
        return self.published.isoformat() if self.published else ""

    def expected(self) -> dict[str, Any]:
        """What a correct extractor should recover from this article's page."""
        return {
            "title": self.title,
            "sapo": self.sapo,
            "body": self.body,
            "published": self.published,
            "author": self.byline,
            "category": self.category,
        }

    def as_record(self) -> dict[str, Any]:
        """The source dict with the current (possibly edited) title and body."""
        return {**self.record, "title": self.title, "body": "\n".join(self.paragraphs)}


def sort_key(indexed: tuple[int, dict[str, Any]]) -> tuple[str, str, int]:
    position, record = indexed
    return (str(record.get("date") or ""), str(record.get("id") or ""), position)


class Catalog:
    """Articles numbered 1..n by (date, id); per-category id lists, newest first."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self._lock = threading.Lock()
        self._articles: dict[int, PortalArticle] = {}
        self._ids_by_path: dict[str, int] = {}
        self._category_slugs: dict[str, str] = {}
        self._category_ids: dict[str, list[int]] = {}
        self._removed: set[int] = set()
        for article_id, (_, record) in enumerate(sorted(enumerate(records), key=sort_key), 1):
            self._add(article_id, record)
        self._newest_first = sorted(self._articles, reverse=True)
        self._position_in_category = {
            article_id: index
            for ids in self._category_ids.values()
            for index, article_id in enumerate(ids)
        }

    def _slug_for_category(self, name: str) -> str:
        if name not in self._category_slugs:
            slug, taken = slugify(name), set(self._category_slugs.values())
            while slug in taken:  # two names folding to one slug: keep both reachable
                slug += "-2"
            self._category_slugs[name] = slug
            self._category_ids[slug] = []
        return self._category_slugs[name]

    def _add(self, article_id: int, record: dict[str, Any]) -> None:
        title = nfc(record.get("title"))
        if not title:
            raise ValueError(f"article without a title: {record.get('id') or record!r:.80}")
        category = category_name_for(record)
        category_slug = self._slug_for_category(category)
        article = PortalArticle(
            article_id=article_id,
            path=article_path(category_slug, slugify(title), article_id),
            title=title,
            sapo=nfc(record.get("sapo")),
            paragraphs=split_paragraphs(str(record.get("body") or "")),
            published=parse_day(record.get("date")),
            category=category,
            category_slug=category_slug,
            byline=byline_for(record),
            record=record,
        )
        self._articles[article_id] = article
        self._ids_by_path[article.path] = article_id
        self._category_ids[category_slug].insert(0, article_id)  # ids ascend, so newest first

    # ------------------------------------------------------------ lookups

    def __len__(self) -> int:
        return len(self._articles) - len(self._removed)

    def categories(self) -> list[CategoryLink]:
        return [CategoryLink(slug, name) for name, slug in sorted(self._category_slugs.items())]

    def get(self, article_id: int) -> PortalArticle | None:
        """The live article with this id; None when unknown or removed."""
        if article_id in self._removed:
            return None
        return self._articles.get(article_id)

    def find(self, id_or_url: int | str) -> PortalArticle | None:
        """Look up by id, path or absolute URL (the host is ignored)."""
        if isinstance(id_or_url, int):
            return self.get(id_or_url)
        path = unquote(urlsplit(id_or_url).path or "/")
        article_id = self._ids_by_path.get(path)
        return self.get(article_id) if article_id is not None else None

    def require(self, id_or_url: int | str) -> PortalArticle:
        article = self.find(id_or_url)
        if article is None:
            raise KeyError(f"no such article on the portal: {id_or_url!r}")
        return article

    def live(self) -> list[PortalArticle]:
        """All live articles, oldest first (id order)."""
        return [a for i, a in self._articles.items() if i not in self._removed]

    def live_ids(self, ids: Iterable[int]) -> list[int]:
        return [i for i in ids if i not in self._removed]

    def latest(self, count: int) -> list[PortalArticle]:
        return self._first_live(self._newest_first, count)

    def most_viewed(self, count: int = 5) -> list[PortalArticle]:
        """A fixed list: the newest live articles of the whole site, the same on every page."""
        return self.latest(count)

    def others(self, article: PortalArticle, count: int = 5) -> list[PortalArticle]:
        """The next older articles of the same category, wrapping round to the newest."""
        ids = self._category_ids[article.category_slug]
        start = self._position_in_category[article.article_id] + 1
        rotated = ids[start:] + ids[: start - 1]
        return self._first_live(rotated, count)

    def _first_live(self, ids: Iterable[int], count: int) -> list[PortalArticle]:
        found: list[PortalArticle] = []
        for article_id in ids:
            if len(found) == count:
                break
            article = self.get(article_id)
            if article is not None:
                found.append(article)
        return found

    def listing(self, category_slug: str, page: int) -> tuple[list[PortalArticle], int] | None:
        """(articles on page ``page``, total pages) or None for an unknown category/page."""
        if category_slug not in self._category_ids or page < 1:
            return None
        ids = self.live_ids(self._category_ids[category_slug])
        total_pages = max(1, -(-len(ids) // PER_PAGE))
        if page > total_pages:
            return None
        chunk = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
        return [self._articles[i] for i in chunk], total_pages

    def category(self, category_slug: str) -> CategoryLink:
        name = next(n for n, s in self._category_slugs.items() if s == category_slug)
        return CategoryLink(category_slug, name)

    def listing_paths(self) -> list[str]:
        """Every category listing page's path, in menu order."""
        paths = []
        for link in self.categories():
            listing = self.listing(link.slug, 1)
            total_pages = listing[1] if listing else 1
            paths += [listing_path(link.slug, page) for page in range(1, total_pages + 1)]
        return paths

    # ------------------------------------------------------------ changes

    def edit(self, id_or_url: int | str, *, title: str | None, body: str | None) -> PortalArticle:
        """Change an article's text; its URL stays, its page and lastmod change."""
        with self._lock:
            article = self.require(id_or_url)
            changes: dict[str, Any] = {"edited_at": self._edit_time(article)}
            if title is not None:
                changes["title"] = nfc(title)
            if body is not None:
                changes["paragraphs"] = split_paragraphs(body)
            edited = replace(article, **changes)
            self._articles[article.article_id] = edited
            return edited

    @staticmethod
    def _edit_time(article: PortalArticle) -> datetime:
        """Now, to the second, and always later than the article's last modification."""
        now = datetime.now(UTC).astimezone(VN_TZ).replace(microsecond=0)
        previous = article.last_modified
        return max(now, previous.replace(microsecond=0)) if previous else now

    def remove(self, id_or_url: int | str) -> PortalArticle:
        """Take an article down: its page answers 404 and it leaves listings and sitemap."""
        with self._lock:
            article = self.require(id_or_url)
            self._removed.add(article.article_id)
            return article
