"""Fixtures shared by the proxy unit tests."""

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler


@pytest.fixture
def handler():
    """Yields a started SequentialThreadingHandler, stopped after the test."""
    handler = SequentialThreadingHandler()
    handler.start()
    yield handler
    handler.stop()
