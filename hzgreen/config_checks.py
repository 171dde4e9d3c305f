"""Checks shared by the client options: numbers of seconds, flags and strings.

Each raises TypeError for a wrong type and ValueError for a wrong value, naming the option.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Dict, Optional

#: Longest duration any option or ``start(timeout=...)`` accepts (ten years): larger values
#: overflow the clocks and timers underneath, and nobody means them.
MAX_SECONDS = 10 * 365 * 24 * 3600.0


def _finite(value: Any, name: str, what: str = "a number") -> float:
    kind = type(value)
    # float and int first: the ABC check of numbers.Real costs more than the rest (bool is neither)
    if kind is not float and kind is not int and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise TypeError("%s must be %s, got %r" % (name, what, value))
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("%s must be a finite number, got %r" % (name, value))
    return number


def check_seconds(value: Any, name: str, allow_zero: bool = False, allow_none: bool = False) -> Optional[float]:
    """Check a duration in seconds given for the option or argument ``name``.

    Returns it as a float, or None when ``allow_none`` and it is None. Raises
    ``TypeError`` when it is not a real number (a bool is not) and ``ValueError`` when it
    is NaN, infinite, negative, zero (unless ``allow_zero``) or above :data:`MAX_SECONDS`;
    both messages name ``name``.
    """
    if value is None and allow_none:
        return None
    return _duration(value, name, allow_zero, "a number of seconds or None" if allow_none else "a number of seconds")


def _duration(value: Any, name: str, allow_zero: bool = False, what: str = "a number of seconds") -> float:
    seconds = _finite(value, name, what)
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError("%s must be %s 0 seconds, got %r" % (name, ">=" if allow_zero else ">", value))
    if seconds > MAX_SECONDS:
        raise ValueError("%s must be at most %d seconds (ten years), got %r" % (name, MAX_SECONDS, value))
    return seconds


def _seconds(options: Dict[str, Any], name: str, allow_zero: bool = False) -> float:
    value = options[name]
    if type(value) is float and 0.0 < value <= MAX_SECONDS:  # the defaults' case, decided at once
        return value
    return _duration(value, name, allow_zero)


def _cluster_connect_timeout(value: Any) -> float:
    """-1 (the official client's "keep trying forever") or a duration > 0."""
    if not isinstance(value, bool) and isinstance(value, numbers.Real) and value == -1:
        return -1.0
    try:
        return _duration(value, "cluster_connect_timeout")
    except ValueError as error:
        raise ValueError("%s; use -1 to keep trying forever" % error) from None


def _bool(options: Dict[str, Any], name: str) -> bool:
    value = options[name]
    if not isinstance(value, bool):
        raise TypeError("%s must be True or False, got %r" % (name, value))
    return value


def _optional_str(options: Dict[str, Any], name: str) -> Optional[str]:
    value = options[name]
    if value is not None and not isinstance(value, str):
        raise TypeError("%s must be a str or None, got %r" % (name, value))
    return value
