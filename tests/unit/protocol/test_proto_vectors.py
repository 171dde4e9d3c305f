"""Byte-exact vectors from NOTES.md (§9.1 authentication, §10.5 ping, §14.1 Map.get)."""

import uuid

from hzgreen.protocol import ClientMessageReader
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.codecs import map as map_codec


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(" ".join(text.split()))


AUTH_VECTOR = hexbytes("""
    28 00 00 00 00 c0 00 01 00 00 01 00 00 00 00 00 00 00 ff ff ff ff
    00 77 66 55 44 33 22 11 00 ff ee dd cc bb aa 99 88 01
    09 00 00 00 00 00 64 65 76
    06 00 00 00 00 04
    06 00 00 00 00 04
    09 00 00 00 00 00 50 59 48
    0b 00 00 00 00 00 35 2e 33 2e 30
    11 00 00 00 00 00 68 7a 2e 63 6c 69 65 6e 74 5f 30
    06 00 00 00 00 10
    06 00 00 00 00 28
""")

PING_VECTOR = hexbytes("16 00 00 00 00 e0 00 0b 00 00 01 00 00 00 00 00 00 00 ff ff ff ff")

MAP_GET_VECTOR = hexbytes("""
    1e 00 00 00 00 c0 00 02 01 00 02 00 00 00 00 00 00 00 29 00 00 00 01 00 00 00 00 00 00 00
    07 00 00 00 00 00 6d
    13 00 00 00 00 20 00 00 00 00 ff ff ff f5 00 00 00 01 6b
""")

CLIENT_UUID = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")


def auth_request(**optional):
    return client_codec.encode_authentication_request(
        "dev", None, None, CLIENT_UUID, "PYH", 1, "5.3.0", "hz.client_0", [], **optional
    )


def test_authentication_request_2_0_field_set_is_byte_exact():
    # routing_mode / cp_direct_to_leader_routing (protocol 2.8) default to None, which omits
    # them from the initial frame: the message is then exactly the 2.0 form of NOTES §9.1.
    msg = auth_request()
    msg.set_correlation_id(1)
    assert msg.to_bytes() == AUTH_VECTOR
    assert msg.retryable is True
    assert msg.get_partition_id() == -1


def test_authentication_request_with_2_8_fields_appends_to_initial_frame():
    msg = auth_request(routing_mode=1, cp_direct_to_leader_routing=False)
    msg.set_correlation_id(1)
    data = msg.to_bytes()
    # initial frame grows by 2 bytes (routingMode @34, cpDirectToLeaderRouting @35) ...
    assert data[:4] == (0x2A).to_bytes(4, "little")
    assert data[6:40] == AUTH_VECTOR[6:40]
    assert data[40:42] == b"\x01\x00"
    # ... and everything after the initial frame is unchanged
    assert data[42:] == AUTH_VECTOR[40:]
    decoded = client_codec.decode_authentication_request(ClientMessageReader().feed(data)[0])
    assert decoded["routing_mode"] == 1
    assert decoded["cp_direct_to_leader_routing"] is False
    old = client_codec.decode_authentication_request(ClientMessageReader().feed(AUTH_VECTOR)[0])
    assert old["routing_mode"] is None and old["cp_direct_to_leader_routing"] is None
    assert old["uuid"] == CLIENT_UUID and old["cluster_name"] == "dev" and old["labels"] == []


def test_later_optional_field_forces_earlier_default():
    msg = auth_request(cp_direct_to_leader_routing=True)
    content = msg.frames[0].content
    assert len(content) == 36
    assert content[34:36] == b"\x00\x01"


def test_ping_vector():
    msg = client_codec.encode_ping_request()
    msg.set_correlation_id(1)
    assert msg.to_bytes() == PING_VECTOR
    assert client_codec.PING_REQUEST_TYPE == 0x000B00


def test_map_get_vector():
    key = hexbytes("00 00 00 00 ff ff ff f5 00 00 00 01 6b")  # String "k"
    msg = map_codec.encode_get_request("m", key, 1)
    msg.set_correlation_id(2)
    msg.set_partition_id(41)
    assert msg.to_bytes() == MAP_GET_VECTOR
    assert msg.retryable is True
    assert msg.get_message_type() == map_codec.GET_REQUEST_TYPE == 0x010200
    assert msg.get_correlation_id() == 2
    assert msg.get_partition_id() == 41


def test_vectors_parse_back():
    reader = ClientMessageReader()
    msgs = reader.feed(AUTH_VECTOR + PING_VECTOR + MAP_GET_VECTOR)
    assert [m.get_message_type() for m in msgs] == [0x000100, 0x000B00, 0x010200]
    assert [m.get_correlation_id() for m in msgs] == [1, 1, 2]
    get = map_codec.decode_get_request(msgs[2])
    assert get == {"name": "m", "key": hexbytes("00 00 00 00 ff ff ff f5 00 00 00 01 6b"), "thread_id": 1}
