"""Map operations against a real member, under both handlers (hz_client is parametrized)."""

import pytest

from hzgreen.exceptions import HzSerializationError


@pytest.fixture
def m(hz_client, unique_name):
    the_map = hz_client.get_map(unique_name)
    yield the_map
    the_map.destroy()


def test_put_get_remove(m):
    assert m.put("alice", ["age", 31]) is None
    assert m.get("alice") == ["age", 31]
    assert m.put("alice", 32) == ["age", 31]
    assert m.remove("alice") == 32
    assert m.get("alice") is None
    assert m.remove("alice") is None


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        0,
        -1,
        2**31 - 1,
        -(2**31),
        2**40,
        -(2**63),
        2**70,
        1.5,
        "",
        "héllo ✓ 😀",
        b"\x00\xff",
        bytearray(b"ab"),
        [1, "a", None, [2.5]],
        ["nested", [1, 2]],
    ],
)
def test_values_round_trip(m, value):
    m.put("k", value)
    got = m.get("k")
    if isinstance(value, bytearray):
        assert got == bytes(value)
    else:
        assert got == value and type(got) is type(value)


@pytest.mark.parametrize("key", [1, -7, 2**40, "k", b"k", 1.25, True])
def test_keys_of_each_type(m, key):
    m.set(key, "v")
    assert m.get(key) == "v"
    assert m.contains_key(key)


def test_set_delete_contains(m):
    m.set("a", 1)
    assert m.contains_key("a")
    assert m.contains_value(1)
    assert not m.contains_value(2)
    m.delete("a")
    assert not m.contains_key("a")


def test_size_is_empty_clear(m):
    assert m.is_empty() and m.size() == 0
    m.put_all({"k%d" % i: i for i in range(50)})
    assert m.size() == 50 and not m.is_empty()
    m.clear()
    assert m.size() == 0


def test_put_if_absent_replace(m):
    assert m.put_if_absent("a", 1) is None
    assert m.put_if_absent("a", 2) == 1
    assert m.get("a") == 1
    assert m.replace("a", 3) == 1
    assert m.replace("missing", 3) is None
    assert not m.contains_key("missing")
    assert m.replace_if_same("a", 3, 4)
    assert not m.replace_if_same("a", 3, 5)
    assert m.get("a") == 4


def test_get_all_put_all_spread_over_partitions(m):
    entries = {"key-%d" % i: i * 10 for i in range(300)}
    m.put_all(entries)
    assert m.get_all(list(entries) + ["absent"]) == entries
    assert m.get_all([]) == {}
    assert sorted(m.key_set()) == sorted(entries)
    assert sorted(m.values()) == sorted(entries.values())
    assert sorted(m.entry_set()) == sorted(entries.items())


def test_ttl_expires_entries(m, hz_client):
    m.put("short", 1, ttl=1)
    m.set("forever", 2, ttl=0)
    assert m.get("short") == 1
    deadline = hz_client.handler.monotonic() + 15
    while m.get("short") is not None:  # polling the member, not sleeping for sync
        assert hz_client.handler.monotonic() < deadline, "entry with ttl=1 never expired"
        hz_client.handler.sleep_func(0.2)
    assert m.get("forever") == 2


def test_max_idle_is_accepted(m):
    assert m.put("a", 1, max_idle=30) is None
    m.set("b", 2, ttl=30, max_idle=30)
    assert m.put_if_absent("c", 3, max_idle=30) is None
    assert m.get_all(["a", "b", "c"]) == {"a": 1, "b": 2, "c": 3}


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.put(None, 1),
        lambda m: m.put(1, None),
        lambda m: m.get(None),
        lambda m: m.set("a", None),
        lambda m: m.put_if_absent(None, 1),
        lambda m: m.replace_if_same("a", None, 1),
        lambda m: m.get_all(["a", None]),
        lambda m: m.put_all({"a": None}),
        lambda m: m.contains_value(None),
    ],
)
def test_none_is_refused_before_sending(m, hz_client, call):
    sent_before = next(hz_client.invocations._correlation_ids)
    with pytest.raises(ValueError):
        call(m)
    assert next(hz_client.invocations._correlation_ids) == sent_before + 1  # nothing was sent


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.put("a", 1, ttl=-1),
        lambda m: m.put("a", 1, ttl="x"),
        lambda m: m.put_all([("a", 1)]),
        lambda m: m.get_all("abc"),
    ],
)
def test_bad_arguments(m, call):
    with pytest.raises((ValueError, TypeError)):
        call(m)


def test_unserializable_value_names_its_type(m):
    import threading

    with pytest.raises(HzSerializationError) as info:
        m.put("lock", threading.Lock())
    assert "lock" in str(info.value).lower()
    m.put("after", 1)  # the client is unaffected
    assert m.get("after") == 1


def test_destroy_removes_the_data(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("a", 1)
    m.destroy()
    assert hz_client.get_map(unique_name).size() == 0


def test_same_name_gives_the_same_proxy(hz_client, unique_name):
    assert hz_client.get_map(unique_name) is hz_client.get_map(unique_name)
    with pytest.raises(ValueError):
        hz_client.get_map("")
    with pytest.raises(TypeError):
        hz_client.get_map(5)
