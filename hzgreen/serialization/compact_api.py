"""The interfaces a :class:`~hzgreen.serialization.api.CompactSerializer` reads and writes fields through.

Re-exported by :mod:`hzgreen.serialization.api`. Every method raises
``NotImplementedError`` here; hzgreen's reader and writers
(:mod:`hzgreen.serialization.compact.reader` / ``writer``) implement them all.

There is one ``read_<kind>``, one ``read_<kind>_or_default`` and one ``write_<kind>``
per field kind a Python client supports (:class:`~hzgreen.serialization.FieldKind`
without CHAR and PORTABLE). The plain and ``nullable`` variants of a kind read each
other (a ``None`` read through a plain method raises
:class:`~hzgreen.exceptions.HzSerializationError`). ``get_field_kind(name)`` is
``FieldKind.NOT_AVAILABLE`` for a field the data does not have, and
``read_<kind>_or_default(name, default)`` returns ``default`` for a field the data does
not have (or has with another kind): that is how a serializer handles schema evolution.
Arrays are written from any iterable and read as lists.
"""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Any, Iterable, List, Optional

if TYPE_CHECKING:
    from hzgreen.serialization.compact.schema import FieldKind

__all__ = ["CompactReader", "CompactWriter"]

_Decimal = decimal.Decimal
_Time = datetime.time
_Date = datetime.date
_DateTime = datetime.datetime


def _unimplemented(obj: object) -> NotImplementedError:
    return NotImplementedError("%s does not implement this method" % type(obj).__name__)


class CompactReader:
    """Reads the fields of a Compact object by name (see the module docstring)."""

    def get_field_kind(self, field_name: str) -> FieldKind:
        """Returns the kind of the field in the data, ``FieldKind.NOT_AVAILABLE`` if it has none."""
        raise _unimplemented(self)

    # -- fixed-size kinds and their nullable twins -----------------------------------

    def read_boolean(self, field_name: str) -> bool:
        raise _unimplemented(self)

    def read_nullable_boolean(self, field_name: str) -> Optional[bool]:
        raise _unimplemented(self)

    def read_int8(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_nullable_int8(self, field_name: str) -> Optional[int]:
        raise _unimplemented(self)

    def read_int16(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_nullable_int16(self, field_name: str) -> Optional[int]:
        raise _unimplemented(self)

    def read_int32(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_nullable_int32(self, field_name: str) -> Optional[int]:
        raise _unimplemented(self)

    def read_int64(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_nullable_int64(self, field_name: str) -> Optional[int]:
        raise _unimplemented(self)

    def read_float32(self, field_name: str) -> float:
        raise _unimplemented(self)

    def read_nullable_float32(self, field_name: str) -> Optional[float]:
        raise _unimplemented(self)

    def read_float64(self, field_name: str) -> float:
        raise _unimplemented(self)

    def read_nullable_float64(self, field_name: str) -> Optional[float]:
        raise _unimplemented(self)

    # -- variable-size kinds ---------------------------------------------------------

    def read_string(self, field_name: str) -> Optional[str]:
        raise _unimplemented(self)

    def read_decimal(self, field_name: str) -> Optional[_Decimal]:
        raise _unimplemented(self)

    def read_time(self, field_name: str) -> Optional[_Time]:
        raise _unimplemented(self)

    def read_date(self, field_name: str) -> Optional[_Date]:
        raise _unimplemented(self)

    def read_timestamp(self, field_name: str) -> Optional[_DateTime]:
        raise _unimplemented(self)

    def read_timestamp_with_timezone(self, field_name: str) -> Optional[_DateTime]:
        raise _unimplemented(self)

    def read_compact(self, field_name: str) -> Any:
        """Returns the nested object (as its serializer reads it, or a GenericRecord) or None."""
        raise _unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def read_array_of_boolean(self, field_name: str) -> Optional[List[bool]]:
        raise _unimplemented(self)

    def read_array_of_nullable_boolean(self, field_name: str) -> Optional[List[Optional[bool]]]:
        raise _unimplemented(self)

    def read_array_of_int8(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int8(self, field_name: str) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int16(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int16(self, field_name: str) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int32(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int32(self, field_name: str) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int64(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int64(self, field_name: str) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_float32(self, field_name: str) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_array_of_nullable_float32(self, field_name: str) -> Optional[List[Optional[float]]]:
        raise _unimplemented(self)

    def read_array_of_float64(self, field_name: str) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_array_of_nullable_float64(self, field_name: str) -> Optional[List[Optional[float]]]:
        raise _unimplemented(self)

    def read_array_of_string(self, field_name: str) -> Optional[List[Optional[str]]]:
        raise _unimplemented(self)

    def read_array_of_decimal(self, field_name: str) -> Optional[List[Optional[_Decimal]]]:
        raise _unimplemented(self)

    def read_array_of_time(self, field_name: str) -> Optional[List[Optional[_Time]]]:
        raise _unimplemented(self)

    def read_array_of_date(self, field_name: str) -> Optional[List[Optional[_Date]]]:
        raise _unimplemented(self)

    def read_array_of_timestamp(self, field_name: str) -> Optional[List[Optional[_DateTime]]]:
        raise _unimplemented(self)

    def read_array_of_timestamp_with_timezone(self, field_name: str) -> Optional[List[Optional[_DateTime]]]:
        raise _unimplemented(self)

    def read_array_of_compact(self, field_name: str) -> Optional[List[Any]]:
        raise _unimplemented(self)

    # -- the same, with a default for a field the data does not have -----------------

    def read_boolean_or_default(self, field_name: str, default: bool) -> bool:
        raise _unimplemented(self)

    def read_nullable_boolean_or_default(self, field_name: str, default: Optional[bool]) -> Optional[bool]:
        raise _unimplemented(self)

    def read_int8_or_default(self, field_name: str, default: int) -> int:
        raise _unimplemented(self)

    def read_nullable_int8_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        raise _unimplemented(self)

    def read_int16_or_default(self, field_name: str, default: int) -> int:
        raise _unimplemented(self)

    def read_nullable_int16_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        raise _unimplemented(self)

    def read_int32_or_default(self, field_name: str, default: int) -> int:
        raise _unimplemented(self)

    def read_nullable_int32_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        raise _unimplemented(self)

    def read_int64_or_default(self, field_name: str, default: int) -> int:
        raise _unimplemented(self)

    def read_nullable_int64_or_default(self, field_name: str, default: Optional[int]) -> Optional[int]:
        raise _unimplemented(self)

    def read_float32_or_default(self, field_name: str, default: float) -> float:
        raise _unimplemented(self)

    def read_nullable_float32_or_default(self, field_name: str, default: Optional[float]) -> Optional[float]:
        raise _unimplemented(self)

    def read_float64_or_default(self, field_name: str, default: float) -> float:
        raise _unimplemented(self)

    def read_nullable_float64_or_default(self, field_name: str, default: Optional[float]) -> Optional[float]:
        raise _unimplemented(self)

    def read_string_or_default(self, field_name: str, default: Optional[str]) -> Optional[str]:
        raise _unimplemented(self)

    def read_decimal_or_default(self, field_name: str, default: Optional[_Decimal]) -> Optional[_Decimal]:
        raise _unimplemented(self)

    def read_time_or_default(self, field_name: str, default: Optional[_Time]) -> Optional[_Time]:
        raise _unimplemented(self)

    def read_date_or_default(self, field_name: str, default: Optional[_Date]) -> Optional[_Date]:
        raise _unimplemented(self)

    def read_timestamp_or_default(self, field_name: str, default: Optional[_DateTime]) -> Optional[_DateTime]:
        raise _unimplemented(self)

    def read_timestamp_with_timezone_or_default(
        self, field_name: str, default: Optional[_DateTime]
    ) -> Optional[_DateTime]:
        raise _unimplemented(self)

    def read_compact_or_default(self, field_name: str, default: Any) -> Any:
        raise _unimplemented(self)

    def read_array_of_boolean_or_default(self, field_name: str, default: Optional[List[bool]]) -> Optional[List[bool]]:
        raise _unimplemented(self)

    def read_array_of_nullable_boolean_or_default(
        self, field_name: str, default: Optional[List[Optional[bool]]]
    ) -> Optional[List[Optional[bool]]]:
        raise _unimplemented(self)

    def read_array_of_int8_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int8_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int16_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int16_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int32_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int32_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_int64_or_default(self, field_name: str, default: Optional[List[int]]) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_array_of_nullable_int64_or_default(
        self, field_name: str, default: Optional[List[Optional[int]]]
    ) -> Optional[List[Optional[int]]]:
        raise _unimplemented(self)

    def read_array_of_float32_or_default(
        self, field_name: str, default: Optional[List[float]]
    ) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_array_of_nullable_float32_or_default(
        self, field_name: str, default: Optional[List[Optional[float]]]
    ) -> Optional[List[Optional[float]]]:
        raise _unimplemented(self)

    def read_array_of_float64_or_default(
        self, field_name: str, default: Optional[List[float]]
    ) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_array_of_nullable_float64_or_default(
        self, field_name: str, default: Optional[List[Optional[float]]]
    ) -> Optional[List[Optional[float]]]:
        raise _unimplemented(self)

    def read_array_of_string_or_default(
        self, field_name: str, default: Optional[List[Optional[str]]]
    ) -> Optional[List[Optional[str]]]:
        raise _unimplemented(self)

    def read_array_of_decimal_or_default(
        self, field_name: str, default: Optional[List[Optional[_Decimal]]]
    ) -> Optional[List[Optional[_Decimal]]]:
        raise _unimplemented(self)

    def read_array_of_time_or_default(
        self, field_name: str, default: Optional[List[Optional[_Time]]]
    ) -> Optional[List[Optional[_Time]]]:
        raise _unimplemented(self)

    def read_array_of_date_or_default(
        self, field_name: str, default: Optional[List[Optional[_Date]]]
    ) -> Optional[List[Optional[_Date]]]:
        raise _unimplemented(self)

    def read_array_of_timestamp_or_default(
        self, field_name: str, default: Optional[List[Optional[_DateTime]]]
    ) -> Optional[List[Optional[_DateTime]]]:
        raise _unimplemented(self)

    def read_array_of_timestamp_with_timezone_or_default(
        self, field_name: str, default: Optional[List[Optional[_DateTime]]]
    ) -> Optional[List[Optional[_DateTime]]]:
        raise _unimplemented(self)

    def read_array_of_compact_or_default(self, field_name: str, default: Optional[List[Any]]) -> Optional[List[Any]]:
        raise _unimplemented(self)


class CompactWriter:
    """Writes the fields of a Compact object by name (same kinds as :class:`CompactReader`)."""

    # -- fixed-size kinds and their nullable twins -----------------------------------

    def write_boolean(self, field_name: str, value: bool) -> None:
        raise _unimplemented(self)

    def write_nullable_boolean(self, field_name: str, value: Optional[bool]) -> None:
        raise _unimplemented(self)

    def write_int8(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_nullable_int8(self, field_name: str, value: Optional[int]) -> None:
        raise _unimplemented(self)

    def write_int16(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_nullable_int16(self, field_name: str, value: Optional[int]) -> None:
        raise _unimplemented(self)

    def write_int32(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_nullable_int32(self, field_name: str, value: Optional[int]) -> None:
        raise _unimplemented(self)

    def write_int64(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_nullable_int64(self, field_name: str, value: Optional[int]) -> None:
        raise _unimplemented(self)

    def write_float32(self, field_name: str, value: float) -> None:
        raise _unimplemented(self)

    def write_nullable_float32(self, field_name: str, value: Optional[float]) -> None:
        raise _unimplemented(self)

    def write_float64(self, field_name: str, value: float) -> None:
        raise _unimplemented(self)

    def write_nullable_float64(self, field_name: str, value: Optional[float]) -> None:
        raise _unimplemented(self)

    # -- variable-size kinds ---------------------------------------------------------

    def write_string(self, field_name: str, value: Optional[str]) -> None:
        raise _unimplemented(self)

    def write_decimal(self, field_name: str, value: Optional[_Decimal]) -> None:
        raise _unimplemented(self)

    def write_time(self, field_name: str, value: Optional[_Time]) -> None:
        raise _unimplemented(self)

    def write_date(self, field_name: str, value: Optional[_Date]) -> None:
        raise _unimplemented(self)

    def write_timestamp(self, field_name: str, value: Optional[_DateTime]) -> None:
        raise _unimplemented(self)

    def write_timestamp_with_timezone(self, field_name: str, value: Optional[_DateTime]) -> None:
        raise _unimplemented(self)

    def write_compact(self, field_name: str, value: Any) -> None:
        """``value`` is an object of a ``compact_serializers`` class, a GenericRecord, or None."""
        raise _unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def write_array_of_boolean(self, field_name: str, value: Optional[Iterable[bool]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_boolean(self, field_name: str, value: Optional[Iterable[Optional[bool]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_int8(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        """``value`` is bytes-like (unsigned bytes, written as is) or an iterable of signed bytes."""
        raise _unimplemented(self)

    def write_array_of_nullable_int8(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_int16(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_int16(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_int32(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_int32(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_int64(self, field_name: str, value: Optional[Iterable[int]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_int64(self, field_name: str, value: Optional[Iterable[Optional[int]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_float32(self, field_name: str, value: Optional[Iterable[float]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_float32(self, field_name: str, value: Optional[Iterable[Optional[float]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_float64(self, field_name: str, value: Optional[Iterable[float]]) -> None:
        raise _unimplemented(self)

    def write_array_of_nullable_float64(self, field_name: str, value: Optional[Iterable[Optional[float]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_string(self, field_name: str, value: Optional[Iterable[Optional[str]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_decimal(self, field_name: str, value: Optional[Iterable[Optional[_Decimal]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_time(self, field_name: str, value: Optional[Iterable[Optional[_Time]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_date(self, field_name: str, value: Optional[Iterable[Optional[_Date]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_timestamp(self, field_name: str, value: Optional[Iterable[Optional[_DateTime]]]) -> None:
        raise _unimplemented(self)

    def write_array_of_timestamp_with_timezone(
        self, field_name: str, value: Optional[Iterable[Optional[_DateTime]]]
    ) -> None:
        raise _unimplemented(self)

    def write_array_of_compact(self, field_name: str, value: Optional[Iterable[Any]]) -> None:
        """``value`` holds objects of one class (None items allowed)."""
        raise _unimplemented(self)
