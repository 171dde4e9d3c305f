"""Byte-for-byte compatibility with the official client's serializer (hazelcast-python-client 5.5).

Every value is serialized by both clients: the blobs must be identical, and each client
must read the other's blob back to an equal value. (The live, member-backed version of
this check is tests/integration/serialization/test_ser_official_compat.py.)
"""

import datetime
import decimal
import uuid

import pytest
from hazelcast import aggregator as official_agg
from hazelcast import predicate as official_p
from hazelcast import projection as official_proj
from hazelcast.config import Config
from hazelcast.config import IntType as OfficialIntType
from hazelcast.core import HazelcastJsonValue as OfficialJson
from hazelcast.serialization.compact import SchemaNotReplicatedError
from hazelcast.serialization.data import Data
from hazelcast.serialization.service import SerializationServiceV1

from hzgreen import aggregator as agg
from hzgreen import predicate as p
from hzgreen import projection as proj
from hzgreen.serialization import HazelcastJsonValue, SerializationService

from .official_twins import KINDS, Address, Child, Employee, Point, PointSerializer, Shape, ShapeSerializer

TZ = datetime.timezone(datetime.timedelta(hours=-5))


def make_official(**options):
    config = Config()
    config.data_serializable_factories = {66: {1: Address}}
    config.portable_factories = {77: {1: Employee, 2: Child}}
    config.compact_serializers = [PointSerializer(), ShapeSerializer()]
    for name, value in options.items():
        setattr(config, name, value)
    return SerializationServiceV1(config)


def make_ours(**options):
    return SerializationService(
        data_serializable_factories={66: {1: Address}},
        portable_factories={77: {1: Employee, 2: Child}},
        compact_serializers=[PointSerializer(), ShapeSerializer()],
        **options,
    )


@pytest.fixture
def official():
    return make_official()


@pytest.fixture
def ours():
    return make_ours()


def official_blob(service, value):
    while True:
        try:
            return bytes(service.to_data(value).buffer)
        except SchemaNotReplicatedError as e:  # the official client's schema handshake, done locally
            service.compact_stream_serializer.register_schema_to_type(e.schema, e.clazz)


def check_both_ways(official, ours, value):
    theirs = official_blob(official, value)
    mine = ours.to_data(value)
    assert mine == theirs
    assert ours.to_object(theirs) == value
    assert official.to_object(Data(mine)) == value


BUILTINS = [
    True,
    False,
    0,
    5,
    -5,
    2**31 - 1,
    -(2**31),
    1.5,
    -0.0,
    float("inf"),
    "",
    "héllo 😀 日本",
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    uuid.UUID(int=(1 << 128) - 1),
    decimal.Decimal("1.25"),
    decimal.Decimal("-0.000123"),
    decimal.Decimal("12345678901234567890.5"),
    decimal.Decimal("1E+3"),
    decimal.Decimal("0"),
    decimal.Decimal("-128"),
    decimal.Decimal("128"),
    datetime.date(2024, 2, 29),
    datetime.date(1, 1, 1),
    datetime.time(13, 14, 15, 123456),
    datetime.time(0, 0),
    datetime.datetime(2024, 2, 29, 1, 2, 3, 456, tzinfo=TZ),
    datetime.datetime(2024, 2, 29, 1, 2, 3, tzinfo=datetime.timezone.utc),
    bytearray(b"abc"),
    bytearray(),
    [1, "a", None, [2.5, True]],
    [],
]


@pytest.mark.parametrize("value", BUILTINS, ids=repr)
def test_builtins(official, ours, value):
    check_both_ways(official, ours, value)


def test_json(official, ours):
    theirs = bytes(official.to_data(OfficialJson('{"a": [1, 2]}')).buffer)
    assert ours.to_data(HazelcastJsonValue('{"a": [1, 2]}')) == theirs
    assert ours.to_object(theirs) == HazelcastJsonValue({"a": [1, 2]})
    assert official.to_object(Data(theirs)).loads() == {"a": [1, 2]}


@pytest.mark.parametrize(
    "mode, values",
    [
        ("VAR", [0, 1, 127, 300, 70000, 2**40, 2**70, -(2**70), -300, -70000]),
        ("BIG_INT", [0, 1, -1, 2**70, -(2**70)]),
        ("LONG", [0, -5, 2**62]),
        ("SHORT", [0, 300, -300]),
        ("BYTE", [0, 100]),
    ],
)
def test_int_modes(mode, values):
    official = make_official(default_int_type=getattr(OfficialIntType, mode))
    ours = make_ours(default_int_type=mode)
    for value in values:
        check_both_ways(official, ours, value)


def test_identified_data_serializable(official, ours):
    check_both_ways(official, ours, Address("Main St", 5))
    check_both_ways(official, ours, [Address("x", 1), Address(None, -1)])


def test_portable_every_field_type(official, ours):
    check_both_ways(official, ours, Employee("Ann", 30, [Child("a"), Child("b")], Child("boss")))


def test_portable_null_nested_and_empty_array(official, ours):
    check_both_ways(official, ours, Employee("Ann", 30, [Child("a")], Child("b")))  # learn the class definitions
    check_both_ways(official, ours, Employee("Bob", 40, [], None))


def test_compact_simple(official, ours):
    check_both_ways(official, ours, Point(1, 2, "x"))
    check_both_ways(official, ours, Point(-1, 2**31 - 1, None))


@pytest.mark.parametrize("string_size", [5, 300, 70000], ids=["uint8 offsets", "uint16 offsets", "int32 offsets"])
def test_compact_every_kind(official, ours, string_size):
    fields = dict(KINDS, string="s" * string_size)
    check_both_ways(official, ours, Shape(**fields))


def test_compact_schema_ids_match(official, ours):
    official_blob(official, Shape(**KINDS))
    theirs = {s.schema_id for s in official.compact_stream_serializer.get_schemas()}
    ours.to_data(Shape(**KINDS))
    assert {s.schema_id for s in ours.compact.schemas()} == theirs


PREDICATES = [
    (official_p.sql("age > 3"), p.sql("age > 3")),
    (official_p.equal("a", 1), p.equal("a", 1)),
    (official_p.not_equal("a", "x"), p.not_equal("a", "x")),
    (official_p.like("n", "A%"), p.like("n", "A%")),
    (official_p.ilike("n", "a%"), p.ilike("n", "a%")),
    (official_p.regex("n", ".*"), p.regex("n", ".*")),
    (official_p.between("a", 1, 5), p.between("a", 1, 5)),
    (official_p.in_("a", 1, 2, "x"), p.in_("a", 1, 2, "x")),
    (official_p.instance_of("java.lang.String"), p.instance_of("java.lang.String")),
    (official_p.greater("a", 1), p.greater("a", 1)),
    (official_p.greater_or_equal("a", 1), p.greater_or_equal("a", 1)),
    (official_p.less("a", 1.5), p.less("a", 1.5)),
    (official_p.less_or_equal("a", 1), p.less_or_equal("a", 1)),
    (official_p.and_(official_p.true(), official_p.false()), p.and_(p.true(), p.false())),
    (
        official_p.or_(official_p.equal("__key", 1), official_p.not_(official_p.equal("this", 2))),
        p.or_(p.equal("__key", 1), p.not_(p.equal("this", 2))),
    ),
    (official_p.paging(official_p.true(), 5), p.paging(p.true(), 5)),
]
AGGREGATORS = [
    name
    for name in (
        "count",
        "distinct",
        "double_avg",
        "double_sum",
        "fixed_point_sum",
        "floating_point_sum",
        "int_avg",
        "int_sum",
        "long_avg",
        "long_sum",
        "max_",
        "min_",
        "number_avg",
    )
]


@pytest.mark.parametrize("theirs, mine", PREDICATES, ids=lambda v: repr(v)[:40])
def test_predicates(official, ours, theirs, mine):
    assert ours.to_data(mine) == bytes(official.to_data(theirs).buffer)


@pytest.mark.parametrize("name", AGGREGATORS)
@pytest.mark.parametrize("path", [None, "age"])
def test_aggregators(official, ours, name, path):
    theirs = getattr(official_agg, name)(path)
    mine = getattr(agg, name)(path)
    assert ours.to_data(mine) == bytes(official.to_data(theirs).buffer)


def test_aggregators_by_and_projections(official, ours):
    pairs = [
        (official_agg.max_by("age"), agg.max_by("age")),
        (official_agg.min_by("age"), agg.min_by("age")),
        (official_proj.single_attribute("x"), proj.single_attribute("x")),
        (official_proj.multi_attribute("x", "y.z"), proj.multi_attribute("x", "y.z")),
        (official_proj.identity(), proj.identity()),
    ]
    for theirs, mine in pairs:
        assert ours.to_data(mine) == bytes(official.to_data(theirs).buffer)
