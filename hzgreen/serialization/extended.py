"""Built-ins beyond the primitives: BigDecimal, java.time types, arrays and Object[].

Formats (big-endian, as the Java member writes them):

* BigDecimal (-27): BigInteger unscaled value (int32 length + two's-complement bytes),
  then int32 scale. ``Decimal("1.25")`` is unscaled 125, scale 2.
* LocalDate (-51): int32 year, byte month, byte day.
* LocalTime (-52): byte hour, minute, second, int32 nanoseconds.
* LocalDateTime (-53): LocalDate then LocalTime.
* OffsetDateTime (-54): LocalDateTime then int32 offset seconds.
* Class (-24): the class name as a String (read only).
* Object[] (-28): int32 length then nested objects (read only).

Python's types are one microsecond coarse: nanoseconds read from a member are
truncated to microseconds.
"""

from __future__ import annotations

import array
import datetime
import decimal
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.serializers import BuiltinSerializer, big_integer_bytes

_timezone = datetime.timezone
_timedelta = datetime.timedelta


# -- helpers shared with the Portable and Compact formats -------------------------------


def read_big_integer(inp: ObjectDataInput) -> int:
    """int32 length + two's-complement bytes (a zero length is invalid, as in Java)."""
    raw = inp.read_byte_array()
    if raw is None:
        raise HzSerializationError("BigInteger has a null (-1) length")
    if not raw:
        raise HzSerializationError("BigInteger has a zero length (Java rejects it too)")
    return int.from_bytes(raw, "big", signed=True)


def write_big_decimal(out: ObjectDataOutput, value: decimal.Decimal) -> None:
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise HzSerializationError("%s has no Java BigDecimal equivalent" % (value,))
    unscaled = int("".join(map(str, digits)) or "0")
    if sign:
        unscaled = -unscaled
    out.write_byte_array(big_integer_bytes(unscaled))
    out.write_int(-exponent)


def read_big_decimal(inp: ObjectDataInput) -> decimal.Decimal:
    unscaled = read_big_integer(inp)
    scale = inp.read_int()
    digits = tuple(int(d) for d in str(abs(unscaled)))
    return decimal.Decimal((1 if unscaled < 0 else 0, digits, -scale))


def write_local_date(out: ObjectDataOutput, value: datetime.date) -> None:
    out.write_int(value.year)
    out.write_byte(value.month)
    out.write_byte(value.day)


def read_local_date(inp: ObjectDataInput) -> datetime.date:
    year = inp.read_int()
    month = inp.read_byte()
    day = inp.read_byte()
    return _date(year, month, day)


def _date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as e:
        raise HzSerializationError(
            "date %d-%d-%d cannot be represented in Python: %s" % (year, month, day, e)
        ) from None


def write_local_time(out: ObjectDataOutput, value: Union[datetime.time, datetime.datetime]) -> None:
    """The time of day of a ``time`` or a ``datetime`` (its zone is not written)."""
    out.write_byte(value.hour)
    out.write_byte(value.minute)
    out.write_byte(value.second)
    out.write_int(value.microsecond * 1000)


def read_local_time(inp: ObjectDataInput) -> datetime.time:
    hour = inp.read_byte()
    minute = inp.read_byte()
    second = inp.read_byte()
    nanos = inp.read_int()
    try:
        return datetime.time(hour, minute, second, nanos // 1000)
    except ValueError as e:
        raise HzSerializationError("invalid time %d:%d:%d.%09d: %s" % (hour, minute, second, nanos, e)) from None


def write_local_date_time(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_local_date(out, value)
    write_local_time(out, value)


def read_local_date_time(inp: ObjectDataInput) -> datetime.datetime:
    day = read_local_date(inp)
    time = read_local_time(inp)
    return datetime.datetime.combine(day, time)


def offset_seconds(value: datetime.datetime) -> int:
    offset = value.utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def write_offset_date_time(out: ObjectDataOutput, value: datetime.datetime) -> None:
    write_local_date_time(out, value)
    out.write_int(offset_seconds(value))


def read_offset_date_time(inp: ObjectDataInput) -> datetime.datetime:
    local = read_local_date_time(inp)
    seconds = inp.read_int()
    try:
        return local.replace(tzinfo=_timezone(_timedelta(seconds=seconds)))
    except ValueError as e:
        raise HzSerializationError("invalid UTC offset of %d seconds: %s" % (seconds, e)) from None


def check_naive_time(value: datetime.time) -> None:
    if value.tzinfo is not None:
        raise HzSerializationError(
            "a timezone-aware datetime.time has no Java equivalent (LocalTime has no zone); "
            "use value.replace(tzinfo=None) or a timezone-aware datetime.datetime"
        )


# -- serializers ----------------------------------------------------------------------


class BigDecimalSerializer(BuiltinSerializer):
    type_id = c.JAVA_DEFAULT_TYPE_BIG_DECIMAL

    def write(self, out: ObjectDataOutput, obj: decimal.Decimal) -> None:
        write_big_decimal(out, obj)

    def read(self, inp: ObjectDataInput) -> decimal.Decimal:
        return read_big_decimal(inp)


class LocalDateSerializer(BuiltinSerializer):
    type_id = c.JAVA_DEFAULT_TYPE_LOCAL_DATE

    def write(self, out: ObjectDataOutput, obj: datetime.date) -> None:
        write_local_date(out, obj)

    def read(self, inp: ObjectDataInput) -> datetime.date:
        return read_local_date(inp)


class LocalTimeSerializer(BuiltinSerializer):
    type_id = c.JAVA_DEFAULT_TYPE_LOCAL_TIME

    def write(self, out: ObjectDataOutput, obj: datetime.time) -> None:
        check_naive_time(obj)
        write_local_time(out, obj)

    def read(self, inp: ObjectDataInput) -> datetime.time:
        return read_local_time(inp)


class LocalDateTimeSerializer(BuiltinSerializer):
    """A naive ``datetime.datetime`` (no zone) is a Java LocalDateTime."""

    type_id = c.JAVA_DEFAULT_TYPE_LOCAL_DATE_TIME

    def write(self, out: ObjectDataOutput, obj: datetime.datetime) -> None:
        write_local_date_time(out, obj)

    def read(self, inp: ObjectDataInput) -> datetime.datetime:
        return read_local_date_time(inp)


class OffsetDateTimeSerializer(BuiltinSerializer):
    """A timezone-aware ``datetime.datetime`` is a Java OffsetDateTime (fixed offset)."""

    type_id = c.JAVA_DEFAULT_TYPE_OFFSET_DATE_TIME

    def write(self, out: ObjectDataOutput, obj: datetime.datetime) -> None:
        write_offset_date_time(out, obj)

    def read(self, inp: ObjectDataInput) -> datetime.datetime:
        return read_offset_date_time(inp)


class JavaClassSerializer(BuiltinSerializer):
    """``java.lang.Class``: read as its name."""

    type_id = c.JAVA_DEFAULT_TYPE_CLASS

    def write(self, out: ObjectDataOutput, obj: str) -> None:
        out.write_string(obj)

    def read(self, inp: ObjectDataInput) -> Optional[str]:
        return inp.read_string()


class ObjectArraySerializer(BuiltinSerializer):
    """Java ``Object[]`` (e.g. what a multi-attribute projection returns): read as a list."""

    type_id = c.JAVA_DEFAULT_TYPE_ARRAY

    def write(self, out: ObjectDataOutput, obj: Sequence[Any]) -> None:
        out.write_int(len(obj))
        for item in obj:
            out.write_object(item)

    def read(self, inp: ObjectDataInput) -> List[Any]:
        n = inp.read_int()
        if n < 0 or n * 4 > inp.available():
            raise HzSerializationError("invalid Object[] length %d" % n)
        return [inp.read_object() for _ in range(n)]


#: ``array.array`` typecode -> Java primitive array type id (by item size where C types vary).
def array_type_id(value: array.array[Any]) -> int:
    code, size = value.typecode, value.itemsize
    if code in ("b", "B"):
        return c.CONSTANT_TYPE_BYTE_ARRAY
    if code == "u":
        return c.CONSTANT_TYPE_CHAR_ARRAY
    if code == "f":
        return c.CONSTANT_TYPE_FLOAT_ARRAY
    if code == "d":
        return c.CONSTANT_TYPE_DOUBLE_ARRAY
    if code in ("h", "i", "l", "q"):
        return {2: c.CONSTANT_TYPE_SHORT_ARRAY, 4: c.CONSTANT_TYPE_INTEGER_ARRAY, 8: c.CONSTANT_TYPE_LONG_ARRAY}[size]
    raise HzSerializationError(
        "array.array typecode %r (unsigned) has no Java primitive array equivalent; "
        "use a signed typecode (b, h, i, q), 'f', 'd' or 'u'" % code
    )


class PrimitiveArraySerializer(BuiltinSerializer):
    """Writes an ``array.array`` as the Java primitive array of its item type."""

    _writers: Dict[int, Callable[[ObjectDataOutput, array.array[Any]], None]] = {
        c.CONSTANT_TYPE_BYTE_ARRAY: lambda out, v: out.write_byte_array(v.tobytes()),
        c.CONSTANT_TYPE_CHAR_ARRAY: lambda out, v: out.write_char_array(v.tounicode()),
        c.CONSTANT_TYPE_SHORT_ARRAY: lambda out, v: out.write_short_array(v),
        c.CONSTANT_TYPE_INTEGER_ARRAY: lambda out, v: out.write_int_array(v),
        c.CONSTANT_TYPE_LONG_ARRAY: lambda out, v: out.write_long_array(v),
        c.CONSTANT_TYPE_FLOAT_ARRAY: lambda out, v: out.write_float_array(v),
        c.CONSTANT_TYPE_DOUBLE_ARRAY: lambda out, v: out.write_double_array(v),
    }

    def __init__(self, type_id: int) -> None:
        self.type_id = type_id
        self._write = self._writers[type_id]

    def write(self, out: ObjectDataOutput, obj: array.array[Any]) -> None:
        self._write(out, obj)

    def read(self, inp: ObjectDataInput) -> Any:  # pragma: no cover - reading uses the list serializers
        raise HzSerializationError("PrimitiveArraySerializer is write-only")
