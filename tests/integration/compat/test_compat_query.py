"""User predicates, aggregators and projections written for the official client, and
entries with ``.key``/``.value``, through hzgreen.compat against a real 5.4 member.

The user classes below are what official-client code writes: subclasses of the official
bases that are IdentifiedDataSerializable with their own ids and ``write_data``. To need
no extra Java class on the member, they use the ids and wire forms of member classes
(SqlPredicate, the count aggregator, the single-attribute projection).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, List

import pytest

import hzgreen.compat as hazelcast
from hzgreen.compat.aggregator import Aggregator, max_by
from hzgreen.compat.core import MapEntry
from hzgreen.compat.predicate import Predicate, greater
from hzgreen.compat.projection import Projection
from hzgreen.compat.serialization.api import IdentifiedDataSerializable
from hzgreen.testing.plugin import make_handler


class SqlLikePredicate(IdentifiedDataSerializable, Predicate):
    def __init__(self, expression: str) -> None:
        self.expression = expression

    def get_factory_id(self) -> int:
        return -20

    def get_class_id(self) -> int:
        return 0  # SqlPredicate

    def write_data(self, output: Any) -> None:
        output.write_utf(self.expression)


class CountAll(Aggregator[int], IdentifiedDataSerializable):
    def get_factory_id(self) -> int:
        return -29

    def get_class_id(self) -> int:
        return 4  # CountAggregator

    def write_data(self, output: Any) -> None:
        output.write_utf(None)
        output.write_long(0)


class Attribute(Projection[Any], IdentifiedDataSerializable):
    def __init__(self, path: str) -> None:
        self.path = path

    def get_factory_id(self) -> int:
        return -30

    def get_class_id(self) -> int:
        return 0  # SingleAttributeProjection

    def write_data(self, output: Any) -> None:
        output.write_utf(self.path)


@pytest.fixture
def compat_client(hz_cluster: Any, hz_handler_name: str) -> Iterator[Callable[..., hazelcast.HazelcastClient]]:
    made: List[hazelcast.HazelcastClient] = []

    def make(**kwargs: Any) -> hazelcast.HazelcastClient:
        kwargs.setdefault("cluster_members", hz_cluster.addresses)
        kwargs.setdefault("cluster_name", hz_cluster.cluster_name)
        client = hazelcast.HazelcastClient(handler=make_handler(hz_handler_name), **kwargs)
        made.append(client)
        return client

    try:
        yield make
    finally:
        for client in made:
            client.shutdown()


def test_user_query_classes_run_on_the_member(compat_client: Any, unique_name: str) -> None:
    m = compat_client().get_map(unique_name)
    m.put_all({"a": 1, "b": 5, "c": 9}).result()
    assert sorted(m.values(SqlLikePredicate("this > 3")).result()) == [5, 9]
    assert sorted(m.blocking().key_set(SqlLikePredicate("this < 6"))) == ["a", "b"]
    assert m.aggregate(CountAll()).result() == 3
    assert m.aggregate(CountAll(), SqlLikePredicate("this > 3")).result() == 2
    assert sorted(m.project(Attribute("this")).result()) == [1, 5, 9]


def test_entry_set_gives_key_value_pairs(compat_client: Any, unique_name: str) -> None:
    m = compat_client().get_map(unique_name)
    m.put_all({"a": 1, "b": 5}).result()
    assert sorted(m.entry_set().result()) == [("a", 1), ("b", 5)]
    for key, value in m.entry_set(greater("this", 2)).result():
        assert (key, value) == ("b", 5)


def test_max_by_gives_a_map_entry(compat_client: Any, unique_name: str) -> None:
    client = compat_client()  # the map entry factory is registered as in the official client
    m = client.get_map(unique_name)
    m.put_all({"a": 1, "b": 5, "c": 3}).result()
    entry = m.aggregate(max_by("this")).result()
    assert isinstance(entry, MapEntry)
    assert (entry.key, entry.value) == ("b", 5)
