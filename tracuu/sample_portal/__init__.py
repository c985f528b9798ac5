"""The bundled sample portal: real articles served in a provincial-portal layout.

``from tracuu.sample_portal import SamplePortal`` (loaded lazily, so that
``python -m tracuu.sample_portal.server`` does not import the module twice).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SamplePortal", "load_sample_articles"]


def __getattr__(name: str) -> Any:
    if name == "SamplePortal":
        from tracuu.sample_portal.server import SamplePortal

        return SamplePortal
    if name == "load_sample_articles":
        from tracuu.sample_portal.catalog import load_sample_articles

        return load_sample_articles
    raise AttributeError(name)
