"""Nullable values and lists of variable-size items: ``BEGIN item-frames... END``.

Generic ``encode_list`` / ``decode_list`` take the item codec; the lists of single-frame items
(List_Data, ListCN_Data, List_String, List_byteArray) have dedicated, faster functions.  Part of
:mod:`hzgreen.protocol.builtin`.
"""

from __future__ import annotations

from typing import Callable, List

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.builtin_frames import (
    byte_array_frame,
    byte_array_from,
    data_frame,
    data_from,
    string_frame,
    string_from,
)
from hzgreen.protocol.frame import (
    BEGIN_DATA_STRUCTURE,
    BEGIN_FRAME,
    END_DATA_STRUCTURE,
    END_FRAME,
    IS_NULL,
    NULL_FRAME,
    Frame,
    FrameIterator,
)


def _begin(it: FrameIterator) -> int:
    """Consume the BEGIN frame at the cursor; return the index after it."""
    i = it.index
    frame = it.frames[i]
    if not frame.flags & BEGIN_DATA_STRUCTURE:
        raise ProtocolError("malformed message: expected a BEGIN_DATA_STRUCTURE frame, got flags 0x%04x"
                            % frame.flags)
    return i + 1


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
