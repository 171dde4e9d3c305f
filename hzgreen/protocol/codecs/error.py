"""Error responses (message type 0) -- NOTES.md §8.

An error response is a response-shaped message whose only parameter is a
``List_ErrorHolder``: element 0 is the exception thrown on the member, each following element
is the cause of the previous one.
"""

from __future__ import annotations

import struct
from typing import List, Optional, Sequence

from hzgreen.exceptions import HazelcastServerError, ProtocolError, error_from_code
from hzgreen.protocol import builtin as _b
from hzgreen.protocol import custom as _c
from hzgreen.protocol.custom import ErrorHolder, StackTraceElement
from hzgreen.protocol.frame import UNFRAGMENTED_MESSAGE, Frame, FrameIterator
from hzgreen.protocol.message import ClientMessage

__all__ = [
    "ERROR_MESSAGE_TYPE", "decode_error", "error_to_exception", "holders_to_exception", "format_stack_trace",
    "encode_error", "ErrorHolder", "StackTraceElement",
]

ERROR_MESSAGE_TYPE = 0
_RESPONSE_HEADER = struct.Struct("<iqB")


def decode_error(msg: ClientMessage) -> List[ErrorHolder]:
    """The exception chain carried by an error response, outermost first."""
    try:
        it = FrameIterator(msg.frames, 1)
        holders = _b.decode_list(it, _c.decode_error_holder)
    except ProtocolError:
        raise
    except _b.DECODE_ERRORS as e:
        raise _b.malformed("error response", e) from None
    return [h for h in holders if h is not None]


def format_stack_trace(elements: Optional[Sequence[StackTraceElement]]) -> str:
    """Java-style ``\\tat class.method(file:line)`` lines."""
    lines = []
    for e in elements or ():
        if e.line_number == -2:
            where = "Native Method"
        elif e.file_name is None:
            where = "Unknown Source"
        elif e.line_number >= 0:
            where = "%s:%d" % (e.file_name, e.line_number)
        else:
            where = e.file_name
        lines.append("\tat %s.%s(%s)" % (e.class_name, e.method_name, where))
    return "\n".join(lines)


def holders_to_exception(holders: Sequence[ErrorHolder]) -> HazelcastServerError:
    """Build the exception for ``holders[0]``, with ``cause`` chained through the rest."""
    if not holders:
        return HazelcastServerError("error response without any error", None, 0)
    cause: Optional[HazelcastServerError] = None
    for holder in reversed(holders):
        cause = error_from_code(holder.error_code, holder.class_name, holder.message, cause=cause,
                                stack_trace=format_stack_trace(holder.stack_trace_elements))
    assert cause is not None  # holders is not empty
    return cause


def error_to_exception(msg: ClientMessage) -> HazelcastServerError:
    """Decode an error response into the named :class:`HazelcastServerError` subclass."""
    return holders_to_exception(decode_error(msg))


def encode_error(holders: Sequence[ErrorHolder], correlation_id: int = 0) -> ClientMessage:
    """An error response (as a member would send it); for tests and fake peers."""
    frames = [Frame(bytearray(_RESPONSE_HEADER.pack(ERROR_MESSAGE_TYPE, correlation_id, 0)), UNFRAGMENTED_MESSAGE)]
    _b.encode_list(frames, holders, _c.encode_error_holder)
    return ClientMessage(frames)
