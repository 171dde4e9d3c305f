"""key_hint / value_hint on Map methods: the member sees the Java type asked for."""

import datetime

from hzgreen import predicate as p
from hzgreen.serialization import JavaType


def test_short_key_is_a_different_key_than_int(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put(7, "short key", key_hint=JavaType.SHORT)
    assert m.get(7) is None
    assert m.get(7, key_hint="short") == "short key"
    assert m.contains_key(7, key_hint="short") and not m.contains_key(7)
    assert m.key_set() == [7]
    assert m.remove(7, key_hint="short") == "short key" and m.size() == 0


def test_value_hints_reach_the_member(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("f", 1.5, value_hint="float")
    m.set("b", 3, value_hint="byte")
    m.put_if_absent("l", 3, value_hint="long")
    m.put_all({"d1": datetime.datetime(2020, 1, 1)}, value_hint="OffsetDateTime")
    assert m.key_set(p.instance_of("java.lang.Float")) == ["f"]
    assert m.key_set(p.instance_of("java.lang.Byte")) == ["b"]
    assert m.key_set(p.instance_of("java.lang.Long")) == ["l"]
    assert m.key_set(p.instance_of("java.time.OffsetDateTime")) == ["d1"]
    assert m.get("f") == 1.5 and m.get("d1") == datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    assert m.replace_if_same("l", 3, 4, value_hint="long")
    assert m.contains_value(4, value_hint="long") and not m.contains_value(4)
    assert m.replace("b", 9, value_hint="short") == 3
    assert m.key_set(p.instance_of("java.lang.Short")) == ["b"]


def test_get_all_and_delete_with_hints(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({1: "a", 2: "b"}, key_hint="long")
    assert m.get_all([1, 2], key_hint="long") == {1: "a", 2: "b"}
    assert m.get_all([1, 2]) == {}
    m.delete(1, key_hint="long")
    assert m.get_async(2, key_hint="long").result(10) == "b" and m.size() == 1
