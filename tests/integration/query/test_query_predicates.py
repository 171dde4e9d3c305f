"""Predicates evaluated by a real member over JSON, Compact and plain values, keys and paging."""

import pytest

from hzgreen import HazelcastJsonValue
from hzgreen import predicate as p
from hzgreen import projection as proj
from hzgreen.serialization import FieldKind, GenericRecord, typed

PEOPLE = {
    1: {"name": "Ada", "age": 36, "city": "London", "active": True, "people": [{"name": "Bob"}, {"name": "Cy"}]},
    2: {"name": "bob", "age": 25, "city": "Paris", "active": False, "people": [{"name": "Ada"}]},
    3: {"name": "Cy", "age": 52, "city": "London", "active": True, "people": []},
    4: {"name": "Dee", "age": 41, "city": "Berlin", "active": False, "people": [{"name": "Ada"}, {"name": "Eve"}]},
}


@pytest.fixture
def json_map(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({k: HazelcastJsonValue(v) for k, v in PEOPLE.items()})
    return m


@pytest.mark.parametrize(
    "predicate, expected",
    [
        (p.equal("name", "Ada"), {1}),
        (p.not_equal("city", "London"), {2, 4}),
        (p.like("name", "_o%"), {2}),
        (p.ilike("name", "B%"), {2}),
        (p.regex("city", "L.*n"), {1, 3}),
        (p.between("age", 30, 45), {1, 4}),
        (p.in_("city", "Paris", "Berlin"), {2, 4}),
        (p.greater("age", 41), {3}),
        (p.greater_or_equal("age", 41), {3, 4}),
        (p.less("age", 36), {2}),
        (p.less_or_equal("age", 36), {1, 2}),
        (p.and_(p.equal("active", True), p.greater("age", 40)), {3}),
        (p.or_(p.equal("name", "Cy"), p.equal("city", "Paris")), {2, 3}),
        (p.not_(p.equal("active", True)), {2, 4}),
        (p.true(), {1, 2, 3, 4}),
        (p.false(), set()),
        (p.sql("age > 30 AND city = 'London'"), {1, 3}),
        (p.equal("people[any].name", "Ada"), {2, 4}),
        (p.equal("__key", 3), {3}),
        (p.greater("__key", 2), {3, 4}),
    ],
)
def test_json_predicates(json_map, predicate, expected):
    assert set(json_map.key_set(predicate)) == expected
    assert sorted(v.loads()["name"] for v in json_map.values(predicate)) == sorted(PEOPLE[k]["name"] for k in expected)
    assert {k for k, _ in json_map.entry_set(predicate)} == expected


def test_async_twins(json_map):
    assert json_map.key_set_async(p.equal("name", "Ada")).result(10) == [1]
    assert json_map.values_async(p.equal("name", "Cy")).result(10)[0].loads()["age"] == 52
    assert json_map.entry_set_async(p.false()).result(10) == []


def test_this_and_instance_of_over_plain_values(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({"a": 1, "b": 5, "c": "five", "d": 2.5})
    assert sorted(m.key_set(p.instance_of("java.lang.Integer"))) == ["a", "b"]
    assert m.key_set(p.instance_of("java.lang.String")) == ["c"]
    assert m.key_set(p.and_(p.instance_of("java.lang.Integer"), p.greater("this", 3))) == ["b"]
    assert m.key_set(p.equal("this", "five")) == ["c"]


def test_compact_values(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    for i in range(6):
        m.put(i, GenericRecord("Item", {"n": (FieldKind.INT32, i), "tag": (FieldKind.STRING, "t%d" % (i % 2))}))
    assert sorted(m.key_set(p.and_(p.equal("tag", "t1"), p.greater("n", 1)))) == [3, 5]


def test_paging_in_natural_order(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: i * 10 for i in range(11)})
    paging = p.paging(p.greater_or_equal("this", 20), 4)
    assert m.key_set(paging) == [2, 3, 4, 5]
    paging.next_page()
    assert m.values(paging) == [60, 70, 80, 90]
    paging.next_page()
    assert m.entry_set(paging) == [(10, 100)]
    paging.next_page()
    assert m.key_set(paging) == []
    paging.page = 1
    assert m.key_set(paging) == [6, 7, 8, 9]
    paging.reset()
    assert m.key_set(paging) == [2, 3, 4, 5]
    everything = p.paging(None, 100)
    assert m.key_set(everything) == list(range(11))


def test_typed_comparison_values(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("s", 7, value_hint="short")
    m.put("i", 7)
    assert m.key_set(p.instance_of("java.lang.Short")) == ["s"]
    assert sorted(m.key_set(p.equal("this", typed(7, "short")))) == ["i", "s"]


def test_paging_predicate_is_rejected_where_it_makes_no_sense(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    with pytest.raises(TypeError, match="paging"):
        m.project(proj.single_attribute("a"), p.paging(None, 2))
    with pytest.raises(TypeError):
        m.key_set("age > 3")
