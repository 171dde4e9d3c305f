"""Pickle fallback (type id -120), byte-compatible with the official Python client.

The official client writes ``out.write_string(pickle.dumps(obj, 0).decode("utf-8"))``
and reads ``pickle.loads(inp.read_string().encode())``; the helpers below restate
that format independently to check both directions. Pickle is off by default (see
test_ser_pickle_safety.py); every service here opts in with ``pickle_enabled=True``.
"""

import collections
import datetime
import enum
import pickle
import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import SerializationService

Point = collections.namedtuple("Point", "x y")


class Color(enum.IntEnum):
    RED = 1


class Thing:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, other):
        return isinstance(other, Thing) and (self.a, self.b) == (other.a, other.b)


def official_client_blob(obj):
    text = pickle.dumps(obj, 0).decode("utf-8")
    encoded = text.encode("utf-8")
    return struct.pack(">iii", 0, -120, len(encoded)) + encoded


def official_client_read(data):
    assert struct.unpack_from(">i", data, 4)[0] == -120
    n = struct.unpack_from(">i", data, 8)[0]
    return pickle.loads(data[12 : 12 + n].decode("utf-8").encode())


@pytest.fixture
def service():
    return SerializationService(pickle_enabled=True)


VALUES = [
    {"age": 31, "tags": ["a", "b"]},
    {1, 2, 3},
    frozenset({"x"}),
    Point(1, 2),
    Thing(1, [2, 3]),
    Color.RED,
    datetime.timedelta(days=1, seconds=5),
    complex(1, 2),
    {"emoji": "😀", "cjk": "日本"},
]


@pytest.mark.parametrize("value", VALUES)
def test_writes_what_the_official_client_writes(service, value):
    assert service.to_data(value) == official_client_blob(value)


@pytest.mark.parametrize("value", VALUES)
def test_official_client_reads_ours_and_we_read_theirs(service, value):
    assert official_client_read(service.to_data(value)) == value
    assert service.to_object(official_client_blob(value)) == value


@pytest.mark.parametrize("value", VALUES)
def test_round_trip_keeps_type(service, value):
    back = service.to_object(service.to_data(value))
    assert back == value and type(back) is type(value)


def test_dict_blob_bytes(service):
    assert service.to_data({"a": 1}) == bytes.fromhex("00000000ffffff8800000010286470300a56610a70310a49310a732e")


def test_values_the_official_client_cannot_write_still_round_trip(service):
    # protocol-0 pickles of U+0080..U+00FF text are not UTF-8: the official client
    # fails on them; hzgreen writes the raw pickle bytes and reads them back.
    for value in ({"café": 1}, [b"\xff"], {"k": b"\x80raw"}, datetime.date(2024, 1, 2)):
        with pytest.raises(UnicodeDecodeError):
            official_client_blob(value)
        data = service.to_data(value)
        assert service.to_object(data) == value


def test_higher_protocol_option():
    service = SerializationService(pickle_protocol=pickle.HIGHEST_PROTOCOL, pickle_enabled=True)
    data = service.to_data({"a": 1})
    assert data[8:12] == struct.pack(">i", len(data) - 12)
    assert service.to_object(data) == {"a": 1}
    # a protocol-0 service reads it too (pickle detects the protocol)
    assert SerializationService(pickle_enabled=True).to_object(data) == {"a": 1}


def test_null_pickle_payload_reads_as_none(service):
    assert service.to_object(struct.pack(">iii", 0, -120, -1)) is None


def test_unpicklable_error(service):
    with pytest.raises(HzSerializationError, match="pickle"):
        service.to_data(lambda: None)
