"""Portable writers: the field table writer and the class-definition recorder.

Layout of a Portable's fields (positions are absolute offsets in the Data blob)::

    int32 end position | int32 field count | int32 position per field (+1 for raw data)
    then per field, in write order: int16 name length, name (ASCII), byte field type, value

Values: primitives as in ObjectDataOutput; String as int32 length + UTF-8;
decimal/time/date/timestamp(s) as a null flag byte then the value (a Portable date
has a *short* year, unlike the built-in LocalDate); arrays of those as int32 length,
an int32 position per item, then the items; a nested Portable as null flag, factory
id, class id, then version and fields; a Portable array as length, factory id, class
id, item positions, then each item's version and fields.
"""

from __future__ import annotations

import datetime
import struct
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Sequence, Set, cast

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import extended as ext
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.portable.classdef import (
    ClassDefinition,
    ClassDefinitionBuilder,
    FieldDefinition,
    FieldType,
)
from hzgreen.serialization.portable_api import PortableWriter

if TYPE_CHECKING:
    from hzgreen.serialization.api import PortableLike
    from hzgreen.serialization.portable.serializer import PortableContext, PortableSerializer

_NULL_LENGTH = -1


def write_portable_date(out: ObjectDataOutput, value: datetime.date) -> None:
    out.write_short(value.year)
    out.write_byte(value.month)
    out.write_byte(value.day)


def write_portable_timestamp(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_portable_date(out, value)
    ext.write_local_time(out, value)


def write_portable_timestamp_tz(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_portable_timestamp(out, value)
    out.write_int(ext.offset_seconds(value))


def _write_time(out: ObjectDataOutput, value: datetime.time) -> None:
    ext.check_naive_time(value)
    ext.write_local_time(out, value)


#: Plain value writers (no null flag) per field type.
SIMPLE_WRITERS: Dict[FieldType, Callable[[ObjectDataOutput, Any], None]] = {
    FieldType.BYTE: lambda out, v: out.write_byte(v),
    FieldType.BOOLEAN: lambda out, v: out.write_boolean(v),
    FieldType.CHAR: lambda out, v: out.write_char(v),
    FieldType.SHORT: lambda out, v: out.write_short(v),
    FieldType.INT: lambda out, v: out.write_int(v),
    FieldType.LONG: lambda out, v: out.write_long(v),
    FieldType.FLOAT: lambda out, v: out.write_float(v),
    FieldType.DOUBLE: lambda out, v: out.write_double(v),
    FieldType.STRING: lambda out, v: out.write_string(v),
    FieldType.BYTE_ARRAY: lambda out, v: out.write_byte_array(v),
    FieldType.BOOLEAN_ARRAY: lambda out, v: out.write_boolean_array(v),
    FieldType.CHAR_ARRAY: lambda out, v: out.write_char_array(v),
    FieldType.SHORT_ARRAY: lambda out, v: out.write_short_array(v),
    FieldType.INT_ARRAY: lambda out, v: out.write_int_array(v),
    FieldType.LONG_ARRAY: lambda out, v: out.write_long_array(v),
    FieldType.FLOAT_ARRAY: lambda out, v: out.write_float_array(v),
    FieldType.DOUBLE_ARRAY: lambda out, v: out.write_double_array(v),
    FieldType.STRING_ARRAY: lambda out, v: out.write_string_array(v),
}

#: Nullable object writers (null flag + value) and their array types.
OBJECT_WRITERS: Dict[FieldType, Callable[[ObjectDataOutput, Any], None]] = {
    FieldType.DECIMAL: ext.write_big_decimal,
    FieldType.TIME: _write_time,
    FieldType.DATE: write_portable_date,
    FieldType.TIMESTAMP: write_portable_timestamp,
    FieldType.TIMESTAMP_WITH_TIMEZONE: write_portable_timestamp_tz,
}
ARRAY_OF: Dict[FieldType, FieldType] = {
    FieldType.DECIMAL_ARRAY: FieldType.DECIMAL,
    FieldType.TIME_ARRAY: FieldType.TIME,
    FieldType.DATE_ARRAY: FieldType.DATE,
    FieldType.TIMESTAMP_ARRAY: FieldType.TIMESTAMP,
    FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY: FieldType.TIMESTAMP_WITH_TIMEZONE,
}


def _method_name(field_type: FieldType) -> str:
    return "write_%s" % field_type.name.lower()


class DefaultPortableWriter(PortableWriter):
    """Writes the fields of one Portable following its class definition."""

    def __init__(self, serializer: PortableSerializer, out: ObjectDataOutput, class_def: ClassDefinition) -> None:
        self._serializer = serializer
        self._out = out
        self._class_def = class_def
        self._written: Set[str] = set()
        self._raw = False
        self._begin = out.position()
        out.write_zero_bytes(4)
        count = class_def.get_field_count()
        out.write_int(count)
        self._offset = out.position()
        out.write_zero_bytes((count + 1) * 4)

    def _describe(self) -> str:
        cd = self._class_def
        return "Portable %d/%d (version %d)" % (cd.factory_id, cd.class_id, cd.version)

    def _field(self, name: str, field_type: FieldType) -> FieldDefinition:
        if self._raw:
            raise HzSerializationError(
                "%s: cannot write field %r after get_raw_data_output()" % (self._describe(), name)
            )
        field = self._class_def.get_field(name)
        if field is None:
            raise HzSerializationError(
                "%s has no field %r in its class definition (fields: %s)"
                % (self._describe(), name, ", ".join(self._class_def.get_field_names()))
            )
        if field.field_type != field_type:
            raise HzSerializationError(
                "%s: field %r is %s in the class definition but was written as %s"
                % (self._describe(), name, field.field_type.name, field_type.name)
            )
        if name in self._written:
            raise HzSerializationError("%s: field %r is written twice" % (self._describe(), name))
        self._written.add(name)
        out = self._out
        out.write_int_positional(out.position(), self._offset + field.index * 4)
        out.write_short(len(name))
        out.write_from(name.encode("ascii"))
        out.write_byte(int(field_type))
        return field

    def _fail(self, name: str, field_type: FieldType, value: Any, error: BaseException) -> HzSerializationError:
        return HzSerializationError(
            "%s: cannot write %r to field %r (%s): %s" % (self._describe(), value, name, field_type.name, error)
        )

    def _write_simple(self, name: str, field_type: FieldType, value: Any) -> None:
        self._field(name, field_type)
        try:
            SIMPLE_WRITERS[field_type](self._out, value)
        except (struct.error, TypeError, ValueError, OverflowError) as e:
            raise self._fail(name, field_type, value, e) from None

    def _write_object(self, name: str, field_type: FieldType, value: Any) -> None:
        self._field(name, field_type)
        out = self._out
        out.write_boolean(value is None)
        if value is not None:
            try:
                OBJECT_WRITERS[field_type](out, value)
            except (struct.error, TypeError, ValueError, OverflowError, AttributeError) as e:
                raise self._fail(name, field_type, value, e) from None

    def _write_object_array(self, name: str, field_type: FieldType, values: Optional[Sequence[Any]]) -> None:
        self._field(name, field_type)
        out = self._out
        if values is None:
            out.write_int(_NULL_LENGTH)
            return
        item_writer = OBJECT_WRITERS[ARRAY_OF[field_type]]
        out.write_int(len(values))
        table = out.position()
        out.write_zero_bytes(4 * len(values))
        for i, value in enumerate(values):
            if value is None:
                raise HzSerializationError(
                    "%s: field %r (%s) cannot hold None items" % (self._describe(), name, field_type.name)
                )
            out.write_int_positional(out.position(), table + 4 * i)
            try:
                item_writer(out, value)
            except (struct.error, TypeError, ValueError, OverflowError, AttributeError) as e:
                raise self._fail(name, field_type, value, e) from None

    # -- nested Portables -----------------------------------------------------------

    def _check_nested(self, name: str, field: FieldDefinition, portable: PortableLike) -> None:
        ids = (portable.get_factory_id(), portable.get_class_id())
        if ids != (field.factory_id, field.class_id):
            raise HzSerializationError(
                "%s: field %r holds Portables %d/%d, got %s (%d/%d)"
                % (self._describe(), name, field.factory_id, field.class_id, type(portable).__name__, *ids)
            )

    def write_portable(self, field_name: str, portable: Optional[PortableLike]) -> None:
        field = self._field(field_name, FieldType.PORTABLE)
        out = self._out
        out.write_boolean(portable is None)
        out.write_int(field.factory_id)
        out.write_int(field.class_id)
        if portable is not None:
            self._check_nested(field_name, field, portable)
            self._serializer.write_internal(out, portable)

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        self._field(field_name, FieldType.PORTABLE)
        out = self._out
        out.write_boolean(True)
        out.write_int(factory_id)
        out.write_int(class_id)

    def write_portable_array(self, field_name: str, values: Optional[Sequence[PortableLike]]) -> None:
        field = self._field(field_name, FieldType.PORTABLE_ARRAY)
        out = self._out
        out.write_int(_NULL_LENGTH if values is None else len(values))
        out.write_int(field.factory_id)
        out.write_int(field.class_id)
        if not values:
            return
        table = out.position()
        out.write_zero_bytes(4 * len(values))
        for i, portable in enumerate(values):
            if portable is None:
                raise HzSerializationError("%s: field %r cannot hold None items" % (self._describe(), field_name))
            self._check_nested(field_name, field, portable)
            out.write_int_positional(out.position(), table + 4 * i)
            self._serializer.write_internal(out, portable)

    def get_raw_data_output(self) -> ObjectDataOutput:
        """Returns the stream after the fields, for data outside the class definition."""
        if not self._raw:
            out = self._out
            out.write_int_positional(out.position(), self._offset + self._class_def.get_field_count() * 4)
            self._raw = True
        return self._out

    def end(self) -> None:
        missing = [n for n in self._class_def.get_field_names() if n not in self._written]
        if missing:
            raise HzSerializationError(
                "%s: write_portable did not write field(s) %s of its class definition"
                % (self._describe(), ", ".join(missing))
            )
        self._out.write_int_positional(self._out.position(), self._begin)


class _DiscardingOutput:
    """Raw data written while recording a class definition goes nowhere."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kwargs: None


class ClassDefinitionWriter(PortableWriter):
    """Records the fields a Portable writes, to build its class definition."""

    def __init__(self, context: PortableContext, factory_id: int, class_id: int, version: int) -> None:
        self._context = context
        self._builder = ClassDefinitionBuilder(factory_id, class_id, version)

    def write_portable(self, field_name: str, portable: Optional[PortableLike]) -> None:
        if portable is None:
            raise HzSerializationError(
                "cannot learn the class of a None Portable field %r: use write_null_portable with a "
                "class definition registered in class_definitions" % field_name
            )
        nested = self._context.lookup_or_register(portable)
        self._builder.add_portable_field(field_name, nested)

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        nested = self._context.lookup(factory_id, class_id, self._context.portable_version)
        if nested is None:
            raise HzSerializationError(
                "write_null_portable(%r): no class definition for %d/%d is registered; add it to "
                "the class_definitions option" % (field_name, factory_id, class_id)
            )
        self._builder.add_portable_field(field_name, nested)

    def write_portable_array(self, field_name: str, values: Optional[Sequence[PortableLike]]) -> None:
        if not values:
            raise HzSerializationError(
                "cannot learn the item class of an empty or None Portable array field %r: register its "
                "class definition in class_definitions" % field_name
            )
        nested = self._context.lookup_or_register(values[0])
        self._builder.add_portable_array_field(field_name, nested)

    def get_raw_data_output(self) -> ObjectDataOutput:
        """Returns an output that drops what is written to it (raw data is not part of the definition)."""
        # _DiscardingOutput answers every ObjectDataOutput method (and does nothing).
        return cast(ObjectDataOutput, _DiscardingOutput())

    def register_and_get(self) -> ClassDefinition:
        return self._context.register(self._builder.build())


def _install(field_type: FieldType, kind: str) -> None:
    def write(self: DefaultPortableWriter, field_name: str, value: Any) -> None:
        getattr(self, kind)(field_name, field_type, value)

    def record(self: ClassDefinitionWriter, field_name: str, value: Any) -> None:
        getattr(self._builder, "add_%s_field" % field_type.name.lower())(field_name)

    name = _method_name(field_type)
    write.__name__ = record.__name__ = name
    write.__doc__ = "Write field ``field_name`` as %s." % field_type.name
    setattr(DefaultPortableWriter, name, write)
    setattr(ClassDefinitionWriter, name, record)


for _type in SIMPLE_WRITERS:
    _install(_type, "_write_simple")
for _type in OBJECT_WRITERS:
    _install(_type, "_write_object")
for _type in ARRAY_OF:
    _install(_type, "_write_object_array")
# write_utf / write_utf_array: FieldType.UTF and UTF_ARRAY are other names of STRING and STRING_ARRAY.
for _alias, _type in FieldType.__members__.items():
    if _alias != _type.name:
        for _cls in (DefaultPortableWriter, ClassDefinitionWriter):
            setattr(_cls, "write_%s" % _alias.lower(), getattr(_cls, _method_name(_type)))


def portable_version_of(portable: object, default: int) -> int:
    """Returns the class version a Portable is written with: its ``get_class_version()``, else ``default``.

    :raises HzSerializationError: if ``get_class_version()`` does not return an int >= 0.
    """
    get_version: Optional[Callable[[], int]] = getattr(portable, "get_class_version", None)
    if callable(get_version):
        version = get_version()
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise HzSerializationError(
                "%s.get_class_version() must return an int >= 0, got %r" % (type(portable).__name__, version)
            )
        return version
    return default
