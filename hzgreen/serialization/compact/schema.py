"""Compact schemas: field kinds, field layout and the schema id (a 64-bit Rabin fingerprint).

A schema is a type name plus named, typed fields. Its layout, which every Compact
implementation computes the same way from the schema alone:

* fields are ordered by name;
* fixed-size fields (int8/16/32/64, float32/64) come first, largest first (ties in
  name order), at byte positions from 0; booleans follow, packed eight per byte;
* every other kind is variable-size: it gets an index (in name order) into the table
  of offsets written after the data.

The schema id is the Rabin fingerprint (CRC-64-AVRO polynomial) of: the type name,
the field count, then each field's name and kind id, in name order. Strings feed their
UTF-8 length (int32) then their bytes; int32 values feed their four bytes low first.
"""

from __future__ import annotations

import enum
from typing import Dict, Iterable, List, Optional, Union

from hzgreen.exceptions import HzSerializationError

__all__ = ["FieldKind", "FieldDescriptor", "Schema", "rabin_fingerprint"]


class FieldKind(enum.IntEnum):
    """Compact field kinds (ids shared by every Hazelcast implementation)."""

    NOT_AVAILABLE = 0
    BOOLEAN = 1
    ARRAY_OF_BOOLEAN = 2
    INT8 = 3
    ARRAY_OF_INT8 = 4
    CHAR = 5
    ARRAY_OF_CHAR = 6
    INT16 = 7
    ARRAY_OF_INT16 = 8
    INT32 = 9
    ARRAY_OF_INT32 = 10
    INT64 = 11
    ARRAY_OF_INT64 = 12
    FLOAT32 = 13
    ARRAY_OF_FLOAT32 = 14
    FLOAT64 = 15
    ARRAY_OF_FLOAT64 = 16
    STRING = 17
    ARRAY_OF_STRING = 18
    DECIMAL = 19
    ARRAY_OF_DECIMAL = 20
    TIME = 21
    ARRAY_OF_TIME = 22
    DATE = 23
    ARRAY_OF_DATE = 24
    TIMESTAMP = 25
    ARRAY_OF_TIMESTAMP = 26
    TIMESTAMP_WITH_TIMEZONE = 27
    ARRAY_OF_TIMESTAMP_WITH_TIMEZONE = 28
    COMPACT = 29
    ARRAY_OF_COMPACT = 30
    PORTABLE = 31
    ARRAY_OF_PORTABLE = 32
    NULLABLE_BOOLEAN = 33
    ARRAY_OF_NULLABLE_BOOLEAN = 34
    NULLABLE_INT8 = 35
    ARRAY_OF_NULLABLE_INT8 = 36
    NULLABLE_INT16 = 37
    ARRAY_OF_NULLABLE_INT16 = 38
    NULLABLE_INT32 = 39
    ARRAY_OF_NULLABLE_INT32 = 40
    NULLABLE_INT64 = 41
    ARRAY_OF_NULLABLE_INT64 = 42
    NULLABLE_FLOAT32 = 43
    ARRAY_OF_NULLABLE_FLOAT32 = 44
    NULLABLE_FLOAT64 = 45
    ARRAY_OF_NULLABLE_FLOAT64 = 46


#: Byte size of the fixed-size kinds (booleans are bits and handled apart).
FIXED_SIZES: Dict[FieldKind, int] = {
    FieldKind.INT8: 1,
    FieldKind.INT16: 2,
    FieldKind.INT32: 4,
    FieldKind.INT64: 8,
    FieldKind.FLOAT32: 4,
    FieldKind.FLOAT64: 8,
}
#: Kinds no Python client can read or write (Java-only in Compact).
UNSUPPORTED_KINDS = frozenset(
    {FieldKind.NOT_AVAILABLE, FieldKind.CHAR, FieldKind.ARRAY_OF_CHAR, FieldKind.PORTABLE, FieldKind.ARRAY_OF_PORTABLE}
)


def is_var_sized(kind: FieldKind) -> bool:
    return kind not in FIXED_SIZES and kind != FieldKind.BOOLEAN


# -- Rabin fingerprint -----------------------------------------------------------------

_MASK64 = (1 << 64) - 1
_FP_EMPTY = 0xC15D213AA4D7A795


def _fingerprint_table() -> List[int]:
    table = []
    for i in range(256):
        value = i
        for _ in range(8):
            value = (value >> 1) ^ (_FP_EMPTY if value & 1 else 0)
        table.append(value)
    return table


_FP_TABLE = _fingerprint_table()


def _fp_bytes(fp: int, data: Iterable[int]) -> int:
    table = _FP_TABLE
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def _fp_int32(fp: int, value: int) -> int:
    return _fp_bytes(fp, (value & 0xFFFFFFFF).to_bytes(4, "little"))


def _fp_string(fp: int, value: str) -> int:
    raw = value.encode("utf-8")
    return _fp_bytes(_fp_int32(fp, len(raw)), raw)


def rabin_fingerprint(type_name: str, fields: List["FieldDescriptor"]) -> int:
    """The schema id (signed 64-bit) of a type name and its name-ordered fields."""
    fp = _fp_string(_FP_EMPTY, type_name)
    fp = _fp_int32(fp, len(fields))
    for field in fields:
        fp = _fp_string(fp, field.name)
        fp = _fp_int32(fp, int(field.kind))
    fp &= _MASK64
    return fp - (1 << 64) if fp >> 63 else fp


# -- schema ------------------------------------------------------------------------------


class FieldDescriptor:
    """One field of a schema and where it lives in the data."""

    __slots__ = ("name", "kind", "index", "position", "bit")

    def __init__(self, name: str, kind: Union[FieldKind, int]) -> None:
        self.name = name
        try:
            self.kind = FieldKind(kind)
        except ValueError:
            raise HzSerializationError("unknown Compact field kind %r for field %r" % (kind, name)) from None
        self.index = -1  # variable-size fields: slot in the offset table
        self.position = -1  # fixed-size fields and booleans: byte offset in the fixed section
        self.bit = -1  # booleans: bit in that byte

    @property
    def field_name(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldDescriptor):
            return NotImplemented
        return self.name == other.name and self.kind == other.kind

    def __hash__(self) -> int:
        return hash((self.name, self.kind))

    def __repr__(self) -> str:
        return "FieldDescriptor(%r, %s)" % (self.name, self.kind.name)


class Schema:
    """A Compact type name with its fields, their layout and its id."""

    def __init__(self, type_name: str, fields: Iterable[FieldDescriptor]) -> None:
        if not isinstance(type_name, str) or not type_name:
            raise HzSerializationError("a Compact type name must be a non-empty str, got %r" % (type_name,))
        self.type_name = type_name
        ordered = sorted((FieldDescriptor(f.name, f.kind) for f in fields), key=lambda f: f.name)
        self.fields: List[FieldDescriptor] = ordered
        self.fields_by_name: Dict[str, FieldDescriptor] = {}
        for field in ordered:
            if field.name in self.fields_by_name:
                raise HzSerializationError("Compact type %r has two fields named %r" % (type_name, field.name))
            self.fields_by_name[field.name] = field
        self._layout()
        self.schema_id = rabin_fingerprint(type_name, ordered)

    def _layout(self) -> None:
        fixed = sorted(
            (f for f in self.fields if f.kind in FIXED_SIZES), key=lambda f: FIXED_SIZES[f.kind], reverse=True
        )
        position = 0
        for field in fixed:
            field.position = position
            position += FIXED_SIZES[field.kind]
        booleans = [f for f in self.fields if f.kind == FieldKind.BOOLEAN]
        for n, field in enumerate(booleans):
            field.position = position + n // 8
            field.bit = n % 8
        position += (len(booleans) + 7) // 8
        self.fixed_size = position
        var_fields = [f for f in self.fields if is_var_sized(f.kind)]
        for index, field in enumerate(var_fields):
            field.index = index
        self.var_count = len(var_fields)

    def get_field(self, name: str) -> Optional[FieldDescriptor]:
        return self.fields_by_name.get(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schema):
            return NotImplemented
        return self.schema_id == other.schema_id and self.type_name == other.type_name and self.fields == other.fields

    def __hash__(self) -> int:
        return hash(self.schema_id)

    def __repr__(self) -> str:
        return "Schema(%r, id=%d, fields=[%s])" % (
            self.type_name,
            self.schema_id,
            ", ".join("%s:%s" % (f.name, f.kind.name) for f in self.fields),
        )
