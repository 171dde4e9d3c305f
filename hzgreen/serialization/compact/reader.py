"""Compact reader: fields by name, through the schema's layout (see writer.py).

A plain kind and its nullable twin read each other (``read_int32`` reads a
``NULLABLE_INT32`` field unless it is None; ``read_nullable_int32`` reads an ``INT32``
field), and so do the arrays of them, as in every Hazelcast client. Any other kind
mismatch, or an unknown field, raises :class:`~hzgreen.exceptions.HzSerializationError`;
``get_field_kind`` and the ``read_<kind>_or_default`` methods let a serializer handle
data written with an older or newer schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import extended as ext
from hzgreen.serialization.compact.schema import FIXED_SIZES, FieldDescriptor, FieldKind, Schema
from hzgreen.serialization.compact.writer import ITEM_KINDS, NULL_OFFSET, SUPPORTED_KINDS, method_suffix
from hzgreen.serialization.compact_api import CompactReader
from hzgreen.serialization.input import ObjectDataInput

if TYPE_CHECKING:
    from hzgreen.serialization.compact.serializer import CompactStreamSerializer

K = FieldKind


def read_boolean_bits(inp: ObjectDataInput) -> List[bool]:
    n = inp.read_int()
    if n < 0 or (n + 7) // 8 > inp.available():
        raise HzSerializationError("invalid boolean array length %d" % n)
    packed = inp.read_raw((n + 7) // 8)
    return [bool(packed[i >> 3] >> (i & 7) & 1) for i in range(n)]


def _int8_array(inp: ObjectDataInput) -> Optional[List[int]]:
    raw = inp.read_byte_array()
    return None if raw is None else [b - 256 if b > 127 else b for b in raw]


VALUE_READERS: Dict[FieldKind, Callable[[ObjectDataInput], Any]] = {
    K.NULLABLE_BOOLEAN: lambda inp: inp.read_boolean(),
    K.NULLABLE_INT8: lambda inp: inp.read_byte(),
    K.NULLABLE_INT16: lambda inp: inp.read_short(),
    K.NULLABLE_INT32: lambda inp: inp.read_int(),
    K.NULLABLE_INT64: lambda inp: inp.read_long(),
    K.NULLABLE_FLOAT32: lambda inp: inp.read_float(),
    K.NULLABLE_FLOAT64: lambda inp: inp.read_double(),
    K.STRING: lambda inp: inp.read_string(),
    K.DECIMAL: ext.read_big_decimal,
    K.TIME: ext.read_local_time,
    K.DATE: ext.read_local_date,
    K.TIMESTAMP: ext.read_local_date_time,
    K.TIMESTAMP_WITH_TIMEZONE: ext.read_offset_date_time,
    K.ARRAY_OF_BOOLEAN: read_boolean_bits,
    K.ARRAY_OF_INT8: _int8_array,
    K.ARRAY_OF_INT16: lambda inp: inp.read_short_array(),
    K.ARRAY_OF_INT32: lambda inp: inp.read_int_array(),
    K.ARRAY_OF_INT64: lambda inp: inp.read_long_array(),
    K.ARRAY_OF_FLOAT32: lambda inp: inp.read_float_array(),
    K.ARRAY_OF_FLOAT64: lambda inp: inp.read_double_array(),
}
_FIXED_READERS = {
    K.INT8: "read_byte_positional",
    K.INT16: "read_short_positional",
    K.INT32: "read_int_positional",
    K.INT64: "read_long_positional",
    K.FLOAT32: "read_float_positional",
    K.FLOAT64: "read_double_positional",
}

#: plain kind <-> nullable kind, for scalars and for arrays.
_TWINS: Dict[FieldKind, FieldKind] = {}
for _plain, _nullable in (
    (K.BOOLEAN, K.NULLABLE_BOOLEAN),
    (K.INT8, K.NULLABLE_INT8),
    (K.INT16, K.NULLABLE_INT16),
    (K.INT32, K.NULLABLE_INT32),
    (K.INT64, K.NULLABLE_INT64),
    (K.FLOAT32, K.NULLABLE_FLOAT32),
    (K.FLOAT64, K.NULLABLE_FLOAT64),
):
    _TWINS[_plain], _TWINS[_nullable] = _nullable, _plain
    _plain_array, _nullable_array = FieldKind["ARRAY_OF_" + _plain.name], FieldKind["ARRAY_OF_" + _nullable.name]
    _TWINS[_plain_array], _TWINS[_nullable_array] = _nullable_array, _plain_array
_NON_NULL = {k for k in _TWINS if not k.name.startswith(("NULLABLE", "ARRAY_OF_NULLABLE"))}


#: ``read(inp, table, index)``: the offset at ``index`` of the offset table at ``table``.
OffsetReader = Callable[[ObjectDataInput, int, int], int]


def _offset_reader(data_length: int) -> OffsetReader:
    """Returns the reader of offsets for a section of ``data_length`` bytes (1, 2 or 4-byte offsets)."""
    read: OffsetReader
    if data_length < 255:

        def read(inp: ObjectDataInput, table: int, index: int) -> int:
            value = inp.read_byte_positional(table + index)
            return NULL_OFFSET if value == -1 else value & 0xFF
    elif data_length < 65535:

        def read(inp: ObjectDataInput, table: int, index: int) -> int:
            value = inp.read_short_positional(table + 2 * index)
            return NULL_OFFSET if value == -1 else value & 0xFFFF
    else:

        def read(inp: ObjectDataInput, table: int, index: int) -> int:
            return inp.read_int_positional(table + 4 * index)

    return read


class DefaultCompactReader(CompactReader):
    """Reads one object's fields; the input is left after the object."""

    def __init__(self, serializer: CompactStreamSerializer, inp: ObjectDataInput, schema: Schema) -> None:
        self._serializer = serializer
        self._in = inp
        self._schema = schema
        if schema.var_count:
            data_length = inp.read_int()
            self._start = inp.position()
            self._table = self._start + data_length
            self._offset_at = _offset_reader(data_length)
            entry = 1 if data_length < 255 else 2 if data_length < 65535 else 4
            end = self._table + entry * schema.var_count
            if data_length < schema.fixed_size:
                raise HzSerializationError(
                    "Compact %r: data length %d is shorter than its fixed fields" % (schema.type_name, data_length)
                )
        else:
            self._start = inp.position()
            end = self._start + schema.fixed_size
        if end > inp.size():
            raise HzSerializationError(
                "Compact %r: the data is truncated (needs %d bytes, has %d)" % (schema.type_name, end, inp.size())
            )
        inp.set_position(end)

    @property
    def schema(self) -> Schema:
        return self._schema

    def get_field_kind(self, field_name: str) -> FieldKind:
        field = self._schema.fields_by_name.get(field_name)
        return K.NOT_AVAILABLE if field is None else field.kind

    # -- reading ---------------------------------------------------------------------

    def read_field(self, field_name: str, kind: FieldKind) -> Any:
        """Read field ``field_name`` as ``kind`` (what every read_* method does)."""
        field = self._schema.fields_by_name.get(field_name)
        if field is None:
            raise HzSerializationError(
                "Compact %r has no field %r (fields: %s)"
                % (self._schema.type_name, field_name, ", ".join(f.name for f in self._schema.fields))
            )
        stored = field.kind
        if stored != kind and _TWINS.get(kind) != stored:
            raise HzSerializationError(
                "Compact %r: field %r is %s, it cannot be read as %s"
                % (self._schema.type_name, field_name, stored.name, kind.name)
            )
        value = self._read_stored(field)
        if kind in _NON_NULL:
            is_array = kind.name.startswith("ARRAY_OF")
            if (value is None and not is_array) or (
                value is not None and stored in ITEM_KINDS and any(v is None for v in value)
            ):
                what = "is None" if value is None else "holds None items"
                raise HzSerializationError(
                    "Compact %r: field %r %s; read it with read_%s"
                    % (self._schema.type_name, field_name, what, method_suffix(_TWINS[kind]))
                )
        return value

    def read_field_or_default(self, field_name: str, kind: FieldKind, default: Any) -> Any:
        """Returns field ``field_name`` read as ``kind``, or ``default`` if the data has no such field of that kind."""
        field = self._schema.fields_by_name.get(field_name)
        if field is None or (field.kind != kind and _TWINS.get(kind) != field.kind):
            return default
        return self.read_field(field_name, kind)

    def _read_stored(self, field: FieldDescriptor) -> Any:
        kind = field.kind
        inp = self._in
        if kind in FIXED_SIZES:
            return getattr(inp, _FIXED_READERS[kind])(self._start + field.position)
        if kind == K.BOOLEAN:
            return bool(inp.read_byte_positional(self._start + field.position) >> field.bit & 1)
        offset = self._offset_at(inp, self._table, field.index)
        if offset == NULL_OFFSET:
            return None
        here = inp.position()
        try:
            inp.set_position(self._start + offset)
            if kind in ITEM_KINDS:
                return self._read_items(ITEM_KINDS[kind])
            return self._value_reader(kind)(inp)
        finally:
            inp.set_position(here)

    def _value_reader(self, kind: FieldKind) -> Callable[[ObjectDataInput], Any]:
        if kind == K.COMPACT:
            return self._serializer.read
        return VALUE_READERS[kind]

    def _read_items(self, item_kind: FieldKind) -> List[Any]:
        inp = self._in
        data_length = inp.read_int()
        count = inp.read_int()
        begin = inp.position()
        if data_length < 0 or count < 0 or begin + data_length > inp.size():
            raise HzSerializationError("invalid Compact array (data length %d, %d items)" % (data_length, count))
        table = begin + data_length
        offset_at = _offset_reader(data_length)
        read = self._value_reader(item_kind)
        values: List[Any] = []
        for index in range(count):
            offset = offset_at(inp, table, index)
            if offset == NULL_OFFSET:
                values.append(None)
            else:
                inp.set_position(begin + offset)
                values.append(read(inp))
        return values


def _install(kind: FieldKind) -> None:
    def read(self: DefaultCompactReader, field_name: str) -> Any:
        return self.read_field(field_name, kind)

    def read_or_default(self: DefaultCompactReader, field_name: str, default: Any) -> Any:
        return self.read_field_or_default(field_name, kind, default)

    suffix = method_suffix(kind)
    read.__name__ = "read_" + suffix
    read.__doc__ = "Read field ``field_name`` as %s." % kind.name
    read_or_default.__name__ = "read_%s_or_default" % suffix
    read_or_default.__doc__ = (
        "Read field ``field_name`` as %s, or ``default`` if the data has no such field." % kind.name
    )
    setattr(DefaultCompactReader, read.__name__, read)
    setattr(DefaultCompactReader, read_or_default.__name__, read_or_default)


for _kind in SUPPORTED_KINDS:
    _install(_kind)
