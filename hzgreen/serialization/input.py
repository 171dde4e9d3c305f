"""Big-endian input stream used by serializers (``ObjectDataInput``)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, List, Optional, TypeVar, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.data import BytesLike, UnpackFrom

if TYPE_CHECKING:
    from hzgreen.serialization.service import SerializationService

T = TypeVar("T")

_unpack_from = struct.unpack_from
_unpack_byte: UnpackFrom[int] = struct.Struct(">b").unpack_from
_unpack_short: UnpackFrom[int] = struct.Struct(">h").unpack_from
_unpack_char: UnpackFrom[int] = struct.Struct(">H").unpack_from
_unpack_int: UnpackFrom[int] = struct.Struct(">i").unpack_from
_unpack_long: UnpackFrom[int] = struct.Struct(">q").unpack_from
_unpack_float: UnpackFrom[float] = struct.Struct(">f").unpack_from
_unpack_double: UnpackFrom[float] = struct.Struct(">d").unpack_from
_StructError = struct.error


class ObjectDataInput:
    """Reads Hazelcast's big-endian primitives, arrays and nested objects from a buffer.

    ``buf`` is any bytes-like object; reading starts at ``offset``. Every read checks
    bounds and raises :class:`~hzgreen.exceptions.HzSerializationError` on truncated
    or inconsistent data (never ``struct.error`` or ``IndexError``).
    """

    __slots__ = ("_buf", "_pos", "_size", "_service")

    def __init__(self, buf: BytesLike, offset: int = 0, service: Optional[SerializationService] = None) -> None:
        self._buf = buf
        self._size = len(buf)
        if not 0 <= offset <= self._size:
            raise HzSerializationError("offset %d is outside a %d-byte buffer" % (offset, self._size))
        self._pos = offset
        self._service = service

    # -- errors -----------------------------------------------------------------------

    def _eof(self, needed: int) -> HzSerializationError:
        return HzSerializationError(
            "unexpected end of data: need %d bytes at offset %d, only %d left"
            % (needed, self._pos, self._size - self._pos)
        )

    def _take(self, count: int) -> int:
        """Reserve ``count`` bytes; returns their start offset."""
        pos = self._pos
        end = pos + count
        if count < 0 or end > self._size:
            raise self._eof(count)
        self._pos = end
        return pos

    def _read_length(self, what: str) -> int:
        n = self.read_int()
        if n < -1:
            raise HzSerializationError("invalid %s length %d at offset %d" % (what, n, self._pos - 4))
        return n

    # -- primitives -------------------------------------------------------------------

    def read_boolean(self) -> bool:
        """Returns the next boolean and moves past it. Raises HzSerializationError when the data ends
        before it."""
        pos = self._pos
        if pos >= self._size:
            raise self._eof(1)
        self._pos = pos + 1
        return self._buf[pos] != 0

    def read_byte(self) -> int:
        """Returns the next byte and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_byte(self._buf, pos)[0]
        except _StructError:
            raise self._eof(1) from None
        self._pos = pos + 1
        return value

    def read_unsigned_byte(self) -> int:
        """Returns the next unsigned byte and moves past it. Raises HzSerializationError when the data ends
        before it."""
        pos = self._pos
        if pos >= self._size:
            raise self._eof(1)
        self._pos = pos + 1
        return self._buf[pos]

    def read_char(self) -> str:
        """One UTF-16 code unit as a one-character ``str``."""
        pos = self._pos
        try:
            value = _unpack_char(self._buf, pos)[0]
        except _StructError:
            raise self._eof(2) from None
        self._pos = pos + 2
        return chr(value)

    def read_short(self) -> int:
        """Returns the next short and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_short(self._buf, pos)[0]
        except _StructError:
            raise self._eof(2) from None
        self._pos = pos + 2
        return value

    def read_unsigned_short(self) -> int:
        """Returns the next unsigned short and moves past it. Raises HzSerializationError when the data
        ends before it."""
        pos = self._pos
        try:
            value = _unpack_char(self._buf, pos)[0]
        except _StructError:
            raise self._eof(2) from None
        self._pos = pos + 2
        return value

    def read_int(self) -> int:
        """Returns the next int and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_int(self._buf, pos)[0]
        except _StructError:
            raise self._eof(4) from None
        self._pos = pos + 4
        return value

    def read_long(self) -> int:
        """Returns the next long and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_long(self._buf, pos)[0]
        except _StructError:
            raise self._eof(8) from None
        self._pos = pos + 8
        return value

    def read_float(self) -> float:
        """Returns the next float and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_float(self._buf, pos)[0]
        except _StructError:
            raise self._eof(4) from None
        self._pos = pos + 4
        return value

    def read_double(self) -> float:
        """Returns the next double and moves past it. Raises HzSerializationError when the data ends before
        it."""
        pos = self._pos
        try:
            value = _unpack_double(self._buf, pos)[0]
        except _StructError:
            raise self._eof(8) from None
        self._pos = pos + 8
        return value

    def read_string(self) -> Optional[str]:
        """int32 UTF-8 byte length (-1 = ``None``) then UTF-8 bytes."""
        n = self._read_length("string")
        if n < 0:
            return None
        pos = self._take(n)
        try:
            return str(self._buf[pos : pos + n], "utf-8")
        except UnicodeDecodeError as e:
            raise HzSerializationError("invalid UTF-8 in string at offset %d: %s" % (pos, e)) from None

    read_utf = read_string

    # -- raw bytes --------------------------------------------------------------------

    def read_raw(self, count: int) -> bytes:
        """``count`` raw bytes (no length prefix)."""
        pos = self._take(count)
        return bytes(self._buf[pos : pos + count])

    def read_into(self, buff: Union[bytearray, memoryview], offset: int = 0, length: Optional[int] = None) -> None:
        """Fill ``buff[offset:offset + length]`` from the stream (Java ``readFully``)."""
        if length is None:
            length = len(buff) - offset
        pos = self._take(length)
        buff[offset : offset + length] = self._buf[pos : pos + length]

    def skip_bytes(self, count: int) -> int:
        """Moves the read position forward by ``count`` bytes, at most to the end; returns the number
        skipped. Raises nothing."""
        count = max(0, min(count, self._size - self._pos))
        self._pos += count
        return count

    # -- arrays -----------------------------------------------------------------------

    def read_byte_array(self) -> Optional[bytes]:
        """Returns the next array of byte (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        n = self._read_length("byte array")
        if n < 0:
            return None
        pos = self._take(n)
        return bytes(self._buf[pos : pos + n])

    def read_boolean_array(self) -> Optional[List[bool]]:
        """Returns the next array of boolean (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        n = self._read_length("boolean array")
        if n < 0:
            return None
        pos = self._take(n)
        return [b != 0 for b in bytes(self._buf[pos : pos + n])]

    def read_char_array(self) -> Optional[List[str]]:
        """Returns the next array of char (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        codes = self._read_numbers("H", 2, "char array")
        if codes is None:
            return None
        return [chr(c) for c in codes]

    def _read_numbers(self, code: str, size: int, what: str) -> Optional[List[Any]]:
        n = self._read_length(what)
        if n < 0:
            return None
        pos = self._take(n * size)
        return list(_unpack_from(">%d%s" % (n, code), self._buf, pos))

    def read_short_array(self) -> Optional[List[int]]:
        """Returns the next array of short (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        return self._read_numbers("h", 2, "short array")

    def read_int_array(self) -> Optional[List[int]]:
        """Returns the next array of int (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        return self._read_numbers("i", 4, "int array")

    def read_long_array(self) -> Optional[List[int]]:
        """Returns the next array of long (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        return self._read_numbers("q", 8, "long array")

    def read_float_array(self) -> Optional[List[float]]:
        """Returns the next array of float (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        return self._read_numbers("f", 4, "float array")

    def read_double_array(self) -> Optional[List[float]]:
        """Returns the next array of double (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        return self._read_numbers("d", 8, "double array")

    def read_string_array(self) -> Optional[List[Optional[str]]]:
        """Returns the next array of string (a list, or None for a null array) and moves past it. Raises
        HzSerializationError when the data ends before it."""
        n = self._read_length("string array")
        if n < 0:
            return None
        if n * 4 > self._size - self._pos:
            raise self._eof(n * 4)
        read_string = self.read_string
        return [read_string() for _ in range(n)]

    read_utf_array = read_string_array

    # -- objects ----------------------------------------------------------------------

    def read_object(self) -> Any:
        """Nested object: int32 type id + payload."""
        if self._service is None:
            raise HzSerializationError("read_object needs an input created by a SerializationService")
        return self._service.read_object(self)

    # -- positional reads (do not move the position) ------------------------------------

    def _read_at(self, unpack: UnpackFrom[T], size: int, position: int) -> T:
        if position < 0 or position + size > self._size:
            raise HzSerializationError(
                "cannot read %d bytes at offset %d of a %d-byte buffer" % (size, position, self._size)
            )
        return unpack(self._buf, position)[0]

    def read_byte_positional(self, position: int) -> int:
        """Returns the byte at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_byte, 1, position)

    def read_boolean_positional(self, position: int) -> bool:
        """Returns the boolean at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_byte, 1, position) != 0

    def read_short_positional(self, position: int) -> int:
        """Returns the short at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_short, 2, position)

    def read_unsigned_short_positional(self, position: int) -> int:
        """Returns the unsigned short at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_char, 2, position)

    def read_int_positional(self, position: int) -> int:
        """Returns the int at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_int, 4, position)

    def read_long_positional(self, position: int) -> int:
        """Returns the long at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_long, 8, position)

    def read_float_positional(self, position: int) -> float:
        """Returns the float at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_float, 4, position)

    def read_double_positional(self, position: int) -> float:
        """Returns the double at byte ``position``, without moving the read position. Raises
        HzSerializationError when the data ends before it."""
        return self._read_at(_unpack_double, 8, position)

    # -- position ---------------------------------------------------------------------

    def position(self) -> int:
        """Returns the read position (a byte offset). Raises nothing."""
        return self._pos

    def set_position(self, position: int) -> None:
        """Moves the read position to ``position``; returns None. Raises HzSerializationError outside
        0..size."""
        if not 0 <= position <= self._size:
            raise HzSerializationError("position %d is outside a %d-byte buffer" % (position, self._size))
        self._pos = position

    def size(self) -> int:
        """Returns the number of bytes of the data. Raises nothing."""
        return self._size

    def available(self) -> int:
        """Returns the number of bytes left to read. Raises nothing."""
        return self._size - self._pos

    def is_big_endian(self) -> bool:
        """Returns True: hzgreen reads big-endian data. Raises nothing."""
        return True

    def __repr__(self) -> str:
        return "ObjectDataInput(position=%d, size=%d)" % (self._pos, self._size)
