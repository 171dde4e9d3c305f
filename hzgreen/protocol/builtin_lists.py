"""Nullable values and lists of variable-size items: ``BEGIN item-frames... END``.

Generic ``encode_list`` / ``decode_list`` take the item codec; the lists of single-frame items
(List_Data, ListCN_Data, List_String, List_byteArray) have dedicated, faster functions.  Part of
:mod:`hzgreen.protocol.builtin`.

Decoding is lenient: a NULL item decodes to None in any list, also in the ``List_X`` types whose
items the protocol declares non-null.  The static types state the protocol: ``decode_list`` and
``decode_list_data`` return ``List[T]``, their ``ListCN`` twins (the same functions at run time)
``List[Optional[T]]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, List, Optional, TypeVar, cast

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

T = TypeVar("T")
#: An item encoder: appends the frames of one value.
Encoder = Callable[[List[Frame], T], None]
#: An item decoder: reads one value at the cursor.
Decoder = Callable[[FrameIterator], T]


def _begin(it: FrameIterator) -> int:
    """Consume the BEGIN frame at the cursor; return the index after it."""
    i = it.index
    frame = it.frames[i]
    if not frame.flags & BEGIN_DATA_STRUCTURE:
        raise ProtocolError("malformed message: expected a BEGIN_DATA_STRUCTURE frame, got flags 0x%04x" % frame.flags)
    return i + 1


# -- nullable wrapper ----------------------------------------------------------------------


def encode_nullable(frames: List[Frame], value: Optional[T], encoder: Encoder[T]) -> None:
    """Append a NULL frame for None, else the frames ``encoder`` writes; returns None."""
    if value is None:
        frames.append(NULL_FRAME)
    else:
        encoder(frames, value)


def decode_nullable(it: FrameIterator, decoder: Decoder[T]) -> Optional[T]:
    """None for a NULL frame at the cursor (consumed), else what ``decoder`` reads."""
    i = it.index
    if it.frames[i].flags & IS_NULL:
        it.index = i + 1
        return None
    return decoder(it)


# -- lists of variable-size items ----------------------------------------------------------


def encode_list(frames: List[Frame], values: Iterable[T], encoder: Encoder[T]) -> None:
    """``BEGIN item-frames... END``."""
    frames.append(BEGIN_FRAME)
    for value in values:
        encoder(frames, value)
    frames.append(END_FRAME)


def encode_list_cn(frames: List[Frame], values: Iterable[Optional[T]], encoder: Encoder[T]) -> None:
    """Like :func:`encode_list`; a None item becomes a NULL frame."""
    frames.append(BEGIN_FRAME)
    for value in values:
        if value is None:
            frames.append(NULL_FRAME)
        else:
            encoder(frames, value)
    frames.append(END_FRAME)


def decode_list_cn(it: FrameIterator, decoder: Decoder[T]) -> List[Optional[T]]:
    """Items up to the END frame, a NULL item as None; raises ProtocolError or IndexError if malformed."""
    it.index = _begin(it)
    frames = it.frames
    out: List[Optional[T]] = []
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


if TYPE_CHECKING:

    def decode_list(it: FrameIterator, decoder: Decoder[T]) -> List[T]:
        """Items of a ``List_X`` up to the END frame; raises ProtocolError or IndexError if malformed.

        :func:`decode_list_cn` at run time: a NULL item (which the protocol rules out here)
        still decodes to None.
        """
else:
    decode_list = decode_list_cn


def _single_frame_list_decoder(item_from: Callable[[Frame], T]) -> Callable[[FrameIterator], List[Optional[T]]]:
    """A list decoder reading one frame per item with ``item_from`` (NULL items as None)."""

    def decode(it: FrameIterator) -> List[Optional[T]]:
        i = _begin(it)
        frames = it.frames
        out: List[Optional[T]] = []
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


def _single_frame_list_encoder(
    item_frame: Callable[[T], Frame],
) -> Callable[[List[Frame], Iterable[Optional[T]]], None]:
    """A list encoder writing one frame per item with ``item_frame`` (None items as NULL frames)."""

    def encode(frames: List[Frame], values: Iterable[Optional[T]]) -> None:
        frames.append(BEGIN_FRAME)
        for value in values:
            frames.append(NULL_FRAME if value is None else item_frame(value))
        frames.append(END_FRAME)

    return encode


# The casts state the protocol's non-null items of List_Data / List_String / List_byteArray (see
# the module docstring); ListCN_Data keeps the honest Optional items.
decode_list_cn_data = _single_frame_list_decoder(data_from)
decode_list_data = cast(Callable[[FrameIterator], List[bytes]], decode_list_cn_data)
decode_list_string = cast(Callable[[FrameIterator], List[str]], _single_frame_list_decoder(string_from))
decode_list_byte_array = cast(Callable[[FrameIterator], List[bytes]], _single_frame_list_decoder(byte_array_from))
encode_list_data = _single_frame_list_encoder(data_frame)
encode_list_cn_data = encode_list_data
encode_list_string = _single_frame_list_encoder(string_frame)
encode_list_byte_array = _single_frame_list_encoder(byte_array_frame)
