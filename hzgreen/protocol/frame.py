"""Frames of the Open Client Protocol 2.x and a cursor to walk them.

A frame on the wire is ``int32 LE length (6 + len(payload))``, ``uint16 LE flags`` and the
payload.  In memory a :class:`Frame` keeps only the payload (``content``) and the flags; the
length is implied.  See NOTES.md §2.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Union

from hzgreen.exceptions import ProtocolError

__all__ = [
    "BEGIN_FRAGMENT",
    "END_FRAGMENT",
    "IS_FINAL",
    "BEGIN_DATA_STRUCTURE",
    "END_DATA_STRUCTURE",
    "IS_NULL",
    "IS_EVENT",
    "BACKUP_AWARE",
    "BACKUP_EVENT",
    "UNFRAGMENTED_MESSAGE",
    "FRAME_HEADER_SIZE",
    "Frame",
    "FrameIterator",
    "NULL_FRAME",
    "BEGIN_FRAME",
    "END_FRAME",
    "SPECIAL_FLAGS",
    "FrameContent",
]

# Flag bits (uint16) -- NOTES.md §2.2
BEGIN_FRAGMENT = 0x8000
END_FRAGMENT = 0x4000
IS_FINAL = 0x2000
BEGIN_DATA_STRUCTURE = 0x1000
END_DATA_STRUCTURE = 0x0800
IS_NULL = 0x0400
IS_EVENT = 0x0200
BACKUP_AWARE = 0x0100
BACKUP_EVENT = 0x0080

#: Flags of the initial frame of a message that is not fragmented.
UNFRAGMENTED_MESSAGE = BEGIN_FRAGMENT | END_FRAGMENT
#: Bytes of the frame header (length int32 + flags uint16).
FRAME_HEADER_SIZE = 6

#: The flags that mark the three special (empty) frames.
SPECIAL_FLAGS = BEGIN_DATA_STRUCTURE | END_DATA_STRUCTURE | IS_NULL

#: What a frame holds: ``bytes`` as read, ``bytearray`` for initial frames built by encoders.
FrameContent = Union[bytes, bytearray]


class Frame:
    """One frame: ``content`` (bytes or bytearray payload) and ``flags`` (int)."""

    __slots__ = ("content", "flags")

    def __init__(self, content: FrameContent = b"", flags: int = 0) -> None:
        self.content = content
        self.flags = flags

    def is_null(self) -> bool:
        return bool(self.flags & IS_NULL)

    def is_begin(self) -> bool:
        return bool(self.flags & BEGIN_DATA_STRUCTURE)

    def is_end(self) -> bool:
        return bool(self.flags & END_DATA_STRUCTURE)

    def copy(self) -> "Frame":
        """A frame with a private (mutable) copy of the content."""
        return Frame(bytearray(self.content), self.flags)

    def __len__(self) -> int:
        """Wire length of the frame (header included)."""
        return len(self.content) + FRAME_HEADER_SIZE

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frame):
            return NotImplemented
        return self.flags == other.flags and bytes(self.content) == bytes(other.content)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        content = bytes(self.content)
        shown = content[:32].hex()
        if len(content) > 32:
            shown += "..."
        return "Frame(flags=0x%04x, len=%d, content=%s)" % (self.flags, len(content), shown)


# Shared immutable special frames.  Never mutate their flags: they are reused by every encoder
# (the IS_FINAL bit of the last frame is added while serializing, not stored).
NULL_FRAME = Frame(b"", IS_NULL)
BEGIN_FRAME = Frame(b"", BEGIN_DATA_STRUCTURE)
END_FRAME = Frame(b"", END_DATA_STRUCTURE)


class FrameIterator:
    """A forward cursor over the frames of a message, used by the decoders.

    ``frames`` is the frame list and ``index`` the position of the next frame; decoders on hot
    paths read both directly.  Running off the end raises :class:`ProtocolError`.
    """

    __slots__ = ("frames", "index")

    def __init__(self, frames: List[Frame], index: int = 0) -> None:
        self.frames = frames
        self.index = index

    def has_next(self) -> bool:
        return self.index < len(self.frames)

    def next(self) -> Frame:
        """Return the next frame and advance."""
        i = self.index
        try:
            frame = self.frames[i]
        except IndexError:
            raise ProtocolError("message truncated: expected a frame at position %d" % i) from None
        self.index = i + 1
        return frame

    __next__ = next

    def __iter__(self) -> Iterator[Frame]:
        return self

    def peek_next(self) -> Optional[Frame]:
        """The next frame without advancing, or None at the end."""
        i = self.index
        frames = self.frames
        return frames[i] if i < len(frames) else None

    def next_is_null(self) -> bool:
        """True if the next frame is a NULL frame (does not advance)."""
        i = self.index
        frames = self.frames
        return i < len(frames) and bool(frames[i].flags & IS_NULL)

    def next_is_end(self) -> bool:
        """True if the next frame is an END_DATA_STRUCTURE frame (does not advance)."""
        i = self.index
        frames = self.frames
        return i < len(frames) and bool(frames[i].flags & END_DATA_STRUCTURE)

    def skip_null(self) -> bool:
        """Consume the next frame if it is a NULL frame; return whether it was."""
        i = self.index
        frames = self.frames
        if i < len(frames) and frames[i].flags & IS_NULL:
            self.index = i + 1
            return True
        return False

    def next_begin(self) -> None:
        """Consume a BEGIN_DATA_STRUCTURE frame, or raise ProtocolError."""
        frame = self.next()
        if not frame.flags & BEGIN_DATA_STRUCTURE:
            raise ProtocolError(
                "malformed message: expected a BEGIN_DATA_STRUCTURE frame at position %d, "
                "got flags 0x%04x" % (self.index - 1, frame.flags)
            )

    def next_end(self) -> None:
        """Consume an END_DATA_STRUCTURE frame, or raise ProtocolError."""
        frame = self.next()
        if not frame.flags & END_DATA_STRUCTURE:
            raise ProtocolError(
                "malformed message: expected an END_DATA_STRUCTURE frame at position %d, "
                "got flags 0x%04x" % (self.index - 1, frame.flags)
            )

    def skip_to_end_frame(self) -> None:
        """Consume frames up to and including the END frame that closes the current structure.

        Nested BEGIN/END pairs are counted, so unknown trailing fields (possibly structures
        themselves) written by a newer peer are skipped.
        """
        frames = self.frames
        i = self.index
        n = len(frames)
        depth = 1
        while i < n:
            flags = frames[i].flags
            i += 1
            if flags & END_DATA_STRUCTURE:
                depth -= 1
                if depth == 0:
                    self.index = i
                    return
            elif flags & BEGIN_DATA_STRUCTURE:
                depth += 1
        self.index = i
        raise ProtocolError("malformed message: data structure not closed by an END_DATA_STRUCTURE frame")
