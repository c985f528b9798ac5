"""tracuu: command line and orchestration (crawl → index → serve)."""

__version__ = "0.1.0"
