"""The user-facing serialization interfaces (names and shapes of the official client's).

* :class:`StreamSerializer`: a custom or global serializer owning a type id.
* :class:`IdentifiedDataSerializable`: an object that writes its own fields, created on
  read by a factory registered under ``data_serializable_factories``.
* :class:`Portable` / :class:`VersionedPortable`: self-describing objects with named,
  typed fields (queryable on the member without the class), created on read by
  ``portable_factories``; :class:`PortableReader` / :class:`PortableWriter` are what
  their ``read_portable`` / ``write_portable`` receive.
* :class:`CompactSerializer`: the Compact format (schema-based, queryable, evolvable);
  :class:`CompactReader` / :class:`CompactWriter` are what it receives.
* :class:`ObjectDataInput` / :class:`ObjectDataOutput`: the big-endian streams.

The reader/writer classes are interfaces (declared in
:mod:`~hzgreen.serialization.portable_api` and :mod:`~hzgreen.serialization.compact_api`,
which takes the Compact ones from ``compact_reader`` and ``compact_writer``):
every method raises ``NotImplementedError`` there and is implemented by hzgreen's own
readers and writers. Methods of a reader or writer take the field name first; ``None``
is a valid value for every variable-size field (strings, arrays, decimals, dates,
nested objects).

Serialization recognises objects by their methods, not their base class, so classes
written for the official client work unchanged. The ``...Like`` protocols
(:class:`SerializerLike`, :class:`IdentifiedDataSerializableLike`,
:class:`PortableLike`, :class:`CompactSerializerLike`) are those method sets, as
static types.
"""

from __future__ import annotations

from typing import Any, Protocol

from hzgreen.serialization.compact_api import CompactReader, CompactWriter
from hzgreen.serialization.data import Data
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.portable_api import PortableReader, PortableWriter

__all__ = [
    "CompactReader",
    "CompactSerializer",
    "CompactSerializerLike",
    "CompactWriter",
    "Data",
    "IdentifiedDataSerializable",
    "IdentifiedDataSerializableLike",
    "ObjectDataInput",
    "ObjectDataOutput",
    "Portable",
    "PortableLike",
    "PortableReader",
    "PortableWriter",
    "SerializerLike",
    "StreamSerializer",
    "VersionedPortable",
]


class SerializerLike(Protocol):
    """What ``custom_serializers`` and ``global_serializer`` take, and what the type id registry holds."""

    def write(self, out: ObjectDataOutput, obj: Any, /) -> None: ...
    def read(self, inp: ObjectDataInput, /) -> Any: ...
    def get_type_id(self) -> int: ...


class IdentifiedDataSerializableLike(Protocol):
    """An object serialized as IdentifiedDataSerializable (type id -2)."""

    def get_factory_id(self) -> int: ...
    def get_class_id(self) -> int: ...
    def write_data(self, object_data_output: ObjectDataOutput, /) -> None: ...
    def read_data(self, object_data_input: ObjectDataInput, /) -> None: ...


class PortableLike(Protocol):
    """An object serialized as Portable (type id -1)."""

    def get_factory_id(self) -> int: ...
    def get_class_id(self) -> int: ...
    def write_portable(self, writer: PortableWriter, /) -> None: ...
    def read_portable(self, reader: PortableReader, /) -> None: ...


class CompactSerializerLike(Protocol):
    """What ``compact_serializers`` holds: reads and writes one class in the Compact format."""

    def read(self, reader: CompactReader, /) -> Any: ...
    def write(self, writer: CompactWriter, obj: Any, /) -> None: ...
    def get_class(self) -> type: ...
    def get_type_name(self) -> str: ...


class StreamSerializer:
    """Base class of serializers (same shape as the official client's ``StreamSerializer``).

    Subclasses implement :meth:`write`, :meth:`read` and :meth:`get_type_id`.
    ``out`` is an :class:`~hzgreen.serialization.output.ObjectDataOutput`, ``inp`` an
    :class:`~hzgreen.serialization.input.ObjectDataInput`; both are big-endian and
    offer ``write_object``/``read_object`` for nested values.
    """

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        """Write ``obj``'s payload to ``out``; returns None."""
        raise NotImplementedError("%s.write" % type(self).__name__)

    def read(self, inp: ObjectDataInput) -> Any:
        """Returns the object read from ``inp`` (the payload :meth:`write` wrote)."""
        raise NotImplementedError("%s.read" % type(self).__name__)

    def get_type_id(self) -> int:
        """Returns the type id this serializer owns (positive for user serializers)."""
        raise NotImplementedError("%s.get_type_id" % type(self).__name__)

    def destroy(self) -> None:
        """Release resources when the service shuts down (nothing by default)."""


class IdentifiedDataSerializable:
    """An object serialized as (factory id, class id, its own fields) — type id -2.

    Register a factory to read it back: ``data_serializable_factories={factory_id:
    {class_id: MyClass}}`` (any zero-argument callable works as the value). A Java
    class with the same ids and field order, registered in the member's
    ``<data-serializable-factories>``, reads and writes the same bytes.
    """

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Writes this object's fields to ``object_data_output`` in the order the Java class reads them;
        returns None. Raises NotImplementedError here: a subclass implements it."""
        raise NotImplementedError("%s.write_data" % type(self).__name__)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """Reads this object's fields from ``object_data_input`` (the order :meth:`write_data` wrote);
        returns None. Raises NotImplementedError here: a subclass implements it."""
        raise NotImplementedError("%s.read_data" % type(self).__name__)

    def get_factory_id(self) -> int:
        """Returns the factory id registered in ``data_serializable_factories``. Raises NotImplementedError
        here: a subclass implements it."""
        raise NotImplementedError("%s.get_factory_id" % type(self).__name__)

    def get_class_id(self) -> int:
        """Returns the class id within the factory. Raises NotImplementedError here: a subclass implements
        it."""
        raise NotImplementedError("%s.get_class_id" % type(self).__name__)


class Portable:
    """An object serialized with named, typed fields — type id -1.

    Members can query its fields without the class. Register a factory to read it:
    ``portable_factories={factory_id: {class_id: MyClass}}``. The class version is the
    client's ``portable_version`` unless the class is a :class:`VersionedPortable`.
    """

    def write_portable(self, writer: PortableWriter) -> None:
        """Writes this object's fields by name through ``writer``; returns None. Raises NotImplementedError
        here: a subclass implements it."""
        raise NotImplementedError("%s.write_portable" % type(self).__name__)

    def read_portable(self, reader: PortableReader) -> None:
        """Reads this object's fields by name through ``reader``; returns None. Raises NotImplementedError
        here: a subclass implements it."""
        raise NotImplementedError("%s.read_portable" % type(self).__name__)

    def get_factory_id(self) -> int:
        """Returns the factory id registered in ``portable_factories``. Raises NotImplementedError here: a
        subclass implements it."""
        raise NotImplementedError("%s.get_factory_id" % type(self).__name__)

    def get_class_id(self) -> int:
        """Returns the class id within the factory. Raises NotImplementedError here: a subclass implements
        it."""
        raise NotImplementedError("%s.get_class_id" % type(self).__name__)


class VersionedPortable(Portable):
    """A :class:`Portable` that carries its own class version."""

    def get_class_version(self) -> int:
        """Returns the class version written with the data (instead of the client's ``portable_version``).
        Raises NotImplementedError here: a subclass implements it."""
        raise NotImplementedError("%s.get_class_version" % type(self).__name__)


class CompactSerializer:
    """Reads and writes one Python class in the Compact format (type id -55).

    ``get_type_name()`` names the schema (a Java member or client uses the same name to
    map it to its own class); ``get_class()`` is the Python class it handles. Register
    instances with ``compact_serializers=[...]``.
    """

    def read(self, reader: CompactReader) -> Any:
        """Returns the object read from ``reader``'s fields. Raises NotImplementedError here: a subclass
        implements it."""
        raise NotImplementedError("%s.read" % type(self).__name__)

    def write(self, writer: CompactWriter, obj: Any) -> None:
        """Writes the fields of ``obj`` through ``writer``; returns None. Raises NotImplementedError here:
        a subclass implements it."""
        raise NotImplementedError("%s.write" % type(self).__name__)

    def get_class(self) -> type:
        """Returns the Python class this serializer handles. Raises NotImplementedError here: a subclass
        implements it."""
        raise NotImplementedError("%s.get_class" % type(self).__name__)

    def get_type_name(self) -> str:
        """Returns the schema's type name (shared with Java code mapping it to its class). Raises
        NotImplementedError here: a subclass implements it."""
        raise NotImplementedError("%s.get_type_name" % type(self).__name__)
