"""The engines a test runs on: every registered engine (one whose library is not installed,
such as tantivy, skips) and the in-memory engine of ``memory_engine`` built on the contract.

A test module uses ``ENGINES`` as its parameter list and imports ``memory_registered`` (an
autouse fixture) so that indexer's functions know the memory engine while the module runs.
"""

from __future__ import annotations

import memory_engine
import pytest

from indexer import engine_names, register
from indexer.backend import backend, unregister


def _installed(name: str) -> bool:
    try:
        backend(name)
    except ImportError:
        return False
    return True


ENGINES = [
    pytest.param(name, marks=pytest.mark.skipif(not _installed(name), reason=f"{name} missing"))
    for name in engine_names()
] + [memory_engine.BACKEND.name]


@pytest.fixture(scope="module", autouse=True)
def memory_registered():
    """The in-memory engine is known to indexer's functions while a module runs."""
    register(memory_engine.BACKEND.name, memory_engine.BACKEND)
    yield
    unregister(memory_engine.BACKEND.name)
