"""hzgreen and the official Python client (hazelcast-python-client 5.5) on the same member.

For every built-in type, HazelcastJsonValue, IdentifiedDataSerializable, Portable and
Compact: what one client writes, the other reads equal (values and keys). The official
client is thread-based; it runs in this process against the session's ``hz_cluster``.
Compact data written by one client is read by the other through the cluster's schema
registry (``sendSchema`` / ``fetchSchema``). What the official client pickles (``bytes``,
dicts, sets, ...) an hzgreen client reads only when it opts in with ``pickle_enabled``;
without it, hzgreen writes dicts and sets as Java HashMap/HashSet, which the official
client cannot read.
"""

import array
import datetime
import decimal
import uuid

import hazelcast
import pytest
from hazelcast.core import HazelcastJsonValue as OfficialJson
from hazelcast.errors import HazelcastSerializationError
from official_twins import Address, Child, Employee, Point, PointSerializer

from hzgreen import HazelcastJsonValue
from hzgreen import predicate as p
from hzgreen.exceptions import HzSerializationError

TZ = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

FACTORIES = {66: {1: Address}}
PORTABLES = {77: {1: Employee, 2: Child}}


@pytest.fixture(scope="module")
def official(hz_cluster):
    client = hazelcast.HazelcastClient(
        cluster_members=hz_cluster.addresses,
        cluster_name=hz_cluster.cluster_name,
        data_serializable_factories=FACTORIES,
        portable_factories=PORTABLES,
        compact_serializers=[PointSerializer()],
        cluster_connect_timeout=30,
    )
    yield client
    client.shutdown()


@pytest.fixture
def ours(hz_client_factory):
    return hz_client_factory(
        data_serializable_factories=FACTORIES, portable_factories=PORTABLES, compact_serializers=[PointSerializer()]
    )


@pytest.fixture
def maps(official, ours, unique_name):
    return ours.get_map(unique_name), official.get_map(unique_name).blocking()


@pytest.fixture
def pickling_map(hz_client_factory, unique_name):
    """The test's map seen by an hzgreen client that reads pickles of plain data only."""
    client = hz_client_factory(pickle_enabled=True, pickle_allowed_classes=[])
    return client.get_map(unique_name)


#: Values both clients write and read as the same Python value.
BOTH_WAYS = {
    "bool": True,
    "int": 123456,
    "negative int": -7,
    "float": 2.5,
    "str": "héllo 😀 日本",
    "empty str": "",
    "uuid": uuid.UUID("2d0aa2c4-4f0e-4d4c-9d6f-8b8a8c8e8f80"),
    "Decimal": decimal.Decimal("-1234.5678"),
    "date": datetime.date(2024, 2, 29),
    "time": datetime.time(23, 59, 58, 999999),
    "aware datetime": datetime.datetime(2024, 2, 29, 12, 30, 15, 250000, tzinfo=TZ),
    "list": [1, "two", 3.0, None, [True]],
    "IdentifiedDataSerializable": Address("Main Street", 42),
    "Portable": Employee("Ann", 30, [Child("a"), Child("b")], Child("boss")),
    "Compact": Point(3, -4, "p"),
}


@pytest.mark.parametrize("name", list(BOTH_WAYS))
def test_hzgreen_writes_official_reads(maps, name):
    mine, theirs = maps
    value = BOTH_WAYS[name]
    mine.put("k-" + name, value)
    assert theirs.get("k-" + name) == value


@pytest.mark.parametrize("name", list(BOTH_WAYS))
def test_official_writes_hzgreen_reads(maps, name):
    mine, theirs = maps
    value = BOTH_WAYS[name]
    theirs.put("k-" + name, value)
    assert mine.get("k-" + name) == value


@pytest.mark.parametrize(
    "key",
    [7, -3, "text", uuid.UUID(int=12345), 2.5, decimal.Decimal("1.5"), datetime.date(2020, 1, 2), Address("key", 1)],
    ids=repr,
)
def test_keys_are_the_same_bytes(maps, key):
    mine, theirs = maps
    theirs.put(key, "from official")
    assert mine.get(key) == "from official"
    mine.put(key, "from hzgreen")
    assert theirs.get(key) == "from hzgreen"
    assert mine.size() == 1


def test_bytes_and_bytearray(maps, pickling_map):
    mine, theirs = maps
    mine.put("b", b"\x00\xffabc")  # hzgreen: bytes -> Java byte[]
    assert theirs.get("b") == bytearray(b"\x00\xffabc")
    theirs.put("ba", bytearray(b"\x01\x02"))  # official: bytearray -> Java byte[]
    assert mine.get("ba") == b"\x01\x02"
    theirs.put("bb", b"\x01\x02")  # official: bytes -> pickle
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        mine.get("bb")
    assert pickling_map.get("bb") == b"\x01\x02"


def test_json_values(maps):
    mine, theirs = maps
    mine.put("j1", HazelcastJsonValue({"a": [1, 2], "b": "x"}))
    assert theirs.get("j1").loads() == {"a": [1, 2], "b": "x"}
    theirs.put("j2", OfficialJson({"c": True}))
    assert mine.get("j2") == HazelcastJsonValue('{"c": true}')
    assert mine.key_set(p.equal("b", "x")) == ["j1"]


def test_big_integers_and_primitive_arrays_from_hzgreen(maps):
    mine, theirs = maps
    mine.put("big", 2**70)  # Java BigInteger
    mine.put("long", 2**40)  # Java long
    mine.put("ints", array.array("i", [1, -2, 3]))  # Java int[]
    mine.put("doubles", array.array("d", [0.5]))  # Java double[]
    assert theirs.get("big") == 2**70 and theirs.get("long") == 2**40
    assert theirs.get("ints") == [1, -2, 3] and theirs.get("doubles") == [0.5]


def test_naive_datetime(maps):
    mine, theirs = maps
    naive = datetime.datetime(2024, 5, 6, 7, 8, 9, 10)
    mine.put("dt", naive)  # hzgreen: LocalDateTime
    assert theirs.get("dt") == naive
    theirs.put("dt2", naive)  # official: OffsetDateTime at +00:00
    assert mine.get("dt2") == naive.replace(tzinfo=datetime.timezone.utc)


def test_pickled_python_objects(maps, pickling_map):
    default, theirs = maps
    default.put("d", {"x": (1, 2)})  # pickle off: a Java HashMap, which the official client cannot read
    assert default.get("d") == {"x": [1, 2]}
    with pytest.raises(HazelcastSerializationError, match="-32"):
        theirs.get("d")
    pickling_map.put("d", {"x": (1, 2)})  # pickle on: pickled, as the official client does
    assert theirs.get("d") == {"x": (1, 2)}
    theirs.put("s", {1, 2})
    assert pickling_map.get("s") == {1, 2}
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        default.get("s")


def test_compact_schema_travels_through_the_cluster(official, hz_client_factory, unique_name):
    official.get_map(unique_name).blocking().put("p", Point(1, 2, "from official"))
    # a fresh hzgreen client has never seen the schema: it fetches it while reading
    fresh = hz_client_factory(compact_serializers=[PointSerializer()])
    assert fresh.get_map(unique_name).get("p") == Point(1, 2, "from official")
    without_class = hz_client_factory()
    record = without_class.get_map(unique_name).get("p")
    assert (record.type_name, record["x"], record["y"], record["label"]) == ("Point", 1, 2, "from official")
