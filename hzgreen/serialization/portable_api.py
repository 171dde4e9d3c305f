"""The interfaces a :class:`~hzgreen.serialization.api.Portable` reads and writes its fields through.

Re-exported by :mod:`hzgreen.serialization.api`. Every method raises
``NotImplementedError`` here; hzgreen's readers and writers
(:mod:`hzgreen.serialization.portable.reader` / ``writer``) implement them all.

A reader of a newer class version than the data gets ``None`` for fields the data does
not have (whatever the field's type: the primitive reads are typed for the usual case,
data of the reader's own version); a field whose type changed incompatibly raises
:class:`~hzgreen.exceptions.HzSerializationError`.
"""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Sequence, Union

from hzgreen.serialization.data import BytesLike
from hzgreen.serialization.interface_stubs import unimplemented

if TYPE_CHECKING:
    from hzgreen.serialization.api import PortableLike
    from hzgreen.serialization.input import ObjectDataInput
    from hzgreen.serialization.output import ObjectDataOutput
    from hzgreen.serialization.portable.classdef import FieldType

__all__ = ["PortableReader", "PortableWriter"]


class PortableReader:
    """Reads the fields of a Portable by name (see the module docstring)."""

    # -- the class definition of the data --------------------------------------------

    def get_version(self) -> int:
        """Returns the class version of the data."""
        raise unimplemented(self)

    def has_field(self, field_name: str) -> bool:
        """Returns whether the data's class definition has a field ``field_name``. Raises
        NotImplementedError here."""
        raise unimplemented(self)

    def get_field_names(self) -> List[str]:
        """Returns the field names of the data's class definition. Raises NotImplementedError here."""
        raise unimplemented(self)

    def get_field_type(self, field_name: str) -> FieldType:
        """Returns the :class:`FieldType` of ``field_name`` in the data. Raises HzSerializationError for an
        unknown field (NotImplementedError here)."""
        raise unimplemented(self)

    def get_field_class_id(self, field_name: str) -> int:
        """Returns the class id of the Portable held by ``field_name``. Raises HzSerializationError for an
        unknown field (NotImplementedError here)."""
        raise unimplemented(self)

    # -- primitives and strings ------------------------------------------------------

    def read_int(self, field_name: str) -> int:
        """Returns the int field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_long(self, field_name: str) -> int:
        """Returns the long field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_string(self, field_name: str) -> Optional[str]:
        """Returns the string field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_utf(self, field_name: str) -> Optional[str]:
        """Returns the utf field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_boolean(self, field_name: str) -> bool:
        """Returns the boolean field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_byte(self, field_name: str) -> int:
        """Returns the byte field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_char(self, field_name: str) -> str:
        """Returns the char field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_double(self, field_name: str) -> float:
        """Returns the double field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_float(self, field_name: str) -> float:
        """Returns the float field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_short(self, field_name: str) -> int:
        """Returns the short field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    # -- objects ---------------------------------------------------------------------

    def read_portable(self, field_name: str) -> Any:
        """Returns the nested Portable (an instance from ``portable_factories``) or None."""
        raise unimplemented(self)

    def read_decimal(self, field_name: str) -> Optional[decimal.Decimal]:
        """Returns the decimal field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_time(self, field_name: str) -> Optional[datetime.time]:
        """Returns the time field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_date(self, field_name: str) -> Optional[datetime.date]:
        """Returns the date field ``field_name`` (None for a field the data's class version does not have).
        Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_timestamp(self, field_name: str) -> Optional[datetime.datetime]:
        """Returns the timestamp field ``field_name`` (None for a field the data's class version does not
        have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_timestamp_with_timezone(self, field_name: str) -> Optional[datetime.datetime]:
        """Returns the timestamp with timezone field ``field_name`` (None for a field the data's class
        version does not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def read_byte_array(self, field_name: str) -> Optional[bytes]:
        """Returns the array-of-byte field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_boolean_array(self, field_name: str) -> Optional[List[bool]]:
        """Returns the array-of-boolean field ``field_name`` (None for a field the data's class version
        does not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_char_array(self, field_name: str) -> Optional[List[str]]:
        """Returns the array-of-char field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_int_array(self, field_name: str) -> Optional[List[int]]:
        """Returns the array-of-int field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_long_array(self, field_name: str) -> Optional[List[int]]:
        """Returns the array-of-long field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_double_array(self, field_name: str) -> Optional[List[float]]:
        """Returns the array-of-double field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_float_array(self, field_name: str) -> Optional[List[float]]:
        """Returns the array-of-float field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_short_array(self, field_name: str) -> Optional[List[int]]:
        """Returns the array-of-short field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_string_array(self, field_name: str) -> Optional[List[Optional[str]]]:
        """Returns the array-of-string field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_utf_array(self, field_name: str) -> Optional[List[Optional[str]]]:
        """Returns the array-of-utf field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_decimal_array(self, field_name: str) -> Optional[List[decimal.Decimal]]:
        """Returns the array-of-decimal field ``field_name`` (None for a field the data's class version
        does not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_time_array(self, field_name: str) -> Optional[List[datetime.time]]:
        """Returns the array-of-time field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_date_array(self, field_name: str) -> Optional[List[datetime.date]]:
        """Returns the array-of-date field ``field_name`` (None for a field the data's class version does
        not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_timestamp_array(self, field_name: str) -> Optional[List[datetime.datetime]]:
        """Returns the array-of-timestamp field ``field_name`` (None for a field the data's class version
        does not have). Raises HzSerializationError when the field's type changed incompatibly."""
        raise unimplemented(self)

    def read_timestamp_with_timezone_array(self, field_name: str) -> Optional[List[datetime.datetime]]:
        """Returns the array-of-timestamp with timezone field ``field_name`` (None for a field the data's
        class version does not have). Raises HzSerializationError when the field's type changed
        incompatibly."""
        raise unimplemented(self)

    def read_portable_array(self, field_name: str) -> Optional[List[Any]]:
        """Returns the nested Portables (instances from ``portable_factories``) or None."""
        raise unimplemented(self)

    def get_raw_data_input(self) -> ObjectDataInput:
        """Returns the stream after the fields (data outside the class definition); no field reads after it."""
        raise unimplemented(self)


class PortableWriter:
    """Writes the fields of a Portable by name (see the module docstring)."""

    # -- primitives and strings ------------------------------------------------------

    def write_int(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the int field ``field_name``; returns None. Raises HzSerializationError when
        the field is written twice, does not match the class definition, or the value does not fit the
        type."""
        raise unimplemented(self)

    def write_long(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the long field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_string(self, field_name: str, value: Optional[str]) -> None:
        """Writes ``value`` as the string field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_utf(self, field_name: str, value: Optional[str]) -> None:
        """Writes ``value`` as the utf field ``field_name``; returns None. Raises HzSerializationError when
        the field is written twice, does not match the class definition, or the value does not fit the
        type."""
        raise unimplemented(self)

    def write_boolean(self, field_name: str, value: bool) -> None:
        """Writes ``value`` as the boolean field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_byte(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the byte field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_char(self, field_name: str, value: Union[str, int]) -> None:
        """``value`` is a one-character ``str`` or a UTF-16 code unit (0..65535)."""
        raise unimplemented(self)

    def write_double(self, field_name: str, value: float) -> None:
        """Writes ``value`` as the double field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_float(self, field_name: str, value: float) -> None:
        """Writes ``value`` as the float field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_short(self, field_name: str, value: int) -> None:
        """Writes ``value`` as the short field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    # -- objects ---------------------------------------------------------------------

    def write_portable(self, field_name: str, portable: Optional[PortableLike]) -> None:
        """Writes ``portable`` (or None) as the Portable field ``field_name``; returns None. Raises
        HzSerializationError when the field does not match the class definition."""
        raise unimplemented(self)

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        """Writes a null Portable of the class ``factory_id``/``class_id`` as field ``field_name``; returns
        None. Raises HzSerializationError when the field does not match the class definition."""
        raise unimplemented(self)

    def write_decimal(self, field_name: str, value: Optional[decimal.Decimal]) -> None:
        """Writes ``value`` as the decimal field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_time(self, field_name: str, value: Optional[datetime.time]) -> None:
        """Writes ``value`` as the time field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_date(self, field_name: str, value: Optional[datetime.date]) -> None:
        """Writes ``value`` as the date field ``field_name``; returns None. Raises HzSerializationError
        when the field is written twice, does not match the class definition, or the value does not fit
        the type."""
        raise unimplemented(self)

    def write_timestamp(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        """Writes ``value`` as the timestamp field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_timestamp_with_timezone(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        """Writes ``value`` as the timestamp with timezone field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def write_byte_array(self, field_name: str, value: Optional[Union[BytesLike, Sequence[int]]]) -> None:
        """``value`` is bytes-like or a sequence of signed bytes."""
        raise unimplemented(self)

    def write_boolean_array(self, field_name: str, value: Optional[Iterable[bool]]) -> None:
        """Writes ``value`` as the array-of-boolean field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_char_array(self, field_name: str, value: Optional[Union[str, Iterable[Union[str, int]]]]) -> None:
        """``value`` is a ``str`` or a sequence of one-character strings or code units."""
        raise unimplemented(self)

    def write_int_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        """Writes ``value`` as the array-of-int field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_long_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        """Writes ``value`` as the array-of-long field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_double_array(self, field_name: str, value: Optional[Sequence[float]]) -> None:
        """Writes ``value`` as the array-of-double field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_float_array(self, field_name: str, value: Optional[Sequence[float]]) -> None:
        """Writes ``value`` as the array-of-float field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_short_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        """Writes ``value`` as the array-of-short field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_string_array(self, field_name: str, value: Optional[Sequence[Optional[str]]]) -> None:
        """Writes ``value`` as the array-of-string field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_utf_array(self, field_name: str, value: Optional[Sequence[Optional[str]]]) -> None:
        """Writes ``value`` as the array-of-utf field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_decimal_array(self, field_name: str, value: Optional[Sequence[decimal.Decimal]]) -> None:
        """Writes ``value`` as the array-of-decimal field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_time_array(self, field_name: str, value: Optional[Sequence[datetime.time]]) -> None:
        """Writes ``value`` as the array-of-time field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_date_array(self, field_name: str, value: Optional[Sequence[datetime.date]]) -> None:
        """Writes ``value`` as the array-of-date field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_timestamp_array(self, field_name: str, value: Optional[Sequence[datetime.datetime]]) -> None:
        """Writes ``value`` as the array-of-timestamp field ``field_name``; returns None. Raises
        HzSerializationError when the field is written twice, does not match the class definition, or
        the value does not fit the type."""
        raise unimplemented(self)

    def write_timestamp_with_timezone_array(
        self, field_name: str, value: Optional[Sequence[datetime.datetime]]
    ) -> None:
        """Writes ``value`` as the array-of-timestamp with timezone field ``field_name``; returns None.
        Raises HzSerializationError when the field is written twice, does not match the class
        definition, or the value does not fit the type."""
        raise unimplemented(self)

    def write_portable_array(self, field_name: str, values: Optional[Sequence[PortableLike]]) -> None:
        """Writes ``values`` (Portables of one class, or None) as the Portable-array field ``field_name``;
        returns None. Raises HzSerializationError when the field does not match the class definition or
        an item is None."""
        raise unimplemented(self)

    def get_raw_data_output(self) -> ObjectDataOutput:
        """Returns the stream after the fields (data outside the class definition); no field writes after it."""
        raise unimplemented(self)
