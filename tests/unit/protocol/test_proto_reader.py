"""ClientMessageReader: chunking, fragments and hostile input."""

import random
import struct
import uuid

import pytest

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol import ClientMessage, ClientMessageReader, Frame
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.protocol.frame import (
    BEGIN_DATA_STRUCTURE,
    BEGIN_FRAGMENT,
    END_DATA_STRUCTURE,
    END_FRAGMENT,
    IS_EVENT,
    IS_FINAL,
    IS_NULL,
)
from hzgreen.protocol.message import fragment_message

HEADER = struct.Struct("<iH")


def frame_bytes(payload: bytes, flags: int) -> bytes:
    return HEADER.pack(len(payload) + 6, flags) + payload


def sample_messages(n=5):
    out = []
    for i in range(n):
        m = map_codec.encode_put_request("map-%d" % i, b"k" * (i + 1), b"v" * (100 * i), i, -1)
        m.set_correlation_id(1000 + i)
        m.set_partition_id(i)
        out.append(m)
    ev = map_codec.encode_add_entry_listener_entry_event(b"key", None, b"old", None, 1, uuid.uuid4(), 1)
    ev.set_correlation_id(77)
    out.append(ev)
    return out


def assert_same(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.to_bytes() == e.to_bytes()


def test_whole_message():
    msg = sample_messages(1)[0]
    out = ClientMessageReader().feed(msg.to_bytes())
    assert_same(out, [msg])
    assert out[0].get_correlation_id() == 1000
    assert isinstance(out[0].frames[1].content, bytes)


def test_one_byte_at_a_time():
    msgs = sample_messages()
    data = b"".join(m.to_bytes() for m in msgs)
    reader = ClientMessageReader()
    got = []
    for i in range(len(data)):
        got.extend(reader.feed(data[i : i + 1]))
    assert_same(got, msgs)
    assert reader.buffered_bytes == 0


def test_many_messages_in_one_chunk_and_random_chunks():
    msgs = sample_messages(20)
    data = b"".join(m.to_bytes() for m in msgs)
    assert_same(ClientMessageReader().feed(data), msgs)
    rnd = random.Random(5)
    for _ in range(20):
        reader = ClientMessageReader()
        got = []
        pos = 0
        while pos < len(data):
            step = rnd.randint(1, 700)
            got.extend(reader.feed(bytearray(data[pos : pos + step])))
            pos += step
        assert_same(got, msgs)


def test_memoryview_input_and_empty_feed():
    msg = sample_messages(1)[0]
    reader = ClientMessageReader()
    assert reader.feed(b"") == []
    assert_same(reader.feed(memoryview(msg.to_bytes())), [msg])


def test_event_flags_survive():
    ev = sample_messages()[-1]
    got = ClientMessageReader().feed(ev.to_bytes())[0]
    assert got.is_event() and not got.is_backup_event()
    decoded = map_codec.decode_add_entry_listener_entry_event(got)
    assert decoded["key"] == b"key" and decoded["value"] is None and decoded["old_value"] == b"old"


def test_fragments_reassembled():
    msg = sample_messages(3)[2]
    pieces = fragment_message(msg, 42, 1)
    assert len(pieces) == len(msg.frames)
    reader = ClientMessageReader()
    got = []
    for piece in pieces[:-1]:
        got.extend(reader.feed(piece))
        assert got == []
    assert reader.reassemblies == 1
    got.extend(reader.feed(pieces[-1]))
    assert_same(got, [msg])
    assert reader.reassemblies == 0
    assert map_codec.decode_put_request(got[0])["name"] == "map-2"


def test_interleaved_fragments_and_plain_messages():
    a, b, c = sample_messages(3)[:3]
    pa = fragment_message(a, 1, 2)
    pb = fragment_message(b, -2, 1)
    stream = [pb[0], pa[0], c.to_bytes(), pb[1], pa[1], pb[2]] + pb[3:]
    reader = ClientMessageReader()
    got = []
    for chunk in stream:
        got.extend(reader.feed(chunk))
    assert [m.get_correlation_id() for m in got] == [1002, 1000, 1001]
    assert_same(got, [c, a, b])
    # byte at a time too
    data = b"".join(stream)
    reader = ClientMessageReader()
    got = []
    for i in range(len(data)):
        got.extend(reader.feed(data[i : i + 1]))
    assert_same(got, [c, a, b])


def test_length_below_six_is_error():
    with pytest.raises(ProtocolError, match="minimum"):
        ClientMessageReader().feed(HEADER.pack(5, 0))


def test_negative_length_is_error():
    with pytest.raises(ProtocolError):
        ClientMessageReader().feed(HEADER.pack(-100, 0xE000))


def test_huge_length_rejected_from_header_alone():
    reader = ClientMessageReader(max_frame_size=1024 * 1024)
    with pytest.raises(ProtocolError, match="maximum frame size"):
        reader.feed(HEADER.pack(2**31 - 1, 0xE000))  # 6 bytes claiming ~2 GiB
    assert reader.buffered_bytes == 0


def test_huge_length_rejected_when_header_arrives_in_pieces():
    reader = ClientMessageReader(max_frame_size=1024 * 1024)
    header = HEADER.pack(1024 * 1024 + 1, 0xE000)
    for b in header[:-1]:
        assert reader.feed(bytes([b])) == []
    with pytest.raises(ProtocolError):
        reader.feed(header[-1:])


def test_reader_is_poisoned_after_error():
    reader = ClientMessageReader()
    with pytest.raises(ProtocolError):
        reader.feed(HEADER.pack(3, 0))
    assert reader.error
    with pytest.raises(ProtocolError, match="earlier protocol error"):
        reader.feed(sample_messages(1)[0].to_bytes())


def test_message_total_size_is_bounded():
    reader = ClientMessageReader(max_frame_size=1000)
    initial = frame_bytes(bytes(22 - 6), 0xC000)
    data = initial + frame_bytes(b"x" * 600, 0) + frame_bytes(b"y" * 600, IS_FINAL)
    with pytest.raises(ProtocolError, match="too large"):
        reader.feed(data)


def test_unknown_fragment_id_is_error():
    msg = sample_messages(1)[0]
    pieces = fragment_message(msg, 9, 1)
    with pytest.raises(ProtocolError, match="unknown fragment id 9"):
        ClientMessageReader().feed(pieces[1])
    with pytest.raises(ProtocolError, match="unknown fragment id"):
        ClientMessageReader().feed(pieces[-1])


def test_duplicate_first_fragment_is_error():
    pieces = fragment_message(sample_messages(1)[0], 9, 1)
    with pytest.raises(ProtocolError, match="duplicate"):
        ClientMessageReader().feed(pieces[0] + pieces[0])


def test_too_many_concurrent_reassemblies():
    reader = ClientMessageReader(max_fragments=4)
    msg = sample_messages(1)[0]
    for fid in range(4):
        reader.feed(fragment_message(msg, fid, 1)[0])
    with pytest.raises(ProtocolError, match="too many"):
        reader.feed(fragment_message(msg, 99, 1)[0])


def test_reassembled_message_size_is_bounded():
    big = ClientMessage([Frame(bytearray(22 - 6), 0xC000)] + [Frame(b"z" * 400, 0) for _ in range(5)])
    reader = ClientMessageReader(max_frame_size=1500)
    with pytest.raises(ProtocolError, match="too large"):
        for piece in fragment_message(big, 3, 1):
            reader.feed(piece)


def test_pending_reassembly_bytes_are_bounded():
    msg = ClientMessage([Frame(bytearray(16), 0xC000), Frame(b"q" * 500, 0), Frame(b"", 0)])
    reader = ClientMessageReader(max_frame_size=2000, max_pending_bytes=1500)
    with pytest.raises(ProtocolError, match="too large"):
        for fid in range(5):
            pieces = fragment_message(msg, fid, 2)
            reader.feed(pieces[0])


def test_bad_fragmentation_frame_is_error():
    with pytest.raises(ProtocolError, match="fragmentation frame"):
        ClientMessageReader().feed(frame_bytes(b"\x00" * 4, BEGIN_FRAGMENT | IS_FINAL))


def test_conflicting_flags_are_error():
    initial = frame_bytes(bytes(16), 0xC000)
    with pytest.raises(ProtocolError, match="conflicting"):
        ClientMessageReader().feed(initial + frame_bytes(b"", BEGIN_DATA_STRUCTURE | END_DATA_STRUCTURE | IS_FINAL))
    with pytest.raises(ProtocolError, match="conflicting"):
        ClientMessageReader().feed(initial + frame_bytes(b"", IS_NULL | END_DATA_STRUCTURE | IS_FINAL))


def test_null_frame_with_payload_is_error():
    initial = frame_bytes(bytes(16), 0xC000)
    with pytest.raises(ProtocolError, match="payload"):
        ClientMessageReader().feed(initial + frame_bytes(b"abc", IS_NULL | IS_FINAL))


def test_special_initial_frame_is_error():
    with pytest.raises(ProtocolError, match="initial frame"):
        ClientMessageReader().feed(frame_bytes(b"", 0xC000 | IS_NULL | IS_FINAL))


def test_short_initial_frame_is_error():
    with pytest.raises(ProtocolError, match="too short"):
        ClientMessageReader().feed(frame_bytes(bytes(8), 0xC000 | IS_FINAL))
    # an event needs the 16-byte header
    with pytest.raises(ProtocolError, match="too short"):
        ClientMessageReader().feed(frame_bytes(bytes(13), 0xC000 | IS_EVENT | IS_FINAL))
    # a response header (13 bytes) is fine
    assert len(ClientMessageReader().feed(frame_bytes(bytes(13), 0xC000 | IS_FINAL))) == 1


def test_fragment_flags_other_than_first_frame_are_ignored():
    data = (
        frame_bytes(bytes(16), 0xC000) + frame_bytes(b"m", BEGIN_FRAGMENT) + frame_bytes(b"x", END_FRAGMENT | IS_FINAL)
    )
    (msg,) = ClientMessageReader().feed(data)
    assert len(msg.frames) == 3


def test_reader_rejects_tiny_limit():
    with pytest.raises(ValueError):
        ClientMessageReader(max_frame_size=10)


def test_large_message_in_small_chunks_is_linear():
    # 4 MiB value fed in 1 KiB chunks: must not copy the buffer on every feed.
    value = bytes(4 * 1024 * 1024)
    msg = map_codec.encode_put_request("m", b"k", value, 1, 0)
    data = msg.to_bytes()
    reader = ClientMessageReader()
    got = []
    import time

    start = time.perf_counter()
    for i in range(0, len(data), 1024):
        got.extend(reader.feed(data[i : i + 1024]))
    elapsed = time.perf_counter() - start
    assert len(got) == 1 and map_codec.decode_put_request(got[0])["value"] == value
    assert elapsed < 2.0


def test_authentication_response_roundtrip_through_reader():
    member = uuid.uuid4()
    cluster = uuid.uuid4()
    resp = client_codec.encode_authentication_response(0, None, member, 1, "5.4.0", 271, cluster, False)
    resp.set_correlation_id(5)
    (got,) = ClientMessageReader().feed(resp.to_bytes())
    d = client_codec.decode_authentication_response(got)
    assert d["status"] == 0 and d["member_uuid"] == member and d["cluster_id"] == cluster
    assert d["partition_count"] == 271 and d["server_hazelcast_version"] == "5.4.0"
    # optional 2.7+ fields absent -> None
    assert d["member_infos"] is None and d["partitions"] is None and d["member_list_version"] is None
    assert got.get_number_of_backup_acks() == 0


def test_big_chunks_with_many_messages_and_partial_tails():
    # > 256 KiB buffered: exercises the memoryview path with several messages and a partial tail
    msgs = []
    for i in range(40):
        m = map_codec.encode_put_request("m", b"k%d" % i, bytes([i]) * (20000 + 997 * i), i, 0)
        m.set_correlation_id(i)
        msgs.append(m)
    data = b"".join(m.to_bytes() for m in msgs)
    rnd = random.Random(11)
    reader = ClientMessageReader()
    got = []
    pos = 0
    while pos < len(data):
        step = rnd.choice([1, 7, 300000, 450000, 70000])
        got.extend(reader.feed(data[pos : pos + step]))
        pos += step
    assert_same(got, msgs)
    assert reader.buffered_bytes == 0
