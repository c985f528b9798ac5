"""The sample portal's URLs: slugs and the paths of articles and category listings.

A leaf both the catalog (which gives each article its path) and the page renderer use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_SLUG_CHARS = 80
# đ has no Unicode decomposition and Ð (U+00D0) is a lookalike: fold both by hand.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


@dataclass(frozen=True)
class CategoryLink:
    """A category as the menu and breadcrumb show it."""

    slug: str
    name: str

    @property
    def path(self) -> str:
        return listing_path(self.slug, 1)


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics: "Đà Nẵng" → "Da Nang"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """ASCII URL slug: "Kinh doanh" → "kinh-doanh"; long titles are cut at a hyphen."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    if len(slug) > max_chars:
        cut = slug[: max_chars + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_chars]).strip("-")
    return slug or "bai-viet"


def article_path(category_slug: str, title_slug: str, article_id: int) -> str:
    return f"/tin-tuc/{category_slug}/{title_slug}-{article_id}.html"


def listing_path(category_slug: str, page: int) -> str:
    if page <= 1:
        return f"/chuyen-muc/{category_slug}/"
    return f"/chuyen-muc/{category_slug}/trang-{page}/"
