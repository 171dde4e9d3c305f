"""Single-frame built-in types: String, Data, byteArray and the packed arrays / lists of
fixed-size items (longArray, floatArray, List_Integer, List_Long, List_UUID, Set_UUID).

Each type has ``<type>_frame(value) -> Frame``, ``<type>_from(frame)``, ``encode_<type>`` and
``decode_<type>``.  Part of :mod:`hzgreen.protocol.builtin`.
"""

from __future__ import annotations

import struct
import uuid as _uuid
from typing import Iterable, List, Optional, TypeVar

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol import builtin_fixed as _fixed
from hzgreen.protocol.builtin_errors import _unexpected
from hzgreen.protocol.builtin_fixed import _MASK64, UUID_SIZE, _uuid_from_int
from hzgreen.protocol.frame import SPECIAL_FLAGS, Frame, FrameContent, FrameIterator

_N = TypeVar("_N", int, float)

# An assignment, not an import: CPython 3.11 compiles ``UUID.iter_unpack(...)`` on an imported
# name without the method-call fast path (LOAD_METHOD), and list_uuid_from is on the hot path.
UUID = _fixed.UUID


def _as_bytes(content: FrameContent) -> bytes:
    return content if type(content) is bytes else bytes(content)


# -- String --------------------------------------------------------------------------------


def string_frame(value: str) -> Frame:
    """The frame of a String."""
    return Frame(value.encode("utf-8"), 0)


def string_from(frame: Frame) -> str:
    """The String of ``frame``; raises ProtocolError for a special frame, UnicodeDecodeError for bad UTF-8."""
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a String frame")
    return frame.content.decode("utf-8")


def encode_string(frames: List[Frame], value: str) -> None:
    """Append the frame of a String; returns None."""
    frames.append(Frame(value.encode("utf-8"), 0))


def decode_string(it: FrameIterator) -> str:
    """The String at the cursor; raises ProtocolError if malformed (see :func:`string_from`)."""
    return string_from(it.next())


# -- Data / byteArray ----------------------------------------------------------------------


def data_frame(value: bytes) -> Frame:
    """The frame of a Data blob."""
    return Frame(value, 0)


def data_from(frame: Frame) -> bytes:
    """The Data blob of ``frame`` as bytes; raises ProtocolError for a special frame."""
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a Data frame")
    content = frame.content
    return content if type(content) is bytes else bytes(content)


def encode_data(frames: List[Frame], value: bytes) -> None:
    """Append the frame of a Data blob; returns None."""
    frames.append(Frame(value, 0))


def decode_data(it: FrameIterator) -> bytes:
    """The Data blob at the cursor; raises ProtocolError if malformed."""
    return data_from(it.next())


byte_array_frame = data_frame
encode_byte_array = encode_data


def byte_array_from(frame: Frame) -> bytes:
    """The byteArray of ``frame`` as bytes; raises ProtocolError for a special frame."""
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a byteArray frame")
    return _as_bytes(frame.content)


def decode_byte_array(it: FrameIterator) -> bytes:
    """The byteArray at the cursor; raises ProtocolError if malformed."""
    return byte_array_from(it.next())


# -- packed arrays / lists of fixed-size items ---------------------------------------------


def _packed_frame(code: str, values: Iterable[_N]) -> Frame:
    values = values if isinstance(values, (list, tuple)) else list(values)
    return Frame(struct.pack("<%d%s" % (len(values), code), *values), 0)


def _packed_from(code: str, size: int, frame: Frame, what: str) -> List[_N]:
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, what)
    content = frame.content
    count, rest = divmod(len(content), size)
    if rest:
        raise ProtocolError("malformed %s: %d bytes is not a multiple of %d" % (what, len(content), size))
    return list(struct.unpack_from("<%d%s" % (count, code), content, 0))


def long_array_frame(values: Iterable[int]) -> Frame:
    """The packed frame of a longArray; raises struct.error for a value out of int64 range."""
    return _packed_frame("q", values)


def long_array_from(frame: Frame) -> List[int]:
    """The longArray of ``frame``; raises ProtocolError if malformed."""
    return _packed_from("q", 8, frame, "longArray")


def encode_long_array(frames: List[Frame], values: Iterable[int]) -> None:
    """Append the packed frame of a longArray; returns None."""
    frames.append(_packed_frame("q", values))


def decode_long_array(it: FrameIterator) -> List[int]:
    """The longArray at the cursor; raises ProtocolError if malformed."""
    return _packed_from("q", 8, it.next(), "longArray")


def float_array_frame(values: Iterable[float]) -> Frame:
    """The packed frame of a floatArray."""
    return _packed_frame("f", values)


def float_array_from(frame: Frame) -> List[float]:
    """The floatArray of ``frame``; raises ProtocolError if malformed."""
    return _packed_from("f", 4, frame, "floatArray")


def encode_float_array(frames: List[Frame], values: Iterable[float]) -> None:
    """Append the packed frame of a floatArray; returns None."""
    frames.append(_packed_frame("f", values))


def decode_float_array(it: FrameIterator) -> List[float]:
    """The floatArray at the cursor; raises ProtocolError if malformed."""
    return _packed_from("f", 4, it.next(), "floatArray")


def list_integer_frame(values: Iterable[int]) -> Frame:
    """The packed frame of a List_Integer; raises struct.error for a value out of int32 range."""
    return _packed_frame("i", values)


def list_integer_from(frame: Frame) -> List[int]:
    """The List_Integer of ``frame``; raises ProtocolError if malformed."""
    return _packed_from("i", 4, frame, "List_Integer")


def encode_list_integer(frames: List[Frame], values: Iterable[int]) -> None:
    """Append the packed frame of a List_Integer; returns None."""
    frames.append(_packed_frame("i", values))


def decode_list_integer(it: FrameIterator) -> List[int]:
    """The List_Integer at the cursor; raises ProtocolError if malformed."""
    return _packed_from("i", 4, it.next(), "List_Integer")


list_long_frame = long_array_frame
encode_list_long = encode_long_array


def list_long_from(frame: Frame) -> List[int]:
    """The List_Long of ``frame``; raises ProtocolError if malformed."""
    return _packed_from("q", 8, frame, "List_Long")


def decode_list_long(it: FrameIterator) -> List[int]:
    """The List_Long at the cursor; raises ProtocolError if malformed."""
    return _packed_from("q", 8, it.next(), "List_Long")


def list_uuid_frame(values: Iterable[Optional[_uuid.UUID]]) -> Frame:
    """The packed frame of a List_UUID (a None item as the null UUID)."""
    values = values if isinstance(values, (list, tuple)) else list(values)
    buf = bytearray(UUID_SIZE * len(values))
    pack_into = UUID.pack_into
    offset = 0
    for value in values:
        if value is None:
            pack_into(buf, offset, 1, 0, 0)
        else:
            n = value.int
            pack_into(buf, offset, 0, n >> 64, n & _MASK64)
        offset += UUID_SIZE
    return Frame(bytes(buf), 0)


def list_uuid_from(frame: Frame) -> List[Optional[_uuid.UUID]]:
    """The List_UUID of ``frame`` (a null UUID as None); raises ProtocolError if malformed."""
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a List_UUID frame")
    content = frame.content
    if len(content) % UUID_SIZE:
        raise ProtocolError("malformed List_UUID: %d bytes is not a multiple of 17" % len(content))
    new = _uuid_from_int
    return [None if is_null else new((msb << 64) | lsb) for is_null, msb, lsb in UUID.iter_unpack(content)]


def encode_list_uuid(frames: List[Frame], values: Iterable[Optional[_uuid.UUID]]) -> None:
    """Append the packed frame of a List_UUID; returns None."""
    frames.append(list_uuid_frame(values))


def decode_list_uuid(it: FrameIterator) -> List[Optional[_uuid.UUID]]:
    """The List_UUID at the cursor; raises ProtocolError if malformed."""
    return list_uuid_from(it.next())


# Set_UUID has the wire form of List_UUID; it decodes to a list too.
set_uuid_frame = list_uuid_frame
set_uuid_from = list_uuid_from
encode_set_uuid = encode_list_uuid
decode_set_uuid = decode_list_uuid
