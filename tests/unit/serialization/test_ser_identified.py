"""IdentifiedDataSerializable: wire format, factories, member-side built-ins, errors."""

import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import IdentifiedDataSerializable, SerializationService

H = bytes.fromhex


class Point(IdentifiedDataSerializable):
    def __init__(self, x=0, y=0):
        self.x, self.y = x, y

    def write_data(self, out):
        out.write_int(self.x)
        out.write_object(self.y)

    def read_data(self, inp):
        self.x = inp.read_int()
        self.y = inp.read_object()

    def get_factory_id(self):
        return 5

    def get_class_id(self):
        return 9

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)


class Duck:
    """No hzgreen base class: the methods are enough (classes of the official client work)."""

    def __init__(self, v=0):
        self.v = v

    def write_data(self, out):
        out.write_int(self.v)

    def read_data(self, inp):
        self.v = inp.read_int()

    def get_factory_id(self):
        return 5

    def get_class_id(self):
        return 10


@pytest.fixture
def service():
    return SerializationService(data_serializable_factories={5: {9: Point, 10: Duck}})


def test_wire_format(service):
    data = service.to_data(Point(1, "a"))
    # header: identified flag, factory 5, class 9, then the fields
    assert data == H("00000000fffffffe01000000050000000900000001fffffff500000001") + b"a"
    assert service.to_object(data) == Point(1, "a")


def test_duck_typed_class(service):
    back = service.to_object(service.to_data(Duck(7)))
    assert type(back) is Duck and back.v == 7


def test_factory_as_callable():
    service = SerializationService(data_serializable_factories={5: lambda class_id: Point() if class_id == 9 else None})
    assert service.to_object(service.to_data(Point(3, None))) == Point(3, None)


def test_nested_in_list(service):
    assert service.to_object(service.to_data([Point(1, 2), None])) == [Point(1, 2), None]


def test_unknown_factory_names_factory_and_class():
    writer = SerializationService()
    data = writer.to_data(Point(1, 2))
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_object(data)
    message = str(info.value)
    assert "factory id 5" in message and "class id 9" in message and "-2" in message


def test_unknown_class_id_names_it():
    reader = SerializationService(data_serializable_factories={5: {10: Duck}})
    with pytest.raises(HzSerializationError) as info:
        reader.to_object(SerializationService().to_data(Point(1, 2)))
    assert "no class id 9" in str(info.value) and "factory 5" in str(info.value)


def test_callable_factory_returning_none():
    reader = SerializationService(data_serializable_factories={5: lambda class_id: None})
    with pytest.raises(HzSerializationError, match="returned None for class id 9"):
        reader.to_object(SerializationService().to_data(Point(1, 2)))


def test_java_dataserializable_by_class_name_is_refused(service):
    with pytest.raises(HzSerializationError, match="only Java can read it"):
        service.to_object(H("00000000fffffffe00") + struct.pack(">i", 3) + b"a.B")


def test_versioned_header_bytes_are_skipped(service):
    blob = H("00000000fffffffe03000000050000000a01020000002a")
    assert service.to_object(blob).v == 42


def test_member_side_distinct_set_and_entry(service):
    # aggregator distinct result (-29/19): a set of 2 ints
    distinct = H("00000000fffffffe01ffffffe30000001300000002fffffff900000001fffffff900000002")
    assert service.to_object(distinct) == {1, 2}
    # max_by result (-4/120): a map entry
    entry = H("00000000fffffffe01fffffffc00000078fffffff5000000016bfffffff900000007")
    assert service.to_object(entry) == ("k", 7)


def test_truncated_fields_name_the_class(service):
    data = service.to_data(Point(1, 2))
    with pytest.raises(HzSerializationError) as info:
        service.to_object(data[:-3])
    assert "Point" in str(info.value) and "factory id 5" in str(info.value)


@pytest.mark.parametrize(
    "bad, error",
    [
        ({"5": {9: Point}}, TypeError),
        ({5: {"9": Point}}, TypeError),
        ({5: {9: "Point"}}, TypeError),
        ({5: 3}, TypeError),
        ([1, 2], TypeError),
    ],
)
def test_option_validation(bad, error):
    with pytest.raises(error, match="data_serializable_factories"):
        SerializationService(data_serializable_factories=bad)
