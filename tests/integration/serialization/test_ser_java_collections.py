"""dict and set values on a real member, with pickle off (the default): Java HashMap and HashSet.

The first tests use the session's member and a default client. The others run on this
package's interop member (see conftest.py), where the Java entry processor
``hzgreen.interop.CollectionProcessor`` describes the value as Java deserialized it
(class names included) and replaces it with a java.util collection built in Java.
"""

import pytest
from interop_twins import DATA_SERIALIZABLE_FACTORY_ID

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.api import IdentifiedDataSerializable


class CollectionProcessor(IdentifiedDataSerializable):
    """hzgreen.interop.CollectionProcessor (1/7): returns a description of the value; ``make``
    names the java.util collection that replaces it (None: the value is left alone)."""

    def __init__(self, make=None):
        self.make = make

    def get_factory_id(self):
        return DATA_SERIALIZABLE_FACTORY_ID

    def get_class_id(self):
        return 7

    def write_data(self, out):
        out.write_string(self.make)

    def read_data(self, inp):
        self.make = inp.read_string()


USER = {"age": 31, "langs": ["python", "java"], "address": {"city": "Oslo", "zip": None}, "tags": {"a", "b"}}


def test_default_client_puts_and_gets_dicts_and_sets(hz_client, unique_name):
    assert hz_client.serialization.to_data({})[4:8] == b"\xff\xff\xff\xe0"  # a HashMap, not a pickle
    m = hz_client.get_map(unique_name)
    assert m.put("alice", USER) is None
    assert m.get("alice") == USER
    m.put("empty", {})
    m.put("s", {1, "two", (3, 4)})
    m.put("f", frozenset({"x"}))
    assert m.get("empty") == {} and m.get("s") == {1, "two", (3, 4)} and m.get("f") == {"x"}
    assert m.get_all(["alice", "f"]) == {"alice": USER, "f": {"x"}}
    assert m.put("alice", {"age": 32}) == USER
    assert sorted(m.key_set()) == ["alice", "empty", "f", "s"]


def test_dicts_and_sets_as_keys_and_compare_and_set(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    first, second = set(), set()
    for x in (1, 9, 17):
        first.add(x)
    for x in (17, 9, 1):
        second.add(x)
    assert list(first) != list(second)
    m.put(first, "by set")
    assert m.get(second) == "by set" and m.contains_key(frozenset(first))  # equal sets, equal bytes
    m.put({"id": 1, "kind": "user"}, "by dict")
    assert m.get({"id": 1, "kind": "user"}) == "by dict"
    m.put("k", first)
    assert m.replace_if_same("k", second, {"replaced": True})
    assert m.get("k") == {"replaced": True}


def test_a_dict_nested_in_a_list_and_in_a_queue(hz_client, unique_name):
    q = hz_client.get_queue(unique_name)
    assert q.offer({"id": 1, "parts": [{"n": 1}, {"n": 2}]})
    assert q.poll() == {"id": 1, "parts": [{"n": 1}, {"n": 2}]}


@pytest.fixture
def client(interop_client):
    return interop_client()


def test_java_reads_a_python_dict_as_a_hashmap(client, unique_name):
    m = client.get_map(unique_name)
    m.put("alice", USER)
    assert m.execute_on_key("alice", CollectionProcessor()) == (
        "HashMap{String:address=HashMap{String:city=String:Oslo, String:zip=null}, String:age=Integer:31, "
        "String:langs=ArrayList[String:python, String:java], String:tags=HashSet{String:a, String:b}}"
    )
    m.put("keys", {(1, 2): 2**40, None: 1.5})
    assert m.execute_on_key("keys", CollectionProcessor()) == (
        "HashMap{ArrayList[Integer:1, Integer:2]=Long:1099511627776, null=Double:1.5}"
    )


def test_java_reads_python_sets_as_hashsets(client, unique_name):
    m = client.get_map(unique_name)
    m.put("s", {"x", 1})
    m.put("f", frozenset())
    assert m.execute_on_key("s", CollectionProcessor()) == "HashSet{Integer:1, String:x}"
    assert m.execute_on_key("f", CollectionProcessor()) == "HashSet{}"


JAVA_MAP = {"one": 1, "two": "zwei", "list": [1, "x"], "set": {"s"}}


@pytest.mark.parametrize(
    "java_type, order",
    [
        ("HashMap", None),
        ("ConcurrentHashMap", None),
        ("LinkedHashMap", ["one", "two", "list", "set"]),
        ("TreeMap", ["list", "one", "set", "two"]),
        ("ConcurrentSkipListMap", ["list", "one", "set", "two"]),
    ],
)
def test_python_reads_java_maps_as_dicts(client, unique_name, java_type, order):
    m = client.get_map(unique_name)
    m.put("k", {"python": True})
    assert m.execute_on_key("k", CollectionProcessor(java_type)) == "HashMap{String:python=Boolean:true}"
    got = m.get("k")
    assert got == JAVA_MAP and type(got) is dict
    if order is not None:
        assert list(got) == order
    assert m.execute_on_key("k", CollectionProcessor()).startswith(java_type + "{")  # still Java's type


@pytest.mark.parametrize(
    "java_type", ["HashSet", "LinkedHashSet", "CopyOnWriteArraySet", "TreeSet", "ConcurrentSkipListSet"]
)
def test_python_reads_java_sets_as_sets(client, unique_name, java_type):
    m = client.get_map(unique_name)
    m.put("k", "placeholder")
    m.execute_on_key("k", CollectionProcessor(java_type))
    got = m.get("k")
    assert got == {"a", "b", "c"} and type(got) is set


def test_a_java_treemap_with_a_comparator_is_refused_and_the_client_carries_on(client, unique_name):
    m = client.get_map(unique_name)
    m.put("k", "placeholder")
    m.execute_on_key("k", CollectionProcessor("TreeMapWithComparator"))
    with pytest.raises(HzSerializationError) as info:
        m.get("k")
    assert "Java TreeMap with a comparator" in str(info.value)
    m.set("k", {"after": 1})  # set: put would return the unreadable previous value
    assert m.get("k") == {"after": 1}
