"""Entry lists and maps of built-in types, in the three wire shapes of NOTES.md §5.3.

* both key and value variable-size: ``BEGIN k0 v0 k1 v1 ... END``;
* fixed-size key, variable-size value: ``BEGIN v0 v1 ... END [packed keys]``;
* both fixed-size: one packed frame ``k0 v0 k1 v1 ...``.

``EntryList_K_V`` decodes to a list of ``(key, value)`` tuples, ``Map_K_V`` to a dict.  Part of
:mod:`hzgreen.protocol.builtin`.
"""

from __future__ import annotations

import struct
import uuid as _uuid
from typing import Callable, Iterable, List, Optional, Tuple

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
from hzgreen.protocol.builtin_lists import _begin, _single_frame_list_decoder, decode_list
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


def _pairs(value) -> Iterable:
    items = getattr(value, "items", None)
    return items() if items is not None else value


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
