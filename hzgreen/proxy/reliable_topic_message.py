"""The envelope a reliable topic stores in its ringbuffer (the member's ``ReliableTopicMessage``).

An IdentifiedDataSerializable of the member's topic factory (-9, class 2): the publish
time (int64 milliseconds), the publisher's address (a nested object: None when a client
published, a member ``Address`` when a member did) and the payload as a serialized blob.
Writing goes through the serialization service like any IdentifiedDataSerializable;
reading is done here, so no factory has to be registered for it.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.input import ObjectDataInput

if TYPE_CHECKING:
    from hzgreen.serialization.output import ObjectDataOutput

TOPIC_FACTORY_ID = -9
RELIABLE_TOPIC_MESSAGE_CLASS_ID = 2
#: The member's ``Address``: cluster factory 0, class 1.
ADDRESS_FACTORY_ID = 0
ADDRESS_CLASS_ID = 1

_IDENTIFIED_TYPE_ID = -2
_NULL_TYPE_ID = 0
_IDENTIFIED = 0x01
_VERSIONED = 0x02
_DATA_HEADER = 8  # partition hash + type id
_type_id_at = struct.Struct(">i").unpack_from


class OutgoingMessage:
    """A message being published: ``publish_time`` in ms and the ``payload`` already serialized."""

    __slots__ = ("publish_time", "payload")

    def __init__(self, publish_time: int, payload: bytes) -> None:
        self.publish_time = publish_time
        self.payload = payload

    def get_factory_id(self) -> int:
        """Returns the factory id of the member's ReliableTopicMessage. Raises nothing."""
        return TOPIC_FACTORY_ID

    def get_class_id(self) -> int:
        """Returns the class id of the member's ReliableTopicMessage. Raises nothing."""
        return RELIABLE_TOPIC_MESSAGE_CLASS_ID

    def write_data(self, object_data_output: ObjectDataOutput) -> None:
        """Write the member's field order; returns None."""
        object_data_output.write_long(self.publish_time)
        object_data_output.write_object(None)
        object_data_output.write_byte_array(self.payload)

    def read_data(self, object_data_input: ObjectDataInput) -> None:
        """Not used: stored messages are read by :func:`read_message`; raises HzSerializationError."""
        raise HzSerializationError("a reliable topic message is read with read_message")


def _identified_header(inp: ObjectDataInput) -> Tuple[int, int]:
    """Read an IdentifiedDataSerializable header; returns (factory id, class id)."""
    header = inp.read_byte()
    if not header & _IDENTIFIED:
        raise HzSerializationError("expected an IdentifiedDataSerializable, got a Java DataSerializable")
    factory_id = inp.read_int()
    class_id = inp.read_int()
    if header & _VERSIONED:
        inp.skip_bytes(2)
    return factory_id, class_id


def _read_address(inp: ObjectDataInput) -> Optional[Tuple[str, int]]:
    """The publisher address nested in a message: None, or (host, port)."""
    type_id = inp.read_int()
    if type_id == _NULL_TYPE_ID:
        return None
    if type_id != _IDENTIFIED_TYPE_ID or _identified_header(inp) != (ADDRESS_FACTORY_ID, ADDRESS_CLASS_ID):
        raise HzSerializationError("unexpected publisher address in a reliable topic message (type id %d)" % type_id)
    port = inp.read_int()
    inp.read_byte()  # the address type (IPv4 / IPv6)
    host = inp.read_string()
    return (host or "", port)


def read_message(
    data: bytes, to_object: Callable[[Optional[bytes]], Any]
) -> Tuple[float, Optional[Tuple[str, int]], Any]:
    """Decode one stored message; returns (publish time in UNIX seconds, publisher (host, port) or None, payload).

    The payload is deserialized with ``to_object``. Raises HzSerializationError for a
    blob that is not a reliable topic message.
    """
    if len(data) < _DATA_HEADER or _type_id_at(data, 4)[0] != _IDENTIFIED_TYPE_ID:
        raise HzSerializationError("a reliable topic's ringbuffer holds something other than topic messages")
    inp = ObjectDataInput(data, _DATA_HEADER)
    if _identified_header(inp) != (TOPIC_FACTORY_ID, RELIABLE_TOPIC_MESSAGE_CLASS_ID):
        raise HzSerializationError("a reliable topic's ringbuffer holds something other than topic messages")
    publish_time = inp.read_long() / 1000.0
    publisher = _read_address(inp)
    payload = inp.read_byte_array()
    return publish_time, publisher, to_object(payload)
