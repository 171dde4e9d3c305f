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

if TYPE_CHECKING:
    from hzgreen.serialization.api import PortableLike
    from hzgreen.serialization.input import ObjectDataInput
    from hzgreen.serialization.output import ObjectDataOutput
    from hzgreen.serialization.portable.classdef import FieldType

__all__ = ["PortableReader", "PortableWriter"]


def _unimplemented(obj: object) -> NotImplementedError:
    return NotImplementedError("%s does not implement this method" % type(obj).__name__)


class PortableReader:
    """Reads the fields of a Portable by name (see the module docstring)."""

    # -- the class definition of the data --------------------------------------------

    def get_version(self) -> int:
        """Returns the class version of the data."""
        raise _unimplemented(self)

    def has_field(self, field_name: str) -> bool:
        raise _unimplemented(self)

    def get_field_names(self) -> List[str]:
        raise _unimplemented(self)

    def get_field_type(self, field_name: str) -> FieldType:
        raise _unimplemented(self)

    def get_field_class_id(self, field_name: str) -> int:
        raise _unimplemented(self)

    # -- primitives and strings ------------------------------------------------------

    def read_int(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_long(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_string(self, field_name: str) -> Optional[str]:
        raise _unimplemented(self)

    def read_utf(self, field_name: str) -> Optional[str]:
        raise _unimplemented(self)

    def read_boolean(self, field_name: str) -> bool:
        raise _unimplemented(self)

    def read_byte(self, field_name: str) -> int:
        raise _unimplemented(self)

    def read_char(self, field_name: str) -> str:
        raise _unimplemented(self)

    def read_double(self, field_name: str) -> float:
        raise _unimplemented(self)

    def read_float(self, field_name: str) -> float:
        raise _unimplemented(self)

    def read_short(self, field_name: str) -> int:
        raise _unimplemented(self)

    # -- objects ---------------------------------------------------------------------

    def read_portable(self, field_name: str) -> Any:
        """Returns the nested Portable (an instance from ``portable_factories``) or None."""
        raise _unimplemented(self)

    def read_decimal(self, field_name: str) -> Optional[decimal.Decimal]:
        raise _unimplemented(self)

    def read_time(self, field_name: str) -> Optional[datetime.time]:
        raise _unimplemented(self)

    def read_date(self, field_name: str) -> Optional[datetime.date]:
        raise _unimplemented(self)

    def read_timestamp(self, field_name: str) -> Optional[datetime.datetime]:
        raise _unimplemented(self)

    def read_timestamp_with_timezone(self, field_name: str) -> Optional[datetime.datetime]:
        raise _unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def read_byte_array(self, field_name: str) -> Optional[bytes]:
        raise _unimplemented(self)

    def read_boolean_array(self, field_name: str) -> Optional[List[bool]]:
        raise _unimplemented(self)

    def read_char_array(self, field_name: str) -> Optional[List[str]]:
        raise _unimplemented(self)

    def read_int_array(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_long_array(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_double_array(self, field_name: str) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_float_array(self, field_name: str) -> Optional[List[float]]:
        raise _unimplemented(self)

    def read_short_array(self, field_name: str) -> Optional[List[int]]:
        raise _unimplemented(self)

    def read_string_array(self, field_name: str) -> Optional[List[Optional[str]]]:
        raise _unimplemented(self)

    def read_utf_array(self, field_name: str) -> Optional[List[Optional[str]]]:
        raise _unimplemented(self)

    def read_decimal_array(self, field_name: str) -> Optional[List[decimal.Decimal]]:
        raise _unimplemented(self)

    def read_time_array(self, field_name: str) -> Optional[List[datetime.time]]:
        raise _unimplemented(self)

    def read_date_array(self, field_name: str) -> Optional[List[datetime.date]]:
        raise _unimplemented(self)

    def read_timestamp_array(self, field_name: str) -> Optional[List[datetime.datetime]]:
        raise _unimplemented(self)

    def read_timestamp_with_timezone_array(self, field_name: str) -> Optional[List[datetime.datetime]]:
        raise _unimplemented(self)

    def read_portable_array(self, field_name: str) -> Optional[List[Any]]:
        """Returns the nested Portables (instances from ``portable_factories``) or None."""
        raise _unimplemented(self)

    def get_raw_data_input(self) -> ObjectDataInput:
        """Returns the stream after the fields (data outside the class definition); no field reads after it."""
        raise _unimplemented(self)


class PortableWriter:
    """Writes the fields of a Portable by name (see the module docstring)."""

    # -- primitives and strings ------------------------------------------------------

    def write_int(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_long(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_string(self, field_name: str, value: Optional[str]) -> None:
        raise _unimplemented(self)

    def write_utf(self, field_name: str, value: Optional[str]) -> None:
        raise _unimplemented(self)

    def write_boolean(self, field_name: str, value: bool) -> None:
        raise _unimplemented(self)

    def write_byte(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    def write_char(self, field_name: str, value: Union[str, int]) -> None:
        """``value`` is a one-character ``str`` or a UTF-16 code unit (0..65535)."""
        raise _unimplemented(self)

    def write_double(self, field_name: str, value: float) -> None:
        raise _unimplemented(self)

    def write_float(self, field_name: str, value: float) -> None:
        raise _unimplemented(self)

    def write_short(self, field_name: str, value: int) -> None:
        raise _unimplemented(self)

    # -- objects ---------------------------------------------------------------------

    def write_portable(self, field_name: str, portable: Optional[PortableLike]) -> None:
        raise _unimplemented(self)

    def write_null_portable(self, field_name: str, factory_id: int, class_id: int) -> None:
        raise _unimplemented(self)

    def write_decimal(self, field_name: str, value: Optional[decimal.Decimal]) -> None:
        raise _unimplemented(self)

    def write_time(self, field_name: str, value: Optional[datetime.time]) -> None:
        raise _unimplemented(self)

    def write_date(self, field_name: str, value: Optional[datetime.date]) -> None:
        raise _unimplemented(self)

    def write_timestamp(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        raise _unimplemented(self)

    def write_timestamp_with_timezone(self, field_name: str, value: Optional[datetime.datetime]) -> None:
        raise _unimplemented(self)

    # -- arrays ----------------------------------------------------------------------

    def write_byte_array(self, field_name: str, value: Optional[Union[BytesLike, Sequence[int]]]) -> None:
        """``value`` is bytes-like or a sequence of signed bytes."""
        raise _unimplemented(self)

    def write_boolean_array(self, field_name: str, value: Optional[Iterable[bool]]) -> None:
        raise _unimplemented(self)

    def write_char_array(self, field_name: str, value: Optional[Union[str, Iterable[Union[str, int]]]]) -> None:
        """``value`` is a ``str`` or a sequence of one-character strings or code units."""
        raise _unimplemented(self)

    def write_int_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        raise _unimplemented(self)

    def write_long_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        raise _unimplemented(self)

    def write_double_array(self, field_name: str, value: Optional[Sequence[float]]) -> None:
        raise _unimplemented(self)

    def write_float_array(self, field_name: str, value: Optional[Sequence[float]]) -> None:
        raise _unimplemented(self)

    def write_short_array(self, field_name: str, value: Optional[Sequence[int]]) -> None:
        raise _unimplemented(self)

    def write_string_array(self, field_name: str, value: Optional[Sequence[Optional[str]]]) -> None:
        raise _unimplemented(self)

    def write_utf_array(self, field_name: str, value: Optional[Sequence[Optional[str]]]) -> None:
        raise _unimplemented(self)

    def write_decimal_array(self, field_name: str, value: Optional[Sequence[decimal.Decimal]]) -> None:
        raise _unimplemented(self)

    def write_time_array(self, field_name: str, value: Optional[Sequence[datetime.time]]) -> None:
        raise _unimplemented(self)

    def write_date_array(self, field_name: str, value: Optional[Sequence[datetime.date]]) -> None:
        raise _unimplemented(self)

    def write_timestamp_array(self, field_name: str, value: Optional[Sequence[datetime.datetime]]) -> None:
        raise _unimplemented(self)

    def write_timestamp_with_timezone_array(
        self, field_name: str, value: Optional[Sequence[datetime.datetime]]
    ) -> None:
        raise _unimplemented(self)

    def write_portable_array(self, field_name: str, values: Optional[Sequence[PortableLike]]) -> None:
        raise _unimplemented(self)

    def get_raw_data_output(self) -> ObjectDataOutput:
        """Returns the stream after the fields (data outside the class definition); no field writes after it."""
        raise _unimplemented(self)
