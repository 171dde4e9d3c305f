"""Client messages: a list of frames whose first frame carries the message header.

Request / event initial frame content: message type int32 @0, correlation id int64 @4,
partition id int32 @12, fixed parameters from @16.  Response: message type @0, correlation id
@4, backup-acks count uint8 @12, fixed parameters from @13 (NOTES.md §3).  All little-endian.
"""

from __future__ import annotations

import struct
from typing import Callable, List, Optional, Tuple

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.frame import (
    BACKUP_AWARE,
    BACKUP_EVENT,
    BEGIN_FRAGMENT,
    END_FRAGMENT,
    IS_EVENT,
    IS_FINAL,
    Frame,
    FrameContent,
    FrameIterator,
)

__all__ = [
    "ClientMessage",
    "TYPE_OFFSET",
    "CORRELATION_ID_OFFSET",
    "PARTITION_ID_OFFSET",
    "RESPONSE_BACKUP_ACKS_OFFSET",
    "REQUEST_HEADER_SIZE",
    "RESPONSE_HEADER_SIZE",
    "EVENT_HEADER_SIZE",
    "ERROR_MESSAGE_TYPE",
    "fragment_message",
    "unpack_type_and_correlation_id",
]

TYPE_OFFSET = 0
CORRELATION_ID_OFFSET = 4
PARTITION_ID_OFFSET = 12
RESPONSE_BACKUP_ACKS_OFFSET = 12
FRAGMENTATION_ID_OFFSET = 0
#: Content bytes of the request / response / event headers; the first fixed parameter follows.
REQUEST_HEADER_SIZE = 16
RESPONSE_HEADER_SIZE = 13
EVENT_HEADER_SIZE = 16
#: Message type of an error response (any service).
ERROR_MESSAGE_TYPE = 0

_INT = struct.Struct("<i")
_LONG = struct.Struct("<q")
_UBYTE = struct.Struct("<B")
_FRAME_HEADER = struct.Struct("<iH")
#: Correlation id int64 @4 then partition id int32 @12: a request's routing, packed in one call.
_ROUTING = struct.Struct("<qi")
#: Message type int32 @0 then correlation id int64 @4: what answering a response needs first.
_TYPE_AND_CORRELATION_ID = struct.Struct("<iq")

# Typed views of the struct methods (struct returns Any): one int from an offset of a content.
_unpack_int: Callable[[FrameContent, int], Tuple[int]] = _INT.unpack_from
_unpack_long: Callable[[FrameContent, int], Tuple[int]] = _LONG.unpack_from
_pack_int_into = _INT.pack_into
_pack_long_into = _LONG.pack_into
_pack_header = _FRAME_HEADER.pack
_pack_routing_into = _ROUTING.pack_into

#: ``unpack_type_and_correlation_id(content)``: ``(message type, correlation id)`` read from the
#: content of an initial frame in one call (the response path reads both).
unpack_type_and_correlation_id: Callable[[FrameContent], Tuple[int, int]] = _TYPE_AND_CORRELATION_ID.unpack_from


class ClientMessage:
    """A protocol message.

    ``frames`` is the list of :class:`Frame`; ``frames[0]`` is the initial frame.  ``retryable``
    is a client-side hint set by the generated request encoders from the YAML definitions (a
    retryable request may be re-sent after a connection loss).

    Encoders build initial frames with ``bytearray`` content so that the correlation id and the
    partition id can be patched in place; messages produced by the reader hold ``bytes``.
    """

    def __init__(self, frames: Optional[List[Frame]] = None, retryable: bool = False) -> None:
        self.frames = frames if frames is not None else []
        self.retryable = retryable

    # -- header access --------------------------------------------------------------------

    def get_message_type(self) -> int:
        return _unpack_int(self.frames[0].content, TYPE_OFFSET)[0]

    def get_correlation_id(self) -> int:
        return _unpack_long(self.frames[0].content, CORRELATION_ID_OFFSET)[0]

    def set_correlation_id(self, correlation_id: int) -> None:
        _pack_long_into(self._mutable_initial_content(), CORRELATION_ID_OFFSET, correlation_id)

    def set_routing(self, correlation_id: int, partition_id: int) -> None:
        """Write a request's correlation id and partition id (what :meth:`set_correlation_id`
        and :meth:`set_partition_id` do, in one pack: the request path does both)."""
        first = self.frames[0]
        content = first.content
        if type(content) is not bytearray:
            content = first.content = bytearray(content)
        _pack_routing_into(content, CORRELATION_ID_OFFSET, correlation_id, partition_id)

    def get_partition_id(self) -> int:
        """Partition id of a request or event (not meaningful for responses)."""
        return _unpack_int(self.frames[0].content, PARTITION_ID_OFFSET)[0]

    def set_partition_id(self, partition_id: int) -> None:
        _pack_int_into(self._mutable_initial_content(), PARTITION_ID_OFFSET, partition_id)

    def get_number_of_backup_acks(self) -> int:
        """Backup-acks count (uint8 @12) of a response."""
        return self.frames[0].content[RESPONSE_BACKUP_ACKS_OFFSET]

    def get_fragmentation_id(self) -> int:
        """Fragment id (int64 @0 of the first frame) of a message piece (NOTES.md §2.4)."""
        return _unpack_long(self.frames[0].content, FRAGMENTATION_ID_OFFSET)[0]

    def get_flags(self) -> int:
        return self.frames[0].flags

    def is_event(self) -> bool:
        return bool(self.frames[0].flags & IS_EVENT)

    def is_backup_event(self) -> bool:
        return bool(self.frames[0].flags & BACKUP_EVENT)

    def is_error(self) -> bool:
        """True for an error response (message type 0, not an event)."""
        first = self.frames[0]
        return not first.flags & (IS_EVENT | BACKUP_EVENT) and _unpack_int(first.content, 0)[0] == 0

    def is_backup_aware(self) -> bool:
        return bool(self.frames[0].flags & BACKUP_AWARE)

    def set_backup_aware(self, flag: bool = True) -> None:
        first = self.frames[0]
        if flag:
            first.flags |= BACKUP_AWARE
        else:
            first.flags &= ~BACKUP_AWARE

    def _mutable_initial_content(self) -> bytearray:
        first = self.frames[0]
        content = first.content
        if type(content) is not bytearray:
            content = first.content = bytearray(content)
        return content

    # -- frames ---------------------------------------------------------------------------

    def add_frame(self, frame: Frame) -> None:
        self.frames.append(frame)

    def frame_iterator(self, skip_initial: bool = False) -> FrameIterator:
        """A cursor over the frames (positioned after the initial frame if ``skip_initial``)."""
        return FrameIterator(self.frames, 1 if skip_initial else 0)

    def get_total_length(self) -> int:
        """Wire length of the whole message."""
        return sum(len(f.content) for f in self.frames) + 6 * len(self.frames)

    # -- encoding -------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The wire encoding: every frame as ``int32 length, uint16 flags, payload``.

        IS_FINAL is added to the last frame here (frames themselves do not store it, so that the
        shared special frames stay immutable).  Encoders give the initial frame ``0xC000``.
        """
        frames = self.frames
        last = frames[-1]
        parts: List[FrameContent] = []
        append = parts.append
        for frame in frames[:-1]:
            content = frame.content
            append(_pack_header(len(content) + 6, frame.flags))
            append(content)
        content = last.content
        append(_pack_header(len(content) + 6, last.flags | IS_FINAL))
        append(content)
        return b"".join(parts)

    def copy(self) -> "ClientMessage":
        """A shallow copy for re-sending: same frames, private copy of the initial frame."""
        frames = list(self.frames)
        first = frames[0]
        frames[0] = Frame(bytearray(first.content), first.flags)
        msg = ClientMessage(frames, self.retryable)
        return msg

    # -- misc -----------------------------------------------------------------------------

    def __repr__(self) -> str:
        try:
            header = "type=0x%06x, correlation_id=%d" % (self.get_message_type(), self.get_correlation_id())
        except (IndexError, struct.error):
            header = "no header"
        return "ClientMessage(%s, frames=%d, flags=0x%04x)" % (
            header,
            len(self.frames),
            self.frames[0].flags if self.frames else 0,
        )


def check_initial_frame(msg: ClientMessage) -> None:
    """Raise ProtocolError unless ``msg`` has an initial frame long enough for its header."""
    frames = msg.frames
    if not frames:
        raise ProtocolError("empty message")
    first = frames[0]
    need = EVENT_HEADER_SIZE if first.flags & (IS_EVENT | BACKUP_EVENT) else RESPONSE_HEADER_SIZE
    if len(first.content) < need:
        raise ProtocolError("initial frame too short: %d bytes, header needs %d" % (len(first.content), need))


def fragment_message(msg: ClientMessage, fragment_id: int, frames_per_piece: int) -> List[bytes]:
    """Split ``msg`` into fragment pieces as a member may send them (NOTES.md §2.4).

    Each piece is ``fragmentation frame (8-byte id) + up to frames_per_piece frames``, the last
    frame of every piece flagged IS_FINAL.  Clients never need to fragment what they send; this
    exists for tests and fake peers.
    """
    if frames_per_piece < 1:
        raise ValueError("frames_per_piece must be >= 1")
    frames = msg.frames
    chunks = [frames[i : i + frames_per_piece] for i in range(0, len(frames), frames_per_piece)]
    pieces = []
    fid = _LONG.pack(fragment_id)
    for n, chunk in enumerate(chunks):
        flags = 0
        if n == 0:
            flags |= BEGIN_FRAGMENT
        if n == len(chunks) - 1:
            flags |= END_FRAGMENT
        piece = ClientMessage([Frame(fid, flags)] + chunk)
        pieces.append(piece.to_bytes())
    return pieces
