"""Portable readers: by field name, through the field table of the blob (see writer.py).

:class:`DefaultPortableReader` reads data written with the reader's own class version;
:class:`MorphingPortableReader` reads data of another version: a field the data does
not have reads as ``None``, a numeric field reads through Java's widening rules
(byte → short → int → long → float → double), anything else that changed type raises
:class:`~hzgreen.exceptions.HzSerializationError`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, TypeVar

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import extended as ext
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.portable.classdef import ClassDefinition, FieldDefinition, FieldType
from hzgreen.serialization.portable.writer import ARRAY_OF, OBJECT_WRITERS, SIMPLE_WRITERS
from hzgreen.serialization.portable_api import PortableReader

if TYPE_CHECKING:
    from hzgreen.serialization.portable.serializer import PortableSerializer

_NULL_LENGTH = -1
T = TypeVar("T")


def read_portable_date(inp: ObjectDataInput) -> datetime.date:
    year = inp.read_short()
    month = inp.read_byte()
    day = inp.read_byte()
    return ext._date(year, month, day)


def read_portable_timestamp(inp: ObjectDataInput) -> datetime.datetime:
    day = read_portable_date(inp)
    return datetime.datetime.combine(day, ext.read_local_time(inp))


def read_portable_timestamp_tz(inp: ObjectDataInput) -> datetime.datetime:
    local = read_portable_timestamp(inp)
    return local.replace(tzinfo=datetime.timezone(datetime.timedelta(seconds=inp.read_int())))


SIMPLE_READERS: Dict[FieldType, Callable[[ObjectDataInput], Any]] = {
    FieldType.BYTE: lambda inp: inp.read_byte(),
    FieldType.BOOLEAN: lambda inp: inp.read_boolean(),
    FieldType.CHAR: lambda inp: inp.read_char(),
    FieldType.SHORT: lambda inp: inp.read_short(),
    FieldType.INT: lambda inp: inp.read_int(),
    FieldType.LONG: lambda inp: inp.read_long(),
    FieldType.FLOAT: lambda inp: inp.read_float(),
    FieldType.DOUBLE: lambda inp: inp.read_double(),
    FieldType.STRING: lambda inp: inp.read_string(),
    FieldType.BYTE_ARRAY: lambda inp: inp.read_byte_array(),
    FieldType.BOOLEAN_ARRAY: lambda inp: inp.read_boolean_array(),
    FieldType.CHAR_ARRAY: lambda inp: inp.read_char_array(),
    FieldType.SHORT_ARRAY: lambda inp: inp.read_short_array(),
    FieldType.INT_ARRAY: lambda inp: inp.read_int_array(),
    FieldType.LONG_ARRAY: lambda inp: inp.read_long_array(),
    FieldType.FLOAT_ARRAY: lambda inp: inp.read_float_array(),
    FieldType.DOUBLE_ARRAY: lambda inp: inp.read_double_array(),
    FieldType.STRING_ARRAY: lambda inp: inp.read_string_array(),
}
OBJECT_READERS: Dict[FieldType, Callable[[ObjectDataInput], Any]] = {
    FieldType.DECIMAL: ext.read_big_decimal,
    FieldType.TIME: ext.read_local_time,
    FieldType.DATE: read_portable_date,
    FieldType.TIMESTAMP: read_portable_timestamp,
    FieldType.TIMESTAMP_WITH_TIMEZONE: read_portable_timestamp_tz,
}
assert set(SIMPLE_READERS) == set(SIMPLE_WRITERS) and set(OBJECT_READERS) == set(OBJECT_WRITERS)

#: Java's widening conversions for the morphing reader: wanted type -> stored types it accepts.
_WIDENING: Dict[FieldType, Tuple[FieldType, ...]] = {
    FieldType.SHORT: (FieldType.BYTE,),
    FieldType.INT: (FieldType.BYTE, FieldType.SHORT, FieldType.CHAR),
    FieldType.LONG: (FieldType.BYTE, FieldType.SHORT, FieldType.CHAR, FieldType.INT),
    FieldType.FLOAT: (FieldType.BYTE, FieldType.SHORT, FieldType.CHAR, FieldType.INT),
    FieldType.DOUBLE: (FieldType.BYTE, FieldType.SHORT, FieldType.CHAR, FieldType.INT, FieldType.LONG, FieldType.FLOAT),
}


class DefaultPortableReader(PortableReader):
    """Reads fields by name from data whose class definition is ``class_def``."""

    def __init__(self, serializer: PortableSerializer, inp: ObjectDataInput, class_def: ClassDefinition) -> None:
        self._serializer = serializer
        self._in = inp
        self._class_def = class_def
        self._final = inp.read_int()
        count = inp.read_int()
        if count != class_def.get_field_count():
            raise HzSerializationError(
                "%s: the data has %d fields, its class definition %d"
                % (self._describe(), count, class_def.get_field_count())
            )
        if not inp.position() <= self._final <= inp.size():
            raise HzSerializationError("%s: end position %d is outside the data" % (self._describe(), self._final))
        self._offset = inp.position()
        self._raw = False

    def _describe(self) -> str:
        cd = self._class_def
        return "Portable %d/%d (version %d)" % (cd.factory_id, cd.class_id, cd.version)

    # -- class definition ---------------------------------------------------------

    def get_version(self) -> int:
        return self._class_def.version

    def has_field(self, field_name: str) -> bool:
        return self._class_def.has_field(field_name)

    def get_field_names(self) -> List[str]:
        return self._class_def.get_field_names()

    def get_field_type(self, field_name: str) -> FieldType:
        return self._class_def.get_field_type(field_name)

    def get_field_class_id(self, field_name: str) -> int:
        return self._class_def.get_field_class_id(field_name)

    # -- positions -------------------------------------------------------------------

    def _value_position(self, field: FieldDefinition) -> int:
        inp = self._in
        here = inp.position()
        try:
            inp.set_position(self._offset + field.index * 4)
            start = inp.read_int()
            inp.set_position(start)
            name_length = inp.read_short()
        finally:
            inp.set_position(here)
        return start + 2 + name_length + 1

    def _lookup(self, field_name: str, field_type: FieldType) -> FieldDefinition:
        if self._raw:
            raise HzSerializationError(
                "%s: cannot read field %r after get_raw_data_input()" % (self._describe(), field_name)
            )
        field = self._class_def.get_field(field_name)
        if field is None:
            raise HzSerializationError(
                "%s has no field %r (fields: %s)"
                % (self._describe(), field_name, ", ".join(self._class_def.get_field_names()))
            )
        if field.field_type != field_type:
            raise HzSerializationError(
                "%s: field %r is %s, not %s" % (self._describe(), field_name, field.field_type.name, field_type.name)
            )
        return field

    def _at(self, field: FieldDefinition, read: Callable[[ObjectDataInput], T]) -> T:
        """Returns ``read(inp)`` at the value of ``field``; the stream position is left as it was."""
        inp = self._in
        here = inp.position()
        try:
            inp.set_position(self._value_position(field))
            return read(inp)
        finally:
            inp.set_position(here)

    # -- values ----------------------------------------------------------------------

    def _read_simple(self, field_name: str, field_type: FieldType) -> Any:
        return self._at(self._lookup(field_name, field_type), SIMPLE_READERS[field_type])

    def _read_object(self, field_name: str, field_type: FieldType) -> Any:
        reader = OBJECT_READERS[field_type]
        return self._at(self._lookup(field_name, field_type), lambda inp: None if inp.read_boolean() else reader(inp))

    def _read_object_array(self, field_name: str, field_type: FieldType) -> Optional[List[Any]]:
        reader = OBJECT_READERS[ARRAY_OF[field_type]]

        def read(inp: ObjectDataInput) -> Optional[List[Any]]:
            n = inp.read_int()
            if n == _NULL_LENGTH:
                return None
            table = inp.position()
            values = []
            for i in range(n):
                inp.set_position(table + 4 * i)
                inp.set_position(inp.read_int())
                values.append(reader(inp))
            return values

        return self._at(self._lookup(field_name, field_type), read)

    def read_portable(self, field_name: str) -> Any:
        field = self._lookup(field_name, FieldType.PORTABLE)

        def read(inp: ObjectDataInput) -> Any:
            is_null = inp.read_boolean()
            factory_id = inp.read_int()
            class_id = inp.read_int()
            self._check_nested(field, factory_id, class_id)
            return None if is_null else self._serializer.read_internal(inp, factory_id, class_id)

        return self._at(field, read)

    def read_portable_array(self, field_name: str) -> Optional[List[Any]]:
        field = self._lookup(field_name, FieldType.PORTABLE_ARRAY)

        def read(inp: ObjectDataInput) -> Optional[List[Any]]:
            n = inp.read_int()
            factory_id = inp.read_int()
            class_id = inp.read_int()
            if n == _NULL_LENGTH:
                return None
            self._check_nested(field, factory_id, class_id)
            table = inp.position()
            values = []
            for i in range(n):
                inp.set_position(table + 4 * i)
                inp.set_position(inp.read_int())
                values.append(self._serializer.read_internal(inp, factory_id, class_id))
            return values

        return self._at(field, read)

    def _check_nested(self, field: FieldDefinition, factory_id: int, class_id: int) -> None:
        if (factory_id, class_id) != (field.factory_id, field.class_id):
            raise HzSerializationError(
                "%s: field %r should hold %d/%d Portables, the data has %d/%d"
                % (self._describe(), field.name, field.factory_id, field.class_id, factory_id, class_id)
            )

    def get_raw_data_input(self) -> ObjectDataInput:
        """Returns the stream after the fields, for data outside the class definition."""
        if not self._raw:
            inp = self._in
            inp.set_position(self._offset + self._class_def.get_field_count() * 4)
            inp.set_position(inp.read_int())
            self._raw = True
        return self._in

    def end(self) -> None:
        """Move the stream past this Portable (whatever was read of it)."""
        self._in.set_position(self._final)


class MorphingPortableReader(DefaultPortableReader):
    """Reads data of another class version (see the module docstring)."""

    def _morph(self, field_name: str, wanted: FieldType) -> Optional[FieldType]:
        """The stored type to read ``field_name`` as, or None when the data lacks the field."""
        field = self._class_def.get_field(field_name)
        if field is None:
            return None
        stored = field.field_type
        if stored == wanted or stored in _WIDENING.get(wanted, ()):
            return stored
        raise HzSerializationError(
            "incompatible class change in %s: field %r is %s in the data, cannot be read as %s"
            % (self._describe(), field_name, stored.name, wanted.name)
        )

    def _read_simple(self, field_name: str, field_type: FieldType) -> Any:
        stored = self._morph(field_name, field_type)
        if stored is None:
            return None
        value = DefaultPortableReader._read_simple(self, field_name, stored)
        if stored == FieldType.CHAR:
            value = ord(value)
        if field_type in (FieldType.FLOAT, FieldType.DOUBLE):
            value = float(value)
        return value

    def _read_object(self, field_name: str, field_type: FieldType) -> Any:
        if self._morph(field_name, field_type) is None:
            return None
        return DefaultPortableReader._read_object(self, field_name, field_type)

    def _read_object_array(self, field_name: str, field_type: FieldType) -> Optional[List[Any]]:
        if self._morph(field_name, field_type) is None:
            return None
        return DefaultPortableReader._read_object_array(self, field_name, field_type)

    def read_portable(self, field_name: str) -> Any:
        if self._morph(field_name, FieldType.PORTABLE) is None:
            return None
        return DefaultPortableReader.read_portable(self, field_name)

    def read_portable_array(self, field_name: str) -> Optional[List[Any]]:
        if self._morph(field_name, FieldType.PORTABLE_ARRAY) is None:
            return None
        return DefaultPortableReader.read_portable_array(self, field_name)


def _install(field_type: FieldType, kind: str) -> None:
    def read(self: DefaultPortableReader, field_name: str) -> Any:
        return getattr(self, kind)(field_name, field_type)

    read.__name__ = "read_%s" % field_type.name.lower()
    read.__doc__ = "Read field ``field_name`` of type %s." % field_type.name
    setattr(DefaultPortableReader, read.__name__, read)


for _type in SIMPLE_READERS:
    _install(_type, "_read_simple")
for _type in OBJECT_READERS:
    _install(_type, "_read_object")
for _type in ARRAY_OF:
    _install(_type, "_read_object_array")
# read_utf / read_utf_array: FieldType.UTF and UTF_ARRAY are other names of STRING and STRING_ARRAY.
for _alias, _type in FieldType.__members__.items():
    if _alias != _type.name:
        setattr(
            DefaultPortableReader,
            "read_%s" % _alias.lower(),
            getattr(DefaultPortableReader, "read_%s" % _type.name.lower()),
        )
