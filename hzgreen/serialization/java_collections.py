"""Java maps and sets: ``dict`` <-> ``java.util.HashMap``, ``set``/``frozenset`` <-> ``java.util.HashSet``.

Formats (big-endian, as Hazelcast's Java default serializers write them; keys, values
and elements are nested objects: int32 type id + payload):

* HashMap (-32), ConcurrentHashMap (-34), LinkedHashMap (-35): int32 size, then
  ``size`` pairs of nested objects (key, value).
* TreeMap (-36), ConcurrentSkipListMap (-33): the comparator as a nested object (null
  is type id 0 and nothing else), then the HashMap layout.
* HashSet (-37), LinkedHashSet (-39), CopyOnWriteArraySet (-40): int32 size, then
  ``size`` nested objects.
* TreeSet (-38), ConcurrentSkipListSet (-41): the comparator, then the HashSet layout.

Every map type reads as a ``dict`` (in the order written: sorted for the tree maps,
insertion order for LinkedHashMap) and every set type as a ``set``. A sorted type with a
comparator is refused: its order and key equality are defined by Java code Python does
not have. Keys and set elements that Python cannot hash are made hashable where there
is an obvious equivalent (a Java list becomes a ``tuple``, a Java set a ``frozenset``),
so a ``dict`` with tuple keys round-trips.

Writing, a ``dict`` keeps its insertion order; a set's elements are written sorted by
their serialized bytes, so equal sets give equal bytes whatever their insertion
history or hash seed (members compare keys, and values in ``replace_if_same``, by
bytes).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Set

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.api import SerializerLike
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.serializers import BuiltinSerializer, python_type_name

__all__ = ["JavaMapSerializer", "JavaSetSerializer", "java_collection_serializers"]

#: Smallest encoding of one map entry (a null key and a null value) and of one element.
_MIN_ENTRY_BYTES = 8
_MIN_ELEMENT_BYTES = 4


def _read_comparator(inp: ObjectDataInput, java_name: str) -> None:
    """Consume a sorted collection's comparator, which must be null.

    :raises HzSerializationError: if the collection has a comparator.
    """
    type_id = inp.read_int()
    if type_id != c.CONSTANT_TYPE_NULL:
        raise HzSerializationError(
            "cannot read a Java %s with a comparator (a nested object of type id %s): its order and "
            "key equality are Java code; hzgreen reads only naturally ordered ones (null comparator)"
            % (java_name, c.type_id_name(type_id))
        )


def _read_size(inp: ObjectDataInput, java_name: str, min_bytes: int) -> int:
    """The int32 size of a map or set, checked against the bytes left.

    :returns: the size (>= 0).
    :raises HzSerializationError: for a negative size or one the remaining input cannot hold.
    """
    n = inp.read_int()
    if n < 0:
        raise HzSerializationError("invalid Java %s size %d" % (java_name, n))
    left = inp.available()
    if n * min_bytes > left:
        raise HzSerializationError("Java %s size %d does not fit in the %d bytes left" % (java_name, n, left))
    return n


def _hashable(obj: Any, what: str) -> Any:
    """``obj`` itself if hashable, else its hashable twin (list -> tuple, set -> frozenset).

    :raises HzSerializationError: if there is none (a dict, or a list holding one).
    """
    try:
        hash(obj)
        return obj
    except TypeError:
        pass
    if isinstance(obj, list):
        return tuple(_hashable(item, what) for item in obj)
    if isinstance(obj, set):
        return frozenset(obj)
    raise HzSerializationError(
        "%s of Python type %r is unhashable: it cannot be a dict key or a set element" % (what, python_type_name(obj))
    )


class JavaMapSerializer(BuiltinSerializer):
    """A Java map type read as (and, for HashMap, written from) a ``dict``."""

    type_id = c.JAVA_DEFAULT_TYPE_HASH_MAP
    has_comparator = False

    def __init__(self, type_id: int = c.JAVA_DEFAULT_TYPE_HASH_MAP, has_comparator: bool = False) -> None:
        self.type_id = type_id
        self.has_comparator = has_comparator
        self.java_name = c.TYPE_NAMES[type_id]

    def write(self, out: ObjectDataOutput, obj: Dict[Any, Any]) -> None:
        """Writes the (null) comparator of a sorted type, the size, then key/value pairs."""
        if self.has_comparator:
            out.write_int(c.CONSTANT_TYPE_NULL)
        out.write_int(len(obj))
        write_object = out.write_object
        for key, value in obj.items():
            write_object(key)
            write_object(value)

    def read(self, inp: ObjectDataInput) -> Dict[Any, Any]:
        """Returns a dict of the entries in the order written.

        :raises HzSerializationError: for a comparator, a bad size or an unhashable key.
        """
        if self.has_comparator:
            _read_comparator(inp, self.java_name)
        n = _read_size(inp, self.java_name, _MIN_ENTRY_BYTES)
        result: Dict[Any, Any] = {}
        read_object = inp.read_object
        for _ in range(n):
            key = read_object()
            value = read_object()
            try:
                result[key] = value
            except TypeError:
                result[_hashable(key, "a Java %s key" % self.java_name)] = value
        return result


class JavaSetSerializer(BuiltinSerializer):
    """A Java set type read as (and, for HashSet, written from) a ``set``.

    The elements are written sorted by their serialized bytes (made in a scratch output of
    the same service), so equal sets give equal bytes.
    """

    type_id = c.JAVA_DEFAULT_TYPE_HASH_SET
    has_comparator = False

    def __init__(self, type_id: int = c.JAVA_DEFAULT_TYPE_HASH_SET, has_comparator: bool = False) -> None:
        self.type_id = type_id
        self.has_comparator = has_comparator
        self.java_name = c.TYPE_NAMES[type_id]

    def write(self, out: ObjectDataOutput, obj: Iterable[Any]) -> None:
        """Writes the (null) comparator of a sorted type, the size, then the elements sorted by their bytes."""
        if self.has_comparator:
            out.write_int(c.CONSTANT_TYPE_NULL)
        scratch = out.new_output()
        pieces = []
        start = 0
        for item in obj:
            scratch.write_object(item)
            end = scratch.position()
            pieces.append((start, end))
            start = end
        written = scratch.to_byte_array()
        encoded = sorted(written[a:b] for a, b in pieces)
        out.write_int(len(encoded))
        for piece in encoded:
            out.write_from(piece)

    def read(self, inp: ObjectDataInput) -> Set[Any]:
        """Returns a set of the elements.

        :raises HzSerializationError: for a comparator, a bad size or an unhashable element.
        """
        if self.has_comparator:
            _read_comparator(inp, self.java_name)
        n = _read_size(inp, self.java_name, _MIN_ELEMENT_BYTES)
        result: Set[Any] = set()
        add = result.add
        read_object = inp.read_object
        for _ in range(n):
            item = read_object()
            try:
                add(item)
            except TypeError:
                add(_hashable(item, "a Java %s element" % self.java_name))
        return result


def java_collection_serializers() -> Dict[int, SerializerLike]:
    """One serializer per Java map and set type id Hazelcast defines.

    :returns: ``{type_id: serializer}`` for the ids -32 to -41.
    """
    serializers: Dict[int, SerializerLike] = {}
    for type_id, sorted_type in (
        (c.JAVA_DEFAULT_TYPE_HASH_MAP, False),
        (c.JAVA_DEFAULT_TYPE_CONCURRENT_HASH_MAP, False),
        (c.JAVA_DEFAULT_TYPE_LINKED_HASH_MAP, False),
        (c.JAVA_DEFAULT_TYPE_TREE_MAP, True),
        (c.JAVA_DEFAULT_TYPE_CONCURRENT_SKIP_LIST_MAP, True),
    ):
        serializers[type_id] = JavaMapSerializer(type_id, sorted_type)
    for type_id, sorted_type in (
        (c.JAVA_DEFAULT_TYPE_HASH_SET, False),
        (c.JAVA_DEFAULT_TYPE_LINKED_HASH_SET, False),
        (c.JAVA_DEFAULT_TYPE_COPY_ON_WRITE_ARRAY_SET, False),
        (c.JAVA_DEFAULT_TYPE_TREE_SET, True),
        (c.JAVA_DEFAULT_TYPE_CONCURRENT_SKIP_LIST_SET, True),
    ):
        serializers[type_id] = JavaSetSerializer(type_id, sorted_type)
    return serializers
