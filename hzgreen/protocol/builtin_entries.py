"""Entry lists and maps of built-in types, in the three wire shapes of NOTES.md §5.3.

* both key and value variable-size: ``BEGIN k0 v0 k1 v1 ... END``;
* fixed-size key, variable-size value: ``BEGIN v0 v1 ... END [packed keys]``;
* both fixed-size: one packed frame ``k0 v0 k1 v1 ...``.

``EntryList_K_V`` decodes to a list of ``(key, value)`` tuples, ``Map_K_V`` to a dict.  Part of
:mod:`hzgreen.protocol.builtin`.  Encoders take :data:`Pairs`: a mapping or an iterable of pairs.

Decoding is lenient: a NULL value frame decodes to None although the protocol's entry lists and
maps carry no null values.  The static types state the protocol (values are ``V``);
:func:`decode_entry_list_nullable` and the single-frame decoders behind the casts below are the
run-time functions and type the None honestly.
"""

from __future__ import annotations

import struct
import uuid as _uuid
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    Iterable,
    List,
    Optional,
    Protocol,
    Tuple,
    TypeVar,
    Union,
    cast,
)

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.builtin_errors import _unexpected
from hzgreen.protocol.builtin_fixed import uuid_from, uuid_parts
from hzgreen.protocol.builtin_frames import (
    byte_array_frame,
    byte_array_from,
    data_frame,
    data_from,
    decode_byte_array,
    encode_byte_array,
    encode_list_integer,
    list_integer_from,
    list_long_from,
    list_uuid_frame,
    list_uuid_from,
    long_array_frame,
    string_frame,
    string_from,
)
from hzgreen.protocol.builtin_lists import Decoder, Encoder, _begin, _single_frame_list_decoder, decode_list
from hzgreen.protocol.frame import (
    BEGIN_FRAME,
    END_DATA_STRUCTURE,
    END_FRAME,
    IS_NULL,
    NULL_FRAME,
    SPECIAL_FLAGS,
    Frame,
    FrameIterator,
)

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")
_K_co = TypeVar("_K_co", covariant=True)
_V_co = TypeVar("_V_co", covariant=True)


class SupportsItems(Protocol[_K_co, _V_co]):
    """Anything with ``items()`` yielding ``(key, value)`` pairs, such as a dict."""

    def items(self) -> Iterable[Tuple[_K_co, _V_co]]: ...


#: What the entry-list and map encoders take: a mapping or an iterable of ``(key, value)``.
Pairs = Union[SupportsItems[K, V], Iterable[Tuple[K, V]]]


def _pairs(value: Pairs[K, V]) -> Iterable[Tuple[K, V]]:
    items = getattr(value, "items", None)
    # Without items() the value is the iterable of pairs (mypy cannot narrow on getattr; a string
    # cast costs no typing subscription on this per-message path).
    return items() if items is not None else cast("Iterable[Tuple[K, V]]", value)


# -- entry lists and maps ------------------------------------------------------------------


def encode_entry_list(
    frames: List[Frame], pairs: Pairs[K, V], key_encoder: Encoder[K], value_encoder: Encoder[V]
) -> None:
    """Both key and value variable-size: ``BEGIN k0 v0 k1 v1 ... END`` (NOTES.md §5.3 shape 2).

    A None value (outside the protocol, typed out) is still written as a NULL frame.
    """
    frames.append(BEGIN_FRAME)
    for key, value in _pairs(pairs):
        key_encoder(frames, key)
        if value is None:
            frames.append(NULL_FRAME)
        else:
            value_encoder(frames, value)
    frames.append(END_FRAME)


def decode_entry_list_nullable(
    it: FrameIterator, key_decoder: Decoder[K], value_decoder: Decoder[V]
) -> List[Tuple[K, Optional[V]]]:
    """List of ``(key, value)``, a NULL value frame as None; raises ProtocolError or IndexError if malformed."""
    it.index = _begin(it)
    frames = it.frames
    out: List[Tuple[K, Optional[V]]] = []
    append = out.append
    while True:
        i = it.index
        if frames[i].flags & END_DATA_STRUCTURE:
            it.index = i + 1
            return out
        key = key_decoder(it)
        i = it.index
        value: Optional[V]
        if frames[i].flags & IS_NULL:
            it.index = i + 1
            value = None
        else:
            value = value_decoder(it)
        append((key, value))


if TYPE_CHECKING:

    def decode_entry_list(it: FrameIterator, key_decoder: Decoder[K], value_decoder: Decoder[V]) -> List[Tuple[K, V]]:
        """List of ``(key, value)``; raises ProtocolError or IndexError if malformed.

        :func:`decode_entry_list_nullable` at run time: a NULL value frame still decodes to None.
        """
else:
    decode_entry_list = decode_entry_list_nullable


def decode_map(it: FrameIterator, key_decoder: Decoder[K], value_decoder: Decoder[V]) -> Dict[K, V]:
    """A ``Map_K_V`` as a dict; raises ProtocolError or IndexError if malformed."""
    return dict(decode_entry_list(it, key_decoder, value_decoder))


encode_map = encode_entry_list


def _single_frame_entry_list_decoder(
    key_from: Callable[[Frame], K],
    value_from: Callable[[Frame], V],
    factory: Callable[[List[Tuple[K, Optional[V]]]], R],
) -> Callable[[FrameIterator], R]:
    """An entry-list decoder reading one frame per key and per value; ``factory`` builds the result."""

    def decode(it: FrameIterator) -> R:
        i = _begin(it)
        frames = it.frames
        out: List[Tuple[K, Optional[V]]] = []
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


def _single_frame_entry_list_encoder(
    key_frame: Callable[[K], Frame], value_frame: Callable[[V], Frame]
) -> Callable[[List[Frame], Pairs[K, Optional[V]]], None]:
    """An entry-list encoder writing one frame per key and per value (a None value as a NULL frame)."""

    def encode(frames: List[Frame], pairs: Pairs[K, Optional[V]]) -> None:
        frames.append(BEGIN_FRAME)
        append = frames.append
        for key, value in _pairs(pairs):
            append(key_frame(key))
            append(NULL_FRAME if value is None else value_frame(value))
        append(END_FRAME)

    return encode


# The casts state the protocol's non-null values (see the module docstring).
decode_entry_list_data_data = cast(
    Callable[[FrameIterator], List[Tuple[bytes, bytes]]], _single_frame_entry_list_decoder(data_from, data_from, list)
)
encode_entry_list_data_data = _single_frame_entry_list_encoder(data_frame, data_frame)
decode_entry_list_string_string = cast(
    Callable[[FrameIterator], List[Tuple[str, str]]], _single_frame_entry_list_decoder(string_from, string_from, list)
)
encode_entry_list_string_string = _single_frame_entry_list_encoder(string_frame, string_frame)
decode_map_string_string = cast(
    Callable[[FrameIterator], Dict[str, str]], _single_frame_entry_list_decoder(string_from, string_from, dict)
)
encode_map_string_string = encode_entry_list_string_string
decode_map_string_data = cast(
    Callable[[FrameIterator], Dict[str, bytes]], _single_frame_entry_list_decoder(string_from, data_from, dict)
)
encode_map_string_data = _single_frame_entry_list_encoder(string_frame, data_frame)
decode_entry_list_string_byte_array = cast(
    Callable[[FrameIterator], List[Tuple[str, bytes]]],
    _single_frame_entry_list_decoder(string_from, byte_array_from, list),
)
encode_entry_list_string_byte_array = _single_frame_entry_list_encoder(string_frame, byte_array_frame)


def encode_entry_list_fixed_key(
    frames: List[Frame], pairs: Pairs[K, V], value_encoder: Encoder[V], keys_frame: Callable[[List[K]], Frame]
) -> None:
    """Fixed-size key, variable-size value: ``BEGIN v0 v1 ... END [packed keys]`` (shape 3)."""
    keys: List[K] = []
    frames.append(BEGIN_FRAME)
    for key, value in _pairs(pairs):
        keys.append(key)
        value_encoder(frames, value)
    frames.append(END_FRAME)
    frames.append(keys_frame(keys))


def decode_entry_list_fixed_key(
    it: FrameIterator, value_decoder: Decoder[V], keys_from: Callable[[Frame], List[K]]
) -> List[Tuple[K, V]]:
    """Keys packed after the values (shape 3); raises ProtocolError if the counts differ."""
    values = decode_list(it, value_decoder)
    keys = keys_from(it.next())
    if len(keys) != len(values):
        raise ProtocolError("malformed entry list: %d keys for %d values" % (len(keys), len(values)))
    return list(zip(keys, values))


def encode_entry_list_uuid_list_integer(frames: List[Frame], pairs: Pairs[Optional[_uuid.UUID], Iterable[int]]) -> None:
    """Append the partition table (shape 3, UUID keys); returns None."""
    encode_entry_list_fixed_key(frames, pairs, encode_list_integer, list_uuid_frame)


def decode_entry_list_uuid_list_integer(it: FrameIterator) -> List[Tuple[Optional[_uuid.UUID], List[int]]]:
    """The partition table: ``[(member_uuid, [partition ids...]), ...]``."""
    values = _decode_list_integer_list(it)
    keys = list_uuid_from(it.next())
    if len(keys) != len(values):
        raise ProtocolError("malformed entry list: %d keys for %d values" % (len(keys), len(values)))
    return list(zip(keys, values))


# The protocol's List_List_Integer items are non-null (see the module docstring).
_decode_list_integer_list = cast(
    Callable[[FrameIterator], List[List[int]]], _single_frame_list_decoder(list_integer_from)
)


def encode_entry_list_long_byte_array(frames: List[Frame], pairs: Pairs[int, bytes]) -> None:
    """Append an EntryList_Long_byteArray (shape 3); returns None."""
    encode_entry_list_fixed_key(frames, pairs, encode_byte_array, long_array_frame)


def decode_entry_list_long_byte_array(it: FrameIterator) -> List[Tuple[int, bytes]]:
    """The EntryList_Long_byteArray at the cursor; raises ProtocolError if malformed."""
    return decode_entry_list_fixed_key(it, decode_byte_array, list_long_from)


# Both key and value fixed-size: one packed frame ``k0 v0 k1 v1 ...`` (shape 1).


class _FixedPairCodec(Generic[K, V]):
    """Packs/unpacks entry lists whose keys and values are Integer, Long or UUID.

    ``K`` and ``V`` (int, or Optional[uuid.UUID]) are the Python types of the names given.
    """

    _CODES = {"Integer": ("i", 4), "Long": ("q", 8), "UUID": ("BQQ", 17)}

    def __init__(self, key_type: str, value_type: str) -> None:
        kcode, ksize = self._CODES[key_type]
        vcode, vsize = self._CODES[value_type]
        self.name = "EntryList_%s_%s" % (key_type, value_type)
        self.key_uuid = key_type == "UUID"
        self.value_uuid = value_type == "UUID"
        self.struct = struct.Struct("<" + kcode + vcode)
        self.size = ksize + vsize

    def frame(self, pairs: Pairs[K, V]) -> Frame:
        """One packed frame of the pairs; raises struct.error for out-of-range values."""
        pack = self.struct.pack
        key_uuid = self.key_uuid
        value_uuid = self.value_uuid
        parts: List[bytes] = []
        # int or Optional[UUID] as the flags say: dynamic for the type checker.
        key: Any
        value: Any
        for key, value in _pairs(pairs):
            args = list(uuid_parts(key)) if key_uuid else [key]
            if value_uuid:
                args.extend(uuid_parts(value))
            else:
                args.append(value)
            parts.append(pack(*args))
        return Frame(b"".join(parts), 0)

    def from_frame(self, frame: Frame) -> List[Tuple[K, V]]:
        """The pairs of a packed frame; raises ProtocolError if malformed."""
        if frame.flags & SPECIAL_FLAGS:
            raise _unexpected(frame, "an %s frame" % self.name)
        content = frame.content
        if len(content) % self.size:
            raise ProtocolError("malformed %s: %d bytes is not a multiple of %d" % (self.name, len(content), self.size))
        rows = self.struct.iter_unpack(content)
        if not self.key_uuid and not self.value_uuid:
            return list(rows)
        out: List[Tuple[K, V]] = []
        key: Any
        value: Any
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


def _fixed_pair_functions(
    codec: _FixedPairCodec[K, V],
) -> Tuple[
    Callable[[Pairs[K, V]], Frame],
    Callable[[Frame], List[Tuple[K, V]]],
    Callable[[List[Frame], Pairs[K, V]], None],
    Callable[[FrameIterator], List[Tuple[K, V]]],
]:
    """``<type>_frame``, ``<type>_from``, ``encode_<type>`` and ``decode_<type>`` of ``codec``."""
    frame_fn = codec.frame
    from_fn = codec.from_frame

    def encode(frames: List[Frame], pairs: Pairs[K, V]) -> None:
        frames.append(frame_fn(pairs))

    def decode(it: FrameIterator) -> List[Tuple[K, V]]:
        return from_fn(it.next())

    return frame_fn, from_fn, encode, decode


_OptionalUUID = Optional[_uuid.UUID]
_INTEGER_INTEGER: _FixedPairCodec[int, int] = _FixedPairCodec("Integer", "Integer")
_INTEGER_LONG: _FixedPairCodec[int, int] = _FixedPairCodec("Integer", "Long")
_INTEGER_UUID: _FixedPairCodec[int, _OptionalUUID] = _FixedPairCodec("Integer", "UUID")
_UUID_LONG: _FixedPairCodec[_OptionalUUID, int] = _FixedPairCodec("UUID", "Long")
_UUID_UUID: _FixedPairCodec[_OptionalUUID, _OptionalUUID] = _FixedPairCodec("UUID", "UUID")
_LONG_LONG: _FixedPairCodec[int, int] = _FixedPairCodec("Long", "Long")

(
    entry_list_integer_integer_frame,
    entry_list_integer_integer_from,
    encode_entry_list_integer_integer,
    decode_entry_list_integer_integer,
) = _fixed_pair_functions(_INTEGER_INTEGER)
(
    entry_list_integer_long_frame,
    entry_list_integer_long_from,
    encode_entry_list_integer_long,
    decode_entry_list_integer_long,
) = _fixed_pair_functions(_INTEGER_LONG)
(
    entry_list_integer_uuid_frame,
    entry_list_integer_uuid_from,
    encode_entry_list_integer_uuid,
    decode_entry_list_integer_uuid,
) = _fixed_pair_functions(_INTEGER_UUID)
(entry_list_uuid_long_frame, entry_list_uuid_long_from, encode_entry_list_uuid_long, decode_entry_list_uuid_long) = (
    _fixed_pair_functions(_UUID_LONG)
)
(entry_list_uuid_uuid_frame, entry_list_uuid_uuid_from, encode_entry_list_uuid_uuid, decode_entry_list_uuid_uuid) = (
    _fixed_pair_functions(_UUID_UUID)
)
(entry_list_long_long_frame, entry_list_long_long_from, encode_entry_list_long_long, decode_entry_list_long_long) = (
    _fixed_pair_functions(_LONG_LONG)
)
