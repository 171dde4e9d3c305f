"""The interface a :class:`~hzgreen.serialization.api.CompactSerializer` reads fields through.

Re-exported by :mod:`hzgreen.serialization.compact_api` and :mod:`hzgreen.serialization.api`.
Every method raises ``NotImplementedError`` here; hzgreen's reader
(:mod:`hzgreen.serialization.compact.reader`) implements them all, as documented below.

There is one ``read_<kind>`` and one ``read_<kind>_or_default`` per field kind a Python
client supports (:class:`~hzgreen.serialization.FieldKind` without CHAR and PORTABLE).
A plain kind and its ``nullable`` twin read each other (``read_int32`` reads a
NULLABLE_INT32 field, ``read_nullable_int32`` an INT32 one), and so do the arrays of them;
a plain read of a ``None`` (or of an array holding ``None`` items) raises
:class:`~hzgreen.exceptions.HzSerializationError`. A ``read_<kind>`` raises it too for a
field the data does not have or has with another kind, while
``read_<kind>_or_default(name, default)`` returns ``default`` then: that, and
``get_field_kind(name)``, is how a serializer handles schema evolution. Arrays are read as
lists. Any read also raises HzSerializationError for corrupt data.
"""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Any, List, Optional

from hzgreen.serialization.interface_stubs import unimplemented

if TYPE_CHECKING:
    from hzgreen.serialization.compact.schema import FieldKind

__all__ = ["CompactReader"]


class CompactReader:
    """Reads the fields of a Compact object by name (see the module docstring)."""

    def get_field_kind(self, field_name: str) -> FieldKind:
        """Returns the kind of the field in the data, ``FieldKind.NOT_AVAILABLE`` if it has none."""
        raise unimplemented(self)

    # -- fixed-size kinds and their nullable twins -----------------------------------

    def read_boolean(self, field_name: str) -> bool:
        """Returns the BOOLEAN field ``field_name`` (Java ``boolean``). Raises HzSerializationError when
        the field is missing, of another kind than BOOLEAN or NULLABLE_BOOLEAN, or None."""
        raise unimplemented(self)

    def read_nullable_boolean(self, field_name: str) -> Optional[bool]:
        """Returns the NULLABLE_BOOLEAN field ``field_name`` (Java ``Boolean``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or BOOLEAN."""
        raise unimplemented(self)

    def read_int8(self, field_name: str) -> int:
        """Returns the INT8 field ``field_name`` (Java ``byte``, -128..127). Raises HzSerializationError
        when the field is missing, of another kind than INT8 or NULLABLE_INT8, or None."""
        raise unimplemented(self)

    def read_nullable_int8(self, field_name: str) -> Optional[int]:
        """Returns the NULLABLE_INT8 field ``field_name`` (Java ``Byte``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or INT8."""
        raise unimplemented(self)

    def read_int16(self, field_name: str) -> int:
        """Returns the INT16 field ``field_name`` (Java ``short``). Raises HzSerializationError when the
        field is missing, of another kind than INT16 or NULLABLE_INT16, or None."""
        raise unimplemented(self)

    def read_nullable_int16(self, field_name: str) -> Optional[int]:
        """Returns the NULLABLE_INT16 field ``field_name`` (Java ``Short``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or INT16."""
        raise unimplemented(self)

    def read_int32(self, field_name: str) -> int:
        """Returns the INT32 field ``field_name`` (Java ``int``). Raises HzSerializationError when the
        field is missing, of another kind than INT32 or NULLABLE_INT32, or None."""
        raise unimplemented(self)

    def read_nullable_int32(self, field_name: str) -> Optional[int]:
        """Returns the NULLABLE_INT32 field ``field_name`` (Java ``Integer``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or INT32."""
        raise unimplemented(self)

    def read_int64(self, field_name: str) -> int:
        """Returns the INT64 field ``field_name`` (Java ``long``). Raises HzSerializationError when the
        field is missing, of another kind than INT64 or NULLABLE_INT64, or None."""
        raise unimplemented(self)

    def read_nullable_int64(self, field_name: str) -> Optional[int]:
        """Returns the NULLABLE_INT64 field ``field_name`` (Java ``Long``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or INT64."""
        raise unimplemented(self)

    def read_float32(self, field_name: str) -> float:
        """Returns the FLOAT32 field ``field_name`` (Java ``float``). Raises HzSerializationError when the
        field is missing, of another kind than FLOAT32 or NULLABLE_FLOAT32, or None."""
        raise unimplemented(self)

    def read_nullable_float32(self, field_name: str) -> Optional[float]:
        """Returns the NULLABLE_FLOAT32 field ``field_name`` (Java ``Float``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or FLOAT32."""
        raise unimplemented(self)

    def read_float64(self, field_name: str) -> float:
        """Returns the FLOAT64 field ``field_name`` (Java ``double``). Raises HzSerializationError when the
        field is missing, of another kind than FLOAT64 or NULLABLE_FLOAT64, or None."""
        raise unimplemented(self)

    def read_nullable_float64(self, field_name: str) -> Optional[float]:
        """Returns the NULLABLE_FLOAT64 field ``field_name`` (Java ``Double``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or FLOAT64."""
        raise unimplemented(self)

    # -- variable-size kinds ---------------------------------------------------------

    def read_string(self, field_name: str) -> Optional[str]:
        """Returns the STRING field ``field_name`` (Java ``String``) or None. Raises HzSerializationError
        when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_decimal(self, field_name: str) -> Optional[decimal.Decimal]:
        """Returns the DECIMAL field ``field_name`` (Java ``BigDecimal``) as a ``decimal.Decimal``, or None.
        Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_time(self, field_name: str) -> Optional[datetime.time]:
        """Returns the TIME field ``field_name`` (Java ``LocalTime``) as a naive ``datetime.time``, or None.
        Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_date(self, field_name: str) -> Optional[datetime.date]:
        """Returns the DATE field ``field_name`` (Java ``LocalDate``) as a ``datetime.date``, or None.
        Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_timestamp(self, field_name: str) -> Optional[datetime.datetime]:
        """Returns the TIMESTAMP field ``field_name`` (Java ``LocalDateTime``) as a naive
        ``datetime.datetime``, or None. Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_timestamp_with_timezone(self, field_name: str) -> Optional[datetime.datetime]:
        """Returns the TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java ``OffsetDateTime``) as an aware
        ``datetime.datetime``, or None. Raises HzSerializationError when it is missing or of another kind."""
        raise unimplemented(self)

    def read_compact(self, field_name: str) -> Any:
        """Returns the nested object (as its serializer reads it, or a GenericRecord) or None.

        Raises HzSerializationError when the COMPACT field is missing or of another kind, or the nested
        object cannot be read (:class:`~hzgreen.serialization.SchemaNotFoundError` for an unknown schema).
        """
        raise unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def read_array_of_boolean(self, field_name: str) -> Optional[List[bool]]:
        """Returns the ARRAY_OF_BOOLEAN field ``field_name`` (Java ``boolean[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_BOOLEAN, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_boolean(self, field_name: str) -> Optional[List[Optional[bool]]]:
        """Returns the ARRAY_OF_NULLABLE_BOOLEAN field ``field_name`` (Java ``Boolean[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_BOOLEAN."""
        raise unimplemented(self)

    def read_array_of_int8(self, field_name: str) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT8 field ``field_name`` (Java ``byte[]``) as signed ints, or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_INT8, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_int8(self, field_name: str) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT8 field ``field_name`` (Java ``Byte[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_INT8."""
        raise unimplemented(self)

    def read_array_of_int16(self, field_name: str) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT16 field ``field_name`` (Java ``short[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_INT16, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_int16(self, field_name: str) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT16 field ``field_name`` (Java ``Short[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_INT16."""
        raise unimplemented(self)

    def read_array_of_int32(self, field_name: str) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT32 field ``field_name`` (Java ``int[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_INT32, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_int32(self, field_name: str) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT32 field ``field_name`` (Java ``Integer[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_INT32."""
        raise unimplemented(self)

    def read_array_of_int64(self, field_name: str) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT64 field ``field_name`` (Java ``long[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_INT64, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_int64(self, field_name: str) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT64 field ``field_name`` (Java ``Long[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_INT64."""
        raise unimplemented(self)

    def read_array_of_float32(self, field_name: str) -> Optional[List[float]]:
        """Returns the ARRAY_OF_FLOAT32 field ``field_name`` (Java ``float[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_FLOAT32, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_float32(self, field_name: str) -> Optional[List[Optional[float]]]:
        """Returns the ARRAY_OF_NULLABLE_FLOAT32 field ``field_name`` (Java ``Float[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_FLOAT32."""
        raise unimplemented(self)

    def read_array_of_float64(self, field_name: str) -> Optional[List[float]]:
        """Returns the ARRAY_OF_FLOAT64 field ``field_name`` (Java ``double[]``) or None. Raises
        HzSerializationError when it is missing, of another kind than it or ARRAY_OF_NULLABLE_FLOAT64, or holds None."""
        raise unimplemented(self)

    def read_array_of_nullable_float64(self, field_name: str) -> Optional[List[Optional[float]]]:
        """Returns the ARRAY_OF_NULLABLE_FLOAT64 field ``field_name`` (Java ``Double[]``) or None. Raises
        HzSerializationError when the field is missing or of another kind than it or ARRAY_OF_FLOAT64."""
        raise unimplemented(self)

    def read_array_of_string(self, field_name: str) -> Optional[List[Optional[str]]]:
        """Returns the ARRAY_OF_STRING field ``field_name`` (Java ``String[]``, None items kept) or None.
        Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_decimal(self, field_name: str) -> Optional[List[Optional[decimal.Decimal]]]:
        """Returns the ARRAY_OF_DECIMAL field ``field_name`` (Java ``BigDecimal[]``) as ``Decimal`` items,
        or None. Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_time(self, field_name: str) -> Optional[List[Optional[datetime.time]]]:
        """Returns the ARRAY_OF_TIME field ``field_name`` (Java ``LocalTime[]``) as naive ``time`` items,
        or None. Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_date(self, field_name: str) -> Optional[List[Optional[datetime.date]]]:
        """Returns the ARRAY_OF_DATE field ``field_name`` (Java ``LocalDate[]``) as ``date`` items, or None.
        Raises HzSerializationError when the field is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_timestamp(self, field_name: str) -> Optional[List[Optional[datetime.datetime]]]:
        """Returns the ARRAY_OF_TIMESTAMP field ``field_name`` (Java ``LocalDateTime[]``) as naive
        ``datetime`` items, or None. Raises HzSerializationError when it is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_timestamp_with_timezone(self, field_name: str) -> Optional[List[Optional[datetime.datetime]]]:
        """Returns the ARRAY_OF_TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java ``OffsetDateTime[]``) as
        aware ``datetime`` items, or None. Raises HzSerializationError when it is missing or of another kind."""
        raise unimplemented(self)

    def read_array_of_compact(self, field_name: str) -> Optional[List[Any]]:
        """Returns the ARRAY_OF_COMPACT field ``field_name`` (nested objects, None items kept) or None.
        Raises HzSerializationError when it is missing, of another kind, or an item cannot be read."""
        raise unimplemented(self)

    # -- the same, with a default for a field the data does not have -----------------

    def read_boolean_or_default(self, field_name: str, default: bool) -> bool:
        """Returns the BOOLEAN (Java ``boolean``) or NULLABLE_BOOLEAN field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_BOOLEAN holding None."""
        raise unimplemented(self)

    def read_nullable_boolean_or_default(self, field_name: str, default: Optional[bool]) -> Optional[bool]:
        """Returns the NULLABLE_BOOLEAN (Java ``Boolean``) or BOOLEAN field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_int8_or_default(self, field_name: str, default: int) -> int:
        """Returns the INT8 (Java ``byte``) or NULLABLE_INT8 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_INT8 holding None."""
        raise unimplemented(self)

    def read_nullable_int8_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        """Returns the NULLABLE_INT8 (Java ``Byte``) or INT8 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_int16_or_default(self, field_name: str, default: int) -> int:
        """Returns the INT16 (Java ``short``) or NULLABLE_INT16 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_INT16 holding None."""
        raise unimplemented(self)

    def read_nullable_int16_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        """Returns the NULLABLE_INT16 (Java ``Short``) or INT16 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_int32_or_default(self, field_name: str, default: int) -> int:
        """Returns the INT32 (Java ``int``) or NULLABLE_INT32 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_INT32 holding None."""
        raise unimplemented(self)

    def read_nullable_int32_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        """Returns the NULLABLE_INT32 (Java ``Integer``) or INT32 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_int64_or_default(self, field_name: str, default: int) -> int:
        """Returns the INT64 (Java ``long``) or NULLABLE_INT64 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_INT64 holding None."""
        raise unimplemented(self)

    def read_nullable_int64_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        """Returns the NULLABLE_INT64 (Java ``Long``) or INT64 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_float32_or_default(self, field_name: str, default: float) -> float:
        """Returns the FLOAT32 (Java ``float``) or NULLABLE_FLOAT32 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_FLOAT32 holding None."""
        raise unimplemented(self)

    def read_nullable_float32_or_default(self, field_name: str, default: Optional[float]) -> Optional[float]:
        """Returns the NULLABLE_FLOAT32 (Java ``Float``) or FLOAT32 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_float64_or_default(self, field_name: str, default: float) -> float:
        """Returns the FLOAT64 (Java ``double``) or NULLABLE_FLOAT64 field ``field_name``, else ``default``.
        Raises HzSerializationError when it is a NULLABLE_FLOAT64 holding None."""
        raise unimplemented(self)

    def read_nullable_float64_or_default(self, field_name: str, default: Optional[float]) -> Optional[float]:
        """Returns the NULLABLE_FLOAT64 (Java ``Double``) or FLOAT64 field ``field_name``, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_string_or_default(self, field_name: str, default: Optional[str]) -> Optional[str]:
        """Returns the STRING field ``field_name`` (Java ``String``) or None, else ``default`` when the data
        has no such STRING field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_decimal_or_default(self, field_name: str, default: Optional[decimal.Decimal]) -> Optional[decimal.Decimal]:
        """Returns the DECIMAL field ``field_name`` (Java ``BigDecimal``) or None, else ``default`` when the
        data has no such DECIMAL field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_time_or_default(self, field_name: str, default: Optional[datetime.time]) -> Optional[datetime.time]:
        """Returns the TIME field ``field_name`` (Java ``LocalTime``) or None, else ``default`` when the
        data has no such TIME field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_date_or_default(self, field_name: str, default: Optional[datetime.date]) -> Optional[datetime.date]:
        """Returns the DATE field ``field_name`` (Java ``LocalDate``) or None, else ``default`` when the
        data has no such DATE field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_timestamp_or_default(
        self, field_name: str, default: Optional[datetime.datetime]
    ) -> Optional[datetime.datetime]:
        """Returns the TIMESTAMP field ``field_name`` (Java ``LocalDateTime``) or None, else ``default`` when
        the data has no such TIMESTAMP field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_timestamp_with_timezone_or_default(
        self, field_name: str, default: Optional[datetime.datetime]
    ) -> Optional[datetime.datetime]:
        """Returns the TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java ``OffsetDateTime``) or None, else
        ``default`` when the data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_compact_or_default(self, field_name: str, default: Any) -> Any:
        """Returns the COMPACT field ``field_name`` (a nested object) or None, else ``default`` when the data
        has no such COMPACT field. Raises HzSerializationError when the nested object cannot be read."""
        raise unimplemented(self)

    def read_array_of_boolean_or_default(self, field_name: str, default: Optional[List[bool]]) -> Optional[List[bool]]:
        """Returns the ARRAY_OF_BOOLEAN (Java ``boolean[]``) or ARRAY_OF_NULLABLE_BOOLEAN field, else
        ``default``. Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_boolean_or_default(
        self, field_name: str, default: Optional[List[Optional[bool]]]
    ) -> Optional[List[Optional[bool]]]:
        """Returns the ARRAY_OF_NULLABLE_BOOLEAN (Java ``Boolean[]``) or ARRAY_OF_BOOLEAN field, else
        ``default``; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_int8_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT8 (Java ``byte[]``) or ARRAY_OF_NULLABLE_INT8 field, else ``default``.
        Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_int8_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT8 (Java ``Byte[]``) or ARRAY_OF_INT8 field, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_int16_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT16 (Java ``short[]``) or ARRAY_OF_NULLABLE_INT16 field, else ``default``.
        Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_int16_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT16 (Java ``Short[]``) or ARRAY_OF_INT16 field, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_int32_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT32 (Java ``int[]``) or ARRAY_OF_NULLABLE_INT32 field, else ``default``.
        Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_int32_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT32 (Java ``Integer[]``) or ARRAY_OF_INT32 field, else
        ``default``; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_int64_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        """Returns the ARRAY_OF_INT64 (Java ``long[]``) or ARRAY_OF_NULLABLE_INT64 field, else ``default``.
        Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_int64_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        """Returns the ARRAY_OF_NULLABLE_INT64 (Java ``Long[]``) or ARRAY_OF_INT64 field, else ``default``;
        raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_float32_or_default(
        self, field_name: str, default: Optional[List[float]]
    ) -> Optional[List[float]]:
        """Returns the ARRAY_OF_FLOAT32 (Java ``float[]``) or ARRAY_OF_NULLABLE_FLOAT32 field, else
        ``default``. Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_float32_or_default(
        self, field_name: str, default: Optional[List[Optional[float]]]
    ) -> Optional[List[Optional[float]]]:
        """Returns the ARRAY_OF_NULLABLE_FLOAT32 (Java ``Float[]``) or ARRAY_OF_FLOAT32 field, else
        ``default``; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_float64_or_default(
        self, field_name: str, default: Optional[List[float]]
    ) -> Optional[List[float]]:
        """Returns the ARRAY_OF_FLOAT64 (Java ``double[]``) or ARRAY_OF_NULLABLE_FLOAT64 field, else
        ``default``. Raises HzSerializationError when the array holds None items."""
        raise unimplemented(self)

    def read_array_of_nullable_float64_or_default(
        self, field_name: str, default: Optional[List[Optional[float]]]
    ) -> Optional[List[Optional[float]]]:
        """Returns the ARRAY_OF_NULLABLE_FLOAT64 (Java ``Double[]``) or ARRAY_OF_FLOAT64 field, else
        ``default``; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_string_or_default(
        self, field_name: str, default: Optional[List[Optional[str]]]
    ) -> Optional[List[Optional[str]]]:
        """Returns the ARRAY_OF_STRING field ``field_name`` (Java ``String[]``), else ``default`` when the
        data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_decimal_or_default(
        self, field_name: str, default: Optional[List[Optional[decimal.Decimal]]]
    ) -> Optional[List[Optional[decimal.Decimal]]]:
        """Returns the ARRAY_OF_DECIMAL field ``field_name`` (Java ``BigDecimal[]``), else ``default`` when
        the data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_time_or_default(
        self, field_name: str, default: Optional[List[Optional[datetime.time]]]
    ) -> Optional[List[Optional[datetime.time]]]:
        """Returns the ARRAY_OF_TIME field ``field_name`` (Java ``LocalTime[]``), else ``default`` when the
        data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_date_or_default(
        self, field_name: str, default: Optional[List[Optional[datetime.date]]]
    ) -> Optional[List[Optional[datetime.date]]]:
        """Returns the ARRAY_OF_DATE field ``field_name`` (Java ``LocalDate[]``), else ``default`` when the
        data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_timestamp_or_default(
        self, field_name: str, default: Optional[List[Optional[datetime.datetime]]]
    ) -> Optional[List[Optional[datetime.datetime]]]:
        """Returns the ARRAY_OF_TIMESTAMP field ``field_name`` (Java ``LocalDateTime[]``), else ``default``
        when the data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_timestamp_with_timezone_or_default(
        self, field_name: str, default: Optional[List[Optional[datetime.datetime]]]
    ) -> Optional[List[Optional[datetime.datetime]]]:
        """Returns the ARRAY_OF_TIMESTAMP_WITH_TIMEZONE field ``field_name`` (Java ``OffsetDateTime[]``),
        else ``default`` when the data has no such field; raises HzSerializationError only for corrupt data."""
        raise unimplemented(self)

    def read_array_of_compact_or_default(self, field_name: str, default: Optional[List[Any]]) -> Optional[List[Any]]:
        """Returns the ARRAY_OF_COMPACT field ``field_name`` (nested objects), else ``default`` when the data
        has no such field. Raises HzSerializationError when an item cannot be read."""
        raise unimplemented(self)
