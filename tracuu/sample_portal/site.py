"""Routing: a request path becomes a Page (status, bytes, headers), with no HTTP plumbing.

Kept apart from the server so every page can be checked without opening a socket.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

import tracuu.sample_portal.render as render  # not via the package: its __init__ loads us
from tracuu.sample_portal.catalog import Catalog, PortalArticle
from tracuu.sample_portal.paths import listing_path
from tracuu.sample_portal.pdf import PLAN_PDF

HTML = "text/html; charset=utf-8"
LISTING_RE = re.compile(r"^/chuyen-muc/([a-z0-9-]+)/(?:trang-(\d+)/)?$")
ARTICLE_RE = re.compile(r"^/tin-tuc/[a-z0-9-]+/[a-z0-9-]+-\d+\.html$")
HOME_LATEST = 10


@dataclass(frozen=True)
class Page:
    """One response, ready to send. ``etag`` is strong: a hash of the exact bytes."""

    status: int
    body: bytes
    content_type: str = HTML
    last_modified: datetime | None = None
    location: str = ""
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "etag", '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"')

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": self.content_type}
        if self.status == 200:
            headers["ETag"] = self.etag
        if self.last_modified and self.status == 200:
            headers["Last-Modified"] = http_date(self.last_modified)
        if self.location:
            headers["Location"] = self.location
        return headers


def http_date(moment: datetime) -> str:
    """RFC 9110 date, e.g. "Wed, 30 Sep 2020 17:00:00 GMT"."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


class PortalSite:
    """Answers paths from a Catalog; ``base_url`` makes canonical and sitemap URLs absolute."""

    def __init__(self, catalog: Catalog, base_url: str) -> None:
        self.catalog = catalog
        self.base_url = base_url.rstrip("/")

    def page_for(self, path: str) -> Page:
        fixed = self._fixed_pages().get(path)
        if fixed is not None:
            return fixed()
        listing = LISTING_RE.match(path)
        if listing:
            return self.listing_page(listing.group(1), int(listing.group(2) or 1), path)
        if ARTICLE_RE.match(path):
            return self.article_page(path)
        return self.error_page(404, path)

    def _fixed_pages(self) -> dict:
        return {
            "/": self.home_page,
            "/index.html": self.home_page,
            "/robots.txt": self.robots,
            "/sitemap.xml": self.sitemap,
            render.CONTACT_PATH: self.contact_page,
            render.PDF_PATH: lambda: Page(200, PLAN_PDF, "application/pdf"),
            render.GONE_ARTICLE_PATH: lambda: self.error_page(404, render.GONE_ARTICLE_PATH),
            render.BROKEN_ARTICLE_PATH: lambda: self.error_page(500, render.BROKEN_ARTICLE_PATH),
        }

    def html(self, text: str, status: int = 200, article: PortalArticle | None = None) -> Page:
        modified = article.last_modified if article else None
        return Page(status, text.encode("utf-8"), HTML, last_modified=modified)

    def home_page(self) -> Page:
        return self.html(
            render.render_home_page(
                self.catalog.latest(HOME_LATEST),
                base_url=self.base_url,
                categories=self.catalog.categories(),
                most_viewed=self.catalog.most_viewed(),
            )
        )

    def contact_page(self) -> Page:
        return self.html(
            render.render_contact_page(base_url=self.base_url, categories=self.catalog.categories())
        )

    def listing_page(self, category_slug: str, page: int, path: str) -> Page:
        if path.endswith("/trang-1/"):  # one URL per page: send page 1 to its plain address
            return Page(301, b"", HTML, location=listing_path(category_slug, 1))
        found = self.catalog.listing(category_slug, page)
        if found is None:
            return self.error_page(404, path)
        articles, total_pages = found
        text = render.render_listing_page(
            self.catalog.category(category_slug),
            articles,
            page=page,
            total_pages=total_pages,
            base_url=self.base_url,
            categories=self.catalog.categories(),
        )
        return self.html(text)

    def article_page(self, path: str) -> Page:
        article = self.catalog.find(path)
        if article is None:
            return self.error_page(404, path)
        text = render.render_article_page(
            article,
            base_url=self.base_url,
            categories=self.catalog.categories(),
            others=self.catalog.others(article),
            most_viewed=self.catalog.most_viewed(),
        )
        return self.html(text, article=article)

    def error_page(self, status: int, path: str) -> Page:
        text = render.render_error_page(
            status, path, base_url=self.base_url, categories=self.catalog.categories()
        )
        return self.html(text, status)

    def robots(self) -> Page:
        body = render.render_robots(self.base_url).encode("utf-8")
        return Page(200, body, "text/plain; charset=utf-8")

    def sitemap(self) -> Page:
        entries = [(self.base_url + a.path, a.lastmod) for a in self.catalog.live()]
        body = render.render_sitemap(entries).encode("utf-8")
        return Page(200, body, "application/xml; charset=utf-8")
