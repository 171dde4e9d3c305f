"""``hazelcast.aggregator`` for hzgreen: the official names, served by :mod:`hzgreen.query.aggregator`.

``max_by``/``min_by`` give the entry with the largest/smallest attribute; through a
:class:`hzgreen.compat.HazelcastClient` it is a :class:`~hzgreen.compat.core.MapEntry`
(``.key``, ``.value``), as in the official client. :class:`Aggregator` is the base for
user aggregators (IdentifiedDataSerializable objects the members run).
"""

from __future__ import annotations

from typing import Any, TypeVar

from hzgreen.compat._markers import NativeBaseMeta, UserQueryObject
from hzgreen.query import aggregator as _native
from hzgreen.query.aggregator import (
    count,
    distinct,
    double_avg,
    double_sum,
    fixed_point_sum,
    floating_point_sum,
    int_avg,
    int_sum,
    long_avg,
    long_sum,
    max_,
    max_by,
    min_,
    min_by,
    number_avg,
)

__all__ = [
    "Aggregator", "count", "distinct", "double_avg", "double_sum", "fixed_point_sum", "floating_point_sum",
    "int_avg", "int_sum", "long_avg", "long_sum", "max_", "min_", "number_avg", "max_by", "min_by",
]  # fmt: skip

T = TypeVar("T")


class Aggregator(UserQueryObject, _native.Aggregator[T], metaclass=NativeBaseMeta):
    """Base of aggregators; ``isinstance(a, Aggregator)`` holds for hzgreen's own ones too.

    A subclass provides ``get_factory_id()``, ``get_class_id()`` and ``write_data(output)``
    matching a Java aggregator on the members' classpath; its constructor is its own.
    """

    _native_base = _native.Aggregator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Accepts and ignores any arguments (the official base has no constructor)."""
