"""Exact bytes and round trips of the built-in serializers."""

import math
import struct
import uuid

import pytest

from hzgreen.serialization import HazelcastJsonValue, SerializationService

H = bytes.fromhex


@pytest.fixture
def service():
    return SerializationService()


@pytest.mark.parametrize(
    "obj, blob_hex",
    [
        ("k", "00000000fffffff5000000016b"),
        ("", "00000000fffffff500000000"),
        ("é", "00000000fffffff500000002c3a9"),
        ("😀", "00000000fffffff500000004f09f9880"),
        (True, "00000000fffffffc01"),
        (False, "00000000fffffffc00"),
        (0, "00000000fffffff900000000"),
        (-1, "00000000fffffff9ffffffff"),
        (2**31 - 1, "00000000fffffff97fffffff"),
        (-(2**31), "00000000fffffff980000000"),
        (2**31, "00000000fffffff80000000080000000"),
        (-(2**31) - 1, "00000000fffffff8ffffffff7fffffff"),
        (2**63 - 1, "00000000fffffff87fffffffffffffff"),
        (-(2**63), "00000000fffffff88000000000000000"),
        (2**63, "00000000ffffffe600000009008000000000000000"),
        (-(2**63) - 1, "00000000ffffffe600000009ff7fffffffffffffff"),
        (1.5, "00000000fffffff63ff8000000000000"),
        (-0.0, "00000000fffffff68000000000000000"),
        (b"", "00000000fffffff400000000"),
        (b"\x00\xffab", "00000000fffffff40000000400ff6162"),
        (bytearray(b"xy"), "00000000fffffff4000000027879"),
        ([], "00000000ffffffe300000000"),
        ([None], "00000000ffffffe30000000100000000"),
        (["k", 1], "00000000ffffffe300000002fffffff5000000016bfffffff900000001"),
        ((1,), "00000000ffffffe300000001fffffff900000001"),
        (uuid.UUID("00112233-4455-6677-8899-aabbccddeeff"), "00000000ffffffeb00112233445566778899aabbccddeeff"),
        (HazelcastJsonValue('{"a":1}'), "00000000ffffff7e000000077b2261223a317d"),
    ],
)
def test_exact_bytes_and_round_trip(service, obj, blob_hex):
    data = service.to_data(obj)
    assert type(data) is bytes
    assert data == H(blob_hex)
    back = service.to_object(data)
    if isinstance(obj, tuple):
        assert back == list(obj)
    elif isinstance(obj, bytearray):
        assert back == bytes(obj)
    else:
        assert back == obj
        if isinstance(obj, float):
            assert math.copysign(1, back) == math.copysign(1, obj)


def test_none(service):
    assert service.to_data(None) is None
    assert service.to_object(None) is None
    assert service.to_object(b"") is None
    assert service.to_object(H("0000000000000000")) is None


def test_nested_none_writes_type_id_zero_only(service):
    data = service.to_data([None, None])
    assert data == H("00000000ffffffe3000000020000000000000000")
    assert service.to_object(data) == [None, None]


@pytest.mark.parametrize(
    "value",
    [
        0,
        1,
        -1,
        127,
        128,
        -128,
        -129,
        32767,
        32768,
        -32768,
        -32769,
        2**31 - 1,
        2**31,
        -(2**31),
        -(2**31) - 1,
        2**63 - 1,
        2**63,
        -(2**63),
        -(2**63) - 1,
        2**64,
        10**40,
        -(10**40),
        255,
        256,
        -256,
        -255,
    ],
)
def test_int_round_trip(service, value):
    assert service.to_object(service.to_data(value)) == value


def test_big_integer_matches_java_to_byte_array(service):
    # Java BigInteger.toByteArray(): minimal two's complement
    assert service.to_data(2**64) == H("00000000ffffffe600000009010000000000000000")
    assert service.to_data(-(2**64)) == H("00000000ffffffe600000009ff0000000000000000")
    assert service.to_data(10**20) == H("00000000ffffffe600000009056bc75e2d63100000")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "hello world",
        "ünïcödé",
        "日本語",
        "😀",
        "a😀b\U0010ffff",
        "\x00",
        "x" * 10000,
    ],
)
def test_string_round_trip(service, text):
    data = service.to_data(text)
    assert service.to_object(data) == text
    encoded = text.encode("utf-8")
    assert data[8:12] == struct.pack(">i", len(encoded))
    assert data[12:] == encoded


def test_nested_lists(service):
    value = [1, "two", [3.0, [b"four", None, True], []], 2**40, 2**80, (5, 6)]
    expected = [1, "two", [3.0, [b"four", None, True], []], 2**40, 2**80, [5, 6]]
    assert service.to_object(service.to_data(value)) == expected


def test_float_specials(service):
    for value in (float("inf"), float("-inf"), 1e308, 5e-324):
        assert service.to_object(service.to_data(value)) == value
    assert math.isnan(service.to_object(service.to_data(float("nan"))))


def test_uuid_round_trip(service):
    for _ in range(20):
        u = uuid.uuid4()
        assert service.to_object(service.to_data(u)) == u
    top = uuid.UUID(int=2**128 - 1)
    assert service.to_object(service.to_data(top)) == top


def test_json_value(service):
    value = HazelcastJsonValue({"name": "ada", "n": [1, 2]})
    back = service.to_object(service.to_data(value))
    assert isinstance(back, HazelcastJsonValue)
    assert back.loads() == {"name": "ada", "n": [1, 2]}
    assert back.to_string() == value.to_string()
    assert back == value and hash(back) == hash(value)
    assert str(HazelcastJsonValue("[1]")) == "[1]"
    assert HazelcastJsonValue("[1]") != HazelcastJsonValue("[2]")


def test_data_is_plain_bytes_and_accepts_bytes_like_input(service):
    data = service.to_data("k")
    assert service.to_object(bytearray(data)) == "k"
    assert service.to_object(memoryview(data)) == "k"
    assert service.to_object(memoryview(service.to_data([1, "a"]))) == [1, "a"]


# -- read-only Java types ---------------------------------------------------------------


def blob(type_id, payload_hex=""):
    return struct.pack(">ii", 0, type_id) + H(payload_hex)


@pytest.mark.parametrize(
    "type_id, payload_hex, expected",
    [
        (-3, "7f", 127),
        (-3, "80", -128),
        (-5, "0041", "A"),
        (-5, "20ac", "€"),
        (-6, "8000", -32768),
        (-6, "7fff", 32767),
        (-8, "ffffffffffffffff", -1),
        (-9, "3fc00000", 1.5),
        (-10, "bff8000000000000", -1.5),
        (-13, "00000003010001", [True, False, True]),
        (-14, "000000020041d83d", ["A", "\ud83d"]),
        (-15, "00000002ffff0001", [-1, 1]),
        (-16, "0000000200000001ffffffff", [1, -1]),
        (-17, "000000010000000000000002", [2]),
        (-18, "000000013fc00000", [1.5]),
        (-19, "000000013ff8000000000000", [1.5]),
        (-20, "00000003000000016bffffffff00000000", ["k", None, ""]),
        (-12, "ffffffff", None),
        (-16, "ffffffff", None),
        (-16, "00000000", []),
        (-26, "0000000180", -128),
        (-26, "0000000100", 0),
        (-26, "00000002ff7f", -129),
        (-30, "00000002fffffff900000001fffffff5000000016b", [1, "k"]),
        (-29, "ffffffff", None),
    ],
)
def test_read_java_types(service, type_id, payload_hex, expected):
    assert service.to_object(blob(type_id, payload_hex)) == expected


def test_read_uuid_with_negative_halves(service):
    data = blob(-21, "ffffffffffffffff8000000000000000")
    assert service.to_object(data) == uuid.UUID("ffffffff-ffff-ffff-8000-000000000000")


def test_read_float_array_and_byte_array(service):
    assert service.to_object(blob(-12, "00000003010203")) == b"\x01\x02\x03"
    assert service.to_object(blob(-12, "00000000")) == b""


def test_read_json(service):
    value = service.to_object(blob(-130, "00000002" + b"{}".hex()))
    assert isinstance(value, HazelcastJsonValue) and value.loads() == {}


def test_stored_partition_hash_is_ignored_by_to_object(service):
    data = struct.pack(">i", 99) + service.to_data("k")[4:]
    assert service.to_object(data) == "k"
