"""Built-in serializers (Java ``SerializationConstants`` type ids) and their fast paths.

Each serializer class handles one type id through the generic stream interface
(``write(out, obj)`` / ``read(inp)``), which nested values and user serializers use.
The module also provides whole-blob helpers (``*_to_data`` / ``*_from_data``) that the
service uses for the hottest exact types without building a stream.
"""

from __future__ import annotations

import struct
import uuid
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, cast

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.api import SerializerLike, StreamSerializer
from hzgreen.serialization.data import Data, UnpackFrom
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.serialization.output import ObjectDataOutput

_Struct = struct.Struct
_UUID = uuid.UUID

INT8_MIN, INT8_MAX = -0x80, 0x7F
INT16_MIN, INT16_MAX = -0x8000, 0x7FFF
INT32_MIN, INT32_MAX = -0x80000000, 0x7FFFFFFF
INT64_MIN, INT64_MAX = -0x8000000000000000, 0x7FFFFFFFFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def python_type_name(obj_or_type: object) -> str:
    """``'function'``, ``'socket.socket'``: the name used in error messages."""
    t = obj_or_type if isinstance(obj_or_type, type) else type(obj_or_type)
    module = getattr(t, "__module__", None)
    name = getattr(t, "__qualname__", t.__name__)
    if module in (None, "builtins"):
        return name
    return "%s.%s" % (module, name)


# ---------------------------------------------------------------------------------------
# Stream serializers
# ---------------------------------------------------------------------------------------


class BuiltinSerializer(StreamSerializer):
    """Base of the built-ins: the type id is a class attribute."""

    type_id = 0

    def get_type_id(self) -> int:
        return self.type_id

    def __repr__(self) -> str:
        return "<%s type_id=%d>" % (type(self).__name__, self.type_id)


class NoneSerializer(BuiltinSerializer):
    type_id = c.CONSTANT_TYPE_NULL

    def write(self, out: ObjectDataOutput, obj: None) -> None:
        pass

    def read(self, inp: ObjectDataInput) -> None:
        return None


class _FieldSerializer(BuiltinSerializer):
    """A type written as one field of the data stream: ``out.write_<kind>`` / ``inp.read_<kind>``."""

    _writer = ""
    _reader = ""

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        getattr(out, self._writer)(obj)

    def read(self, inp: ObjectDataInput) -> Any:
        return getattr(inp, self._reader)()


def _field_serializer(name: str, type_id: int, kind: str) -> Type[_FieldSerializer]:
    # type() with _FieldSerializer as the only base makes a subclass of it.
    return cast(
        Type[_FieldSerializer],
        type(
            name,
            (_FieldSerializer,),
            {
                "type_id": type_id,
                "_writer": "write_" + kind,
                "_reader": "read_" + kind,
                "__module__": __name__,
                "__doc__": "Built-in serializer of type id %d (%s)." % (type_id, kind),
            },
        ),
    )


BooleanSerializer = _field_serializer("BooleanSerializer", c.CONSTANT_TYPE_BOOLEAN, "boolean")
ByteSerializer = _field_serializer("ByteSerializer", c.CONSTANT_TYPE_BYTE, "byte")
CharSerializer = _field_serializer("CharSerializer", c.CONSTANT_TYPE_CHAR, "char")
ShortSerializer = _field_serializer("ShortSerializer", c.CONSTANT_TYPE_SHORT, "short")
IntegerSerializer = _field_serializer("IntegerSerializer", c.CONSTANT_TYPE_INTEGER, "int")
LongSerializer = _field_serializer("LongSerializer", c.CONSTANT_TYPE_LONG, "long")
FloatSerializer = _field_serializer("FloatSerializer", c.CONSTANT_TYPE_FLOAT, "float")
DoubleSerializer = _field_serializer("DoubleSerializer", c.CONSTANT_TYPE_DOUBLE, "double")
StringSerializer = _field_serializer("StringSerializer", c.CONSTANT_TYPE_STRING, "string")


def big_integer_bytes(value: int) -> bytes:
    """Java ``BigInteger.toByteArray()``: minimal two's-complement, big-endian."""
    magnitude_bits = (value if value >= 0 else ~value).bit_length()
    return value.to_bytes(magnitude_bits // 8 + 1, "big", signed=True)


class BigIntegerSerializer(BuiltinSerializer):
    """int32 length + two's-complement big-endian bytes."""

    type_id = c.JAVA_DEFAULT_TYPE_BIG_INTEGER

    def write(self, out: ObjectDataOutput, obj: int) -> None:
        out.write_byte_array(big_integer_bytes(obj))

    def read(self, inp: ObjectDataInput) -> Optional[int]:
        raw = inp.read_byte_array()
        if raw is None:
            return None
        if not raw:
            raise HzSerializationError("BigInteger has a zero length (Java rejects it too)")
        return int.from_bytes(raw, "big", signed=True)


class UUIDSerializer(BuiltinSerializer):
    """Most-significant 64 bits, then least-significant 64 bits."""

    type_id = c.CONSTANT_TYPE_UUID

    def write(self, out: ObjectDataOutput, obj: uuid.UUID) -> None:
        value = obj.int
        out.write_long(_signed64(value >> 64))
        out.write_long(_signed64(value & _MASK64))

    def read(self, inp: ObjectDataInput) -> uuid.UUID:
        msb = inp.read_long() & _MASK64
        lsb = inp.read_long() & _MASK64
        return _UUID(int=(msb << 64) | lsb)


def _signed64(value: int) -> int:
    return value - (1 << 64) if value & 0x8000000000000000 else value


ByteArraySerializer = _field_serializer("ByteArraySerializer", c.CONSTANT_TYPE_BYTE_ARRAY, "byte_array")
# Primitive arrays: read support (Python has no matching write type; see extended.py).
BooleanArraySerializer = _field_serializer("BooleanArraySerializer", c.CONSTANT_TYPE_BOOLEAN_ARRAY, "boolean_array")
CharArraySerializer = _field_serializer("CharArraySerializer", c.CONSTANT_TYPE_CHAR_ARRAY, "char_array")
ShortArraySerializer = _field_serializer("ShortArraySerializer", c.CONSTANT_TYPE_SHORT_ARRAY, "short_array")
IntegerArraySerializer = _field_serializer("IntegerArraySerializer", c.CONSTANT_TYPE_INTEGER_ARRAY, "int_array")
LongArraySerializer = _field_serializer("LongArraySerializer", c.CONSTANT_TYPE_LONG_ARRAY, "long_array")
FloatArraySerializer = _field_serializer("FloatArraySerializer", c.CONSTANT_TYPE_FLOAT_ARRAY, "float_array")
DoubleArraySerializer = _field_serializer("DoubleArraySerializer", c.CONSTANT_TYPE_DOUBLE_ARRAY, "double_array")
StringArraySerializer = _field_serializer("StringArraySerializer", c.CONSTANT_TYPE_STRING_ARRAY, "string_array")


class ArrayListSerializer(BuiltinSerializer):
    """int32 size, then each element as a nested object (type id + payload)."""

    type_id = c.JAVA_DEFAULT_TYPE_ARRAY_LIST

    def write(self, out: ObjectDataOutput, obj: Sequence[Any]) -> None:
        out.write_int(len(obj))
        write_object = out.write_object
        for item in obj:
            write_object(item)

    def read(self, inp: ObjectDataInput) -> Optional[List[Any]]:
        n = inp.read_int()
        if n == c.NULL_ARRAY_LENGTH:
            return None
        if n < 0:
            raise HzSerializationError("invalid list size %d" % n)
        if n * 4 > inp.available():
            raise HzSerializationError("list size %d does not fit in the %d bytes left" % (n, inp.available()))
        read_object = inp.read_object
        return [read_object() for _ in range(n)]


class LinkedListSerializer(ArrayListSerializer):
    type_id = c.JAVA_DEFAULT_TYPE_LINKED_LIST


class JsonSerializer(BuiltinSerializer):
    """``HazelcastJsonValue``: the JSON text as a String."""

    type_id = c.JAVASCRIPT_JSON_SERIALIZATION_TYPE

    def write(self, out: ObjectDataOutput, obj: HazelcastJsonValue) -> None:
        out.write_string(obj.to_string())

    def read(self, inp: ObjectDataInput) -> Optional[HazelcastJsonValue]:
        text = inp.read_string()
        return None if text is None else HazelcastJsonValue(text)


# ---------------------------------------------------------------------------------------
# Whole-Data fast paths (header + payload in one struct call)
# ---------------------------------------------------------------------------------------

_pack_hdr_b = _Struct(">iib").pack
_pack_hdr_h = _Struct(">iih").pack
_pack_hdr_i = _Struct(">iii").pack
_pack_hdr_q = _Struct(">iiq").pack
_pack_hdr_d = _Struct(">iid").pack
_pack_hdr_uuid = _Struct(">iiQQ").pack
_unpack_i8: UnpackFrom[int] = _Struct(">b").unpack_from
_unpack_i16: UnpackFrom[int] = _Struct(">h").unpack_from
_unpack_i32: UnpackFrom[int] = _Struct(">i").unpack_from
_unpack_i64: UnpackFrom[int] = _Struct(">q").unpack_from
_unpack_f32: UnpackFrom[float] = _Struct(">f").unpack_from
_unpack_f64: UnpackFrom[float] = _Struct(">d").unpack_from
_unpack_uuid: Callable[[Data, int], Tuple[int, int]] = _Struct(">QQ").unpack_from

_T_BYTE = c.CONSTANT_TYPE_BYTE
_T_SHORT = c.CONSTANT_TYPE_SHORT
_T_INT = c.CONSTANT_TYPE_INTEGER
_T_LONG = c.CONSTANT_TYPE_LONG
_T_STRING = c.CONSTANT_TYPE_STRING
_T_BYTES = c.CONSTANT_TYPE_BYTE_ARRAY
_T_BIGINT = c.JAVA_DEFAULT_TYPE_BIG_INTEGER

_DATA_TRUE = _pack_hdr_b(0, c.CONSTANT_TYPE_BOOLEAN, 1)
_DATA_FALSE = _pack_hdr_b(0, c.CONSTANT_TYPE_BOOLEAN, 0)


def none_to_data(obj: None) -> None:
    return None


def bool_to_data(obj: bool) -> bytes:
    return _DATA_TRUE if obj else _DATA_FALSE


def byte_to_data(obj: int) -> bytes:
    return _pack_hdr_b(0, _T_BYTE, obj)


def short_to_data(obj: int) -> bytes:
    return _pack_hdr_h(0, _T_SHORT, obj)


def int_to_data(obj: int) -> bytes:
    return _pack_hdr_i(0, _T_INT, obj)


def long_to_data(obj: int) -> bytes:
    return _pack_hdr_q(0, _T_LONG, obj)


def big_int_to_data(obj: int) -> bytes:
    raw = big_integer_bytes(obj)
    return _pack_hdr_i(0, _T_BIGINT, len(raw)) + raw


def double_to_data(obj: float) -> bytes:
    return _pack_hdr_d(0, c.CONSTANT_TYPE_DOUBLE, obj)


def str_to_data(obj: str) -> bytes:
    raw = obj.encode("utf-8")
    return _pack_hdr_i(0, _T_STRING, len(raw)) + raw


def bytes_to_data(obj: bytes) -> Data:
    return _pack_hdr_i(0, _T_BYTES, len(obj)) + obj


def bytearray_to_data(obj: bytearray) -> bytes:
    return _pack_hdr_i(0, _T_BYTES, len(obj)) + bytes(obj)


def uuid_to_data(obj: uuid.UUID) -> bytes:
    value = obj.int
    return _pack_hdr_uuid(0, c.CONSTANT_TYPE_UUID, value >> 64, value & _MASK64)


def _length_prefixed(data: Data, what: str) -> Optional[int]:
    """Returns the end of the int32-length-prefixed bytes at offset 8, or None for length -1.

    :raises HzSerializationError: for a negative length other than -1 or a truncated payload.
    """
    n = _unpack_i32(data, 8)[0]
    if n < 0:
        if n == -1:
            return None
        raise HzSerializationError("invalid %s length %d" % (what, n))
    end = 12 + n
    if end > len(data):
        raise HzSerializationError(
            "%s of %d bytes is truncated: the Data blob has only %d payload bytes after the length"
            % (what, n, len(data) - 12)
        )
    return end


def data_to_str(data: Data) -> Optional[str]:
    end = 12 + _unpack_i32(data, 8)[0]
    if 12 <= end <= len(data):
        return data[12:end].decode("utf-8")
    checked_end = _length_prefixed(data, "string")
    return None if checked_end is None else data[12:checked_end].decode("utf-8")


def data_to_bytes(data: Data) -> Optional[bytes]:
    end = 12 + _unpack_i32(data, 8)[0]
    if 12 <= end <= len(data):
        return data[12:end]
    checked_end = _length_prefixed(data, "byte array")
    return None if checked_end is None else data[12:checked_end]


def data_to_none(data: Data) -> None:
    return None


def data_to_int(data: Data) -> int:
    return _unpack_i32(data, 8)[0]


def data_to_long(data: Data) -> int:
    return _unpack_i64(data, 8)[0]


def data_to_short(data: Data) -> int:
    return _unpack_i16(data, 8)[0]


def data_to_byte(data: Data) -> int:
    return _unpack_i8(data, 8)[0]


def data_to_bool(data: Data) -> bool:
    if len(data) < 9:
        raise HzSerializationError("boolean payload is missing")
    return data[8] != 0


def data_to_double(data: Data) -> float:
    return _unpack_f64(data, 8)[0]


def data_to_float(data: Data) -> float:
    return _unpack_f32(data, 8)[0]


def data_to_uuid(data: Data) -> uuid.UUID:
    msb, lsb = _unpack_uuid(data, 8)
    return _UUID(int=(msb << 64) | lsb)


#: Type id -> whole-blob reader for the hottest built-ins (``data`` must be ``bytes``).
FAST_READERS: Dict[int, Callable[[Data], Any]] = {
    c.CONSTANT_TYPE_NULL: data_to_none,
    c.CONSTANT_TYPE_BOOLEAN: data_to_bool,
    c.CONSTANT_TYPE_BYTE: data_to_byte,
    c.CONSTANT_TYPE_SHORT: data_to_short,
    c.CONSTANT_TYPE_INTEGER: data_to_int,
    c.CONSTANT_TYPE_LONG: data_to_long,
    c.CONSTANT_TYPE_FLOAT: data_to_float,
    c.CONSTANT_TYPE_DOUBLE: data_to_double,
    c.CONSTANT_TYPE_STRING: data_to_str,
    c.CONSTANT_TYPE_BYTE_ARRAY: data_to_bytes,
    c.CONSTANT_TYPE_UUID: data_to_uuid,
}


# ---------------------------------------------------------------------------------------
# Python int -> Java integral type
# ---------------------------------------------------------------------------------------

#: ``default_int_type`` values and what they mean.
INT_TYPES = ("BYTE", "SHORT", "INT", "LONG", "VAR", "BIG_INT")

_RANGES = {
    "BYTE": ("byte", INT8_MIN, INT8_MAX),
    "SHORT": ("short", INT16_MIN, INT16_MAX),
    "LONG": ("long", INT64_MIN, INT64_MAX),
}


def normalize_int_type(value: object) -> str:
    """Accept ``"INT"``, ``"int"`` or an enum member named ``INT``; returns the upper-case name.

    :raises ValueError: for any other value.
    """
    name = getattr(value, "name", value)
    if isinstance(name, str) and name.upper() in INT_TYPES:
        return name.upper()
    raise ValueError("default_int_type must be one of %s, got %r" % (", ".join(INT_TYPES), value))


def _out_of_range(mode: str, value: int) -> HzSerializationError:
    java, low, high = _RANGES[mode]
    return HzSerializationError(
        "cannot serialize int %d with default_int_type %s: Java %s holds %d..%d" % (value, mode, java, low, high)
    )


#: ``serializer_for(value)`` and ``to_data(value)`` of Python ints for one ``default_int_type``.
IntStrategy = Tuple[Callable[[int], SerializerLike], Callable[[int], Data]]


def int_strategy(
    mode: str,
    byte_s: SerializerLike,
    short_s: SerializerLike,
    int_s: SerializerLike,
    long_s: SerializerLike,
    big_s: SerializerLike,
) -> IntStrategy:
    """Returns (serializer_for(value), to_data(value)) for a ``default_int_type`` mode (see INT_TYPES)."""
    choose: Callable[[int], SerializerLike]
    to_data: Callable[[int], Data]
    if mode == "INT":

        def choose(value: int) -> SerializerLike:
            if INT32_MIN <= value <= INT32_MAX:
                return int_s
            if INT64_MIN <= value <= INT64_MAX:
                return long_s
            return big_s

        def to_data(value: int) -> Data:
            if INT32_MIN <= value <= INT32_MAX:
                return _pack_hdr_i(0, _T_INT, value)
            if INT64_MIN <= value <= INT64_MAX:
                return _pack_hdr_q(0, _T_LONG, value)
            return big_int_to_data(value)
    elif mode == "VAR":

        def choose(value: int) -> SerializerLike:
            if INT8_MIN <= value <= INT8_MAX:
                return byte_s
            if INT16_MIN <= value <= INT16_MAX:
                return short_s
            if INT32_MIN <= value <= INT32_MAX:
                return int_s
            if INT64_MIN <= value <= INT64_MAX:
                return long_s
            return big_s

        def to_data(value: int) -> Data:
            if INT8_MIN <= value <= INT8_MAX:
                return _pack_hdr_b(0, _T_BYTE, value)
            if INT16_MIN <= value <= INT16_MAX:
                return _pack_hdr_h(0, _T_SHORT, value)
            if INT32_MIN <= value <= INT32_MAX:
                return _pack_hdr_i(0, _T_INT, value)
            if INT64_MIN <= value <= INT64_MAX:
                return _pack_hdr_q(0, _T_LONG, value)
            return big_int_to_data(value)
    elif mode == "BIG_INT":

        def choose(value: int) -> SerializerLike:
            return big_s

        to_data = big_int_to_data
    else:
        _, low, high = _RANGES[mode]
        serializer, writer = {
            "BYTE": (byte_s, byte_to_data),
            "SHORT": (short_s, short_to_data),
            "LONG": (long_s, long_to_data),
        }[mode]

        def choose(value: int) -> SerializerLike:
            if low <= value <= high:
                return serializer
            raise _out_of_range(mode, value)

        def to_data(value: int) -> Data:
            if low <= value <= high:
                return writer(value)
            raise _out_of_range(mode, value)

    return choose, to_data
