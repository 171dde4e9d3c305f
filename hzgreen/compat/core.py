"""``hazelcast.core`` for hzgreen: the official names of the core value classes.

They are hzgreen's own classes (same attributes as the official ones), except
:class:`MapEntry`, the official ``.key``/``.value`` entry, which this module defines.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Optional, TypeVar

from hzgreen.protocol.custom import (
    Address,
    DistributedObjectInfo,
    EndpointQualifier,
    MemberInfo,
    MemberVersion,
    SimpleEntryView,
)
from hzgreen.proxy.distributed_objects import DistributedObjectEvent, DistributedObjectEventType
from hzgreen.serialization.identified import MAP_ENTRY_CLASS_ID, MAP_ENTRY_FACTORY_ID
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.serialization.output import ObjectDataOutput

__all__ = [
    "CLIENT_TYPE", "SERIALIZATION_VERSION", "MemberInfo", "Address", "ProtocolType", "EndpointQualifier",
    "DistributedObjectInfo", "DistributedObjectEventType", "DistributedObjectEvent", "SimpleEntryView",
    "HazelcastJsonValue", "MemberVersion", "MapEntry", "map_entry_factory", "MAP_ENTRY_FACTORIES",
]  # fmt: skip

K = TypeVar("K")
V = TypeVar("V")

CLIENT_TYPE = "PYH"
SERIALIZATION_VERSION = 1


class ProtocolType:
    """Endpoint protocol types of an :class:`EndpointQualifier` (the member's ProtocolType ids)."""

    MEMBER = 0
    CLIENT = 1
    WAN = 2
    REST = 3
    MEMCACHE = 4


class MapEntry(Generic[K, V]):
    """A map entry with ``key`` and ``value``, as the official client returns from
    ``max_by``/``min_by`` aggregations (the member's ``MapEntrySimple``)."""

    __slots__ = ("_key", "_value")

    def __init__(self, key: Optional[K] = None, value: Optional[V] = None) -> None:
        self._key = key
        self._value = value

    @property
    def key(self) -> Optional[K]:
        """Returns the entry's key."""
        return self._key

    @property
    def value(self) -> Optional[V]:
        """Returns the entry's value."""
        return self._value

    def get_factory_id(self) -> int:
        """Returns the member's map-entry factory id (-4)."""
        return MAP_ENTRY_FACTORY_ID

    def get_class_id(self) -> int:
        """Returns the member's map-entry class id (120)."""
        return MAP_ENTRY_CLASS_ID

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """Reads the key then the value; raises the stream's serialization error on bad data."""
        self._key = object_data_input.read_object()
        self._value = object_data_input.read_object()

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Writes the key then the value."""
        object_data_output.write_object(self._key)
        object_data_output.write_object(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MapEntry):
            return NotImplemented
        return (self._key, self._value) == (other._key, other._value)

    def __hash__(self) -> int:
        return hash((self._key, self._value))

    def __repr__(self) -> str:
        return "MapEntry(key=%r, value=%r)" % (self._key, self._value)


def map_entry_factory(class_id: int) -> Optional[Any]:
    """A ``data_serializable_factories`` factory for the member's factory -4.

    Returns a new :class:`MapEntry` for the map-entry class id, None for any other class
    (hzgreen then raises its serialization error naming the ids).
    """
    return MapEntry() if class_id == MAP_ENTRY_CLASS_ID else None


#: Merge into ``data_serializable_factories`` so that entries come back as MapEntry objects.
MAP_ENTRY_FACTORIES: Dict[int, Callable[[int], Optional[Any]]] = {MAP_ENTRY_FACTORY_ID: map_entry_factory}
