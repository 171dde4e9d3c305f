"""Python names for protocol names: ``mapListener`` -> ``map_listener``, keyword-safe identifiers,
``since`` versions as comparable tuples."""

from __future__ import annotations

import keyword
import re
from typing import Tuple


def snake(name: str) -> str:
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return s.lower()


def ident(name: str) -> str:
    s = snake(name)
    return s + "_" if keyword.iskeyword(s) else s


def camel(name: str) -> str:
    """``addEntryListener`` -> ``AddEntryListener`` (a protocol name as a class-name part)."""
    return name[:1].upper() + name[1:]


def version(s) -> Tuple[int, ...]:
    return tuple(int(x) for x in str(s).split("."))


def module_name(service_name: str) -> str:
    """The generated module of a service: ``hzgreen/protocol/codecs/<module_name>.py``."""
    return snake(service_name)
