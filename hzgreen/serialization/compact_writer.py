"""The interface a :class:`~hzgreen.serialization.api.CompactSerializer` writes fields through.

Re-exported by :mod:`hzgreen.serialization.compact_api` and :mod:`hzgreen.serialization.api`.
Every method raises ``NotImplementedError`` here; hzgreen's writers
(:mod:`hzgreen.serialization.compact.writer`) implement them all, as documented below.

There is one ``write_<kind>`` per field kind a Python client supports
(:class:`~hzgreen.serialization.FieldKind` without CHAR and PORTABLE); it returns None.
The schema of a class is recorded from the fields its serializer writes for the first
object of that class. Every write raises :class:`~hzgreen.exceptions.HzSerializationError`
when the field is *refused*: its name is not a non-empty ``str``, is written twice, or is
not in that schema with that kind (a serializer writes the same fields for every object);
and when the value cannot be written as that kind. Variable-size kinds (nullable primitives, strings,
decimals, dates and times, nested objects, arrays) take None; arrays are written from any
iterable.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Iterable, Optional

from hzgreen.serialization.interface_stubs import unimplemented

__all__ = ["CompactWriter"]


class CompactWriter:
    """Writes the fields of a Compact object by name (the kinds of
    :class:`~hzgreen.serialization.compact_reader.CompactReader`; see the module docstring)."""

    # -- fixed-size kinds and their nullable twins -----------------------------------

    def write_boolean(self, field_name: str, value: bool) -> None:
        """Writes ``value`` as the BOOLEAN field ``field_name`` (Java ``boolean``). Raises
        HzSerializationError when ``value`` is not a ``bool``, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_boolean(self, field_name: str, value: Optional[bool]) -> None:
        """Writes ``value`` (None, else its truth value) as the NULLABLE_BOOLEAN field ``field_name`` (Java
        ``Boolean``). Raises HzSerializationError when the field is refused."""
        raise unimplemented(self)

    def write_int8(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the INT8 field ``field_name`` (Java ``byte``). Raises HzSerializationError
        when ``value`` is None or not an int in -128..127, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_int8(self, field_name: str, value: Optional[int]) -> None:
        """Writes ``value`` as the NULLABLE_INT8 field ``field_name`` (Java ``Byte``). Raises
        HzSerializationError when ``value`` is neither None nor an int in -128..127, or the field is refused."""
        raise unimplemented(self)

    def write_int16(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the INT16 field ``field_name`` (Java ``short``). Raises HzSerializationError
        when ``value`` is None or not an int in the int16 range, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_int16(self, field_name: str, value: Optional[int]) -> None:
        """Writes ``value`` as the NULLABLE_INT16 field ``field_name`` (Java ``Short``). Raises
        HzSerializationError when ``value`` is neither None nor an int in the int16 range, or the field is refused."""
        raise unimplemented(self)

    def write_int32(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the INT32 field ``field_name`` (Java ``int``). Raises HzSerializationError
        when ``value`` is None or not an int in the int32 range, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_int32(self, field_name: str, value: Optional[int]) -> None:
        """Writes ``value`` as the NULLABLE_INT32 field ``field_name`` (Java ``Integer``). Raises
        HzSerializationError when ``value`` is neither None nor an int in the int32 range, or the field is refused."""
        raise unimplemented(self)

    def write_int64(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the INT64 field ``field_name`` (Java ``long``). Raises HzSerializationError
        when ``value`` is None or not an int in the int64 range, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_int64(self, field_name: str, value: Optional[int]) -> None:
        """Writes ``value`` as the NULLABLE_INT64 field ``field_name`` (Java ``Long``). Raises
        HzSerializationError when ``value`` is neither None nor an int in the int64 range, or the field is refused."""
        raise unimplemented(self)

    def write_float32(self, field_name: str, value: float) -> None:
        """Writes ``value`` as the FLOAT32 field ``field_name`` (Java ``float``). Raises HzSerializationError
        when ``value`` is None or not a number in the float32 range, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_float32(self, field_name: str, value: Optional[float]) -> None:
        """Writes ``value`` as the NULLABLE_FLOAT32 field ``field_name`` (Java ``Float``). Raises
        HzSerializationError when ``value`` is neither None nor a float32-range number, or the field is refused."""
        raise unimplemented(self)

    def write_float64(self, field_name: str, value: float) -> None:
        """Writes ``value`` as the FLOAT64 field ``field_name`` (Java ``double``). Raises HzSerializationError
        when ``value`` is None or not a number, or the field is refused."""
        raise unimplemented(self)

    def write_nullable_float64(self, field_name: str, value: Optional[float]) -> None:
        """Writes ``value`` as the NULLABLE_FLOAT64 field ``field_name`` (Java ``Double``). Raises
        HzSerializationError when ``value`` is neither None nor a number, or the field is refused."""
        raise unimplemented(self)

    # -- variable-size kinds ---------------------------------------------------------

    def write_string(self, field_name: str, value: Optional[str]) -> None:
        """Writes ``value`` (or None) as the STRING field ``field_name`` (Java ``String``). Raises
        HzSerializationError when ``value`` is neither a str nor None, or the field is refused."""
        raise unimplemented(self)

    def write_decimal(self, field_name: str, value: Optional[decimal.Decimal]) -> None:
        """Writes ``value`` (or None) as the DECIMAL field ``field_name`` (Java ``BigDecimal``). Raises
        HzSerializationError when ``value`` is not a finite ``decimal.Decimal``, or the field is refused."""
        raise unimplemented(self)

    def write_time(self, field_name: str, value: Optional[datetime.time]) -> None:
        """Writes ``value`` (or None) as the TIME field ``field_name`` (Java ``LocalTime``). Raises
        HzSerializationError for a timezone-aware time or a value without a time of day, or a refused field."""
        raise unimplemented(self)

    def write_date(self, field_name: str, value: Optional[datetime.date]) -> None:
        """Writes ``value`` (or None) as the DATE field ``field_name`` (Java ``LocalDate``). Raises
        HzSerializationError when ``value`` is not a ``datetime.date``, or the field is refused."""
        raise unimplemented(self)

    def write_timestamp(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        """Writes ``value`` (or None) as the TIMESTAMP field ``field_name`` (Java ``LocalDateTime``). Raises
        HzSerializationError when ``value`` is not a naive ``datetime.datetime``, or the field is refused."""
        raise unimplemented(self)

    def write_timestamp_with_timezone(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        """Writes ``value`` (or None) as the TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java ``OffsetDateTime``;
        a naive datetime is written at offset 0). Raises HzSerializationError when ``value`` is not a datetime."""
        raise unimplemented(self)

    def write_compact(self, field_name: str, value: Any) -> None:
        """``value`` is an object of a ``compact_serializers`` class, a GenericRecord, or None.

        Writes it as the COMPACT field ``field_name``. Raises HzSerializationError when no Compact
        serializer handles its class, its serializer's write fails, or the field is refused.
        """
        raise unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def write_array_of_boolean(self, field_name: str, value: Optional[Iterable[bool]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_BOOLEAN field ``field_name`` (Java ``boolean[]``).
        Raises HzSerializationError when an item is not a ``bool``, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_boolean(self, field_name: str, value: Optional[Iterable[Optional[bool]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_BOOLEAN field ``field_name`` (Java ``Boolean[]``;
        items are None or their truth value). Raises HzSerializationError when the field is refused."""
        raise unimplemented(self)

    def write_array_of_int8(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        """``value`` is bytes-like (unsigned bytes, written as is) or an iterable of signed bytes.

        Writes it (or None) as the ARRAY_OF_INT8 field ``field_name`` (Java ``byte[]``). Raises
        HzSerializationError when an item is not an int in -128..127, or the field is refused.
        """
        raise unimplemented(self)

    def write_array_of_nullable_int8(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_INT8 field ``field_name`` (Java ``Byte[]``).
        Raises HzSerializationError when an item is neither None nor an int in -128..127, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_int16(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_INT16 field ``field_name`` (Java ``short[]``).
        Raises HzSerializationError when an item is not an int in the int16 range, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_int16(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_INT16 field ``field_name`` (Java ``Short[]``).
        Raises HzSerializationError when an item is neither None nor an int16, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_int32(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_INT32 field ``field_name`` (Java ``int[]``).
        Raises HzSerializationError when an item is not an int in the int32 range, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_int32(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_INT32 field ``field_name`` (Java ``Integer[]``).
        Raises HzSerializationError when an item is neither None nor an int32, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_int64(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_INT64 field ``field_name`` (Java ``long[]``).
        Raises HzSerializationError when an item is not an int in the int64 range, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_int64(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_INT64 field ``field_name`` (Java ``Long[]``).
        Raises HzSerializationError when an item is neither None nor an int64, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_float32(self, field_name: str, value: Optional[Iterable[float]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_FLOAT32 field ``field_name`` (Java ``float[]``).
        Raises HzSerializationError when an item is not a number in the float32 range, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_float32(self, field_name: str, value: Optional[Iterable[Optional[float]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_FLOAT32 field ``field_name`` (Java ``Float[]``).
        Raises HzSerializationError when an item is neither None nor a float32, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_float64(self, field_name: str, value: Optional[Iterable[float]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_FLOAT64 field ``field_name`` (Java ``double[]``).
        Raises HzSerializationError when an item is not a number, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_nullable_float64(self, field_name: str, value: Optional[Iterable[Optional[float]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_NULLABLE_FLOAT64 field ``field_name`` (Java ``Double[]``).
        Raises HzSerializationError when an item is neither None nor a number, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_string(self, field_name: str, value: Optional[Iterable[Optional[str]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_STRING field ``field_name`` (Java ``String[]``).
        Raises HzSerializationError when an item is neither a str nor None, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_decimal(self, field_name: str, value: Optional[Iterable[Optional[decimal.Decimal]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_DECIMAL field ``field_name`` (Java ``BigDecimal[]``).
        Raises HzSerializationError when an item is neither a finite Decimal nor None, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_time(self, field_name: str, value: Optional[Iterable[Optional[datetime.time]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_TIME field ``field_name`` (Java ``LocalTime[]``).
        Raises HzSerializationError for an item that is timezone-aware or not a time, or a refused field."""
        raise unimplemented(self)

    def write_array_of_date(self, field_name: str, value: Optional[Iterable[Optional[datetime.date]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_DATE field ``field_name`` (Java ``LocalDate[]``).
        Raises HzSerializationError when an item is neither a date nor None, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_timestamp(self, field_name: str, value: Optional[Iterable[Optional[datetime.datetime]]]) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_TIMESTAMP field ``field_name`` (Java ``LocalDateTime[]``).
        Raises HzSerializationError when an item is neither a naive datetime nor None, or the field is refused."""
        raise unimplemented(self)

    def write_array_of_timestamp_with_timezone(
        self, field_name: str, value: Optional[Iterable[Optional[datetime.datetime]]]
    ) -> None:
        """Writes ``value`` (or None) as the ARRAY_OF_TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java
        ``OffsetDateTime[]``). Raises HzSerializationError when an item is neither a datetime nor None."""
        raise unimplemented(self)

    def write_array_of_compact(self, field_name: str, value: Optional[Iterable[Any]]) -> None:
        """``value`` holds objects of one class (None items allowed).

        Writes it (or None) as the ARRAY_OF_COMPACT field ``field_name``. Raises HzSerializationError when
        the items are of several classes or one cannot be written as a Compact object, or the field is refused.
        """
        raise unimplemented(self)
