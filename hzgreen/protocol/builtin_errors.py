"""Decoding failures of built-in types: which exceptions mean malformed input, and the
:class:`ProtocolError` raised for them.  Part of :mod:`hzgreen.protocol.builtin`.
"""

from __future__ import annotations

import struct

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.frame import BEGIN_DATA_STRUCTURE, IS_NULL, Frame

#: Exceptions that mean "malformed input" while decoding.
DECODE_ERRORS = (
    struct.error,
    IndexError,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    UnicodeDecodeError,
    OverflowError,
)


def malformed(what: str, error: BaseException) -> ProtocolError:
    """A ProtocolError for a decoding failure of ``what``."""
    return ProtocolError("malformed %s: %s: %s" % (what, type(error).__name__, error))


def _unexpected(frame: Frame, what: str) -> ProtocolError:
    if frame.flags & IS_NULL:
        kind = "a NULL frame"
    elif frame.flags & BEGIN_DATA_STRUCTURE:
        kind = "a BEGIN_DATA_STRUCTURE frame"
    else:
        kind = "an END_DATA_STRUCTURE frame"
    return ProtocolError("malformed message: expected %s, got %s" % (what, kind))


def unexpected_null(frame: Frame, what: str) -> ProtocolError:
    """The ProtocolError for a special (NULL/BEGIN/END) ``frame`` where ``what`` was expected."""
    return _unexpected(frame, what)
