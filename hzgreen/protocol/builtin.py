"""Codecs of the built-in protocol types (NOTES.md §3.1, §5).

Conventions used by the generated codecs:

* ``encode_<type>(frames, value)`` appends the frames of ``value`` to the list ``frames``;
* ``decode_<type>(it)`` reads a value from a :class:`FrameIterator`;
* single-frame types also have ``<type>_frame(value) -> Frame`` and ``<type>_from(frame)``.

Python representations: ``String`` -> str; ``Data`` and ``byteArray`` -> bytes (``Data`` is an
opaque serialized blob at this layer); ``UUID`` -> :class:`uuid.UUID` or None; ``longArray`` /
``List_Integer`` / ``List_Long`` / ``List_UUID`` / ``Set_UUID`` / ``List_X`` -> list;
``EntryList_K_V`` -> list of ``(key, value)`` tuples; ``Map_K_V`` -> dict.  Encoders accept any
iterable for lists and either a mapping or an iterable of pairs for entry lists and maps.

Decoders may raise ``struct.error``/``IndexError``/``UnicodeDecodeError`` on malformed input;
the generated message decoders turn those into :class:`ProtocolError` (see :func:`malformed`).
"""

from __future__ import annotations

import struct
import uuid as _uuid
from typing import Callable, Iterable, List, Optional, Tuple

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.frame import (
    BEGIN_DATA_STRUCTURE, BEGIN_FRAME, END_DATA_STRUCTURE, END_FRAME, IS_NULL, NULL_FRAME, SPECIAL_FLAGS,
    Frame, FrameIterator,
)

# -- fixed-size primitives -----------------------------------------------------------------

BYTE_SIZE = 1
BOOLEAN_SIZE = 1
SHORT_SIZE = 2
INT_SIZE = 4
FLOAT_SIZE = 4
LONG_SIZE = 8
DOUBLE_SIZE = 8
UUID_SIZE = 17

BYTE = struct.Struct("<b")
BOOLEAN = struct.Struct("<?")
SHORT = struct.Struct("<h")
INT = struct.Struct("<i")
FLOAT = struct.Struct("<f")
LONG = struct.Struct("<q")
DOUBLE = struct.Struct("<d")
#: UUID on the wire: is-null boolean, most significant 64 bits, least significant 64 bits.
UUID = struct.Struct("<BQQ")

_MASK64 = (1 << 64) - 1
_UUID_NULL_PARTS = (1, 0, 0)


def _make_uuid_factory() -> Callable:
    """``f(int) -> uuid.UUID``, about twice as fast as ``uuid.UUID(int=n)``.

    ``uuid.UUID`` keeps its value in the slots ``int`` and ``is_safe``; filling them directly
    skips the argument parsing of ``UUID.__init__``.  Falls back to the public constructor if
    the layout ever differs.
    """
    cls = _uuid.UUID
    new = object.__new__
    set_attr = object.__setattr__
    unknown = _uuid.SafeUUID.unknown

    def fast(n: int) -> _uuid.UUID:
        u = new(cls)
        set_attr(u, "int", n)
        set_attr(u, "is_safe", unknown)
        return u

    try:
        probe = 0x00112233445566778899AABBCCDDEEFF
        if fast(probe) == cls(int=probe) and str(fast(probe)) == str(cls(int=probe)):
            return fast
    except Exception:  # pragma: no cover - layout changed
        pass
    return lambda n: cls(int=n)  # pragma: no cover


_uuid_from_int = _make_uuid_factory()

#: Exceptions that mean "malformed input" while decoding.
DECODE_ERRORS = (struct.error, IndexError, KeyError, ValueError, TypeError, AttributeError,
                 UnicodeDecodeError, OverflowError)


def malformed(what: str, error: BaseException) -> ProtocolError:
    """A ProtocolError for a decoding failure of ``what``."""
    return ProtocolError("malformed %s: %s: %s" % (what, type(error).__name__, error))


def uuid_parts(value: Optional[_uuid.UUID]) -> Tuple[int, int, int]:
    """``(is_null, msb, lsb)`` of a UUID (or None) for packing with :data:`UUID`."""
    if value is None:
        return _UUID_NULL_PARTS
    n = value.int
    return 0, n >> 64, n & _MASK64


def uuid_from(is_null: int, msb: int, lsb: int) -> Optional[_uuid.UUID]:
    """The UUID (or None) from the three unpacked UUID fields."""
    if is_null:
        return None
    return _uuid_from_int((msb << 64) | lsb)


def encode_uuid_into(buf, offset: int, value: Optional[_uuid.UUID]) -> None:
    UUID.pack_into(buf, offset, *uuid_parts(value))


def decode_uuid_from(buf, offset: int) -> Optional[_uuid.UUID]:
    is_null, msb, lsb = UUID.unpack_from(buf, offset)
    if is_null:
        return None
    return _uuid_from_int((msb << 64) | lsb)


# -- helpers -------------------------------------------------------------------------------

def _unexpected(frame: Frame, what: str) -> ProtocolError:
    if frame.flags & IS_NULL:
        kind = "a NULL frame"
    elif frame.flags & BEGIN_DATA_STRUCTURE:
        kind = "a BEGIN_DATA_STRUCTURE frame"
    else:
        kind = "an END_DATA_STRUCTURE frame"
    return ProtocolError("malformed message: expected %s, got %s" % (what, kind))


def _begin(it: FrameIterator) -> int:
    """Consume the BEGIN frame at the cursor; return the index after it."""
    i = it.index
    frame = it.frames[i]
    if not frame.flags & BEGIN_DATA_STRUCTURE:
        raise ProtocolError("malformed message: expected a BEGIN_DATA_STRUCTURE frame, got flags 0x%04x"
                            % frame.flags)
    return i + 1


def _as_bytes(content) -> bytes:
    return content if type(content) is bytes else bytes(content)


def _pairs(value) -> Iterable:
    items = getattr(value, "items", None)
    return items() if items is not None else value


# -- nullable wrapper ----------------------------------------------------------------------

def encode_nullable(frames: List[Frame], value, encoder: Callable) -> None:
    if value is None:
        frames.append(NULL_FRAME)
    else:
        encoder(frames, value)


def decode_nullable(it: FrameIterator, decoder: Callable):
    i = it.index
    if it.frames[i].flags & IS_NULL:
        it.index = i + 1
        return None
    return decoder(it)


# -- String --------------------------------------------------------------------------------

def string_frame(value: str) -> Frame:
    return Frame(value.encode("utf-8"), 0)


def string_from(frame: Frame) -> str:
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a String frame")
    return frame.content.decode("utf-8")


def encode_string(frames: List[Frame], value: str) -> None:
    frames.append(Frame(value.encode("utf-8"), 0))


def decode_string(it: FrameIterator) -> str:
    return string_from(it.next())


# -- Data / byteArray ----------------------------------------------------------------------

def data_frame(value) -> Frame:
    return Frame(value, 0)


def data_from(frame: Frame) -> bytes:
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a Data frame")
    content = frame.content
    return content if type(content) is bytes else bytes(content)


def encode_data(frames: List[Frame], value) -> None:
    frames.append(Frame(value, 0))


def decode_data(it: FrameIterator) -> bytes:
    return data_from(it.next())


byte_array_frame = data_frame
encode_byte_array = encode_data


def byte_array_from(frame: Frame) -> bytes:
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a byteArray frame")
    return _as_bytes(frame.content)


def decode_byte_array(it: FrameIterator) -> bytes:
    return byte_array_from(it.next())


# -- packed arrays / lists of fixed-size items ---------------------------------------------

def _packed_frame(code: str, values) -> Frame:
    values = values if isinstance(values, (list, tuple)) else list(values)
    return Frame(struct.pack("<%d%s" % (len(values), code), *values), 0)


def _packed_from(code: str, size: int, frame: Frame, what: str) -> list:
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, what)
    content = frame.content
    count, rest = divmod(len(content), size)
    if rest:
        raise ProtocolError("malformed %s: %d bytes is not a multiple of %d" % (what, len(content), size))
    return list(struct.unpack_from("<%d%s" % (count, code), content, 0))


def long_array_frame(values) -> Frame:
    return _packed_frame("q", values)


def long_array_from(frame: Frame) -> List[int]:
    return _packed_from("q", 8, frame, "longArray")


def encode_long_array(frames: List[Frame], values) -> None:
    frames.append(_packed_frame("q", values))


def decode_long_array(it: FrameIterator) -> List[int]:
    return _packed_from("q", 8, it.next(), "longArray")


def float_array_frame(values) -> Frame:
    return _packed_frame("f", values)


def float_array_from(frame: Frame) -> List[float]:
    return _packed_from("f", 4, frame, "floatArray")


def encode_float_array(frames: List[Frame], values) -> None:
    frames.append(_packed_frame("f", values))


def decode_float_array(it: FrameIterator) -> List[float]:
    return _packed_from("f", 4, it.next(), "floatArray")


def list_integer_frame(values) -> Frame:
    return _packed_frame("i", values)


def list_integer_from(frame: Frame) -> List[int]:
    return _packed_from("i", 4, frame, "List_Integer")


def encode_list_integer(frames: List[Frame], values) -> None:
    frames.append(_packed_frame("i", values))


def decode_list_integer(it: FrameIterator) -> List[int]:
    return _packed_from("i", 4, it.next(), "List_Integer")


list_long_frame = long_array_frame
encode_list_long = encode_long_array


def list_long_from(frame: Frame) -> List[int]:
    return _packed_from("q", 8, frame, "List_Long")


def decode_list_long(it: FrameIterator) -> List[int]:
    return _packed_from("q", 8, it.next(), "List_Long")


def list_uuid_frame(values) -> Frame:
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
    if frame.flags & SPECIAL_FLAGS:
        raise _unexpected(frame, "a List_UUID frame")
    content = frame.content
    if len(content) % UUID_SIZE:
        raise ProtocolError("malformed List_UUID: %d bytes is not a multiple of 17" % len(content))
    new = _uuid_from_int
    return [None if is_null else new((msb << 64) | lsb) for is_null, msb, lsb in UUID.iter_unpack(content)]


def encode_list_uuid(frames: List[Frame], values) -> None:
    frames.append(list_uuid_frame(values))


def decode_list_uuid(it: FrameIterator) -> List[Optional[_uuid.UUID]]:
    return list_uuid_from(it.next())


# Set_UUID has the wire form of List_UUID; it decodes to a list too.
set_uuid_frame = list_uuid_frame
set_uuid_from = list_uuid_from
encode_set_uuid = encode_list_uuid
decode_set_uuid = decode_list_uuid


# -- lists of variable-size items ----------------------------------------------------------

def encode_list(frames: List[Frame], values, encoder: Callable) -> None:
    """``BEGIN item-frames... END``."""
    frames.append(BEGIN_FRAME)
    for value in values:
        encoder(frames, value)
    frames.append(END_FRAME)


def encode_list_cn(frames: List[Frame], values, encoder: Callable) -> None:
    """Like :func:`encode_list`; a None item becomes a NULL frame."""
    frames.append(BEGIN_FRAME)
    for value in values:
        if value is None:
            frames.append(NULL_FRAME)
        else:
            encoder(frames, value)
    frames.append(END_FRAME)


def decode_list(it: FrameIterator, decoder: Callable) -> list:
    """Items up to the END frame.  NULL items are accepted (as None) in any list."""
    it.index = _begin(it)
    frames = it.frames
    out = []
    append = out.append
    while True:
        i = it.index
        flags = frames[i].flags
        if flags & END_DATA_STRUCTURE:
            it.index = i + 1
            return out
        if flags & IS_NULL:
            it.index = i + 1
            append(None)
        else:
            append(decoder(it))


decode_list_cn = decode_list


def _single_frame_list_decoder(item_from: Callable) -> Callable:
    def decode(it: FrameIterator) -> list:
        i = _begin(it)
        frames = it.frames
        out = []
        append = out.append
        while True:
            frame = frames[i]
            i += 1
            flags = frame.flags
            if flags & END_DATA_STRUCTURE:
                it.index = i
                return out
            if flags & IS_NULL:
                append(None)
            else:
                append(item_from(frame))
    return decode


def _single_frame_list_encoder(item_frame: Callable) -> Callable:
    def encode(frames: List[Frame], values) -> None:
        frames.append(BEGIN_FRAME)
        for value in values:
            frames.append(NULL_FRAME if value is None else item_frame(value))
        frames.append(END_FRAME)
    return encode


decode_list_data = _single_frame_list_decoder(data_from)
decode_list_cn_data = decode_list_data
decode_list_string = _single_frame_list_decoder(string_from)
decode_list_byte_array = _single_frame_list_decoder(byte_array_from)
encode_list_data = _single_frame_list_encoder(data_frame)
encode_list_cn_data = encode_list_data
encode_list_string = _single_frame_list_encoder(string_frame)
encode_list_byte_array = _single_frame_list_encoder(byte_array_frame)


# -- entry lists and maps ------------------------------------------------------------------

def encode_entry_list(frames: List[Frame], pairs, key_encoder: Callable, value_encoder: Callable) -> None:
    """Both key and value variable-size: ``BEGIN k0 v0 k1 v1 ... END`` (NOTES.md §5.3 shape 2)."""
    frames.append(BEGIN_FRAME)
    for key, value in _pairs(pairs):
        key_encoder(frames, key)
        if value is None:
            frames.append(NULL_FRAME)
        else:
            value_encoder(frames, value)
    frames.append(END_FRAME)


def decode_entry_list(it: FrameIterator, key_decoder: Callable, value_decoder: Callable) -> list:
    """List of ``(key, value)``; a NULL value frame decodes to None."""
    it.index = _begin(it)
    frames = it.frames
    out = []
    append = out.append
    while True:
        i = it.index
        if frames[i].flags & END_DATA_STRUCTURE:
            it.index = i + 1
            return out
        key = key_decoder(it)
        i = it.index
        if frames[i].flags & IS_NULL:
            it.index = i + 1
            value = None
        else:
            value = value_decoder(it)
        append((key, value))


def decode_map(it: FrameIterator, key_decoder: Callable, value_decoder: Callable) -> dict:
    return dict(decode_entry_list(it, key_decoder, value_decoder))


encode_map = encode_entry_list


def _single_frame_entry_list_decoder(key_from: Callable, value_from: Callable, factory: Callable) -> Callable:
    def decode(it: FrameIterator):
        i = _begin(it)
        frames = it.frames
        out = []
        append = out.append
        while True:
            frame = frames[i]
            if frame.flags & END_DATA_STRUCTURE:
                it.index = i + 1
                return factory(out)
            value_frame = frames[i + 1]
            i += 2
            append((key_from(frame), None if value_frame.flags & IS_NULL else value_from(value_frame)))
    return decode


def _single_frame_entry_list_encoder(key_frame: Callable, value_frame: Callable) -> Callable:
    def encode(frames: List[Frame], pairs) -> None:
        frames.append(BEGIN_FRAME)
        append = frames.append
        for key, value in _pairs(pairs):
            append(key_frame(key))
            append(NULL_FRAME if value is None else value_frame(value))
        append(END_FRAME)
    return encode


decode_entry_list_data_data = _single_frame_entry_list_decoder(data_from, data_from, list)
encode_entry_list_data_data = _single_frame_entry_list_encoder(data_frame, data_frame)
decode_entry_list_string_string = _single_frame_entry_list_decoder(string_from, string_from, list)
encode_entry_list_string_string = _single_frame_entry_list_encoder(string_frame, string_frame)
decode_map_string_string = _single_frame_entry_list_decoder(string_from, string_from, dict)
encode_map_string_string = encode_entry_list_string_string
decode_map_string_data = _single_frame_entry_list_decoder(string_from, data_from, dict)
encode_map_string_data = _single_frame_entry_list_encoder(string_frame, data_frame)
decode_entry_list_string_byte_array = _single_frame_entry_list_decoder(string_from, byte_array_from, list)
encode_entry_list_string_byte_array = _single_frame_entry_list_encoder(string_frame, byte_array_frame)


def encode_entry_list_fixed_key(frames: List[Frame], pairs, value_encoder: Callable,
                                keys_frame: Callable) -> None:
    """Fixed-size key, variable-size value: ``BEGIN v0 v1 ... END [packed keys]`` (shape 3)."""
    keys = []
    frames.append(BEGIN_FRAME)
    for key, value in _pairs(pairs):
        keys.append(key)
        value_encoder(frames, value)
    frames.append(END_FRAME)
    frames.append(keys_frame(keys))


def decode_entry_list_fixed_key(it: FrameIterator, value_decoder: Callable, keys_from: Callable) -> list:
    values = decode_list(it, value_decoder)
    keys = keys_from(it.next())
    if len(keys) != len(values):
        raise ProtocolError("malformed entry list: %d keys for %d values" % (len(keys), len(values)))
    return list(zip(keys, values))


def encode_entry_list_uuid_list_integer(frames: List[Frame], pairs) -> None:
    encode_entry_list_fixed_key(frames, pairs, encode_list_integer, list_uuid_frame)


def decode_entry_list_uuid_list_integer(it: FrameIterator) -> List[Tuple[Optional[_uuid.UUID], List[int]]]:
    """The partition table: ``[(member_uuid, [partition ids...]), ...]``."""
    values = _decode_list_integer_list(it)
    keys = list_uuid_from(it.next())
    if len(keys) != len(values):
        raise ProtocolError("malformed entry list: %d keys for %d values" % (len(keys), len(values)))
    return list(zip(keys, values))


_decode_list_integer_list = _single_frame_list_decoder(list_integer_from)


def encode_entry_list_long_byte_array(frames: List[Frame], pairs) -> None:
    encode_entry_list_fixed_key(frames, pairs, encode_byte_array, long_array_frame)


def decode_entry_list_long_byte_array(it: FrameIterator) -> List[Tuple[int, bytes]]:
    return decode_entry_list_fixed_key(it, decode_byte_array, list_long_from)


# Both key and value fixed-size: one packed frame ``k0 v0 k1 v1 ...`` (shape 1).

class _FixedPairCodec:
    """Packs/unpacks entry lists whose keys and values are Integer, Long or UUID."""

    _CODES = {"Integer": ("i", 4), "Long": ("q", 8), "UUID": ("BQQ", 17)}

    def __init__(self, key_type: str, value_type: str) -> None:
        kcode, ksize = self._CODES[key_type]
        vcode, vsize = self._CODES[value_type]
        self.name = "EntryList_%s_%s" % (key_type, value_type)
        self.key_uuid = key_type == "UUID"
        self.value_uuid = value_type == "UUID"
        self.struct = struct.Struct("<" + kcode + vcode)
        self.size = ksize + vsize

    def frame(self, pairs) -> Frame:
        pack = self.struct.pack
        key_uuid = self.key_uuid
        value_uuid = self.value_uuid
        parts = []
        for key, value in _pairs(pairs):
            args = list(uuid_parts(key)) if key_uuid else [key]
            if value_uuid:
                args.extend(uuid_parts(value))
            else:
                args.append(value)
            parts.append(pack(*args))
        return Frame(b"".join(parts), 0)

    def from_frame(self, frame: Frame) -> list:
        if frame.flags & SPECIAL_FLAGS:
            raise _unexpected(frame, "an %s frame" % self.name)
        content = frame.content
        if len(content) % self.size:
            raise ProtocolError("malformed %s: %d bytes is not a multiple of %d"
                                % (self.name, len(content), self.size))
        rows = self.struct.iter_unpack(content)
        if not self.key_uuid and not self.value_uuid:
            return list(rows)
        out = []
        for row in rows:
            if self.key_uuid:
                key = uuid_from(row[0], row[1], row[2])
                rest = row[3:]
            else:
                key = row[0]
                rest = row[1:]
            value = uuid_from(*rest) if self.value_uuid else rest[0]
            out.append((key, value))
        return out


def _fixed_pair_functions(key_type: str, value_type: str):
    codec = _FixedPairCodec(key_type, value_type)
    frame_fn = codec.frame
    from_fn = codec.from_frame

    def encode(frames: List[Frame], pairs) -> None:
        frames.append(frame_fn(pairs))

    def decode(it: FrameIterator) -> list:
        return from_fn(it.next())

    return frame_fn, from_fn, encode, decode


(entry_list_integer_integer_frame, entry_list_integer_integer_from,
 encode_entry_list_integer_integer, decode_entry_list_integer_integer) = _fixed_pair_functions("Integer", "Integer")
(entry_list_integer_long_frame, entry_list_integer_long_from,
 encode_entry_list_integer_long, decode_entry_list_integer_long) = _fixed_pair_functions("Integer", "Long")
(entry_list_integer_uuid_frame, entry_list_integer_uuid_from,
 encode_entry_list_integer_uuid, decode_entry_list_integer_uuid) = _fixed_pair_functions("Integer", "UUID")
(entry_list_uuid_long_frame, entry_list_uuid_long_from,
 encode_entry_list_uuid_long, decode_entry_list_uuid_long) = _fixed_pair_functions("UUID", "Long")
(entry_list_uuid_uuid_frame, entry_list_uuid_uuid_from,
 encode_entry_list_uuid_uuid, decode_entry_list_uuid_uuid) = _fixed_pair_functions("UUID", "UUID")
(entry_list_long_long_frame, entry_list_long_long_from,
 encode_entry_list_long_long, decode_entry_list_long_long) = _fixed_pair_functions("Long", "Long")


# -- whole-message helpers used by the generated codecs ------------------------------------

def count_present(*values) -> int:
    """1 + the position of the last value that is not None (0 if all are None).

    Optional (newer) parameters are written up to the last one given; see tools/gen_codecs.py.
    """
    n = len(values)
    while n and values[n - 1] is None:
        n -= 1
    return n


def skip_to_end(it: FrameIterator) -> None:
    it.skip_to_end_frame()


def unexpected_null(frame: Frame, what: str) -> ProtocolError:
    return _unexpected(frame, what)

