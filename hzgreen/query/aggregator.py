"""Aggregators: reductions computed on the members (``Map.aggregate``).

Same names as the official client's ``hazelcast.aggregator``. ``attribute_path`` is a
path into the value as for predicates (``"age"``, ``"address.city"``,
``"people[any].age"``); ``None`` aggregates the values themselves::

    from hzgreen import aggregator as agg

    m.aggregate(agg.count())                       # number of entries
    m.aggregate(agg.int_avg("age"), p.greater("age", 18))
    m.aggregate(agg.distinct("city"))              # a set

Each aggregator is an IdentifiedDataSerializable of the member's aggregator factory
(-29). The ``int_``/``long_``/``double_`` families require the attribute to be of that
Java type on the member; ``number_avg``, ``fixed_point_sum`` and
``floating_point_sum`` accept any number.
"""

from __future__ import annotations

from typing import Any, Generic, Optional, Set, TypeVar

from hzgreen.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = [
    "Aggregator",
    "count",
    "distinct",
    "double_avg",
    "double_sum",
    "fixed_point_sum",
    "floating_point_sum",
    "int_avg",
    "int_sum",
    "long_avg",
    "long_sum",
    "max_",
    "max_by",
    "min_",
    "min_by",
    "number_avg",
]

AGGREGATOR_FACTORY_ID = -29

#: What an aggregator's result is on the client (``Map.aggregate`` returns it).
T = TypeVar("T")

# The state each member-side aggregator serializes after its attribute path, all zero
# in a fresh aggregator: "L" long, "D" double, "O" null object.
_INITIAL_STATE = {
    4: "L",  # count
    5: "I",  # distinct (empty set size)
    6: "DL",  # double average: sum, count
    7: "D",  # double sum
    8: "L",  # fixed point sum
    9: "D",  # floating point sum
    10: "LL",  # int average: sum, count
    11: "L",  # int sum
    12: "LL",  # long average: sum, count
    13: "L",  # long sum
    14: "O",  # max
    15: "O",  # min
    16: "DL",  # number average: sum, count
    17: "OO",  # max by: value, entry
    18: "OO",  # min by: value, entry
}


class Aggregator(IdentifiedDataSerializable, Generic[T]):
    """An aggregation to run on the members; build one with the functions below.

    ``T`` is the type of its result: ``Aggregator[int]`` for :func:`count`, and so on.
    Averages, ``max_``/``min_`` and ``max_by``/``min_by`` give None over no entries.
    """

    def __init__(self, class_id: int, name: str, attribute_path: Optional[str]) -> None:
        if attribute_path is not None and (not isinstance(attribute_path, str) or not attribute_path):
            raise ValueError("%s(): attribute_path must be a non-empty str or None, got %r" % (name, attribute_path))
        self._class_id = class_id
        self._name = name
        self.attribute_path = attribute_path

    def get_factory_id(self) -> int:
        return AGGREGATOR_FACTORY_ID

    def get_class_id(self) -> int:
        return self._class_id

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute_path)
        for code in _INITIAL_STATE[self._class_id]:
            if code == "L":
                out.write_long(0)
            elif code == "I":
                out.write_int(0)
            elif code == "D":
                out.write_double(0.0)
            else:
                out.write_object(None)

    def read_data(self, inp: ObjectDataInput) -> None:
        raise NotImplementedError("aggregators are only sent to members")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Aggregator):
            return NotImplemented
        return (self._class_id, self.attribute_path) == (other._class_id, other.attribute_path)

    def __hash__(self) -> int:
        return hash((self._class_id, self.attribute_path))

    def __repr__(self) -> str:
        return "%s(%s)" % (self._name, "" if self.attribute_path is None else repr(self.attribute_path))


def count(attribute_path: Optional[str] = None) -> Aggregator[int]:
    """Number of entries (with a path: number of non-null attribute values)."""
    return Aggregator(4, "count", attribute_path)


def distinct(attribute_path: Optional[str] = None) -> Aggregator[Set[Any]]:
    """The set of distinct values."""
    return Aggregator(5, "distinct", attribute_path)


def double_avg(attribute_path: Optional[str] = None) -> Aggregator[Optional[float]]:
    """Average of Java double values (a float)."""
    return Aggregator(6, "double_avg", attribute_path)


def double_sum(attribute_path: Optional[str] = None) -> Aggregator[float]:
    """Sum of Java double values."""
    return Aggregator(7, "double_sum", attribute_path)


def fixed_point_sum(attribute_path: Optional[str] = None) -> Aggregator[int]:
    """Sum of integral values of any Java type, as a long."""
    return Aggregator(8, "fixed_point_sum", attribute_path)


def floating_point_sum(attribute_path: Optional[str] = None) -> Aggregator[float]:
    """Sum of numbers of any Java type, as a double."""
    return Aggregator(9, "floating_point_sum", attribute_path)


def int_avg(attribute_path: Optional[str] = None) -> Aggregator[Optional[float]]:
    """Average of Java int values (a float)."""
    return Aggregator(10, "int_avg", attribute_path)


def int_sum(attribute_path: Optional[str] = None) -> Aggregator[int]:
    """Sum of Java int values, as a long."""
    return Aggregator(11, "int_sum", attribute_path)


def long_avg(attribute_path: Optional[str] = None) -> Aggregator[Optional[float]]:
    """Average of Java long values (a float)."""
    return Aggregator(12, "long_avg", attribute_path)


def long_sum(attribute_path: Optional[str] = None) -> Aggregator[int]:
    """Sum of Java long values."""
    return Aggregator(13, "long_sum", attribute_path)


def max_(attribute_path: Optional[str] = None) -> Aggregator[Any]:
    """The largest value (the attribute must be Comparable on the member)."""
    return Aggregator(14, "max_", attribute_path)


def min_(attribute_path: Optional[str] = None) -> Aggregator[Any]:
    """The smallest value."""
    return Aggregator(15, "min_", attribute_path)


def number_avg(attribute_path: Optional[str] = None) -> Aggregator[Optional[float]]:
    """Average of numbers of any Java type (a float)."""
    return Aggregator(16, "number_avg", attribute_path)


def max_by(attribute_path: str) -> Aggregator[Any]:
    """The ``(key, value)`` entry whose attribute is largest."""
    if attribute_path is None:
        raise ValueError("max_by() needs an attribute_path")
    return Aggregator(17, "max_by", attribute_path)


def min_by(attribute_path: str) -> Aggregator[Any]:
    """The ``(key, value)`` entry whose attribute is smallest."""
    if attribute_path is None:
        raise ValueError("min_by() needs an attribute_path")
    return Aggregator(18, "min_by", attribute_path)
