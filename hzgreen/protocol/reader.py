"""Incremental, sans-IO reader: bytes in, whole :class:`ClientMessage` objects out.

Usage::

    reader = ClientMessageReader(max_frame_size=...)
    for msg in reader.feed(chunk):        # any chunk size, even one byte
        dispatch(msg)

:meth:`ClientMessageReader.feed` returns the list of messages completed by that chunk (often
empty).  Fragmented messages (NOTES.md §2.4) are reassembled; pieces of different messages may
interleave.  Any violation of the framing raises :class:`hzgreen.exceptions.ProtocolError`; the
reader is then poisoned and every later ``feed`` raises again (drop the connection).

Memory is never allocated from an untrusted length: a frame header claiming more than the
limits is rejected as soon as its 6 header bytes have arrived.
"""

from __future__ import annotations

import struct
from typing import Dict, List, NoReturn, Optional, Union

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.frame import (
    BACKUP_EVENT,
    BEGIN_DATA_STRUCTURE,
    BEGIN_FRAGMENT,
    END_FRAGMENT,
    IS_EVENT,
    IS_FINAL,
    SPECIAL_FLAGS,
    Frame,
)
from hzgreen.protocol.message import EVENT_HEADER_SIZE, RESPONSE_HEADER_SIZE, ClientMessage

__all__ = ["ClientMessageReader", "DEFAULT_MAX_FRAME_SIZE", "DEFAULT_MAX_FRAGMENTS"]

DEFAULT_MAX_FRAME_SIZE = 128 * 1024 * 1024
DEFAULT_MAX_FRAGMENTS = 1024

_HEADER = struct.Struct("<iH")
_LONG = struct.Struct("<q")
_FRAGMENT_BITS = BEGIN_FRAGMENT | END_FRAGMENT
_FRAGMENTATION_FRAME_LENGTH = 6 + 8
_EVENT_FLAGS = IS_EVENT | BACKUP_EVENT
# Buffered input above this size is parsed through a memoryview (one copy per payload instead
# of two); below it, one bytes() copy of the buffer makes the per-frame slicing cheaper.
_VIEW_THRESHOLD = 256 * 1024


class _Reassembly:
    __slots__ = ("frames", "size")

    def __init__(self) -> None:
        self.frames: List[Frame] = []
        self.size = 0


class ClientMessageReader:
    """Turns a byte stream into client messages.

    :param max_frame_size: upper bound (bytes, headers included) for a single frame and for the
        total size of one message (all its frames, or all pieces of a fragmented message).
    :param max_fragments: how many fragmented messages may be under reassembly at once.
    :param max_pending_bytes: bound on the bytes held by all reassemblies together
        (default ``2 * max_frame_size``).
    """

    def __init__(
        self,
        max_frame_size: int = DEFAULT_MAX_FRAME_SIZE,
        max_fragments: int = DEFAULT_MAX_FRAGMENTS,
        max_pending_bytes: Optional[int] = None,
    ) -> None:
        if max_frame_size < RESPONSE_HEADER_SIZE + 6:
            raise ValueError("max_frame_size too small: %r" % (max_frame_size,))
        self.max_frame_size = max_frame_size
        self.max_fragments = max_fragments
        self.max_pending_bytes = 2 * max_frame_size if max_pending_bytes is None else max_pending_bytes
        self._buf = bytearray()  # bytes not parsed yet (always a partial frame)
        self._need = 6  # bytes _buf must hold before parsing can progress
        self._frames: List[Frame] = []  # frames of the message / piece being read
        self._room = max_frame_size  # bytes the current message / piece may still take
        self._piece: Optional[_Reassembly] = None  # reassembly the current piece belongs to
        self._piece_id = 0
        self._piece_kind = 0  # 0 unfragmented, 1 first piece, 2 middle, 3 last
        self._fragments: Dict[int, _Reassembly] = {}
        self._pending = 0  # bytes held by self._fragments
        self._error: Optional[str] = None

    # -- public ---------------------------------------------------------------------------

    @property
    def error(self) -> Optional[str]:
        """The message of the ProtocolError that poisoned the reader, or None."""
        return self._error

    @property
    def buffered_bytes(self) -> int:
        """Bytes held in the input buffer (an incomplete frame)."""
        return len(self._buf)

    @property
    def reassemblies(self) -> int:
        """Number of fragmented messages currently under reassembly."""
        return len(self._fragments)

    def feed(self, data: Union[bytes, bytearray, memoryview]) -> List[ClientMessage]:
        """Consume ``data`` (bytes-like); return the messages it completed, in order.

        Raises ProtocolError on a framing violation (and on every call after one).
        """
        if self._error is not None:
            raise ProtocolError("reader unusable after an earlier protocol error: " + self._error)
        n = len(data)
        if not n:
            return []
        buf = self._buf
        if buf:
            buf += data
            if len(buf) < self._need:
                return []
            if len(buf) > _VIEW_THRESHOLD:
                # big frame(s): slice through a memoryview so the payload is copied only once
                return self._feed_view()
            src = bytes(buf)
            buf.clear()
        elif n < self._need:
            buf += data
            return []
        else:
            src = data if type(data) is bytes else bytes(data)
        out: List[ClientMessage] = []
        try:
            pos = self._parse(src, len(src), out, False)
        except ProtocolError as e:
            self._poison(str(e))
            raise
        if pos < len(src):
            buf += memoryview(src)[pos:]
        return out

    def _feed_view(self) -> List[ClientMessage]:
        buf = self._buf
        out: List[ClientMessage] = []
        mv = memoryview(buf)
        try:
            pos = self._parse(mv, len(buf), out, True)
        except ProtocolError as e:
            mv.release()
            self._poison(str(e))
            raise
        mv.release()
        del buf[:pos]
        return out

    # -- internals ------------------------------------------------------------------------

    def _fail(self, text: str) -> NoReturn:
        raise ProtocolError(text)

    def _poison(self, text: str) -> None:
        self._error = text
        self._buf = bytearray()
        self._frames = []
        self._fragments = {}
        self._pending = 0
        self._piece = None

    def _parse(self, src: Union[bytes, memoryview], end: int, out: List[ClientMessage], view: bool) -> int:
        """Cut frames from ``src[0:end]``; ``view`` = src is a memoryview (copy slices out).

        Returns the position of the first byte not parsed (the start of an incomplete frame).
        The loop does per frame only what every frame needs; what is rare (special frames,
        fragments, bad lengths) is in other methods.
        """
        unpack = _HEADER.unpack_from
        max_frame = self.max_frame_size
        frames = self._frames
        room = self._room
        pos = 0
        try:
            while True:
                if end - pos < 6:
                    self._need = 6
                    return pos
                length, flags = unpack(src, pos)
                if length > room or length < 6:
                    self._bad_length(length, room)
                after = pos + length
                if after > end:
                    self._need = length
                    return pos
                special = flags & SPECIAL_FLAGS
                # valid: no special bit, BEGIN (payload allowed), or one of END / NULL without payload
                if special and special != BEGIN_DATA_STRUCTURE and (length != 6 or special & (special - 1)):
                    self._bad_special(flags, special, length)
                if view:
                    # mypy cannot tie ``view`` to the type of src: a memoryview here, bytes otherwise
                    frame = Frame(src[pos + 6 : after].tobytes(), flags)  # type: ignore[union-attr]
                else:
                    frame = Frame(src[pos + 6 : after], flags)  # type: ignore[arg-type]  # bytes (see above)
                pos = after
                if frames:
                    room -= length
                elif flags & _FRAGMENT_BITS == _FRAGMENT_BITS and not special:
                    # initial frame of an ordinary (unfragmented) message: the fast path
                    self._piece_kind = 0
                    room = max_frame - length
                else:
                    room = self._start(frame, length)
                frames.append(frame)
                if not flags & IS_FINAL:
                    continue
                # IS_FINAL: the message (or piece) is complete
                if self._piece_kind == 0:
                    first = frames[0]
                    if len(first.content) < (16 if first.flags & _EVENT_FLAGS else 13):
                        self._complete(frames)  # raises with a clear message
                    out.append(ClientMessage(frames))
                else:
                    msg = self._finish(frames)
                    if msg is not None:
                        out.append(msg)
                frames = self._frames = []
                room = max_frame
        finally:
            self._room = room

    def _bad_length(self, length: int, room: int) -> NoReturn:
        if length < 6:
            self._fail("invalid frame length %d (minimum is 6)" % length)
        if length > self.max_frame_size:
            self._fail("frame length %d exceeds the maximum frame size %d" % (length, self.max_frame_size))
        self._fail(
            "message too large: a frame of %d bytes exceeds the %d bytes left under the message "
            "size limit" % (length, room)
        )

    def _bad_special(self, flags: int, special: int, length: int) -> NoReturn:
        """Raise the ProtocolError for a special frame that ``_parse`` found invalid."""
        if special & (special - 1):
            self._fail("invalid frame flags 0x%04x: conflicting NULL/BEGIN/END bits" % flags)
        self._fail("invalid frame: NULL/END frame with a %d-byte payload" % (length - 6))

    def _start(self, frame: Frame, length: int) -> int:
        """First frame of a message or piece: classify it; return the room left for the rest."""
        flags = frame.flags
        if flags & SPECIAL_FLAGS:
            self._fail("invalid initial frame flags 0x%04x" % flags)
        bits = flags & _FRAGMENT_BITS
        if bits == _FRAGMENT_BITS:
            self._piece = None
            self._piece_kind = 0
            return self.max_frame_size - length
        if length != _FRAGMENTATION_FRAME_LENGTH:
            self._fail("invalid fragmentation frame: payload of %d bytes, expected 8" % (length - 6))
        fragment_id = _LONG.unpack_from(frame.content, 0)[0]
        fragments = self._fragments
        if bits == BEGIN_FRAGMENT:
            if fragment_id in fragments:
                self._fail("duplicate first fragment for fragment id %d" % fragment_id)
            if len(fragments) >= self.max_fragments:
                self._fail("too many concurrent fragmented messages (limit %d)" % self.max_fragments)
            piece = _Reassembly()
            self._piece_kind = 1
        else:
            found = fragments.get(fragment_id)
            if found is None:
                self._fail("fragment for unknown fragment id %d" % fragment_id)
            piece = found
            self._piece_kind = 3 if bits == END_FRAGMENT else 2
        self._piece = piece
        self._piece_id = fragment_id
        return min(self.max_frame_size - piece.size, self.max_pending_bytes - self._pending) - length

    def _finish(self, frames: List[Frame]) -> Optional[ClientMessage]:
        kind = self._piece_kind
        piece = self._piece
        assert piece is not None  # _start set it for every fragment piece
        self._piece = None
        size = sum(len(f.content) for f in frames) + 6 * len(frames)
        body = frames[1:]
        fragments = self._fragments
        if kind == 1:
            if not body:
                self._fail("first fragment of fragment id %d carries no frame" % self._piece_id)
            piece.frames = body
            piece.size = size
            fragments[self._piece_id] = piece
            self._pending += size
            return None
        piece.frames.extend(body)
        piece.size += size
        self._pending += size
        if kind == 2:
            return None
        del fragments[self._piece_id]
        self._pending -= piece.size
        frames = piece.frames
        # Every piece ended with an IS_FINAL frame; keep the bit only on the real last frame.
        for frame in frames:
            frame.flags &= ~IS_FINAL
        frames[-1].flags |= IS_FINAL
        return self._complete(frames)

    def _complete(self, frames: List[Frame]) -> ClientMessage:
        first = frames[0]
        need = EVENT_HEADER_SIZE if first.flags & (IS_EVENT | BACKUP_EVENT) else RESPONSE_HEADER_SIZE
        if len(first.content) < need:
            self._fail("initial frame too short: %d bytes, the header needs %d" % (len(first.content), need))
        return ClientMessage(frames)
