"""The ``SqlPage`` type of ``Sql.execute`` / ``Sql.fetch`` responses (NOTES.md §5.5).

Wire form::

    BEGIN | [isLast: 1 byte] | List_Integer column type ids | one column per type id | END

Column values are returned raw (this layer imports no ``decimal``/``datetime``):

========================  ==========================================================
column type               Python value
========================  ==========================================================
VARCHAR 0                 str
BOOLEAN 1                 bool
TINYINT 2 .. BIGINT 5     int
DECIMAL 6                 ``(unscaled: int, scale: int)``
REAL 7, DOUBLE 8          float
DATE 9                    ``(year, month, day)``
TIME 10                   ``(hour, minute, second, nanos)``
TIMESTAMP 11              ``(year, month, day, hour, minute, second, nanos)``
TIMESTAMP_WITH_TZ 12      ``(year, month, day, hour, minute, second, nanos, offset_seconds)``
OBJECT 13                 bytes (serialized Data)
NULL 14                   None
JSON 15                   str (the JSON text)
========================  ==========================================================

Any value may be None (SQL NULL).
"""

from __future__ import annotations

import enum
import struct
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol import builtin as _b
from hzgreen.protocol.frame import BEGIN_FRAME, END_FRAME, SPECIAL_FLAGS, Frame, FrameIterator

__all__ = ["SqlPage", "SqlValue", "encode_sql_page", "decode_sql_page", "SqlColumnType"]

#: A column value as this layer returns it (see the table above); None is SQL NULL.
SqlValue = Optional[Union[str, bool, int, float, bytes, Tuple[int, ...]]]


class SqlColumnType(enum.IntEnum):
    """The SQL type of a column (the member's ``SqlColumnType`` ids); the module docstring's
    table gives the value this layer decodes for each."""

    VARCHAR = 0
    BOOLEAN = 1
    TINYINT = 2
    SMALLINT = 3
    INTEGER = 4
    BIGINT = 5
    DECIMAL = 6
    REAL = 7
    DOUBLE = 8
    DATE = 9
    TIME = 10
    TIMESTAMP = 11
    TIMESTAMP_WITH_TIME_ZONE = 12
    OBJECT = 13
    NULL = 14
    JSON = 15


class SqlPage:
    """A page of SQL rows stored column-wise: ``columns[c][r]`` is row ``r`` of column ``c``."""

    __slots__ = ("column_types", "columns", "is_last")

    def __init__(self, column_types: List[int], columns: List[Sequence[SqlValue]], is_last: bool) -> None:
        self.column_types = column_types
        self.columns = columns
        self.is_last = is_last

    @property
    def row_count(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    @property
    def column_count(self) -> int:
        return len(self.column_types)

    def get_value(self, row: int, column: int) -> SqlValue:
        """The value at ``row`` of ``column``; raises IndexError outside the page."""
        return self.columns[column][row]

    def rows(self) -> List[List[SqlValue]]:
        """The page as a list of rows."""
        return [list(row) for row in zip(*self.columns)] if self.columns else []

    def __repr__(self) -> str:
        return "SqlPage(column_types=%r, rows=%d, is_last=%r)" % (self.column_types, self.row_count, self.is_last)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (
            self.column_types == other.column_types and self.columns == other.columns and self.is_last == other.is_last
        )

    __hash__ = None  # type: ignore[assignment]


# Fixed-size column item formats: struct codes and a converter to / from Python values.
_FIXED_ITEMS: Dict[int, str] = {
    SqlColumnType.BOOLEAN: "?",
    SqlColumnType.TINYINT: "b",
    SqlColumnType.SMALLINT: "h",
    SqlColumnType.INTEGER: "i",
    SqlColumnType.BIGINT: "q",
    SqlColumnType.REAL: "f",
    SqlColumnType.DOUBLE: "d",
    SqlColumnType.DATE: "ibb",
    SqlColumnType.TIME: "bbbi",
    SqlColumnType.TIMESTAMP: "ibbbbbi",
    SqlColumnType.TIMESTAMP_WITH_TIME_ZONE: "ibbbbbii",
}
_FIXED_STRUCTS: Dict[int, struct.Struct] = {k: struct.Struct("<" + v) for k, v in _FIXED_ITEMS.items()}

_KIND_ALL_NULL = 1
_KIND_NO_NULL = 2
_KIND_MIXED = 3
_LIST_HEADER = struct.Struct("<bi")
_INT = struct.Struct("<i")


def _decode_fixed_column(frame: Frame, column_type: int) -> List[SqlValue]:
    st = _FIXED_STRUCTS[column_type]
    scalar = len(st.format) == 2  # "<x"
    size = st.size
    content = frame.content
    kind, count = _LIST_HEADER.unpack_from(content, 0)
    if count < 0:
        raise ProtocolError("malformed SqlPage column: negative item count %d" % count)
    pos = _LIST_HEADER.size
    if kind == _KIND_ALL_NULL:
        return [None] * count
    unpack = st.unpack_from
    if kind == _KIND_NO_NULL:
        if len(content) < pos + count * size:
            raise ProtocolError("malformed SqlPage column: truncated")
        if scalar:
            return list(struct.unpack_from("<%d%s" % (count, st.format[1:]), content, pos))
        return [unpack(content, pos + i * size) for i in range(count)]
    if kind != _KIND_MIXED:
        raise ProtocolError("malformed SqlPage column: unknown list kind %d" % kind)
    out: List[SqlValue] = []
    append = out.append
    remaining = count
    while remaining > 0:
        mask = content[pos]
        pos += 1
        for bit in range(min(8, remaining)):
            if mask & (1 << bit):
                value = unpack(content, pos)
                append(value[0] if scalar else value)
                pos += size
            else:
                append(None)
        remaining -= 8
    return out


def _encode_fixed_column(values: Sequence[Any], column_type: int) -> Frame:
    # Any: the column type decides whether an item is a scalar or a tuple.
    st = _FIXED_STRUCTS[column_type]
    scalar = len(st.format) == 2
    count = len(values)
    present = sum(1 for v in values if v is not None)
    parts = []
    if present == 0:
        parts.append(_LIST_HEADER.pack(_KIND_ALL_NULL, count))
    elif present == count:
        parts.append(_LIST_HEADER.pack(_KIND_NO_NULL, count))
        for v in values:
            parts.append(st.pack(v) if scalar else st.pack(*v))
    else:
        parts.append(_LIST_HEADER.pack(_KIND_MIXED, count))
        for start in range(0, count, 8):
            group = values[start : start + 8]
            mask = 0
            items = []
            for bit, v in enumerate(group):
                if v is not None:
                    mask |= 1 << bit
                    items.append(st.pack(v) if scalar else st.pack(*v))
            parts.append(bytes((mask,)))
            parts.extend(items)
    return Frame(b"".join(parts), 0)


def _decimal_from(frame: Frame) -> Tuple[int, int]:
    content = frame.content
    n = _INT.unpack_from(content, 0)[0]
    if n < 0 or len(content) < 8 + n:
        raise ProtocolError("malformed DECIMAL value in SqlPage")
    unscaled = int.from_bytes(content[4 : 4 + n], "big", signed=True)
    scale = _INT.unpack_from(content, 4 + n)[0]
    return unscaled, scale


def _decimal_frame(value: Tuple[int, int]) -> Frame:
    unscaled, scale = value
    length = max(1, (unscaled.bit_length() + 8) // 8)
    raw = unscaled.to_bytes(length, "big", signed=True)
    return Frame(_INT.pack(len(raw)) + raw + _INT.pack(scale), 0)


def _json_decoder(it: FrameIterator) -> str:
    # HazelcastJsonValue custom type: BEGIN | value:String | END
    it.next_begin()
    value = _b.decode_string(it)
    it.skip_to_end_frame()
    return value


def _json_encoder(frames: List[Frame], value: str) -> None:
    frames.append(BEGIN_FRAME)
    frames.append(Frame(value.encode("utf-8"), 0))
    frames.append(END_FRAME)


def decode_sql_page(it: FrameIterator) -> SqlPage:
    """The page at the cursor; raises ProtocolError (or struct.error / IndexError) if malformed."""
    it.next_begin()
    first = it.next()
    if first.flags & SPECIAL_FLAGS:
        raise ProtocolError("malformed SqlPage: missing the isLast frame")
    is_last = first.content[0] != 0
    column_types = _b.decode_list_integer(it)
    columns: List[Sequence[SqlValue]] = []
    for column_type in column_types:
        if column_type == SqlColumnType.VARCHAR:
            columns.append(_b.decode_list_string(it))
        elif column_type == SqlColumnType.OBJECT:
            columns.append(_b.decode_list_cn_data(it))
        elif column_type == SqlColumnType.JSON:
            columns.append(_b.decode_list_cn(it, _json_decoder))
        elif column_type == SqlColumnType.DECIMAL:
            columns.append(_b.decode_list_cn(it, lambda i: _decimal_from(i.next())))
        elif column_type == SqlColumnType.NULL:
            frame = it.next()
            count = _INT.unpack_from(frame.content, 0)[0]
            if count < 0:
                raise ProtocolError("malformed SqlPage NULL column: negative count")
            columns.append([None] * count)
        elif column_type in _FIXED_STRUCTS:
            frame = it.next()
            if frame.flags & SPECIAL_FLAGS:
                raise ProtocolError("malformed SqlPage: unexpected special frame for column type %d" % column_type)
            columns.append(_decode_fixed_column(frame, column_type))
        else:
            raise ProtocolError("SqlPage: unsupported column type %d" % column_type)
    it.skip_to_end_frame()
    return SqlPage(column_types, columns, is_last)


def encode_sql_page(frames: List[Frame], page: SqlPage) -> None:
    """Append the frames of ``page``; raises ValueError for an unsupported column type."""
    frames.append(BEGIN_FRAME)
    frames.append(Frame(b"\x01" if page.is_last else b"\x00", 0))
    frames.append(_b.list_integer_frame(page.column_types))
    columns: Sequence[Sequence[Any]] = page.columns  # the column type decides the item type
    for column_type, values in zip(page.column_types, columns):
        if column_type == SqlColumnType.VARCHAR:
            _b.encode_list_cn(frames, values, _b.encode_string)
        elif column_type == SqlColumnType.OBJECT:
            _b.encode_list_cn_data(frames, values)
        elif column_type == SqlColumnType.JSON:
            _b.encode_list_cn(frames, values, _json_encoder)
        elif column_type == SqlColumnType.DECIMAL:
            _b.encode_list_cn(frames, values, lambda fs, v: fs.append(_decimal_frame(v)))
        elif column_type == SqlColumnType.NULL:
            frames.append(Frame(_INT.pack(len(values)), 0))
        elif column_type in _FIXED_STRUCTS:
            frames.append(_encode_fixed_column(values, column_type))
        else:
            raise ValueError("unsupported SQL column type %r" % (column_type,))
    frames.append(END_FRAME)
