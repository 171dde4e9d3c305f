"""Big-endian output stream used by serializers (``ObjectDataOutput``)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.data import BytesLike

if TYPE_CHECKING:
    from hzgreen.serialization.service import SerializationService

#: ``Struct(fmt).pack_into`` of a one-value format.
_PackInto = Callable[[bytearray, int, float], None]

_pack = struct.pack
_pack_byte = struct.Struct(">b").pack
_pack_short = struct.Struct(">h").pack
_pack_char = struct.Struct(">H").pack
_pack_int = struct.Struct(">i").pack
_pack_long = struct.Struct(">q").pack
_pack_float = struct.Struct(">f").pack
_pack_double = struct.Struct(">d").pack
_pack_int_into = struct.Struct(">i").pack_into
_pack_byte_into = struct.Struct(">b").pack_into
_pack_short_into = struct.Struct(">h").pack_into
_pack_long_into = struct.Struct(">q").pack_into
_pack_float_into = struct.Struct(">f").pack_into
_pack_double_into = struct.Struct(">d").pack_into
_NULL_LENGTH = _pack_int(-1)
_BYTES_LIKE = (bytes, bytearray, memoryview)


def _char_code(value: Union[str, int]) -> int:
    """UTF-16 code unit of a one-character string (or an int code unit)."""
    if isinstance(value, str):
        if len(value) != 1:
            raise ValueError("a Java char is one character, got %r" % (value,))
        code = ord(value)
    else:
        code = int(value)
    if not 0 <= code <= 0xFFFF:
        raise ValueError("%r does not fit in one UTF-16 code unit (Java char)" % (value,))
    return code


class ObjectDataOutput:
    """Growable big-endian buffer with Hazelcast's primitive, array and object writers.

    Strings are written as int32 byte length (-1 for ``None``) + UTF-8; arrays as
    int32 length (-1 for ``None``) + elements. ``write_object`` writes a nested
    object as its int32 type id followed by its serializer's payload.
    """

    __slots__ = ("_buf", "_service")

    def __init__(self, service: Optional[SerializationService] = None, initial: bytes = b"") -> None:
        self._buf = bytearray(initial)
        self._service = service

    # -- primitives -------------------------------------------------------------------

    def write_boolean(self, value: bool) -> None:
        """Appends ``value`` as one byte (1 if true, else 0); returns None. Raises nothing."""
        self._buf.append(1 if value else 0)

    def write_byte(self, value: int) -> None:
        """Signed byte (-128..127)."""
        self._buf += _pack_byte(value)

    def write_unsigned_byte(self, value: int) -> None:
        """Appends ``value`` as one unsigned byte; returns None. Raises ValueError outside 0..255."""
        self._buf.append(value)

    def write_char(self, value: Union[str, int]) -> None:
        """One UTF-16 code unit: a one-character ``str`` or an int in 0..65535."""
        self._buf += _pack_char(_char_code(value))

    def write_short(self, value: int) -> None:
        """Appends ``value`` as a short; returns None. Raises struct.error when it does not fit the type."""
        self._buf += _pack_short(value)

    def write_int(self, value: int) -> None:
        """Appends ``value`` as a int; returns None. Raises struct.error when it does not fit the type."""
        self._buf += _pack_int(value)

    def write_long(self, value: int) -> None:
        """Appends ``value`` as a long; returns None. Raises struct.error when it does not fit the type."""
        self._buf += _pack_long(value)

    def write_float(self, value: float) -> None:
        """Appends ``value`` as a float; returns None. Raises struct.error when it does not fit the type."""
        self._buf += _pack_float(value)

    def write_double(self, value: float) -> None:
        """Appends ``value`` as a double; returns None. Raises struct.error when it does not fit the type."""
        self._buf += _pack_double(value)

    def write_string(self, value: Optional[str]) -> None:
        """int32 UTF-8 byte length (-1 for ``None``) followed by the UTF-8 bytes."""
        if value is None:
            self._buf += _NULL_LENGTH
            return
        encoded = value.encode("utf-8")
        buf = self._buf
        buf += _pack_int(len(encoded))
        buf += encoded

    write_utf = write_string

    # -- raw bytes --------------------------------------------------------------------

    def write_from(self, buff: BytesLike, offset: int = 0, length: Optional[int] = None) -> None:
        """Copy raw bytes (no length prefix)."""
        if offset or length is not None:
            end = None if length is None else offset + length
            buff = memoryview(buff)[offset:end]
        self._buf += buff

    def write_zero_bytes(self, count: int) -> None:
        """Appends ``count`` zero bytes; returns None. Raises ValueError for a negative ``count``."""
        self._buf += bytes(count)

    def write_int_positional(self, value: int, position: int) -> None:
        """Overwrite the int32 at ``position`` (which must already be written)."""
        self._write_positional(_pack_int_into, 4, value, position)

    def _write_positional(self, pack_into: _PackInto, size: int, value: float, position: int) -> None:
        if position < 0 or position + size > len(self._buf):
            raise IndexError("position %d is outside the %d bytes written" % (position, len(self._buf)))
        pack_into(self._buf, position, value)

    def write_byte_positional(self, value: int, position: int) -> None:
        """Overwrites the byte at byte ``position`` (already written) with ``value``; returns None. Raises
        IndexError when ``position`` is outside the bytes written, struct.error when the value does not
        fit the type."""
        self._write_positional(_pack_byte_into, 1, value, position)

    def write_short_positional(self, value: int, position: int) -> None:
        """Overwrites the short at byte ``position`` (already written) with ``value``; returns None. Raises
        IndexError when ``position`` is outside the bytes written, struct.error when the value does not
        fit the type."""
        self._write_positional(_pack_short_into, 2, value, position)

    def write_long_positional(self, value: int, position: int) -> None:
        """Overwrites the long at byte ``position`` (already written) with ``value``; returns None. Raises
        IndexError when ``position`` is outside the bytes written, struct.error when the value does not
        fit the type."""
        self._write_positional(_pack_long_into, 8, value, position)

    def write_float_positional(self, value: float, position: int) -> None:
        """Overwrites the float at byte ``position`` (already written) with ``value``; returns None. Raises
        IndexError when ``position`` is outside the bytes written, struct.error when the value does not
        fit the type."""
        self._write_positional(_pack_float_into, 4, value, position)

    def write_double_positional(self, value: float, position: int) -> None:
        """Overwrites the double at byte ``position`` (already written) with ``value``; returns None.
        Raises IndexError when ``position`` is outside the bytes written, struct.error when the value
        does not fit the type."""
        self._write_positional(_pack_double_into, 8, value, position)

    def write_boolean_bit_positional(self, value: bool, position: int, bit: int) -> None:
        """Set or clear bit ``bit`` (0 = least significant) of the byte at ``position``."""
        if position < 0 or position >= len(self._buf):
            raise IndexError("position %d is outside the %d bytes written" % (position, len(self._buf)))
        if value:
            self._buf[position] |= 1 << bit
        else:
            self._buf[position] &= ~(1 << bit) & 0xFF

    # -- arrays -----------------------------------------------------------------------

    def write_byte_array(self, values: Optional[Union[BytesLike, Sequence[int]]]) -> None:
        """bytes/bytearray/memoryview as is, or a sequence of signed bytes."""
        if values is None:
            self._buf += _NULL_LENGTH
            return
        buf = self._buf
        if isinstance(values, _BYTES_LIKE):
            values = memoryview(values).cast("B") if isinstance(values, memoryview) else values
            buf += _pack_int(len(values))
            buf += values
        else:
            n = len(values)
            buf += _pack(">i%db" % n, n, *values)

    def write_boolean_array(self, values: Optional[Iterable[bool]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of boolean;
        returns None. Raises struct.error when an item does not fit the type."""
        if values is None:
            self._buf += _NULL_LENGTH
            return
        flags = bytes(1 if v else 0 for v in values)
        buf = self._buf
        buf += _pack_int(len(flags))
        buf += flags

    def write_char_array(self, values: Optional[Union[str, Iterable[Union[str, int]]]]) -> None:
        """A ``str`` (written as its UTF-16 code units) or a sequence of chars/ints."""
        if values is None:
            self._buf += _NULL_LENGTH
            return
        if isinstance(values, str):
            units = values.encode("utf-16-be", "surrogatepass")
            buf = self._buf
            buf += _pack_int(len(units) >> 1)
            buf += units
            return
        codes = [_char_code(v) for v in values]
        n = len(codes)
        self._buf += _pack(">i%dH" % n, n, *codes)

    def _write_numbers(self, code: str, values: Optional[Sequence[float]]) -> None:
        if values is None:
            self._buf += _NULL_LENGTH
            return
        n = len(values)
        self._buf += _pack(">i%d%s" % (n, code), n, *values)

    def write_short_array(self, values: Optional[Sequence[int]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of short;
        returns None. Raises struct.error when an item does not fit the type."""
        self._write_numbers("h", values)

    def write_int_array(self, values: Optional[Sequence[int]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of int;
        returns None. Raises struct.error when an item does not fit the type."""
        self._write_numbers("i", values)

    def write_long_array(self, values: Optional[Sequence[int]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of long;
        returns None. Raises struct.error when an item does not fit the type."""
        self._write_numbers("q", values)

    def write_float_array(self, values: Optional[Sequence[float]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of float;
        returns None. Raises struct.error when an item does not fit the type."""
        self._write_numbers("f", values)

    def write_double_array(self, values: Optional[Sequence[float]]) -> None:
        """Appends ``values`` (a sequence, or None for a null array) as a length-prefixed array of double;
        returns None. Raises struct.error when an item does not fit the type."""
        self._write_numbers("d", values)

    def write_string_array(self, values: Optional[Sequence[Optional[str]]]) -> None:
        """Appends ``values`` (a sequence of str or None, or None for a null array) as an int32 count
        followed by each string as :meth:`write_string` writes it; returns None. Raises AttributeError
        for an item that is neither a str nor None."""
        if values is None:
            self._buf += _NULL_LENGTH
            return
        self._buf += _pack_int(len(values))
        write_string = self.write_string
        for v in values:
            write_string(v)

    write_utf_array = write_string_array

    # -- objects ----------------------------------------------------------------------

    def write_object(self, obj: Any) -> None:
        """Nested object: int32 type id + payload (``None`` is type id 0 and nothing else)."""
        if self._service is None:
            raise HzSerializationError("write_object needs an output created by a SerializationService")
        self._service.write_object(self, obj)

    def new_output(self) -> "ObjectDataOutput":
        """An empty output writing nested objects with the same service as this one."""
        return ObjectDataOutput(self._service)

    # -- buffer -----------------------------------------------------------------------

    def position(self) -> int:
        """Returns the write position (the number of bytes written). Raises nothing."""
        return len(self._buf)

    def size(self) -> int:
        """Returns the number of bytes written. Raises nothing."""
        return len(self._buf)

    def is_big_endian(self) -> bool:
        """Returns True: hzgreen writes big-endian data. Raises nothing."""
        return True

    def to_byte_array(self) -> bytes:
        """Returns a copy of the bytes written, as ``bytes``. Raises nothing."""
        return bytes(self._buf)

    def clear(self) -> None:
        """Drops every byte written; returns None. Raises nothing."""
        del self._buf[:]

    def __len__(self) -> int:
        return len(self._buf)

    def __repr__(self) -> str:
        return "ObjectDataOutput(%d bytes)" % len(self._buf)
