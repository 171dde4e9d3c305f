"""``hazelcast.util`` for hzgreen: the public helpers official code imports from it.

The load balancers are hzgreen's (:mod:`hzgreen.network.load_balancer`), which the
``load_balancer`` option accepts; the rest are small helpers of the official module.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Sequence

from hzgreen.network.load_balancer import AbstractLoadBalancer as LoadBalancer
from hzgreen.network.load_balancer import RandomLB, RoundRobinLB
from hzgreen.query.predicate import IterationType

__all__ = [
    "DEFAULT_ADDRESS", "DEFAULT_PORT", "MILLISECONDS_IN_SECONDS", "NANOSECONDS_IN_SECONDS", "LoadBalancer",
    "RoundRobinLB", "RandomLB", "IterationType", "AtomicInteger", "check_not_none", "check_true",
    "check_not_negative", "check_not_empty", "check_is_number", "check_is_int", "current_time",
    "current_time_in_millis", "thread_id", "to_millis", "to_nanos", "to_list",
]  # fmt: skip

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 5701
MILLISECONDS_IN_SECONDS = 1000
NANOSECONDS_IN_SECONDS = 1e9


def check_not_none(val: Any, message: str) -> None:
    """Returns None; raises AssertionError with ``message`` when ``val`` is None."""
    if val is None:
        raise AssertionError(message)


def check_true(val: Any, message: str) -> None:
    """Returns None; raises AssertionError with ``message`` when ``val`` is falsy."""
    if not val:
        raise AssertionError(message)


def check_not_negative(val: Any, message: str) -> None:
    """Returns None; raises AssertionError with ``message`` when ``val`` < 0."""
    if val < 0:
        raise AssertionError(message)


def check_not_empty(collection: Sequence[Any], message: str) -> None:
    """Returns None; raises AssertionError with ``message`` when ``collection`` is empty."""
    if not collection:
        raise AssertionError(message)


def check_is_number(val: Any, message: str = "Number value expected") -> None:
    """Returns None; raises TypeError with ``message`` unless ``val`` is an int or float (not bool)."""
    if isinstance(val, bool) or not isinstance(val, (int, float)):
        raise TypeError(message)


def check_is_int(val: Any, message: str = "Int value expected") -> None:
    """Returns None; raises TypeError with ``message`` unless ``val`` is an int (not bool)."""
    if isinstance(val, bool) or not isinstance(val, int):
        raise TypeError(message)


def current_time() -> float:
    """Returns a monotonic clock reading in seconds."""
    return time.monotonic()


def current_time_in_millis() -> int:
    """Returns the wall-clock time in milliseconds since the epoch."""
    return int(time.time() * 1000)


def thread_id() -> int:
    """Returns the current thread's identifier."""
    return threading.get_ident()


def to_millis(seconds: float) -> int:
    """Returns ``seconds`` in whole milliseconds."""
    return int(seconds * MILLISECONDS_IN_SECONDS)


def to_nanos(seconds: float) -> int:
    """Returns ``seconds`` in whole nanoseconds."""
    return int(seconds * NANOSECONDS_IN_SECONDS)


def to_list(*args: Any, **kwargs: Any) -> list[Any]:
    """Returns the positional arguments as a list (keywords are ignored)."""
    return list(args)


class AtomicInteger:
    """A thread-safe counter: ``get_and_increment()`` returns the value before adding one."""

    def __init__(self, initial: int = 0) -> None:
        self._value = initial
        self._lock = threading.Lock()

    def get_and_increment(self) -> int:
        """Returns the current value and adds one to it."""
        with self._lock:
            value = self._value
            self._value += 1
            return value

    def set(self, value: int) -> None:
        """Returns None; sets the value."""
        with self._lock:
            self._value = value

    def get(self) -> int:
        """Returns the current value."""
        return self._value
