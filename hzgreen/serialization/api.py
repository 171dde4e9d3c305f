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

The reader/writer classes are interfaces: every method raises ``NotImplementedError``
here and is implemented by hzgreen's own readers and writers. Methods of a reader
or writer take the field name first; ``None`` is a valid value for every
variable-size field (strings, arrays, decimals, dates, nested objects).
"""

from __future__ import annotations

from typing import Any

from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput

__all__ = [
    "CompactReader",
    "CompactSerializer",
    "CompactWriter",
    "IdentifiedDataSerializable",
    "ObjectDataInput",
    "ObjectDataOutput",
    "Portable",
    "PortableReader",
    "PortableWriter",
    "StreamSerializer",
    "VersionedPortable",
]


class StreamSerializer:
    """Base class of serializers (same shape as the official client's ``StreamSerializer``).

    Subclasses implement :meth:`write`, :meth:`read` and :meth:`get_type_id`.
    ``out`` is an :class:`~hzgreen.serialization.output.ObjectDataOutput`, ``inp`` an
    :class:`~hzgreen.serialization.input.ObjectDataInput`; both are big-endian and
    offer ``write_object``/``read_object`` for nested values.
    """

    def write(self, out, obj: Any) -> None:
        raise NotImplementedError("%s.write" % type(self).__name__)

    def read(self, inp) -> Any:
        raise NotImplementedError("%s.read" % type(self).__name__)

    def get_type_id(self) -> int:
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
        raise NotImplementedError("%s.write_data" % type(self).__name__)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        raise NotImplementedError("%s.read_data" % type(self).__name__)

    def get_factory_id(self) -> int:
        raise NotImplementedError("%s.get_factory_id" % type(self).__name__)

    def get_class_id(self) -> int:
        raise NotImplementedError("%s.get_class_id" % type(self).__name__)


class Portable:
    """An object serialized with named, typed fields — type id -1.

    Members can query its fields without the class. Register a factory to read it:
    ``portable_factories={factory_id: {class_id: MyClass}}``. The class version is the
    client's ``portable_version`` unless the class is a :class:`VersionedPortable`.
    """

    def write_portable(self, writer: "PortableWriter") -> None:
        raise NotImplementedError("%s.write_portable" % type(self).__name__)

    def read_portable(self, reader: "PortableReader") -> None:
        raise NotImplementedError("%s.read_portable" % type(self).__name__)

    def get_factory_id(self) -> int:
        raise NotImplementedError("%s.get_factory_id" % type(self).__name__)

    def get_class_id(self) -> int:
        raise NotImplementedError("%s.get_class_id" % type(self).__name__)


class VersionedPortable(Portable):
    """A :class:`Portable` that carries its own class version."""

    def get_class_version(self) -> int:
        raise NotImplementedError("%s.get_class_version" % type(self).__name__)


class CompactSerializer:
    """Reads and writes one Python class in the Compact format (type id -55).

    ``get_type_name()`` names the schema (a Java member or client uses the same name to
    map it to its own class); ``get_class()`` is the Python class it handles. Register
    instances with ``compact_serializers=[...]``.
    """

    def read(self, reader: "CompactReader") -> Any:
        raise NotImplementedError("%s.read" % type(self).__name__)

    def write(self, writer: "CompactWriter", obj: Any) -> None:
        raise NotImplementedError("%s.write" % type(self).__name__)

    def get_class(self) -> type:
        raise NotImplementedError("%s.get_class" % type(self).__name__)

    def get_type_name(self) -> str:
        raise NotImplementedError("%s.get_type_name" % type(self).__name__)


def _abstract(self, *args: Any) -> Any:
    raise NotImplementedError("%s does not implement this method" % type(self).__name__)


class PortableReader:
    """Reads the fields of a :class:`Portable` by name (see the module docstring).

    A reader of a newer class version than the data gets ``None`` for fields the
    data does not have; a field whose type changed incompatibly raises
    :class:`~hzgreen.exceptions.HzSerializationError`.
    """

    get_version = has_field = get_field_names = get_field_type = get_field_class_id = _abstract
    read_int = read_long = read_string = read_utf = read_boolean = read_byte = _abstract
    read_char = read_double = read_float = read_short = read_portable = _abstract
    read_decimal = read_time = read_date = read_timestamp = _abstract
    read_timestamp_with_timezone = _abstract
    read_byte_array = read_boolean_array = read_char_array = read_int_array = _abstract
    read_long_array = read_double_array = read_float_array = read_short_array = _abstract
    read_string_array = read_utf_array = read_decimal_array = read_time_array = _abstract
    read_date_array = read_timestamp_array = read_timestamp_with_timezone_array = _abstract
    read_portable_array = get_raw_data_input = _abstract


class PortableWriter:
    """Writes the fields of a :class:`Portable` by name (see the module docstring)."""

    write_int = write_long = write_string = write_utf = write_boolean = write_byte = _abstract
    write_char = write_double = write_float = write_short = write_portable = _abstract
    write_null_portable = write_decimal = write_time = write_date = write_timestamp = _abstract
    write_timestamp_with_timezone = _abstract
    write_byte_array = write_boolean_array = write_char_array = write_int_array = _abstract
    write_long_array = write_double_array = write_float_array = write_short_array = _abstract
    write_string_array = write_utf_array = write_decimal_array = write_time_array = _abstract
    write_date_array = write_timestamp_array = write_timestamp_with_timezone_array = _abstract
    write_portable_array = get_raw_data_output = _abstract


class CompactReader:
    """Reads the fields of a Compact object by name.

    ``read_<kind>`` reads a field written with the same kind; the plain and
    ``nullable`` variants of a kind read each other (a ``None`` read through a plain
    method raises). ``get_field_kind(name)`` is ``FieldKind.NOT_AVAILABLE`` for a field
    the data does not have, which is how a serializer handles schema evolution.
    """

    get_field_kind = _abstract
    read_boolean = read_nullable_boolean = read_int8 = read_nullable_int8 = _abstract
    read_int16 = read_nullable_int16 = read_int32 = read_nullable_int32 = _abstract
    read_int64 = read_nullable_int64 = read_float32 = read_nullable_float32 = _abstract
    read_float64 = read_nullable_float64 = read_string = read_decimal = _abstract
    read_time = read_date = read_timestamp = read_timestamp_with_timezone = _abstract
    read_compact = _abstract
    read_array_of_boolean = read_array_of_nullable_boolean = _abstract
    read_array_of_int8 = read_array_of_nullable_int8 = _abstract
    read_array_of_int16 = read_array_of_nullable_int16 = _abstract
    read_array_of_int32 = read_array_of_nullable_int32 = _abstract
    read_array_of_int64 = read_array_of_nullable_int64 = _abstract
    read_array_of_float32 = read_array_of_nullable_float32 = _abstract
    read_array_of_float64 = read_array_of_nullable_float64 = _abstract
    read_array_of_string = read_array_of_decimal = read_array_of_time = _abstract
    read_array_of_date = read_array_of_timestamp = _abstract
    read_array_of_timestamp_with_timezone = read_array_of_compact = _abstract


class CompactWriter:
    """Writes the fields of a Compact object by name (same kinds as :class:`CompactReader`)."""

    write_boolean = write_nullable_boolean = write_int8 = write_nullable_int8 = _abstract
    write_int16 = write_nullable_int16 = write_int32 = write_nullable_int32 = _abstract
    write_int64 = write_nullable_int64 = write_float32 = write_nullable_float32 = _abstract
    write_float64 = write_nullable_float64 = write_string = write_decimal = _abstract
    write_time = write_date = write_timestamp = write_timestamp_with_timezone = _abstract
    write_compact = _abstract
    write_array_of_boolean = write_array_of_nullable_boolean = _abstract
    write_array_of_int8 = write_array_of_nullable_int8 = _abstract
    write_array_of_int16 = write_array_of_nullable_int16 = _abstract
    write_array_of_int32 = write_array_of_nullable_int32 = _abstract
    write_array_of_int64 = write_array_of_nullable_int64 = _abstract
    write_array_of_float32 = write_array_of_nullable_float32 = _abstract
    write_array_of_float64 = write_array_of_nullable_float64 = _abstract
    write_array_of_string = write_array_of_decimal = write_array_of_time = _abstract
    write_array_of_date = write_array_of_timestamp = _abstract
    write_array_of_timestamp_with_timezone = write_array_of_compact = _abstract
