"""Waiting helpers for tests that drive a client from the outside.

They poll with the client's own handler (``handler.sleep_func``), so they cooperate under
gevent and block only the calling thread under threading.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Collection, List


def wait_until(handler: Any, predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.02) -> None:
    """Return once ``predicate()`` is true; raise AssertionError(``what``) after ``timeout`` s."""
    deadline = handler.monotonic() + timeout
    while not predicate():
        assert handler.monotonic() < deadline, what
        handler.sleep_func(interval)


def blocked_in_wait(thread: threading.Thread) -> bool:
    """True once ``thread`` is parked in an async result's wait (not sending, not in client
    code elsewhere), so an exception raised into it can only surface from that wait."""
    frame = sys._current_frames().get(thread.ident) if thread.ident is not None else None
    while frame is not None:
        if frame.f_code.co_name == "_block":
            return True
        frame = frame.f_back
    return False


def pending_requests(client: Any, message_types: Collection[int]) -> List[Any]:
    """The client's invocations of these message types still waiting for their answer."""
    return [
        inv for inv in list(client.invocations._pending.values()) if inv.request.get_message_type() in message_types
    ]
