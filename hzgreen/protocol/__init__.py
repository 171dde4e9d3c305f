"""Sans-IO implementation of the Hazelcast Open Client Protocol 2.x.

Bytes in, messages out: nothing here touches sockets, threads or clocks.

* :mod:`hzgreen.protocol.frame` -- flags, :class:`Frame`, :class:`FrameIterator`;
* :mod:`hzgreen.protocol.message` -- :class:`ClientMessage`;
* :mod:`hzgreen.protocol.reader` -- :class:`ClientMessageReader` (incremental decoder);
* :mod:`hzgreen.protocol.builtin` -- codecs of the built-in types;
* :mod:`hzgreen.protocol.custom` -- custom types (generated);
* :mod:`hzgreen.protocol.codecs` -- one generated module per service, plus ``codecs.error``.
"""

from hzgreen.protocol.frame import (
    BACKUP_AWARE,
    BACKUP_EVENT,
    BEGIN_DATA_STRUCTURE,
    BEGIN_FRAGMENT,
    END_DATA_STRUCTURE,
    END_FRAGMENT,
    IS_EVENT,
    IS_FINAL,
    IS_NULL,
    UNFRAGMENTED_MESSAGE,
    Frame,
    FrameIterator,
)
from hzgreen.protocol.message import ERROR_MESSAGE_TYPE, ClientMessage
from hzgreen.protocol.reader import ClientMessageReader

#: Bytes a client writes once on every new connection, before its first message.
PROTOCOL_PREAMBLE = b"CP2"

__all__ = [
    "BACKUP_AWARE",
    "BACKUP_EVENT",
    "BEGIN_DATA_STRUCTURE",
    "BEGIN_FRAGMENT",
    "END_DATA_STRUCTURE",
    "END_FRAGMENT",
    "IS_EVENT",
    "IS_FINAL",
    "IS_NULL",
    "UNFRAGMENTED_MESSAGE",
    "ERROR_MESSAGE_TYPE",
    "PROTOCOL_PREAMBLE",
    "Frame",
    "FrameIterator",
    "ClientMessage",
    "ClientMessageReader",
]
