"""``hazelcast.projection`` for hzgreen: the official names, served by :mod:`hzgreen.query.projection`.

:class:`Projection` is the base for user projections (IdentifiedDataSerializable objects
the members run); ``identity()`` gives each entry as a ``(key, value)`` pair.
"""

from __future__ import annotations

from typing import Any, TypeVar

from hzgreen.compat._markers import NativeBaseMeta, UserQueryObject
from hzgreen.query import projection as _native
from hzgreen.query.projection import identity, multi_attribute, single_attribute

__all__ = ["Projection", "single_attribute", "multi_attribute", "identity"]

T = TypeVar("T")


class Projection(UserQueryObject, _native.Projection[T], metaclass=NativeBaseMeta):
    """Base of projections; ``isinstance(p, Projection)`` holds for hzgreen's own ones too.

    A subclass provides ``get_factory_id()``, ``get_class_id()`` and ``write_data(output)``
    matching a Java projection on the members' classpath; its constructor is its own.
    """

    _native_base = _native.Projection

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Accepts and ignores any arguments (the official base has no constructor)."""
