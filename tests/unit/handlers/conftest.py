"""Fixtures shared by the handler tests: every test runs against both handlers."""

from __future__ import annotations

import pytest

from hzgreen.handlers.gevent import SequentialGeventHandler
from hzgreen.handlers.threading import SequentialThreadingHandler

HANDLERS = {
    "threading": SequentialThreadingHandler,
    "gevent": SequentialGeventHandler,
}

#: Generous bound for "this should happen promptly" waits; never a synchronisation sleep.
WAIT = 5.0


@pytest.fixture(params=sorted(HANDLERS))
def handler(request):
    """A started handler, stopped after the test."""
    h = HANDLERS[request.param]()
    h.start()
    try:
        yield h
    finally:
        h.stop()


@pytest.fixture(params=sorted(HANDLERS))
def handler_class(request):
    """A handler class (for tests that manage start/stop themselves)."""
    return HANDLERS[request.param]
