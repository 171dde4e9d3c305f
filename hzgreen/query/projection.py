"""Projections: the parts of each value to return (``Map.project``).

Same names as the official client's ``hazelcast.projection``::

    from hzgreen import projection as proj

    m.project(proj.single_attribute("name"))             # ["Ada", "Bob", ...]
    m.project(proj.multi_attribute("name", "age"))       # [["Ada", 36], ...]

Each projection is an IdentifiedDataSerializable of the member's projection factory
(-30). Paths are as for predicates, but ``[any]`` is not allowed.
"""

from __future__ import annotations

from typing import Any, Generic, List, Tuple, TypeVar

from hzgreen.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = ["Projection", "identity", "multi_attribute", "single_attribute"]

PROJECTION_FACTORY_ID = -30

#: What a projection makes of one entry (``Map.project`` returns a list of them).
T = TypeVar("T")


def _check_path(path: object) -> str:
    """``path`` itself; raises ValueError for anything but a non-empty str without ``[any]``."""
    if not isinstance(path, str) or not path:
        raise ValueError("an attribute path must be a non-empty str, got %r" % (path,))
    if "[any]" in path:
        raise ValueError("projection paths cannot use [any]: %r" % (path,))
    return path


class Projection(IdentifiedDataSerializable, Generic[T]):
    """A projection to run on the members; build one with the functions below.

    ``T`` is what it makes of one entry: ``Projection[List[Any]]`` for :func:`multi_attribute`.
    """

    def __init__(self, class_id: int, paths: List[str]) -> None:
        self._class_id = class_id
        self.attribute_paths = paths

    def get_factory_id(self) -> int:
        return PROJECTION_FACTORY_ID

    def get_class_id(self) -> int:
        return self._class_id

    def write_data(self, out: ObjectDataOutput) -> None:
        if self._class_id == 0:
            out.write_string(self.attribute_paths[0])
        elif self._class_id == 1:
            out.write_string_array(self.attribute_paths)

    def read_data(self, inp: ObjectDataInput) -> None:
        raise NotImplementedError("projections are only sent to members")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Projection):
            return NotImplemented
        return (self._class_id, self.attribute_paths) == (other._class_id, other.attribute_paths)

    def __hash__(self) -> int:
        return hash((self._class_id, tuple(self.attribute_paths)))

    def __repr__(self) -> str:
        name = {0: "single_attribute", 1: "multi_attribute", 2: "identity"}[self._class_id]
        return "%s(%s)" % (name, ", ".join(map(repr, self.attribute_paths)))


def single_attribute(attribute_path: str) -> Projection[Any]:
    """The value of one attribute of each entry."""
    return Projection(0, [_check_path(attribute_path)])


def multi_attribute(*attribute_paths: str) -> Projection[List[Any]]:
    """A list with the values of several attributes of each entry."""
    if not attribute_paths:
        raise ValueError("multi_attribute() needs at least one attribute path")
    return Projection(1, [_check_path(p) for p in attribute_paths])


def identity() -> Projection[Tuple[Any, Any]]:
    """Each entry unchanged, as a ``(key, value)`` tuple."""
    return Projection(2, [])
