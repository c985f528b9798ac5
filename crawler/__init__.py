"""tracuu.crawler: fetch pages, keep raw captures, extract Articles. Imports nothing of ours."""

from crawler.article import VN_TZ, Article, Person

__all__ = ["Article", "Person", "VN_TZ"]
