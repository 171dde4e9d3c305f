"""Pickle is opt-in: reading pickled data runs no code unless the client allows it.

``Evil`` pickles to ``exec("open(marker, 'w').close()")``: every test that reads it
checks that the marker file was not created, and one test reads it with plain pickle
to show the payload is real.
"""

import collections
import copyreg
import datetime
import decimal
import enum
import os
import pickle
import struct
import sys
import uuid

import pytest

from hzgreen.client import HzClient
from hzgreen.config import SERIALIZATION_OPTIONS
from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import SerializationService
from hzgreen.serialization.pickling import SAFE_PICKLE_GLOBALS

Point = collections.namedtuple("Point", "x y")
PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


class Color(enum.IntEnum):
    RED = 1


class Thing:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, other):
        return isinstance(other, Thing) and (self.a, self.b) == (other.a, other.b)


class Other(Thing):
    pass


class Evil:
    """Unpickling it runs exec(), which creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, ("open(%r, 'w').close()" % self.marker,)


def pickle_blob(payload):
    return struct.pack(">iii", 0, -120, len(payload)) + payload


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "pwned"


def restricted(*allowed):
    return SerializationService(pickle_enabled=True, pickle_allowed_classes=list(allowed))


# -- off by default ----------------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_default_service_refuses_pickled_data_without_running_it(marker, protocol):
    blob = pickle_blob(pickle.dumps(Evil(marker), protocol))
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_object(blob)
    message = str(info.value)
    assert "-120 (Python pickle)" in message and "pickle_enabled=True" in message
    assert not marker.exists()


def test_nested_pickled_value_is_refused_too(marker):
    evil = pickle.dumps(Evil(marker), 0)
    # an ArrayList (-29) of one element: a String, then the pickled object
    blob = (
        struct.pack(">iii", 0, -29, 2) + struct.pack(">ii", -11, 1) + b"a" + struct.pack(">ii", -120, len(evil)) + evil
    )
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_object(blob)
    assert "-120" in str(info.value) and "pickle_enabled" in str(info.value)
    assert not marker.exists()
    assert SerializationService(pickle_enabled=True).to_object(SerializationService().to_data(["a", 1])) == ["a", 1]


@pytest.mark.parametrize(
    "value, type_name",
    [
        (collections.OrderedDict(a=1), "'collections.OrderedDict'"),
        ({"a": Thing(1, 2)}, "%s.Thing" % __name__),  # a dict is a HashMap: names the value's type
        ({1, 2j}, "'complex'"),
        (Thing(1, 2), "%s.Thing" % __name__),
        ([1, Thing(1, 2)], "%s.Thing" % __name__),  # nested: names the element's type
        (datetime.timedelta(1), "'datetime.timedelta'"),
    ],
)
def test_writing_what_only_pickle_handles_fails_naming_the_type(value, type_name):
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_data(value)
    message = str(info.value)
    assert type_name in message
    for hint in ("Compact", "IdentifiedDataSerializable", "pickle_enabled=True"):
        assert hint in message


def test_mapping_error_points_to_json():
    with pytest.raises(HzSerializationError, match=r"HazelcastJsonValue\(value\)"):
        SerializationService().to_data(collections.OrderedDict(a=1))
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_data(Thing(1, 2))
    assert "HazelcastJsonValue" not in str(info.value)


def test_built_ins_and_global_serializer_need_no_pickle():
    service = SerializationService()
    for value in (
        "s",
        1,
        2.5,
        True,
        None,
        b"x",
        [1, "a"],
        uuid.UUID(int=5),
        decimal.Decimal("1.5"),
        datetime.date(2024, 1, 2),
    ):
        assert service.to_object(service.to_data(value)) == value
    assert service.to_object(service.to_data((1, 2))) == [1, 2]


def test_the_client_is_safe_by_default(marker):
    client = HzClient()
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        client.serialization.to_object(pickle_blob(pickle.dumps(Evil(marker), 0)))
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        client.serialization.to_data({"a": Thing(1, 2)})
    assert not marker.exists()
    for name in ("pickle_enabled", "pickle_allowed_classes", "pickle_protocol"):
        assert name in SERIALIZATION_OPTIONS
    assert SERIALIZATION_OPTIONS["pickle_enabled"] is False


def test_full_opt_in_is_plain_pickle(marker):
    # The user opted in without an allow-list: the official client's behaviour, payload included.
    service = SerializationService(pickle_enabled=True)
    assert service.to_object(service.to_data(Thing(1, {2}))) == Thing(1, {2})
    service.to_object(pickle_blob(pickle.dumps(Evil(marker), 0)))
    assert marker.exists()


# -- allow-list ----------------------------------------------------------------------------


ALLOWED_VALUES = [
    Thing(1, [2, 3]),
    Point(1, 2),
    Color.RED,
    {1, 2, 3},
    frozenset({"x"}),
    complex(1, 2),
    {"when": datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)},
    {"d": datetime.date(2024, 1, 2), "t": datetime.time(1, 2), "dt": datetime.timedelta(days=1, seconds=5)},
    {"n": decimal.Decimal("1.25"), "u": uuid.UUID(int=7)},
    {"raw": b"\x00\x80\xff", "empty": b"", "ba": bytearray(b"xy")},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    collections.deque([1, 2], maxlen=5),
]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("value", ALLOWED_VALUES)
def test_allowed_classes_and_safe_set_round_trip(protocol, value):
    writer = SerializationService(pickle_enabled=True, pickle_protocol=protocol)
    back = restricted(Thing, Point, Color).to_object(writer.to_data(value))
    assert back == value and type(back) is type(value)


def test_allowed_class_given_as_a_string():
    service = SerializationService(pickle_enabled=True, pickle_allowed_classes=["%s.Thing" % __name__])
    assert service.to_object(service.to_data(Thing(1, 2))) == Thing(1, 2)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_allow_list_refuses_other_globals_without_running_them(marker, protocol):
    service = restricted(Thing)
    with pytest.raises(HzSerializationError) as info:
        service.to_object(pickle_blob(pickle.dumps(Evil(marker), protocol)))
    message = str(info.value)
    assert "-120" in message and "builtins.exec" in message and "pickle_allowed_classes" in message
    assert not marker.exists()
    # writing is not restricted, reading a class outside the list is
    data = service.to_data(Other(1, 2))
    with pytest.raises(HzSerializationError, match="%s.Other" % __name__):
        service.to_object(data)


def test_refused_global_is_never_imported():
    for module in ("hzgreen_no_such_module", "this"):  # `this` prints the Zen of Python on import
        if module in sys.modules:
            continue
        payload = ("c%s\ns\n." % module).encode()
        with pytest.raises(HzSerializationError, match="not in pickle_allowed_classes"):
            restricted().to_object(pickle_blob(payload))
        assert module not in sys.modules


def test_extension_codes_go_through_the_allow_list(marker):
    code = 0x7EDCBA98
    copyreg.add_extension(exec.__module__, "exec", code)
    try:
        payload = pickle.dumps(Evil(marker), 2)
        assert pickle.EXT4 in payload
        with pytest.raises(HzSerializationError, match="builtins.exec"):
            restricted().to_object(pickle_blob(payload))
    finally:
        copyreg.remove_extension(exec.__module__, "exec", code)
    assert not marker.exists()


def test_string_entry_must_resolve_to_the_object_it_names():
    # "os.path.join" is really posixpath.join (or ntpath.join): a pickle naming os + path.join
    # through protocol 4's dotted names resolves to an object that is not what it claims.
    service = restricted("os.path.join")
    name = b"path.join"
    payload = b"\x80\x04\x8c\x02os\x8c" + bytes([len(name)]) + name + b"\x93."
    with pytest.raises(HzSerializationError, match="not the allowed object"):
        service.to_object(pickle_blob(payload))


@pytest.mark.parametrize(
    "payload, what",
    [
        (b"c__builtin__\nbytes\n(I1000000000\ntR.", "bytes(1000000000)"),
        (b"c__builtin__\nbytearray\n(I1000000000\ntR.", "bytearray(1000000000)"),
        (b"c_codecs\nencode\n(Vabc\nVzlib\ntR.", "'zlib'"),
    ],
)
def test_safe_set_refuses_allocation_bombs_and_other_codecs(payload, what):
    with pytest.raises(HzSerializationError) as info:
        restricted().to_object(pickle_blob(payload))
    assert what in str(info.value)


@pytest.mark.parametrize("allowed", [None, []], ids=["plain", "restricted"])
@pytest.mark.parametrize(
    "blob",
    [
        bytes.fromhex("00000000ffffff8800000003abcdef"),  # garbage
        bytes.fromhex("00000000ffffff8800000009"),  # length beyond the data
        pickle_blob(pickle.dumps({"a": [1, 2]}, 0)[:-3]),  # pickle cut short
    ],
    ids=["garbage", "truncated", "cut-short"],
)
def test_corrupt_pickles_are_serialization_errors_when_enabled(allowed, blob):
    service = SerializationService(pickle_enabled=True, pickle_allowed_classes=allowed)
    with pytest.raises(HzSerializationError, match="-120"):
        service.to_object(blob)


def test_safe_set_is_what_the_docs_list():
    assert "builtins.exec" not in SAFE_PICKLE_GLOBALS and "builtins.getattr" not in SAFE_PICKLE_GLOBALS
    assert {"builtins.set", "copyreg._reconstructor", "datetime.datetime"} <= SAFE_PICKLE_GLOBALS
    with open(
        os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "docs", "serialization.rst"),
        encoding="utf-8",
    ) as f:
        docs = f.read()
    for name in SAFE_PICKLE_GLOBALS:
        assert "``%s``" % name in docs, name


# -- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, error, text",
    [
        ({"pickle_enabled": "yes"}, TypeError, "pickle_enabled must be True or False"),
        ({"pickle_enabled": 1}, TypeError, "pickle_enabled must be True or False"),
        (
            {"pickle_enabled": True, "pickle_allowed_classes": "builtins.set"},
            TypeError,
            "pickle_allowed_classes must be a list",
        ),
        ({"pickle_enabled": True, "pickle_allowed_classes": [42]}, TypeError, "pickle_allowed_classes entries must be"),
        ({"pickle_enabled": True, "pickle_allowed_classes": ["Thing"]}, ValueError, "'module.QualName'"),
        ({"pickle_enabled": True, "pickle_allowed_classes": ["a..b"]}, ValueError, "'module.QualName'"),
        ({"pickle_allowed_classes": [Thing]}, ValueError, "pickle_allowed_classes has no effect unless pickle_enabled"),
        ({"pickle_protocol": 99}, ValueError, "pickle_protocol must be an int"),
    ],
)
def test_bad_options_fail_at_construction_naming_the_option(options, error, text):
    with pytest.raises(error, match=text):
        SerializationService(**options)
    with pytest.raises(error, match=text):
        HzClient(**options)


def test_local_classes_cannot_be_allowed():
    class Local:
        pass

    with pytest.raises(ValueError, match="inside a function"):
        SerializationService(pickle_enabled=True, pickle_allowed_classes=[Local])


def test_client_options_reach_the_service():
    client = HzClient(pickle_enabled=True, pickle_allowed_classes=[Thing], pickle_protocol=2)
    data = client.serialization.to_data(Thing(1, 2))
    assert data[12:14] == b"\x80\x02"
    assert client.serialization.to_object(data) == Thing(1, 2)
    with pytest.raises(HzSerializationError, match="Other"):
        client.serialization.to_object(client.serialization.to_data(Other(1, 2)))
