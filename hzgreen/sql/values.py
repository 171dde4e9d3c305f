"""Column values as Python objects: the raw values of :mod:`hzgreen.protocol.sql`, converted.

=========================  =====================================================
column type                Python value
=========================  =====================================================
VARCHAR                    str
BOOLEAN                    bool
TINYINT .. BIGINT          int
DECIMAL                    decimal.Decimal (exact, whatever its precision)
REAL, DOUBLE               float
DATE                       datetime.date
TIME                       datetime.time (microseconds: nanoseconds are cut)
TIMESTAMP                  datetime.datetime without tzinfo
TIMESTAMP_WITH_TIME_ZONE   datetime.datetime with a fixed-offset tzinfo
OBJECT                     the deserialized object (Compact, Portable, ...)
JSON                       hzgreen.HazelcastJsonValue
NULL                       None
=========================  =====================================================
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Callable, Dict, Optional, Tuple, cast

from hzgreen.protocol.sql import SqlValue
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.sql.row import SqlColumnType

__all__ = ["convert_value", "to_decimal"]

#: Turns serialized OBJECT data into its object (the client's schema-aware to_object).
Deserialize = Callable[[bytes], Any]


def to_decimal(unscaled: int, scale: int) -> decimal.Decimal:
    """``unscaled * 10**-scale`` as an exact Decimal (no context rounding); returns it."""
    digits = tuple(int(d) for d in str(abs(unscaled)))
    return decimal.Decimal((1 if unscaled < 0 else 0, digits, -scale))


def _time(value: Tuple[int, ...]) -> datetime.time:
    hour, minute, second, nanos = value
    return datetime.time(hour, minute, second, nanos // 1000)


def _timestamp(value: Tuple[int, ...]) -> datetime.datetime:
    year, month, day, hour, minute, second, nanos = value
    return datetime.datetime(year, month, day, hour, minute, second, nanos // 1000)


def _timestamp_tz(value: Tuple[int, ...]) -> datetime.datetime:
    year, month, day, hour, minute, second, nanos, offset = value
    zone = datetime.timezone(datetime.timedelta(seconds=offset))
    return datetime.datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=zone)


def _date(value: Tuple[int, ...]) -> datetime.date:
    return datetime.date(*value)


def _decimal(value: Tuple[int, ...]) -> decimal.Decimal:
    return to_decimal(value[0], value[1])


def _json(value: str) -> HazelcastJsonValue:
    return HazelcastJsonValue(value)


_TUPLE_CONVERTERS: Dict[int, Callable[[Tuple[int, ...]], Any]] = {
    SqlColumnType.DECIMAL: _decimal,
    SqlColumnType.DATE: _date,
    SqlColumnType.TIME: _time,
    SqlColumnType.TIMESTAMP: _timestamp,
    SqlColumnType.TIMESTAMP_WITH_TIME_ZONE: _timestamp_tz,
}


def convert_value(column_type: int, value: SqlValue, deserialize: Deserialize) -> Optional[Any]:
    """The Python value of a raw ``value`` of a column of ``column_type``; None stays None.

    Returns the value (see the module's table). Raises whatever ``deserialize`` raises
    for OBJECT data it cannot read, and ValueError for a date or time out of Python's range.
    """
    if value is None:
        return None
    converter = _TUPLE_CONVERTERS.get(column_type)
    if converter is not None:
        return converter(cast("Tuple[int, ...]", value))
    if column_type == SqlColumnType.OBJECT:
        return deserialize(cast(bytes, value))
    if column_type == SqlColumnType.JSON:
        return _json(cast(str, value))
    return value
