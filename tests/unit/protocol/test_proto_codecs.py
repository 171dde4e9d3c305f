"""Built-in codecs, custom types, error responses and malformed-input handling."""

import struct
import uuid

import pytest

from hzgreen import exceptions as hzex
from hzgreen.exceptions import ProtocolError
from hzgreen.protocol import ClientMessage, ClientMessageReader, Frame, FrameIterator
from hzgreen.protocol import builtin as b
from hzgreen.protocol import custom as c
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.codecs import cp_group as cp_group_codec
from hzgreen.protocol.codecs import error as error_codec
from hzgreen.protocol.codecs import fenced_lock as fenced_lock_codec
from hzgreen.protocol.codecs import map as map_codec
from hzgreen.protocol.frame import (
    BEGIN_DATA_STRUCTURE,
    BEGIN_FRAME,
    END_DATA_STRUCTURE,
    END_FRAME,
    IS_NULL,
    NULL_FRAME,
)

U1 = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
U2 = uuid.UUID("ffffffff-ffff-ffff-ffff-fffffffffffe")


def roundtrip(encode, decode, value):
    frames = []
    encode(frames, value)
    it = FrameIterator(frames)
    out = decode(it)
    assert not it.has_next(), "decoder left frames behind"
    return out, frames


def through_wire(msg):
    (got,) = ClientMessageReader().feed(msg.to_bytes())
    return got


# -- fixed-size ---------------------------------------------------------------------------


def test_uuid_wire_layout():
    buf = bytearray(17)
    b.encode_uuid_into(buf, 0, U1)
    assert bytes(buf) == bytes.fromhex("00 7766554433221100 ffeeddccbbaa9988")
    assert b.decode_uuid_from(buf, 0) == U1
    b.encode_uuid_into(buf, 0, None)
    assert bytes(buf) == b"\x01" + bytes(16)
    assert b.decode_uuid_from(buf, 0) is None
    b.encode_uuid_into(buf, 0, U2)
    assert b.decode_uuid_from(buf, 0) == U2


@pytest.mark.parametrize(
    "st,value",
    [
        (b.BYTE, -5),
        (b.BOOLEAN, True),
        (b.SHORT, -300),
        (b.INT, -(2**31)),
        (b.LONG, 2**63 - 1),
        (b.FLOAT, 1.5),
        (b.DOUBLE, -0.25),
    ],
)
def test_fixed_structs(st, value):
    assert st.unpack(st.pack(value))[0] == value


def test_boolean_reads_nonzero_as_true():
    assert b.BOOLEAN.unpack(b"\x02")[0] is True


# -- single-frame variable-size ------------------------------------------------------------


@pytest.mark.parametrize(
    "enc,dec,value",
    [
        (b.encode_string, b.decode_string, "h\u00e9llo \u2603"),
        (b.encode_string, b.decode_string, ""),
        (b.encode_data, b.decode_data, b"\x00\x00\x00\x00\xff\xff\xff\xf9\x00\x00\x00\x36"),
        (b.encode_byte_array, b.decode_byte_array, b"\x01\x02\x03"),
        (b.encode_long_array, b.decode_long_array, [1, -2, 2**62]),
        (b.encode_float_array, b.decode_float_array, [0.5, -2.0]),
        (b.encode_list_integer, b.decode_list_integer, [1, -1, 271]),
        (b.encode_list_integer, b.decode_list_integer, []),
        (b.encode_list_long, b.decode_list_long, [5, -5]),
        (b.encode_list_uuid, b.decode_list_uuid, [U1, None, U2]),
        (b.encode_set_uuid, b.decode_set_uuid, [U1]),
        (b.encode_entry_list_integer_integer, b.decode_entry_list_integer_integer, [(1, 2), (2147483647, -1)]),
        (b.encode_entry_list_integer_long, b.decode_entry_list_integer_long, [(1, 2**40)]),
        (b.encode_entry_list_integer_uuid, b.decode_entry_list_integer_uuid, [(7, U1), (8, None)]),
        (b.encode_entry_list_uuid_long, b.decode_entry_list_uuid_long, [(U1, -3)]),
        (b.encode_entry_list_uuid_uuid, b.decode_entry_list_uuid_uuid, [(U1, U2), (U2, U1)]),
    ],
)
def test_single_frame_roundtrips(enc, dec, value):
    out, frames = roundtrip(enc, dec, value)
    assert out == value
    assert len(frames) == 1


def test_packed_layouts():
    frames = []
    b.encode_list_integer(frames, [1, 2])
    assert frames[0].content == bytes.fromhex("01000000 02000000")
    frames = []
    b.encode_entry_list_integer_long(frames, [(1, 2)])
    assert frames[0].content == bytes.fromhex("01000000 0200000000000000")
    assert len(b.list_uuid_frame([U1, U2]).content) == 34


def test_string_is_plain_utf8_without_prefix():
    assert b.string_frame("d\u00e9v").content == "d\u00e9v".encode("utf-8")


# -- lists / maps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "enc,dec,value",
    [
        (b.encode_list_data, b.decode_list_data, [b"a", b"bb", b""]),
        (b.encode_list_string, b.decode_list_string, ["x", "y"]),
        (b.encode_list_string, b.decode_list_string, []),
        (b.encode_list_cn_data, b.decode_list_cn_data, [b"a", None, b"c"]),
        (b.encode_entry_list_data_data, b.decode_entry_list_data_data, [(b"k1", b"v1"), (b"k2", b"v2")]),
        (b.encode_entry_list_string_string, b.decode_entry_list_string_string, [("a", "b")]),
        (b.encode_entry_list_string_byte_array, b.decode_entry_list_string_byte_array, [("a", b"\x00")]),
        (b.encode_map_string_string, b.decode_map_string_string, {"a": "1", "b": "2"}),
        (b.encode_map_string_data, b.decode_map_string_data, {"a": b"1"}),
        (b.encode_entry_list_long_byte_array, b.decode_entry_list_long_byte_array, [(1, b"x"), (-2, b"")]),
    ],
)
def test_multi_frame_roundtrips(enc, dec, value):
    out, frames = roundtrip(enc, dec, value)
    assert out == value
    assert frames[0] is BEGIN_FRAME


def test_list_cn_nulls_are_null_frames():
    frames = []
    b.encode_list_cn_data(frames, [None])
    assert [f.flags for f in frames] == [BEGIN_DATA_STRUCTURE, IS_NULL, END_DATA_STRUCTURE]


def test_generic_list_and_entry_list_and_nullable():
    def enc_addr(frames, a):
        c.encode_address(frames, a)

    value = [c.Address("h1", 1), c.Address("h2", 2)]
    out, _ = roundtrip(
        lambda fs, v: b.encode_list(fs, v, enc_addr), lambda it: b.decode_list(it, c.decode_address), value
    )
    assert out == value
    out, frames = roundtrip(
        lambda fs, v: b.encode_nullable(fs, v, b.encode_string), lambda it: b.decode_nullable(it, b.decode_string), None
    )
    assert out is None and frames == [NULL_FRAME]
    pairs = [(b"k", [b"a", b"b"]), (b"k2", [])]
    out, _ = roundtrip(
        lambda fs, v: b.encode_entry_list(fs, v, b.encode_data, b.encode_list_data),
        lambda it: b.decode_entry_list(it, b.decode_data, b.decode_list_data),
        pairs,
    )
    assert out == pairs


def test_entry_list_uuid_list_integer_keys_after_end():
    table = [(U1, [0, 1, 2]), (U2, [3]), (None, [])]
    out, frames = roundtrip(b.encode_entry_list_uuid_list_integer, b.decode_entry_list_uuid_list_integer, table)
    assert out == table
    # BEGIN, three List_Integer frames, END, then one packed List_UUID frame
    assert frames[0].flags == BEGIN_DATA_STRUCTURE
    assert frames[4].flags == END_DATA_STRUCTURE
    assert frames[1].content == struct.pack("<3i", 0, 1, 2)
    assert len(frames[5].content) == 3 * 17
    assert b.list_uuid_from(frames[5]) == [U1, U2, None]


def test_partitions_view_event_roundtrip():
    table = [(U1, list(range(0, 136))), (U2, list(range(136, 271)))]
    ev = client_codec.encode_add_cluster_view_listener_partitions_view_event(7, table)
    ev.set_correlation_id(3)
    got = through_wire(ev)
    assert got.is_event()
    assert got.get_message_type() == client_codec.ADD_CLUSTER_VIEW_LISTENER_PARTITIONS_VIEW_EVENT_TYPE == 0x000303
    assert client_codec.decode_add_cluster_view_listener_partitions_view_event(got) == {
        "version": 7,
        "partitions": table,
    }
    decoders = client_codec.ADD_CLUSTER_VIEW_LISTENER_EVENT_DECODERS
    assert decoders[got.get_message_type()] is client_codec.decode_add_cluster_view_listener_partitions_view_event


def test_entry_list_key_count_mismatch_is_protocol_error():
    frames = [BEGIN_FRAME, b.list_integer_frame([1]), END_FRAME, b.list_uuid_frame([U1, U2])]
    with pytest.raises(ProtocolError, match="keys"):
        b.decode_entry_list_uuid_list_integer(FrameIterator(frames))


# -- custom types ---------------------------------------------------------------------------


def member(address_map=None):
    return c.MemberInfo(c.Address("10.0.0.1", 5701), U1, False, {"zone": "a"}, c.MemberVersion(5, 4, 0), address_map)


def test_member_info_roundtrip():
    amap = {
        c.EndpointQualifier(1, "public"): c.Address("1.2.3.4", 5701),
        c.EndpointQualifier(0, None): c.Address("10.0.0.1", 5701),
    }
    for m in (member(amap), member(None)):
        out, frames = roundtrip(c.encode_member_info, c.decode_member_info, m)
        assert out == m
    assert "MemberInfo(address=Address(host='10.0.0.1', port=5701)" in repr(m)
    assert str(m.address) == "10.0.0.1:5701" and str(m.version) == "5.4.0"
    assert hash(c.Address("a", 1)) == hash(c.Address("a", 1))
    assert c.Address("a", 1) != c.Address("a", 2)


def test_members_view_event_roundtrip():
    members = [member(), member({c.EndpointQualifier(1, "public"): c.Address("1.2.3.4", 5701)})]
    got = through_wire(client_codec.encode_add_cluster_view_listener_members_view_event(3, members))
    assert client_codec.decode_add_cluster_view_listener_members_view_event(got) == {
        "version": 3,
        "member_infos": members,
    }


def test_raft_group_id_layout_and_roundtrip():
    gid = c.RaftGroupId("default", 1234, -7)
    out, frames = roundtrip(c.encode_raft_group_id, c.decode_raft_group_id, gid)
    assert out == gid and hash(out) == hash(gid)
    assert [f.flags for f in frames] == [BEGIN_DATA_STRUCTURE, 0, 0, END_DATA_STRUCTURE]
    assert frames[1].content == struct.pack("<qq", 1234, -7)
    assert frames[2].content == b"default"


def test_create_cp_group_response_and_fenced_lock_request():
    gid = c.RaftGroupId("grp", 1, 2)
    got = through_wire(cp_group_codec.encode_create_cp_group_response(gid))
    assert cp_group_codec.decode_create_cp_group_response(got) == gid
    inv = uuid.uuid4()
    req = fenced_lock_codec.encode_lock_request(gid, "lock", 10, 20, inv)
    assert req.retryable is True
    content = req.frames[0].content
    assert struct.unpack_from("<qq", content, 16) == (10, 20)
    assert b.decode_uuid_from(content, 32) == inv
    assert fenced_lock_codec.decode_lock_request(through_wire(req)) == {
        "group_id": gid,
        "name": "lock",
        "session_id": 10,
        "thread_id": 20,
        "invocation_uid": inv,
    }


def test_error_holder_roundtrip():
    h = c.ErrorHolder(
        26,
        "java.lang.IllegalMonitorStateException",
        None,
        [
            c.StackTraceElement("com.hz.Lock", "unlock", "Lock.java", 42),
            c.StackTraceElement("com.hz.Native", "run", None, -2),
        ],
    )
    out, _ = roundtrip(c.encode_error_holder, c.decode_error_holder, h)
    assert out == h


def test_custom_decoder_skips_unknown_trailing_fields():
    # An Address from a "newer" member: extra fixed bytes, an extra String and a nested structure.
    frames = [
        BEGIN_FRAME,
        Frame(struct.pack("<i", 5701) + b"\x09\x09", 0),
        Frame(b"host", 0),
        Frame(b"extra", 0),
        BEGIN_FRAME,
        Frame(b"nested", 0),
        BEGIN_FRAME,
        END_FRAME,
        END_FRAME,
        END_FRAME,
        Frame(b"after", 0),
    ]
    it = FrameIterator(frames)
    assert c.decode_address(it) == c.Address("host", 5701)
    assert it.peek_next().content == b"after"


def test_custom_decoder_reads_optional_fields_only_when_present():
    # CPMember 2.1 form: no autoStepDownWhenLeader byte (2.10) in the initial frame.
    frames = [BEGIN_FRAME, Frame(bytes(b.UUID.pack(*b.uuid_parts(U1))), 0)]
    c.encode_address(frames, c.Address("h", 1))
    frames.append(END_FRAME)
    out = c.decode_cp_member(FrameIterator(frames))
    assert out == c.CPMember(U1, c.Address("h", 1), None)
    out, _ = roundtrip(c.encode_cp_member, c.decode_cp_member, c.CPMember(U1, c.Address("h", 1), True))
    assert out.auto_step_down_when_leader is True
    # MemberInfo 2.0 form (no addressMap frame) decodes with address_map None
    frames = []
    c.encode_member_info(frames, member(None))
    assert frames[-3].content == b"\x05\x04\x00" and frames[-2].flags == frames[-1].flags == END_DATA_STRUCTURE
    assert c.decode_member_info(FrameIterator(frames)).address_map is None


def test_simple_entry_view_roundtrip():
    v = c.SimpleEntryView(b"k", b"v", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    got = through_wire(map_codec.encode_get_entry_view_response(v, 99))
    assert map_codec.decode_get_entry_view_response(got) == {"response": v, "max_idle": 99}
    got = through_wire(map_codec.encode_get_entry_view_response(None, 0))
    assert map_codec.decode_get_entry_view_response(got) == {"response": None, "max_idle": 0}


# -- error responses -------------------------------------------------------------------------


def test_error_response_to_exception_with_cause_chain():
    holders = [
        c.ErrorHolder(
            85,
            "com.hazelcast.cp.internal.session.SessionExpiredException",
            "session 3 expired",
            [c.StackTraceElement("com.hz.Session", "check", "Session.java", 10)],
        ),
        c.ErrorHolder(37, "java.lang.NullPointerException", None, []),
        c.ErrorHolder(9999, "com.example.Custom", "custom", []),
    ]
    msg = error_codec.encode_error(holders, correlation_id=12)
    got = through_wire(msg)
    assert got.is_error() and got.get_correlation_id() == 12 and got.get_message_type() == 0
    assert error_codec.decode_error(got) == holders
    exc = error_codec.error_to_exception(got)
    assert isinstance(exc, hzex.SessionExpiredError)
    assert isinstance(exc, hzex.HazelcastServerError) and isinstance(exc, hzex.HzError)
    assert exc.error_code == 85
    assert exc.class_name == "com.hazelcast.cp.internal.session.SessionExpiredException"
    assert exc.server_message == "session 3 expired"
    assert exc.stack_trace == "\tat com.hz.Session.check(Session.java:10)"
    assert isinstance(exc.cause, hzex.NullPointerError)
    assert type(exc.cause.cause) is hzex.HazelcastServerError
    assert exc.cause.cause.class_name == "com.example.Custom" and exc.cause.cause.cause is None


def test_retryable_error_class():
    got = through_wire(error_codec.encode_error([c.ErrorHolder(62, "WrongTargetException", "x", [])]))
    exc = error_codec.error_to_exception(got)
    assert isinstance(exc, hzex.WrongTargetError) and hzex.is_retryable(exc)


def test_format_stack_trace_variants():
    text = error_codec.format_stack_trace(
        [
            c.StackTraceElement("A", "m", "A.java", 1),
            c.StackTraceElement("B", "n", None, -1),
            c.StackTraceElement("C", "o", "C.java", -2),
        ]
    )
    assert text.splitlines() == ["\tat A.m(A.java:1)", "\tat B.n(Unknown Source)", "\tat C.o(Native Method)"]


def test_malformed_error_response():
    msg = error_codec.encode_error([c.ErrorHolder(1, "X", "m", [])])
    del msg.frames[-1]  # drop the END of the list
    with pytest.raises(ProtocolError):
        error_codec.decode_error(through_wire(msg))


# -- malformed messages -----------------------------------------------------------------------


def response(*frames, fixed=b""):
    return ClientMessage([Frame(struct.pack("<iqB", 0x010201, 1, 0) + fixed, 0xC000)] + list(frames))


def test_missing_frame_is_protocol_error():
    with pytest.raises(ProtocolError, match="Map.get response"):
        map_codec.decode_get_response(response())


def test_truncated_fixed_fields_are_protocol_error():
    with pytest.raises(ProtocolError, match="Map.containsKey response"):
        map_codec.decode_contains_key_response(response())
    with pytest.raises(ProtocolError):
        client_codec.decode_authentication_response(response(fixed=b"\x00\x01"))


def test_bad_nesting_is_protocol_error():
    # a list without BEGIN
    with pytest.raises(ProtocolError):
        map_codec.decode_key_set_response(response(Frame(b"k", 0), END_FRAME))
    # a list without END
    with pytest.raises(ProtocolError):
        map_codec.decode_key_set_response(response(BEGIN_FRAME, Frame(b"k", 0)))
    # a custom type without END
    with pytest.raises(ProtocolError):
        cp_group_codec.decode_create_cp_group_response(
            response(BEGIN_FRAME, Frame(struct.pack("<qq", 1, 2), 0), Frame(b"name", 0))
        )
    # END where a String is expected
    with pytest.raises(ProtocolError, match="END_DATA_STRUCTURE"):
        cp_group_codec.decode_create_cp_group_response(
            response(BEGIN_FRAME, Frame(struct.pack("<qq", 1, 2), 0), END_FRAME)
        )
    # NULL frame for a non-nullable value
    with pytest.raises(ProtocolError, match="NULL"):
        map_codec.decode_get_request(ClientMessage([Frame(bytes(24), 0xC000), NULL_FRAME, Frame(b"k", 0)]))


def test_invalid_utf8_is_protocol_error():
    with pytest.raises(ProtocolError):
        client_codec.decode_create_proxy_request(
            ClientMessage([Frame(bytes(16), 0xC000), Frame(b"\xff\xfe", 0), Frame(b"s", 0)])
        )


def test_truncated_packed_list_is_protocol_error():
    with pytest.raises(ProtocolError, match="multiple"):
        b.decode_list_integer(FrameIterator([Frame(b"\x01\x02\x03", 0)]))
    with pytest.raises(ProtocolError, match="multiple"):
        b.decode_list_uuid(FrameIterator([Frame(bytes(18), 0)]))


# -- ClientMessage ----------------------------------------------------------------------------


def test_client_message_header_api():
    msg = map_codec.encode_put_request("m", b"k", b"v", 1, -1)
    assert msg.get_partition_id() == -1 and msg.get_correlation_id() == 0
    assert msg.retryable is False
    msg.set_backup_aware(True)
    assert msg.frames[0].flags == 0xC100 and msg.is_backup_aware()
    msg.set_backup_aware(False)
    assert msg.frames[0].flags == 0xC000
    msg.set_correlation_id(2**40)
    dup = msg.copy()
    dup.set_correlation_id(5)
    assert msg.get_correlation_id() == 2**40 and dup.get_correlation_id() == 5
    assert dup.frames[1:] == msg.frames[1:] and dup.frames[1] is msg.frames[1]
    assert msg.get_total_length() == len(msg.to_bytes())
    resp = map_codec.encode_put_response(None)
    resp.frames[0].content[12] = 2
    got = through_wire(resp)
    assert got.get_number_of_backup_acks() == 2 and not got.is_event() and not got.is_error()
    assert "type=0x010101" in repr(got)


def test_backup_event_flag():
    ev = client_codec.encode_local_backup_listener_backup_event(123)
    got = through_wire(ev)
    assert got.is_backup_event() and got.is_event()
    assert client_codec.decode_local_backup_listener_backup_event(got) == {"source_invocation_correlation_id": 123}


def test_set_correlation_id_on_received_message():
    got = through_wire(map_codec.encode_put_response(None))
    got.set_correlation_id(9)
    assert got.get_correlation_id() == 9


def test_frame_iterator_helpers():
    frames = [NULL_FRAME, BEGIN_FRAME, Frame(b"x", 0), BEGIN_FRAME, END_FRAME, END_FRAME, Frame(b"y", 0)]
    it = FrameIterator(frames)
    assert it.next_is_null() and it.skip_null() and not it.skip_null()
    it.next_begin()
    it.skip_to_end_frame()
    assert it.next().content == b"y" and not it.has_next() and it.peek_next() is None
    with pytest.raises(ProtocolError):
        it.next()
    with pytest.raises(ProtocolError):
        FrameIterator([Frame(b"x", 0)]).next_begin()
    with pytest.raises(ProtocolError):
        FrameIterator([BEGIN_FRAME, Frame(b"x", 0)], 1).skip_to_end_frame()


def test_decoded_uuids_behave_like_uuid_objects():
    import pickle

    got = b.uuid_from(0, U1.int >> 64, U1.int & ((1 << 64) - 1))
    assert type(got) is uuid.UUID
    assert got == U1 and hash(got) == hash(U1) and str(got) == str(U1) and got.version == U1.version
    assert pickle.loads(pickle.dumps(got)) == U1
    assert {got: 1}[U1] == 1


def test_sql_page_fixed_size_columns_with_mixed_nulls():
    from hzgreen.protocol.sql import SqlColumnType as T
    from hzgreen.protocol.sql import SqlPage, decode_sql_page, encode_sql_page

    ints = [None if i % 3 == 0 else i for i in range(19)]
    page = SqlPage(
        [T.INTEGER, T.BIGINT, T.DOUBLE, T.TIMESTAMP_WITH_TIME_ZONE, T.VARCHAR, T.NULL],
        [
            ints,
            list(range(19)),
            [None] * 19,
            [(2024, 1, 2, 3, 4, 5, 6, 3600)] + [None] * 18,
            ["s"] * 18 + [None],
            [None] * 19,
        ],
        False,
    )
    frames = []
    encode_sql_page(frames, page)
    it = FrameIterator(frames)
    assert decode_sql_page(it) == page and not it.has_next()
    # INTEGER column frame: kind 3 (mixed), count 19, then 3 groups of bitmask + present items
    col = frames[3].content
    assert col[0] == 3 and struct.unpack_from("<i", col, 1)[0] == 19
    assert col[5] == 0b10110110
    assert page.rows()[1] == [1, 1, None, None, "s", None] and page.row_count == 19


def test_set_routing_writes_what_setting_correlation_and_partition_id_apart_writes():
    from hzgreen.protocol.message import unpack_type_and_correlation_id

    together = map_codec.encode_get_request("m", b"key", 1)
    apart = map_codec.encode_get_request("m", b"key", 1)
    together.set_routing(2**40 + 7, 113)
    apart.set_correlation_id(2**40 + 7)
    apart.set_partition_id(113)
    assert together.to_bytes() == apart.to_bytes()
    assert (together.get_correlation_id(), together.get_partition_id()) == (2**40 + 7, 113)
    assert unpack_type_and_correlation_id(together.frames[0].content) == (map_codec.GET_REQUEST_TYPE, 2**40 + 7)
    read_back = ClientMessage([Frame(bytes(together.frames[0].content), together.frames[0].flags)])
    read_back.set_routing(9, -1)  # content read from the wire is bytes: copied before patching
    assert (read_back.get_correlation_id(), read_back.get_partition_id()) == (9, -1)
