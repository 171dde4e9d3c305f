"""The MultiMap proxy (client.get_multi_map) against a real member, under both handlers."""

import pytest

from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.proxy.multi_map import MultiMap
from tests.integration.recorders import Recorder

WAIT = 60


def test_put_get_remove(hz_client, unique_name):
    mm = hz_client.get_multi_map(unique_name)
    assert isinstance(mm, MultiMap) and hz_client.get_multi_map(unique_name) is mm
    assert mm.size() == 0 and mm.get("k") == []
    assert mm.put("k", "v1") is True
    assert mm.put("k", "v2") is True
    assert mm.put("k", "v1") is False  # the default value-collection-type is SET
    assert mm.put("other", {"n": [1, 2]}) is True
    assert sorted(mm.get("k")) == ["v1", "v2"]
    assert mm.value_count("k") == 2 and mm.value_count("missing") == 0
    assert mm.size() == 3
    assert mm.contains_key("k") and not mm.contains_key("missing")
    assert mm.contains_value({"n": [1, 2]}) and not mm.contains_value("v3")
    assert mm.contains_entry("k", "v2") and not mm.contains_entry("other", "v2")
    assert sorted(mm.key_set()) == ["k", "other"]
    assert sorted(mm.values(), key=repr) == sorted(["v1", "v2", {"n": [1, 2]}], key=repr)
    assert sorted(mm.entry_set(), key=repr) == sorted([("k", "v1"), ("k", "v2"), ("other", {"n": [1, 2]})], key=repr)
    assert mm.remove("k", "v2") is True and mm.remove("k", "v2") is False
    mm.put("k", "v3")
    assert sorted(mm.remove_all("k")) == ["v1", "v3"]
    assert mm.remove_all("k") == [] and not mm.contains_key("k")
    mm.delete("other")
    assert mm.size() == 0
    mm.put("a", 1)
    mm.put("b", 2)
    mm.clear()
    assert mm.size() == 0 and mm.key_set() == []


def test_put_all_spans_partitions(hz_client, unique_name):
    mm = hz_client.get_multi_map(unique_name)
    multimap = {"key-%d" % i: [i, i + 1000, "x%d" % i] for i in range(300)}
    multimap["no values"] = []
    assert mm.put_all(multimap) is None
    assert mm.size() == 900
    assert sorted(mm.get("key-7"), key=repr) == sorted([7, 1007, "x7"], key=repr)
    assert mm.value_count("key-299") == 3 and not mm.contains_key("no values")
    assert mm.put_all({}) is None and mm.size() == 900


def test_async_twins(hz_client, unique_name):
    mm = hz_client.get_multi_map(unique_name)
    assert mm.put_async("k", 1).result(WAIT) is True
    mm.put_all_async({"k": [2], "j": [3]}).result(WAIT)
    assert sorted(mm.get_async("k").result(WAIT)) == [1, 2]
    assert mm.size_async().result(WAIT) == 3
    assert mm.value_count_async("k").result(WAIT) == 2
    assert mm.contains_entry_async("j", 3).result(WAIT) is True
    assert mm.remove_async("k", 1).result(WAIT) is True
    assert mm.remove_all_async("j").result(WAIT) == [3]
    assert mm.try_lock_async("k").result(WAIT) is True
    assert mm.is_locked_async("k").result(WAIT) is True
    mm.unlock_async("k").result(WAIT)
    assert mm.is_locked("k") is False
    mm.clear_async().result(WAIT)
    assert mm.key_set_async().result(WAIT) == []


def test_argument_errors_send_nothing(hz_client, unique_name):
    mm = hz_client.get_multi_map(unique_name)
    with pytest.raises(ValueError, match="key"):
        mm.put(None, 1)
    with pytest.raises(ValueError, match="value"):
        mm.put("k", None)
    with pytest.raises(ValueError, match="a value of key 'k'"):
        mm.put_all({"j": [1], "k": [2, None]})
    with pytest.raises(TypeError, match="the values of key 'k'"):
        mm.put_all({"k": "abc"})
    with pytest.raises(ValueError, match="timeout"):
        mm.try_lock("k", timeout=-1)
    assert mm.size() == 0  # nothing of the rejected put_all was sent


def test_lock_blocks_another_thread_or_greenlet(hz_client, unique_name):
    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    mm.lock("k")
    assert mm.put("k", "owner writes") is True  # the owner is not blocked by its own lock
    report = {}
    tried, acquired, release = handler.event_object(), handler.event_object(), handler.event_object()

    def other():
        report["try_lock"] = mm.try_lock("k")
        report["try_lock_waiting"] = mm.try_lock("k", timeout=0.2)
        tried.set()
        mm.lock("k")  # waits for the owner's unlock
        report["values"] = sorted(mm.get("k"))
        acquired.set()
        release.wait(WAIT)
        mm.unlock("k")

    task = handler.spawn(other)
    assert tried.wait(WAIT)
    assert report == {"try_lock": False, "try_lock_waiting": False}
    assert mm.is_locked("k")
    assert not acquired.wait(0.5)  # still blocked in lock() while we hold it
    mm.put("k", "still mine")
    mm.unlock("k")
    assert acquired.wait(WAIT)
    assert report["values"] == ["owner writes", "still mine"]
    assert mm.try_lock("k") is False  # now the other one holds it
    release.set()
    task.join(WAIT)
    assert mm.try_lock("k", timeout=WAIT) is True
    mm.unlock("k")
    assert not mm.is_locked("k")


def test_put_by_another_owner_waits_for_the_lock(hz_client, unique_name):
    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    mm.lock("k")
    results = {}
    done = handler.event_object()

    def other():
        results["put"] = mm.put("k", "from other")
        done.set()

    task = handler.spawn(other)
    assert not done.wait(0.5)
    assert mm.get("k") == []
    mm.unlock("k")
    assert done.wait(WAIT) and results["put"] is True
    task.join(WAIT)
    assert mm.get("k") == ["from other"]


def test_reentrant_lock_and_unlock_errors(hz_client, unique_name):
    from hzgreen.server_errors import IllegalMonitorStateError

    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    with pytest.raises(IllegalMonitorStateError):
        mm.unlock("k")
    mm.lock("k")
    assert mm.try_lock("k") is True  # re-entrant for the owner
    mm.unlock("k")
    assert mm.is_locked("k")
    errors = []

    def other():
        try:
            mm.unlock("k")
        except IllegalMonitorStateError as error:
            errors.append(error)

    handler.spawn(other).join(WAIT)
    assert len(errors) == 1 and mm.is_locked("k")
    mm.unlock("k")
    assert not mm.is_locked("k")


def test_lease_time_and_force_unlock(hz_client, unique_name):
    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    mm.lock("leased", lease_time=1)
    started = handler.monotonic()
    outcome = {}

    def other():
        outcome["leased"] = mm.try_lock("leased", timeout=WAIT)
        outcome["after"] = handler.monotonic() - started
        outcome["forced"] = mm.force_unlock("held")

    mm.lock("held")
    handler.spawn(other).join(WAIT)
    assert outcome["leased"] is True and outcome["after"] >= 0.8
    assert outcome["forced"] is None and not mm.is_locked("held")
    assert mm.is_locked("leased")  # held by the other task now
    mm.force_unlock("leased")
    assert not mm.is_locked("leased")


def test_entry_listener(hz_client, unique_name):
    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    added, removed, cleared = Recorder(handler), Recorder(handler), Recorder(handler)
    registration = mm.add_entry_listener(
        include_value=True, added_func=added, removed_func=removed, clear_all_func=cleared
    )
    only_k = Recorder(handler)
    key_registration = mm.add_entry_listener(key="k", added_func=only_k)
    mm.put("k", "v1")
    mm.put("j", "v2")
    mm.remove("k", "v1")
    mm.put_all({"r": ["a", "b"], "d": ["c"]})
    assert sorted(mm.remove_all("r")) == ["a", "b"]
    mm.delete("d")
    mm.put_all({"x": [1, 2], "y": [3]})
    mm.clear()
    added.wait_count(8)
    removed.wait_count(3)
    cleared.wait_count(1)
    only_k.wait_count(1)
    assert sorted((e.key, e.value) for e in added.events if e.key in ("j", "k")) == [("j", "v2"), ("k", "v1")]
    assert {e.event_type for e in added.events} == {EntryEventType.ADDED}
    # the member reports a removed value as the event's old_value; remove_all fires one
    # event per value, delete none
    assert (removed.events[0].key, removed.events[0].value, removed.events[0].old_value) == ("k", None, "v1")
    assert sorted((e.key, e.old_value) for e in removed.events[1:]) == [("r", "a"), ("r", "b")]
    assert {(e.event_type, e.name) for e in removed.events} == {(EntryEventType.REMOVED, unique_name)}
    assert cleared.events[0].event_type == EntryEventType.CLEAR_ALL and cleared.events[0].key is None
    assert cleared.events[0].number_of_affected_entries == 3  # keys j, x, y
    assert [(e.key, e.value) for e in only_k.events] == [("k", None)]  # include_value=False
    recorders = (added, removed, cleared, only_k)
    assert all(isinstance(e, EntryEvent) for r in recorders for e in r.events)
    assert all(all(r.on_worker) for r in recorders)
    assert mm.remove_entry_listener(registration) is True
    assert mm.remove_entry_listener(registration) is False
    mm.put("k", "v3")
    only_k.wait_count(2)
    assert len(added.events) == 8 and len(removed.events) == 3
    assert mm.remove_entry_listener_async(key_registration).result(WAIT) is True


# Greenlets only: a thread blocked in lock() cannot be interrupted (the unit tests cover the threading path).
@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_abandoned_lock_wait_leaves_no_lock_behind(hz_client, hz_handler_name, unique_name):
    import gevent

    handler = hz_client.handler
    mm = hz_client.get_multi_map(unique_name)
    mm.lock("k")
    outcome = []

    def impatient():
        try:
            with gevent.Timeout(0.3):
                mm.lock("k")
        except gevent.Timeout:
            outcome.append("gave up")

    handler.spawn(impatient).join(WAIT)
    assert outcome == ["gave up"]
    mm.unlock("k")  # the member now grants the abandoned request, and the client gives it back
    assert mm.try_lock("k", timeout=WAIT) is True
    mm.unlock("k")
