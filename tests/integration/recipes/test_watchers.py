"""EntryWatch and MapWatch against real members: first call, changes, stopping, re-syncs."""

import threading

import pytest

from hzgreen import HzState
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.recipes.watchers import EntryWatch, MapWatch
from tests.integration.private_cluster import quick_reconnect_client
from tests.integration.tcp_relay import TcpRelay

WAIT = 30


class Calls:
    """Records the calls of a watch function; tests wait on it (never sleep)."""

    def __init__(self, handler, stop_when=None):
        self.items = []
        self.threads = set()
        self._handler = handler
        self._changed = handler.event_object()
        self._stop_when = stop_when

    def __call__(self, *args):
        self.items.append(args if len(args) > 1 else args[0])
        self.threads.add(self._handler.in_callback_worker())
        self._changed.set()
        if self._stop_when is not None and self._stop_when(*args):
            return False
        return None

    def values(self):
        return [item[0] if isinstance(item, tuple) else item for item in self.items]

    def wait_for(self, predicate, what, timeout=WAIT):
        deadline = self._handler.monotonic() + timeout
        while True:
            self._changed.clear()
            if predicate(self.values()):
                return self.values()
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "%s; calls so far: %r" % (what, self.items)
            self._changed.wait(min(remaining, 1.0))

    def wait_last(self, value, what=None):
        return self.wait_for(lambda values: values[-1:] == [value], what or "no call with %r" % (value,))


def no_repeats(values):
    return all(a != b for a, b in zip(values, values[1:]))


# -- EntryWatch -------------------------------------------------------------------------


def test_entry_watch_first_call_then_every_change(hz_client, unique_name):
    calls = Calls(hz_client.handler)
    decorated = hz_client.EntryWatch(unique_name, "k")(calls)
    assert decorated is calls
    assert calls.items == [(None, None)]  # the first call is over when the decorator returns
    m = hz_client.get_map(unique_name)
    m.put("k", "v1")
    calls.wait_last("v1")
    m.put("other", "ignored")
    m.put("k", ["deep", [1, 2]])
    calls.wait_last(["deep", [1, 2]])
    m.remove("k")
    values = calls.wait_last(None, "no call after the removal")
    assert values[:2] == [None, "v1"] and no_repeats(values)
    assert "ignored" not in values
    events = [item[1] for item in calls.items[1:]]
    assert all(isinstance(e, EntryEvent) and e.key == "k" for e in events)
    assert events[-1].event_type == EntryEventType.REMOVED
    assert calls.threads == {True}  # always on the callback worker


def test_entry_watch_starts_with_the_current_value(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("k", 41)
    calls = Calls(hz_client.handler)
    watch = EntryWatch(hz_client, unique_name, "k", func=calls)
    assert calls.items == [(41, None)]
    m.put("k", 42)
    assert calls.wait_last(42) == [41, 42]
    watch.stop()
    assert watch.stopped


def test_entry_watch_same_value_written_again_is_not_a_new_state(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    calls = Calls(hz_client.handler)
    hz_client.EntryWatch(unique_name, "k")(calls)
    for value in ("a", "a", "b", "b", "b", "a", "end"):
        m.put("k", value)
    values = calls.wait_last("end")
    assert no_repeats(values)
    assert values[0] is None and values[-1] == "end"


def test_entry_watch_stops_when_the_function_returns_false(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    calls = Calls(hz_client.handler, stop_when=lambda value, event: value == "stop")
    watch = hz_client.EntryWatch(unique_name, "k")
    watch(calls)
    registration = watch._registration
    assert registration in hz_client.listeners
    m.put("k", "go")
    calls.wait_last("go")
    m.put("k", "stop")
    calls.wait_last("stop")
    assert watch.stopped
    # The listener goes away with the watch; later changes call nothing.
    deadline = hz_client.handler.monotonic() + WAIT
    while registration in hz_client.listeners:
        assert hz_client.handler.monotonic() < deadline, "the listener was not removed"
        hz_client.handler.sleep_func(0.05)
    m.put("k", "after")
    second = Calls(hz_client.handler)
    hz_client.EntryWatch(unique_name, "k")(second)  # a fresh watch sees "after"...
    assert second.values() == ["after"]
    assert calls.values() == [None, "go", "stop"]  # ...the stopped one was not called


def test_entry_watch_function_returning_false_at_once(hz_client, unique_name):
    calls = Calls(hz_client.handler, stop_when=lambda value, event: True)
    watch = hz_client.EntryWatch(unique_name, "k")
    watch(calls)
    assert watch.stopped and calls.values() == [None]
    assert watch._registration is None and not hz_client.listeners._registrations


def test_entry_watch_survives_a_failing_function(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    calls = Calls(hz_client.handler)

    def flaky(value, event):
        calls(value, event)
        if value == "boom":
            raise RuntimeError("the watch function failed")

    hz_client.EntryWatch(unique_name, "k")(flaky)
    m.put("k", "boom")
    calls.wait_last("boom")
    m.put("k", "fine")
    assert calls.wait_last("fine") == [None, "boom", "fine"]


def test_entry_watch_sees_clear(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("k", 1)
    calls = Calls(hz_client.handler)
    hz_client.EntryWatch(unique_name, "k")(calls)
    m.clear()
    assert calls.wait_last(None, "clear() was not seen") == [1, None]


def test_watch_started_from_a_callback(hz_client, unique_name):
    handler = hz_client.handler
    calls = Calls(handler)
    started = handler.event_object()

    def start_watch():
        hz_client.EntryWatch(unique_name, "k")(calls)
        started.set()

    handler.dispatch_callback(start_watch)
    assert started.wait(WAIT)
    assert calls.values() == [None]
    hz_client.get_map(unique_name).put("k", 1)
    calls.wait_last(1)


# -- MapWatch ---------------------------------------------------------------------------


def test_map_watch_key_sets(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("a", 1)
    calls = Calls(hz_client.handler)
    hz_client.MapWatch(unique_name)(calls)
    assert calls.values() == [{"a"}]
    m.put("b", 2)
    calls.wait_last({"a", "b"})
    m.put("a", 100)  # an update: same key set, no call
    m.put("c", 3)
    calls.wait_last({"a", "b", "c"})
    m.remove("a")
    calls.wait_last({"b", "c"})
    m.clear()
    values = calls.wait_last(set())
    assert no_repeats(values)
    assert values[0] == {"a"} and {"a", "b"} in values
    assert all(isinstance(v, set) for v in values)


def test_map_watch_with_events_and_stop(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    calls = Calls(hz_client.handler, stop_when=lambda keys, event: "stop" in keys)
    watch = MapWatch(hz_client, unique_name, send_event=True)
    watch(calls)
    assert calls.items == [(set(), None)]
    m.put("x", 1)
    calls.wait_last({"x"})
    keys, event = calls.items[-1]
    assert isinstance(event, EntryEvent) and event.event_type == EntryEventType.ADDED and event.key == "x"
    m.put("stop", 1)
    calls.wait_last({"x", "stop"})
    assert watch.stopped
    m.put("later", 1)
    check = Calls(hz_client.handler)
    hz_client.MapWatch(unique_name)(check)
    assert check.values() == [{"x", "stop", "later"}]
    assert calls.values() == [set(), {"x"}, {"x", "stop"}]


@pytest.mark.parametrize("hz_handler_name", ["gevent"])
def test_many_watches_under_gevent_start_no_thread(hz_client, unique_name, hz_handler_name):
    gevent = pytest.importorskip("gevent")
    threads_before = threading.active_count()
    m = hz_client.get_map(unique_name)
    watches = [Calls(hz_client.handler) for _ in range(40)]
    starting = [
        gevent.spawn(hz_client.EntryWatch(unique_name, "key-%d" % (i % 10)), calls) for i, calls in enumerate(watches)
    ]
    key_calls = Calls(hz_client.handler)
    hz_client.MapWatch(unique_name)(key_calls)
    gevent.joinall(starting, timeout=WAIT, raise_error=True)
    m.put_all({"key-%d" % i: i for i in range(10)})
    for i, calls in enumerate(watches):
        assert calls.wait_last(i % 10) == [None, i % 10]
    key_calls.wait_last({"key-%d" % i for i in range(10)})
    assert threading.active_count() == threads_before


# -- re-syncs ---------------------------------------------------------------------------


def proxied_client(hz_client_factory, cluster, proxy):
    """A unisocket client (not started) that only ever connects through ``proxy``."""
    client = hz_client_factory(
        cluster,
        start=False,
        cluster_members=["%s:%d" % proxy.address],
        smart_routing=False,
        retry_initial_backoff=0.1,
        retry_max_backoff=0.5,
        connection_timeout=2.0,
    )
    # The member list names the member's own address: keep reconnects on the proxy.
    client._connections._candidate_addresses = lambda: [proxy.address]
    return client


@pytest.mark.fakepeer
def test_watches_resync_after_suspended_through_fault_proxy(hz_cluster, hz_client, hz_client_factory, unique_name):
    host, port = hz_cluster.addresses[0].split(":")
    proxy = TcpRelay((host, int(port)))
    client = proxied_client(hz_client_factory, hz_cluster, proxy)
    hz_handler = client.handler
    states = Calls(hz_handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        writer = hz_client.get_map(unique_name)
        writer.put("k", "before")
        entry_calls, map_calls = Calls(hz_handler), Calls(hz_handler)
        client.EntryWatch(unique_name, "k")(entry_calls)
        client.MapWatch(unique_name)(map_calls)
        unchanged_calls = Calls(hz_handler)
        client.EntryWatch(unique_name, "untouched")(unchanged_calls)
        proxy.cut()
        states.wait_last(HzState.SUSPENDED)
        writer.put("k", "changed while away")  # no event can reach the watching client now
        writer.put("new-key", 1)
        proxy.restore()
        states.wait_last(HzState.CONNECTED)
        entry_calls.wait_last("changed while away", "no re-sync of the entry")
        map_calls.wait_last({"k", "new-key"}, "no re-sync of the key set")
        # A barrier change: anything stale or repeated would have come before it.
        writer.put("k", "barrier")
        writer.put("untouched", "barrier")
        writer.put("barrier-key", 1)
        assert entry_calls.wait_last("barrier") == ["before", "changed while away", "barrier"]
        keys = map_calls.wait_last({"k", "new-key", "untouched", "barrier-key"})
        assert keys[:2] == [{"k"}, {"k", "new-key"}] and no_repeats(keys) and len(keys) <= 4
        assert unchanged_calls.wait_last("barrier") == [None, "barrier"]  # not called again by the re-sync
        assert states.values() == [HzState.CONNECTED, HzState.SUSPENDED, HzState.CONNECTED]
    finally:
        client.close()
        proxy.close()


@pytest.mark.fault
def test_watches_resync_after_the_cluster_was_lost(hz_cluster_factory, hz_handler, unique_name):
    cluster = hz_cluster_factory(members=1)
    client = quick_reconnect_client(cluster, hz_handler)
    states = Calls(hz_handler)
    client.add_listener(states)
    client.start(timeout=30)
    try:
        m = client.get_map(unique_name)
        m.put("k", "old cluster")
        entry_calls, map_calls = Calls(hz_handler), Calls(hz_handler)
        client.EntryWatch(unique_name, "k")(entry_calls)
        client.MapWatch(unique_name)(map_calls)
        cluster.restart_all()  # a new cluster: the data is gone
        states.wait_for(
            lambda values: values[-1:] == [HzState.CONNECTED] and HzState.LOST in values, "no LOST -> CONNECTED"
        )
        entry_calls.wait_last(None, "the entry watch did not see the data go")
        map_calls.wait_last(set(), "the map watch did not see the data go")
        m.put("k", "new cluster")
        assert entry_calls.wait_last("new cluster") == ["old cluster", None, "new cluster"]
        assert map_calls.wait_last({"k"}) == [{"k"}, set(), {"k"}]
    finally:
        client.close()
