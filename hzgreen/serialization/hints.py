"""Type hints: store a Python value as a particular Java type.

Python has one ``int`` and one ``float``; Java has byte/short/int/long/BigInteger and
float/double, and a member compares keys by their serialized bytes. When a Java
application expects a ``Short`` key or a ``Float`` value, say so::

    from hzgreen.serialization import JavaType, typed

    m.put(7, 1.5, key_hint=JavaType.SHORT, value_hint="float")   # on Map methods
    m.put(typed(7, "short"), typed(1.5, JavaType.FLOAT))        # anywhere, nested too
    predicate.equal("age", typed(31, "short"))

A hint is a :class:`JavaType` or its name in any case (``"short"``, ``"SHORT"``,
``"Short"``, ``"byte[]"``, ``"BYTE_ARRAY"``, ``"LocalDate"``...). Values that do not fit
raise :class:`~hzgreen.exceptions.HzSerializationError` naming the Java type; reading
gives the natural Python type back (``int``, ``float``, ``list`` for arrays).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.serialization.serializers import (
    INT8_MAX,
    INT8_MIN,
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    INT32_MIN,
    INT64_MAX,
    INT64_MIN,
)

__all__ = ["JavaType", "Typed", "typed", "resolve_java_type"]


class JavaType(enum.Enum):
    """Java types a value can be stored as; the value is the Java name."""

    BOOLEAN = "boolean"
    BYTE = "byte"
    CHAR = "char"
    SHORT = "short"
    INT = "int"
    LONG = "long"
    FLOAT = "float"
    DOUBLE = "double"
    STRING = "String"
    BIG_INTEGER = "BigInteger"
    BIG_DECIMAL = "BigDecimal"
    UUID = "UUID"
    BYTE_ARRAY = "byte[]"
    BOOLEAN_ARRAY = "boolean[]"
    CHAR_ARRAY = "char[]"
    SHORT_ARRAY = "short[]"
    INT_ARRAY = "int[]"
    LONG_ARRAY = "long[]"
    FLOAT_ARRAY = "float[]"
    DOUBLE_ARRAY = "double[]"
    STRING_ARRAY = "String[]"
    LOCAL_DATE = "LocalDate"
    LOCAL_TIME = "LocalTime"
    LOCAL_DATE_TIME = "LocalDateTime"
    OFFSET_DATE_TIME = "OffsetDateTime"
    JSON = "HazelcastJsonValue"
    ARRAY_LIST = "ArrayList"


_ALIASES: Dict[str, JavaType] = {}
for _member in JavaType:
    for _alias in (_member.name, _member.value, "java.lang." + _member.value):
        _ALIASES[_alias.lower()] = _member
_ALIASES.update(
    {
        "integer": JavaType.INT,
        "character": JavaType.CHAR,
        "str": JavaType.STRING,
        "json": JavaType.JSON,
        "bytes": JavaType.BYTE_ARRAY,
    }
)


def resolve_java_type(hint: Union[JavaType, str]) -> JavaType:
    """``JavaType`` for a hint given as a member or a name (case-insensitive)."""
    if isinstance(hint, JavaType):
        return hint
    if isinstance(hint, str):
        found = _ALIASES.get(hint.strip().lower())
        if found is not None:
            return found
        raise ValueError(
            "unknown Java type hint %r; use a hzgreen.serialization.JavaType "
            "(e.g. 'short', 'float', 'BigDecimal', 'int[]')" % (hint,)
        )
    raise TypeError("a Java type hint must be a JavaType or a str, got %r" % (hint,))


class Typed:
    """A value with the Java type it must be stored as (see :func:`typed`)."""

    __slots__ = ("value", "java_type")

    def __init__(self, value: Any, java_type: Union[JavaType, str]) -> None:
        if value is None:
            raise ValueError("a typed value must not be None")
        self.value = value
        self.java_type = resolve_java_type(java_type)

    def __repr__(self) -> str:
        return "typed(%r, %s)" % (self.value, self.java_type.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Typed):
            return self.value == other.value and self.java_type is other.java_type
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.value, self.java_type))


def typed(value: Any, java_type: Union[JavaType, str]) -> Typed:
    """Mark ``value`` to be stored as ``java_type`` (``typed(7, "short")``)."""
    if isinstance(value, Typed):
        value = value.value
    return Typed(value, java_type)


# -- conversion: JavaType -> (type id, function checking/converting the Python value) ----


def _integral(java: str, low: float, high: float) -> Callable[[Any], int]:
    """Returns a converter checking that a value is an integer (or an integral float) in low..high."""

    def convert(value: Any) -> int:
        number: int
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                number = int(value)
            else:
                raise HzSerializationError("cannot store %r as Java %s: not an integer" % (value, java))
        else:
            number = value
        if not low <= number <= high:
            raise HzSerializationError("cannot store %d as Java %s: out of range %d..%d" % (number, java, low, high))
        return number

    return convert


def _number(java: str) -> Callable[[Any], float]:
    def convert(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, decimal.Decimal)):
            raise HzSerializationError("cannot store %r as Java %s: not a number" % (value, java))
        result = float(value)
        if java == "float" and result == result and abs(result) != float("inf") and abs(result) > 3.4028234663852886e38:
            raise HzSerializationError("cannot store %r as Java float: out of range" % (value,))
        return result

    return convert


def _instance(
    python_types: Tuple[type, ...], java: str, make: Optional[Callable[[Any], Any]] = None
) -> Callable[[Any], Any]:
    """Returns a converter accepting instances of ``python_types``, or what ``make(value)`` builds."""

    def convert(value: Any) -> Any:
        if isinstance(value, python_types):
            return value
        if make is not None:
            try:
                return make(value)
            except (TypeError, ValueError, ArithmeticError) as e:
                raise HzSerializationError("cannot store %r as Java %s: %s" % (value, java, e)) from None
        raise HzSerializationError("cannot store a %s as Java %s" % (type(value).__name__, java))

    return convert


def _char(value: Any) -> str:
    if isinstance(value, str) and len(value) == 1 and ord(value) <= 0xFFFF:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return chr(value)
    raise HzSerializationError("cannot store %r as Java char: need one UTF-16 character" % (value,))


def _sequence_of(item: Callable[[Any], Any], java: str) -> Callable[[Any], List[Any]]:
    """Returns a converter of an iterable (not a str or dict) to the list of its items converted by ``item``."""

    def convert(value: Any) -> List[Any]:
        if isinstance(value, (str, dict)) or not hasattr(value, "__iter__"):
            raise HzSerializationError("cannot store a %s as Java %s" % (type(value).__name__, java))
        result = []
        for index, v in enumerate(value):
            try:
                result.append(item(v))
            except HzSerializationError as e:
                raise HzSerializationError(
                    "cannot store item %d of %r as Java %s: %s" % (index, value, java, e)
                ) from None
        return result

    return convert


def _bytes(value: Any) -> bytes:
    """bytes-like as is; a sequence of ints as signed (-128..127) or unsigned (0..255) bytes."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    item = _integral("byte[] item", INT8_MIN, 255)
    return bytes(item(v) & 0xFF for v in _sequence_of(lambda v: v, "byte[]")(value))


def _offset_datetime(value: Any) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise HzSerializationError("cannot store a %s as Java OffsetDateTime" % type(value).__name__)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)


def _local_datetime(value: Any) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise HzSerializationError("cannot store a %s as Java LocalDateTime" % type(value).__name__)
    if value.tzinfo is not None:
        raise HzSerializationError(
            "cannot store a timezone-aware datetime as Java LocalDateTime; use OffsetDateTime or drop the zone"
        )
    return value


def _local_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise HzSerializationError("cannot store a %s as Java LocalDate" % type(value).__name__)
    return value


def _json(value: Any) -> HazelcastJsonValue:
    return value if isinstance(value, HazelcastJsonValue) else HazelcastJsonValue(value)


_INT = _integral("int", INT32_MIN, INT32_MAX)

CONVERSIONS: Dict[JavaType, Tuple[int, Callable[[Any], Any]]] = {
    JavaType.BOOLEAN: (c.CONSTANT_TYPE_BOOLEAN, _instance((bool,), "boolean")),
    JavaType.BYTE: (c.CONSTANT_TYPE_BYTE, _integral("byte", INT8_MIN, INT8_MAX)),
    JavaType.CHAR: (c.CONSTANT_TYPE_CHAR, _char),
    JavaType.SHORT: (c.CONSTANT_TYPE_SHORT, _integral("short", INT16_MIN, INT16_MAX)),
    JavaType.INT: (c.CONSTANT_TYPE_INTEGER, _INT),
    JavaType.LONG: (c.CONSTANT_TYPE_LONG, _integral("long", INT64_MIN, INT64_MAX)),
    JavaType.FLOAT: (c.CONSTANT_TYPE_FLOAT, _number("float")),
    JavaType.DOUBLE: (c.CONSTANT_TYPE_DOUBLE, _number("double")),
    JavaType.STRING: (c.CONSTANT_TYPE_STRING, _instance((str,), "String", str)),
    JavaType.BIG_INTEGER: (c.JAVA_DEFAULT_TYPE_BIG_INTEGER, _integral("BigInteger", -float("inf"), float("inf"))),
    JavaType.BIG_DECIMAL: (
        c.JAVA_DEFAULT_TYPE_BIG_DECIMAL,
        _instance(
            (decimal.Decimal,), "BigDecimal", lambda v: decimal.Decimal(v if not isinstance(v, float) else repr(v))
        ),
    ),
    JavaType.UUID: (c.CONSTANT_TYPE_UUID, _instance((uuid.UUID,), "UUID", uuid.UUID)),
    JavaType.BYTE_ARRAY: (c.CONSTANT_TYPE_BYTE_ARRAY, _bytes),
    JavaType.BOOLEAN_ARRAY: (c.CONSTANT_TYPE_BOOLEAN_ARRAY, _sequence_of(_instance((bool,), "boolean"), "boolean[]")),
    JavaType.CHAR_ARRAY: (c.CONSTANT_TYPE_CHAR_ARRAY, lambda v: [_char(x) for x in v]),
    JavaType.SHORT_ARRAY: (
        c.CONSTANT_TYPE_SHORT_ARRAY,
        _sequence_of(_integral("short", INT16_MIN, INT16_MAX), "short[]"),
    ),
    JavaType.INT_ARRAY: (c.CONSTANT_TYPE_INTEGER_ARRAY, _sequence_of(_INT, "int[]")),
    JavaType.LONG_ARRAY: (c.CONSTANT_TYPE_LONG_ARRAY, _sequence_of(_integral("long", INT64_MIN, INT64_MAX), "long[]")),
    JavaType.FLOAT_ARRAY: (c.CONSTANT_TYPE_FLOAT_ARRAY, _sequence_of(_number("float"), "float[]")),
    JavaType.DOUBLE_ARRAY: (c.CONSTANT_TYPE_DOUBLE_ARRAY, _sequence_of(_number("double"), "double[]")),
    JavaType.STRING_ARRAY: (
        c.CONSTANT_TYPE_STRING_ARRAY,
        _sequence_of(_instance((str, type(None)), "String"), "String[]"),
    ),
    JavaType.LOCAL_DATE: (c.JAVA_DEFAULT_TYPE_LOCAL_DATE, _local_date),
    JavaType.LOCAL_TIME: (c.JAVA_DEFAULT_TYPE_LOCAL_TIME, _instance((datetime.time,), "LocalTime")),
    JavaType.LOCAL_DATE_TIME: (c.JAVA_DEFAULT_TYPE_LOCAL_DATE_TIME, _local_datetime),
    JavaType.OFFSET_DATE_TIME: (c.JAVA_DEFAULT_TYPE_OFFSET_DATE_TIME, _offset_datetime),
    JavaType.JSON: (c.JAVASCRIPT_JSON_SERIALIZATION_TYPE, _json),
    JavaType.ARRAY_LIST: (c.JAVA_DEFAULT_TYPE_ARRAY_LIST, _sequence_of(lambda v: v, "ArrayList")),
}
