"""Map eviction, indexes, entry views, TTLs, conditional/timed/transient writes, load_all
without a loader and the remaining async twins, against a real member under each handler."""

import pytest

from hzgreen import predicate as p
from hzgreen.exceptions import HazelcastServerError
from hzgreen.proxy.map_index import IndexType
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.server_errors import IllegalArgumentError

WAIT = 30


def wait_until(handler, condition, what):
    """Poll ``condition()`` until true (generous deadline); fails naming ``what``."""
    deadline = handler.monotonic() + WAIT
    while not condition():
        assert handler.monotonic() < deadline, "timed out waiting for " + what
        handler.sleep_func(0.05)


def test_evict_and_evict_all_drop_entries_from_memory(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({"a": 1, "b": 2, "c": 3})
    assert m.evict("a") is True
    assert m.evict("missing") is False
    assert m.get("a") is None and m.size() == 2
    m.evict_all()
    assert m.size() == 0
    m.flush()  # no MapStore: nothing to write, and no error


def test_add_index_then_query(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: HazelcastJsonValue({"age": i, "city": "c%d" % (i % 3)}) for i in range(30)})
    m.add_index(["age"])
    m.add_index(["city"], IndexType.HASH, name="by-city")
    m.add_index(["city"], "BITMAP", bitmap_index_options={"unique_key": "__key"})
    m.add_index(["age"])  # the same index again: nothing happens
    assert sorted(m.key_set(p.greater_or_equal("age", 27))) == [27, 28, 29]
    assert len(m.key_set(p.equal("city", "c1"))) == 10


def test_get_entry_view(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    assert m.get_entry_view("k") is None
    m.put("k", "v1", ttl=100)
    m.put("k", "v2", ttl=100)
    m.get("k")
    m.get("k")
    view = m.get_entry_view("k")
    assert (view.key, view.value) == ("k", "v2")
    assert view.version == 1
    assert isinstance(view.hits, int)  # -1: the member keeps no per-entry statistics by default
    assert view.ttl == 100000
    # without per-entry statistics the member reports -1 for creation and access times
    assert view.expiration_time - view.last_update_time == 100000
    assert view.cost > 0
    assert m.get_entry_view_async("k").result(WAIT).value == "v2"


def test_set_ttl_expires_an_entry(hz_client, hz_handler, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("k", "v")
    assert m.set_ttl("missing", 1) is False
    assert m.set_ttl("k", 1) is True
    wait_until(hz_handler, lambda: not m.contains_key("k"), "the entry to expire")


def test_remove_if_same_and_remove_all(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: i * 10 for i in range(10)})
    assert m.remove_if_same(1, 11) is False
    assert m.remove_if_same(1, 10) is True
    assert m.contains_key(1) is False
    m.remove_all(p.greater_or_equal("this", 50))
    assert sorted(m.key_set()) == [0, 2, 3, 4]
    m.remove_all_async(p.true()).result(WAIT)
    assert m.is_empty()


def test_try_put_try_remove_and_put_transient(hz_client, hz_handler, unique_name):
    m = hz_client.get_map(unique_name)
    assert m.try_put("k", "v", timeout=1) is True
    assert m.get("k") == "v"
    assert m.try_remove("k") is True
    assert m.try_remove("k") is False
    m.put_transient("t", "short", ttl=1)
    m.put_transient("u", "idle", max_idle=100)
    assert m.get("u") == "idle"
    wait_until(hz_handler, lambda: not m.contains_key("t"), "the transient entry to expire")


def test_load_all_without_a_loader_is_refused_by_the_member(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("k", "v")
    with pytest.raises(IllegalArgumentError, match="map store"):
        m.load_all()
    with pytest.raises(HazelcastServerError):  # the member fails without naming the cause
        m.load_all(["k"], replace_existing_values=False)
    assert m.entry_set() == [("k", "v")]


def test_iterate_async_has_the_first_page(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: str(i) for i in range(25)})
    cursor = m.iterate_async(page_size=10).result(WAIT)
    assert cursor.pages_fetched >= 1
    assert sorted(cursor) == [(i, str(i)) for i in range(25)]
    empty = hz_client.get_map(unique_name + "-empty").iterate_async(keys_only=True).result(WAIT)
    assert list(empty) == []
