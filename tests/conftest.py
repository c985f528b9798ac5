"""Shared fixtures: the sample portal crawled and indexed once per test session."""

from __future__ import annotations

import pytest

from crawler.crawl import CrawlSettings
from crawler.fetch import FetchSettings


def fast_settings() -> CrawlSettings:
    """Politeness shrunk to milliseconds: the portal is our own, on localhost."""
    return CrawlSettings(
        fetch=FetchSettings(timeout=5.0, retries=1, backoff_base=0.01, backoff_max=0.05),
        delay=0.0,
    )


@pytest.fixture(scope="session")
def demo_portal():
    from tracuu.sample_portal.server import SamplePortal

    with SamplePortal() as portal:
        yield portal


@pytest.fixture(scope="session")
def crawled_sample(tmp_path_factory, demo_portal):
    """(data_dir, crawl report dict): the sample portal crawled over HTTP and indexed."""
    from tracuu import pipeline
    from tracuu.demo import sample_source

    data_dir = tmp_path_factory.mktemp("sample-data")
    base_url = demo_portal.article_urls()[0].split("/tin-tuc/")[0]
    report = pipeline.crawl_sources(
        data_dir, [sample_source(base_url)], settings=fast_settings(), progress=False
    )
    pipeline.index_articles(data_dir, progress=False)
    return data_dir, report.to_dict()


@pytest.fixture(scope="session")
def sample_app(crawled_sample):
    from search_app.app import create_app

    data_dir, _ = crawled_sample
    return create_app({"DATA_DIR": str(data_dir), "TESTING": True})


@pytest.fixture()
def client(sample_app):
    return sample_app.test_client()
