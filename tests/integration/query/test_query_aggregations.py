"""Aggregations and projections computed on a real member."""

import pytest

from hzgreen import HazelcastJsonValue
from hzgreen import aggregator as agg
from hzgreen import predicate as p
from hzgreen import projection as proj
from hzgreen.serialization import FieldKind, GenericRecord


@pytest.fixture
def numbers(hz_client, unique_name):
    """ints 1..10 stored as Java Integer, Long and Double in three maps."""
    ints = hz_client.get_map(unique_name + "-i")
    longs = hz_client.get_map(unique_name + "-l")
    doubles = hz_client.get_map(unique_name + "-d")
    ints.put_all({i: i for i in range(1, 11)})
    longs.put_all({i: i for i in range(1, 11)}, value_hint="long")
    doubles.put_all({i: float(i) for i in range(1, 11)})
    return ints, longs, doubles


def test_families(numbers):
    ints, longs, doubles = numbers
    assert ints.aggregate(agg.count()) == 10
    assert ints.aggregate(agg.int_sum()) == 55 and ints.aggregate(agg.int_avg()) == 5.5
    assert longs.aggregate(agg.long_sum()) == 55 and longs.aggregate(agg.long_avg()) == 5.5
    assert doubles.aggregate(agg.double_sum()) == 55.0 and doubles.aggregate(agg.double_avg()) == 5.5
    assert ints.aggregate(agg.fixed_point_sum()) == 55 and longs.aggregate(agg.fixed_point_sum()) == 55
    assert doubles.aggregate(agg.floating_point_sum()) == 55.0 and ints.aggregate(agg.floating_point_sum()) == 55.0
    assert ints.aggregate(agg.number_avg()) == 5.5 and doubles.aggregate(agg.number_avg()) == 5.5
    assert ints.aggregate(agg.max_()) == 10 and doubles.aggregate(agg.min_()) == 1.0
    assert ints.aggregate(agg.max_by("this")) == (10, 10) and ints.aggregate(agg.min_by("this")) == (1, 1)


def test_with_predicates_and_async(numbers):
    ints, _, _ = numbers
    assert ints.aggregate(agg.count(), p.greater("this", 7)) == 3
    assert ints.aggregate(agg.int_sum(), p.less_or_equal("__key", 4)) == 10
    assert ints.aggregate_async(agg.max_(), p.less("this", 5)).result(10) == 4
    assert ints.aggregate(agg.count(), p.false()) == 0


def test_distinct_and_attribute_paths(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    cities = ["Paris", "Rome", "Paris", "Oslo", "Rome"]
    m.put_all({i: HazelcastJsonValue({"city": c, "age": 20 + i}) for i, c in enumerate(cities)})
    assert m.aggregate(agg.distinct("city")) == {"Paris", "Rome", "Oslo"}
    assert m.aggregate(agg.count("city"), p.equal("city", "Rome")) == 2
    assert m.aggregate(agg.max_("age")) == 24


def test_compact_attributes(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    for i in range(5):
        m.put(
            i,
            GenericRecord(
                "Emp",
                {
                    "age": (FieldKind.INT32, 30 + i),
                    "salary": (FieldKind.FLOAT64, 100.0 * i),
                    "ssn": (FieldKind.INT64, 2**40 + i),
                },
            ),
        )
    assert m.aggregate(agg.int_avg("age")) == 32.0
    assert m.aggregate(agg.double_sum("salary"), p.greater("age", 32)) == 700.0
    assert m.aggregate(agg.long_sum("ssn")) == 5 * 2**40 + 10
    key, record = m.aggregate(agg.min_by("salary"))
    assert key == 0 and record["age"] == 30


def test_projections(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all(
        {i: HazelcastJsonValue({"name": "n%d" % i, "age": i, "address": {"city": "c%d" % (i % 2)}}) for i in range(6)}
    )
    assert sorted(m.project(proj.single_attribute("name"))) == ["n%d" % i for i in range(6)]
    assert sorted(m.project(proj.multi_attribute("name", "address.city"), p.less("age", 2))) == [
        ["n0", "c0"],
        ["n1", "c1"],
    ]
    assert sorted(m.project_async(proj.single_attribute("age"), p.greater("age", 3)).result(10)) == [4, 5]
    assert m.project(proj.single_attribute("name"), p.false()) == []
