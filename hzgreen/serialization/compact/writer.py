"""Compact writers: the data writer and the schema recorder.

Data layout of one object (after its int64 schema id)::

    [int32 data length]            only if the schema has variable-size fields
    fixed section                  fixed-size fields and packed booleans (schema.fixed_size bytes)
    variable section               variable-size values, in write order
    [offset table]                 one offset per variable-size field, relative to the start
                                   of the fixed section; -1 = None. Offsets are 1 byte when
                                   the data length is < 255, 2 bytes when < 65535, else 4.

A variable-size value is: a nullable primitive as the primitive; a string; a decimal
(BigInteger + int32 scale); date/time/timestamp(s) as the java.time built-ins; a nested
Compact as its schema id and data; an array of fixed-size items as int32 count + items
(booleans as packed bits); any other array as int32 data length, int32 count, the
non-None items, then an offset table sized by that data length.
"""

from __future__ import annotations

import datetime
import struct
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import extended as ext
from hzgreen.serialization.compact.schema import FIXED_SIZES, UNSUPPORTED_KINDS, FieldDescriptor, FieldKind, Schema
from hzgreen.serialization.compact_api import CompactWriter
from hzgreen.serialization.output import ObjectDataOutput

if TYPE_CHECKING:
    from hzgreen.serialization.compact.serializer import CompactStreamSerializer

K = FieldKind
NULL_OFFSET = -1
_WRITE_ERRORS = (struct.error, TypeError, ValueError, OverflowError, AttributeError)


def offset_size(data_length: int) -> int:
    """Returns the byte size of one offset in the table of a section of ``data_length`` bytes."""
    if data_length < 255:
        return 1
    if data_length < 65535:
        return 2
    return 4


def write_offsets(out: ObjectDataOutput, data_length: int, offsets: List[int]) -> None:
    size = offset_size(data_length)
    for offset in offsets:
        if size == 1:
            out.write_unsigned_byte(offset & 0xFF)
        elif size == 2:
            out.write_short(offset if offset < 0x8000 else offset - 0x10000)
        else:
            out.write_int(offset)


def write_boolean_bits(out: ObjectDataOutput, values: Iterable[bool]) -> None:
    values = list(values)
    out.write_int(len(values))
    packed = bytearray((len(values) + 7) // 8)
    for i, value in enumerate(values):
        if not isinstance(value, bool):
            raise TypeError("boolean array items must be bool, got %r" % (value,))
        if value:
            packed[i >> 3] |= 1 << (i & 7)
    out.write_from(packed)


def _int8_array(out: ObjectDataOutput, values: Iterable[int]) -> None:
    if isinstance(values, (bytes, bytearray, memoryview)):
        out.write_byte_array(values)
    else:
        out.write_byte_array([int(v) for v in values])


def _time(out: ObjectDataOutput, value: datetime.time) -> None:
    ext.check_naive_time(value)
    ext.write_local_time(out, value)


def _timestamp(out: ObjectDataOutput, value: datetime.datetime) -> None:
    if value.tzinfo is not None:
        raise ValueError(
            "a TIMESTAMP field is a LocalDateTime: it takes a naive datetime "
            "(use TIMESTAMP_WITH_TIMEZONE for an aware one)"
        )
    ext.write_local_date_time(out, value)


def _date(out: ObjectDataOutput, value: datetime.date) -> None:
    ext.write_local_date(out, value)


#: Variable-size single values: kind -> writer(out, value). COMPACT is added per writer.
VALUE_WRITERS: Dict[FieldKind, Callable[[ObjectDataOutput, Any], None]] = {
    K.NULLABLE_BOOLEAN: lambda out, v: out.write_boolean(v),
    K.NULLABLE_INT8: lambda out, v: out.write_byte(v),
    K.NULLABLE_INT16: lambda out, v: out.write_short(v),
    K.NULLABLE_INT32: lambda out, v: out.write_int(v),
    K.NULLABLE_INT64: lambda out, v: out.write_long(v),
    K.NULLABLE_FLOAT32: lambda out, v: out.write_float(v),
    K.NULLABLE_FLOAT64: lambda out, v: out.write_double(v),
    K.STRING: lambda out, v: out.write_string(v),
    K.DECIMAL: ext.write_big_decimal,
    K.TIME: _time,
    K.DATE: _date,
    K.TIMESTAMP: _timestamp,
    K.TIMESTAMP_WITH_TIMEZONE: ext.write_offset_date_time,
    K.ARRAY_OF_BOOLEAN: write_boolean_bits,
    K.ARRAY_OF_INT8: _int8_array,
    K.ARRAY_OF_INT16: lambda out, v: out.write_short_array(list(v)),
    K.ARRAY_OF_INT32: lambda out, v: out.write_int_array(list(v)),
    K.ARRAY_OF_INT64: lambda out, v: out.write_long_array(list(v)),
    K.ARRAY_OF_FLOAT32: lambda out, v: out.write_float_array(list(v)),
    K.ARRAY_OF_FLOAT64: lambda out, v: out.write_double_array(list(v)),
}
#: Arrays written item by item (None items allowed): array kind -> item kind.
ITEM_KINDS: Dict[FieldKind, FieldKind] = {
    K.ARRAY_OF_NULLABLE_BOOLEAN: K.NULLABLE_BOOLEAN,
    K.ARRAY_OF_NULLABLE_INT8: K.NULLABLE_INT8,
    K.ARRAY_OF_NULLABLE_INT16: K.NULLABLE_INT16,
    K.ARRAY_OF_NULLABLE_INT32: K.NULLABLE_INT32,
    K.ARRAY_OF_NULLABLE_INT64: K.NULLABLE_INT64,
    K.ARRAY_OF_NULLABLE_FLOAT32: K.NULLABLE_FLOAT32,
    K.ARRAY_OF_NULLABLE_FLOAT64: K.NULLABLE_FLOAT64,
    K.ARRAY_OF_STRING: K.STRING,
    K.ARRAY_OF_DECIMAL: K.DECIMAL,
    K.ARRAY_OF_TIME: K.TIME,
    K.ARRAY_OF_DATE: K.DATE,
    K.ARRAY_OF_TIMESTAMP: K.TIMESTAMP,
    K.ARRAY_OF_TIMESTAMP_WITH_TIMEZONE: K.TIMESTAMP_WITH_TIMEZONE,
    K.ARRAY_OF_COMPACT: K.COMPACT,
}
_FIXED_WRITERS = {
    K.INT8: "write_byte_positional",
    K.INT16: "write_short_positional",
    K.INT32: "write_int_positional",
    K.INT64: "write_long_positional",
    K.FLOAT32: "write_float_positional",
    K.FLOAT64: "write_double_positional",
}
#: Every kind a Python client reads and writes.
SUPPORTED_KINDS = [k for k in FieldKind if k not in UNSUPPORTED_KINDS]


def method_suffix(kind: FieldKind) -> str:
    """``INT32`` -> ``int32``: the reader/writer methods are ``read_int32``/``write_int32``."""
    return kind.name.lower()


class DefaultCompactWriter(CompactWriter):
    """Writes one object's fields into ``out`` following ``schema``."""

    def __init__(self, serializer: CompactStreamSerializer, out: ObjectDataOutput, schema: Schema) -> None:
        self._serializer = serializer
        self._out = out
        self._schema = schema
        if schema.var_count:
            self._offsets = [NULL_OFFSET] * schema.var_count
            out.write_zero_bytes(4)
        else:
            self._offsets = []
        self._start = out.position()
        out.write_zero_bytes(schema.fixed_size)

    def _field(self, name: str, kind: FieldKind) -> FieldDescriptor:
        field = self._schema.fields_by_name.get(name)
        if field is None:
            raise HzSerializationError(
                "Compact type %r has no field %r in its schema (fields: %s)"
                % (self._schema.type_name, name, ", ".join(f.name for f in self._schema.fields))
            )
        if field.kind != kind:
            raise HzSerializationError(
                "Compact type %r: field %r is %s in the schema but was written as %s"
                % (self._schema.type_name, name, field.kind.name, kind.name)
            )
        return field

    def _error(self, name: str, kind: FieldKind, value: Any, error: BaseException) -> HzSerializationError:
        return HzSerializationError(
            "Compact type %r: cannot write %r to field %r (%s): %s"
            % (self._schema.type_name, value, name, kind.name, error)
        )

    def write_field(self, name: str, kind: FieldKind, value: Any) -> None:
        """Write ``value`` to field ``name`` of kind ``kind`` (what every write_* method does)."""
        field = self._field(name, kind)
        out = self._out
        try:
            if kind in FIXED_SIZES:
                if value is None:
                    raise ValueError("None is not allowed; use the NULLABLE_%s kind" % kind.name)
                getattr(out, _FIXED_WRITERS[kind])(value, self._start + field.position)
            elif kind == K.BOOLEAN:
                if not isinstance(value, bool):
                    raise TypeError("need a bool")
                out.write_boolean_bit_positional(value, self._start + field.position, field.bit)
            elif value is None:
                self._offsets[field.index] = NULL_OFFSET
            else:
                self._offsets[field.index] = out.position() - self._start
                if kind in ITEM_KINDS:
                    self._write_items(ITEM_KINDS[kind], value)
                else:
                    self._value_writer(kind)(out, value)
        except HzSerializationError:
            raise
        except _WRITE_ERRORS as e:
            raise self._error(name, kind, value, e) from None

    def _value_writer(self, kind: FieldKind) -> Callable[[ObjectDataOutput, Any], None]:
        if kind == K.COMPACT:
            return self._serializer.write
        return VALUE_WRITERS[kind]

    def _write_items(self, item_kind: FieldKind, values: Iterable[Any]) -> None:
        out = self._out
        values = list(values)
        length_at = out.position()
        out.write_zero_bytes(4)
        out.write_int(len(values))
        begin = out.position()
        offsets = []
        write = self._value_writer(item_kind)
        first_type: Optional[type] = None
        for value in values:
            if value is None:
                offsets.append(NULL_OFFSET)
                continue
            if item_kind == K.COMPACT:
                if first_type is None:
                    first_type = type(value)
                elif type(value) is not first_type:
                    raise TypeError(
                        "an ARRAY_OF_COMPACT holds one type, got %s and %s"
                        % (first_type.__name__, type(value).__name__)
                    )
            offsets.append(out.position() - begin)
            write(out, value)
        data_length = out.position() - begin
        out.write_int_positional(data_length, length_at)
        write_offsets(out, data_length, offsets)

    def end(self) -> None:
        """Write the offset table and the data length (call after every field is written)."""
        if not self._schema.var_count:
            return
        out = self._out
        data_length = out.position() - self._start
        write_offsets(out, data_length, self._offsets)
        out.write_int_positional(data_length, self._start - 4)


class SchemaWriter(CompactWriter):
    """Records the fields a serializer writes, to build the schema of its class."""

    def __init__(self, type_name: str) -> None:
        self._type_name = type_name
        self._fields: Dict[str, FieldDescriptor] = {}

    def write_field(self, name: str, kind: FieldKind, value: Any) -> None:
        if not isinstance(name, str) or not name:
            raise HzSerializationError(
                "Compact type %r: a field name must be a non-empty str, got %r" % (self._type_name, name)
            )
        if name in self._fields:
            raise HzSerializationError("Compact type %r writes field %r twice" % (self._type_name, name))
        self._fields[name] = FieldDescriptor(name, kind)

    def build(self) -> Schema:
        """Returns the schema of the fields written."""
        return Schema(self._type_name, self._fields.values())


def _install(kind: FieldKind) -> None:
    def write(self: Union[DefaultCompactWriter, SchemaWriter], field_name: str, value: Any) -> None:
        self.write_field(field_name, kind, value)

    write.__name__ = "write_" + method_suffix(kind)
    write.__doc__ = "Write field ``field_name`` as %s." % kind.name
    setattr(DefaultCompactWriter, write.__name__, write)
    setattr(SchemaWriter, write.__name__, write)


for _kind in SUPPORTED_KINDS:
    _install(_kind)
