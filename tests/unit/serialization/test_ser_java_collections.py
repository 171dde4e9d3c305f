"""dict and set as Java HashMap (-32) and HashSet (-37), and reading every Java map and set type."""

import datetime
import decimal
import struct
import uuid
from collections import OrderedDict, defaultdict

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import SerializationService, StreamSerializer
from hzgreen.serialization.java_collections import java_collection_serializers

H = bytes.fromhex

MAP_IDS = {-32: "HashMap", -34: "ConcurrentHashMap", -35: "LinkedHashMap"}
SORTED_MAP_IDS = {-36: "TreeMap", -33: "ConcurrentSkipListMap"}
SET_IDS = {-37: "HashSet", -39: "LinkedHashSet", -40: "CopyOnWriteArraySet"}
SORTED_SET_IDS = {-38: "TreeSet", -41: "ConcurrentSkipListSet"}
SORTED_IDS = {**SORTED_MAP_IDS, **SORTED_SET_IDS}
ALL_IDS = {**MAP_IDS, **SET_IDS, **SORTED_IDS}
NULL_COMPARATOR = struct.pack(">i", 0)


def i32(*values):
    return struct.pack(">%di" % len(values), *values)


def string(text):
    raw = text.encode()
    return i32(-11, len(raw)) + raw


def integer(value):
    return i32(-7, value)


def blob(type_id, payload):
    """A Data blob: partition hash 0, the type id, a sorted type's null comparator, the payload."""
    comparator = NULL_COMPARATOR if type_id in SORTED_IDS else b""
    return i32(0, type_id) + comparator + payload


@pytest.fixture
def service():
    return SerializationService()


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"age": 31},
        {"age": 31, "langs": ["python", "java"], "address": {"city": "Oslo", "zip": None}},
        {"k": None, None: "null key", 1: 2.5, "t": b"raw"},
        {"deep": [{"a": [{"b": {"c": [1, {"d": set()}]}}]}]},
        {"u": uuid.UUID(int=7), "n": decimal.Decimal("1.25"), "d": datetime.date(2024, 1, 2), "big": 2**70},
        {(1, 2): "tuple key", frozenset({3}): "frozenset key", ((1, (2,)), "x"): "nested tuple key"},
        {"s": {"x", "y"}, "f": [frozenset({1})]},
    ],
)
def test_dict_round_trip(service, value):
    data = service.to_data(value)
    assert data[4:8] == i32(-32)
    back = service.to_object(data)
    assert back == value and type(back) is dict
    assert list(back) == list(value)  # insertion order kept


@pytest.mark.parametrize(
    "value",
    [
        set(),
        {1, 2, 3},
        {"a", None, 2.5, b"x"},
        {(1, 2), (3, (4, 5))},
        {frozenset({1, 2}), frozenset()},
        frozenset({"x", "y"}),
        frozenset(),
    ],
)
def test_set_and_frozenset_round_trip_as_set(service, value):
    data = service.to_data(value)
    assert data[4:8] == i32(-37)
    back = service.to_object(data)
    assert back == value and type(back) is set


@pytest.mark.parametrize(
    "value, blob_hex",
    [
        ({}, "00000000ffffffe000000000"),
        ({"a": 1}, "00000000ffffffe000000001fffffff50000000161fffffff900000001"),
        ({"age": 31}, "00000000ffffffe000000001fffffff500000003616765fffffff90000001f"),  # docs example
        ({"k": None, None: "v"}, "00000000ffffffe000000002fffffff5000000016b0000000000000000fffffff50000000176"),
        ({"l": [1]}, "00000000ffffffe000000001fffffff5000000016cffffffe300000001fffffff900000001"),
        ({"m": {}}, "00000000ffffffe000000001fffffff5000000016dffffffe000000000"),
        (set(), "00000000ffffffdb00000000"),
        ({2, 1}, "00000000ffffffdb00000002fffffff900000001fffffff900000002"),
        (frozenset({"b", "a"}), "00000000ffffffdb00000002fffffff50000000161fffffff50000000162"),
    ],
)
def test_exact_bytes_of_the_java_layout(service, value, blob_hex):
    # HashMap: int32 size, then key/value nested objects; HashSet: int32 size, then elements
    assert service.to_data(value) == H(blob_hex)


def test_equal_sets_give_equal_bytes_whatever_their_history(service):
    first, second = set(), set()
    for x in (1, 9, 17):
        first.add(x)
    for x in (17, 9, 1):
        second.add(x)
    assert list(first) != list(second)  # Python iterates them differently...
    assert service.to_data(first) == service.to_data(second) == service.to_data(frozenset(first))
    assert service.to_data({"s": first}) == service.to_data({"s": second})


@pytest.mark.parametrize("type_id", sorted(MAP_IDS) + sorted(SORTED_MAP_IDS))
def test_every_java_map_type_reads_as_a_dict_in_the_order_written(service, type_id):
    data = blob(
        type_id,
        i32(3) + string("b") + integer(2) + string("a") + integer(1) + string("c") + i32(-32, 1) + string("x") + i32(0),
    )
    back = service.to_object(data)
    assert back == {"b": 2, "a": 1, "c": {"x": None}} and type(back) is dict
    assert list(back) == ["b", "a", "c"]
    nested = i32(0, -29, 1) + i32(type_id) + data[8:]  # the same map inside an ArrayList
    assert service.to_object(nested) == [back]


@pytest.mark.parametrize("type_id", sorted(SET_IDS) + sorted(SORTED_SET_IDS))
def test_every_java_set_type_reads_as_a_set(service, type_id):
    back = service.to_object(blob(type_id, i32(3) + string("x") + integer(7) + i32(0)))
    assert back == {"x", 7, None} and type(back) is set


@pytest.mark.parametrize("type_id", sorted(ALL_IDS))
def test_empty_collections_of_every_type(service, type_id):
    back = service.to_object(blob(type_id, i32(0)))
    assert back == (set() if type_id in SET_IDS or type_id in SORTED_SET_IDS else {})


@pytest.mark.parametrize("type_id", sorted(SORTED_IDS))
@pytest.mark.parametrize(
    "comparator",
    [
        i32(-100, 3) + b"abc",  # a java.io.Serializable comparator
        i32(-2) + b"\x01" + i32(1, 4) + b"\x00",  # an IdentifiedDataSerializable one
    ],
)
def test_a_sorted_type_with_a_comparator_is_refused_naming_the_type(service, type_id, comparator):
    data = i32(0, type_id) + comparator + i32(1) + string("a") + integer(1)
    with pytest.raises(HzSerializationError) as info:
        service.to_object(data)
    message = str(info.value)
    assert "Java %s with a comparator" % ALL_IDS[type_id] in message
    assert str(struct.unpack_from(">i", comparator)[0]) in message


@pytest.mark.parametrize("type_id", sorted(ALL_IDS))
@pytest.mark.parametrize("size", [-1, -2, -(2**31), 2**31 - 1, 100000])
def test_hostile_sizes_are_refused_before_reading(service, type_id, size):
    with pytest.raises(HzSerializationError) as info:
        service.to_object(blob(type_id, i32(size) + string("a") + integer(1)))
    assert str(size) in str(info.value) and ALL_IDS[type_id] in str(info.value)


@pytest.mark.parametrize("type_id", sorted(ALL_IDS))
def test_a_size_beyond_the_elements_present_is_a_clear_error(service, type_id):
    # size 3 fits in the bytes left, but only one entry (or two elements) is there
    with pytest.raises(HzSerializationError, match="end of data|truncated"):
        service.to_object(blob(type_id, i32(3) + string("abcdefghijklmnopq") + integer(1)))


def test_deep_hostile_nesting_is_a_serialization_error(service):
    payload = i32(0)
    for _ in range(5000):
        payload = i32(1) + string("a") + i32(-32) + payload
    with pytest.raises(HzSerializationError, match="HashMap"):
        service.to_object(i32(0, -32) + payload)


def test_unhashable_keys_and_elements_become_tuples_and_frozensets(service):
    list_key = blob(-32, i32(1) + i32(-29, 2) + integer(1) + i32(-29, 1) + integer(2) + string("v"))
    assert service.to_object(list_key) == {(1, (2,)): "v"}
    set_element = blob(-37, i32(1) + i32(-37, 1) + integer(3))
    assert service.to_object(set_element) == {frozenset({3})}


def test_a_map_key_python_cannot_hash_is_a_clear_error(service):
    map_key = blob(-32, i32(1) + i32(-32, 0) + string("v"))
    with pytest.raises(HzSerializationError, match="HashMap key of Python type 'dict' is unhashable"):
        service.to_object(map_key)
    list_of_map = blob(-37, i32(1) + i32(-29, 1) + i32(-32, 0))
    with pytest.raises(HzSerializationError, match="HashSet element of Python type 'dict' is unhashable"):
        service.to_object(list_of_map)


def test_pickle_enabled_keeps_pickling_dicts_and_sets_and_reads_java_collections():
    pickling = SerializationService(pickle_enabled=True)
    for value in ({"a": 1}, {1, 2}, frozenset({3}), [{"nested": 1}]):
        data = pickling.to_data(value)
        back = pickling.to_object(data)
        assert back == value and type(back) is type(value)
        assert i32(-120) in (data[4:8], data[12:16])  # pickled: at the top, or the list's element
    default = SerializationService()
    for value in ({"a": {"b": [1]}}, {1, 2}):
        assert pickling.to_object(default.to_data(value)) == value


def test_a_pickled_dict_is_still_refused_by_a_default_service():
    pickled = SerializationService(pickle_enabled=True).to_data({"a": 1})
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        SerializationService().to_object(pickled)


class Money:
    pass


class UpperKeys(StreamSerializer):
    """A user serializer for dict: keys upper-cased."""

    def write(self, out, obj):
        out.write_int(len(obj))
        for key, value in obj.items():
            out.write_string(key.upper())
            out.write_object(value)

    def read(self, inp):
        return {inp.read_string(): inp.read_object() for _ in range(inp.read_int())}

    def get_type_id(self):
        return 500


class Everything(UpperKeys):
    def get_type_id(self):
        return 501


def test_custom_and_global_serializers_still_take_dicts_before_hashmap():
    custom = SerializationService(custom_serializers={dict: UpperKeys})
    data = custom.to_data({"a": 1})
    assert data[4:8] == i32(500) and custom.to_object(data) == {"A": 1}
    assert custom.to_data({1})[4:8] == i32(-37)
    globally = SerializationService(global_serializer=Everything)
    assert globally.to_data({"a": 1})[4:8] == i32(501)
    assert globally.to_object(SerializationService().to_data({"a": 1})) == {"a": 1}


@pytest.mark.parametrize(
    "value, type_name",
    [
        ({"ok": Money()}, "Money"),
        ({Money()}, "Money"),
        ({"a": [1, {2: Money()}]}, "Money"),
    ],
)
def test_an_unserializable_value_inside_names_its_type(service, value, type_name):
    with pytest.raises(HzSerializationError, match=type_name):
        service.to_data(value)


def test_subclasses_are_not_taken_for_dict(service):
    for value in (OrderedDict(a=1), defaultdict(int)):
        with pytest.raises(HzSerializationError) as info:
            service.to_data(value)
        assert "plain dict" in str(info.value) and "HazelcastJsonValue(value)" in str(info.value)
    assert service.to_object(service.to_data(dict(OrderedDict(a=1)))) == {"a": 1}


@pytest.mark.parametrize("type_id", sorted(ALL_IDS))
def test_each_serializer_writes_what_it_reads(service, type_id):
    serializer = java_collection_serializers()[type_id]
    value = {"b": 1, "a": None} if type_id in MAP_IDS or type_id in SORTED_MAP_IDS else {"b", "a"}
    out = service.new_output()
    serializer.write(out, value)
    payload = out.to_byte_array()
    assert payload.startswith(NULL_COMPARATOR + i32(2)) if type_id in SORTED_IDS else payload.startswith(i32(2))
    assert service.to_object(i32(0, type_id) + payload) == value
