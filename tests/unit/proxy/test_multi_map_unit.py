"""MultiMap without a member: argument checks, requests, routing, lock ids and listener plumbing.

A fake context records every invocation instead of sending it; a test answers one with
the codec's ``encode_*_response``. Events are fed to the registered event handler as a
member would send them.
"""

import threading
import uuid

import pytest

from hzgreen.handlers.threading import AsyncResult
from hzgreen.protocol.codecs import multi_map as codec
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.proxy.multi_map import MultiMap
from tests.unit.proxy.fakes import WAIT, ModuloPartitions, answer_received, as_received, make_context


@pytest.fixture
def context(handler):
    return make_context(handler, partitions=ModuloPartitions())


@pytest.fixture
def mm(context):
    return MultiMap("the-multimap", context)


def only_sent(context, message_type):
    sent = [inv for inv in context.invocations.sent if inv.request.get_message_type() == message_type]
    assert len(sent) == 1, sent
    return sent[0]


# -- argument checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, what",
    [
        (lambda m: m.put(None, 1), "key"),
        (lambda m: m.put("k", None), "value"),
        (lambda m: m.get(None), "key"),
        (lambda m: m.remove(None, 1), "key"),
        (lambda m: m.remove("k", None), "value"),
        (lambda m: m.remove_all(None), "key"),
        (lambda m: m.delete(None), "key"),
        (lambda m: m.contains_key(None), "key"),
        (lambda m: m.contains_value(None), "value"),
        (lambda m: m.contains_entry(None, 1), "key"),
        (lambda m: m.contains_entry("k", None), "value"),
        (lambda m: m.value_count(None), "key"),
        (lambda m: m.lock(None), "key"),
        (lambda m: m.try_lock(None), "key"),
        (lambda m: m.try_lock("k", timeout=None), "timeout"),
        (lambda m: m.unlock(None), "key"),
        (lambda m: m.is_locked(None), "key"),
        (lambda m: m.force_unlock(None), "key"),
        (lambda m: m.put_all(None), "multimap"),
        (lambda m: m.put_all({None: [1]}), "key"),
        (lambda m: m.put_all({"k": None}), "the values of key 'k'"),
        (lambda m: m.put_all({"k": [1, None]}), "a value of key 'k'"),
        (lambda m: m.lock("k", lease_time=-1), "lease_time"),
        (lambda m: m.try_lock("k", timeout=-0.5), "timeout"),
        (lambda m: m.add_entry_listener(), "at least one of"),
    ],
)
def test_bad_values_raise_value_error_before_sending(mm, context, call, what):
    with pytest.raises(ValueError, match=what):
        call(mm)
    assert context.invocations.sent == []
    assert context.listeners.registered == []


@pytest.mark.parametrize(
    "call, what",
    [
        (lambda m: m.put_all([("k", [1])]), "multimap must be a mapping"),
        (lambda m: m.put_all({"k": "abc"}), "the values of key 'k' must be a collection"),
        (lambda m: m.put_all({"k": 5}), "the values of key 'k' must be a collection"),
        (lambda m: m.lock("k", lease_time="1"), "lease_time"),
        (lambda m: m.try_lock("k", timeout="1"), "timeout"),
        (lambda m: m.add_entry_listener(added_func="not callable"), "added_func must be callable"),
        (lambda m: m.add_entry_listener(include_value=1, added_func=print), "include_value must be a bool"),
        (lambda m: m.remove_entry_listener(42), "registration_id must be a str"),
    ],
)
def test_bad_types_raise_type_error_before_sending(mm, context, call, what):
    with pytest.raises(TypeError, match=what):
        call(mm)
    assert context.invocations.sent == []
    assert context.listeners.registered == []


# -- requests and responses ---------------------------------------------------------------


def test_put_routes_to_key_partition_with_caller_identity(mm, context, handler):
    serialization = context.serialization
    result = mm.put_async("k", "v")
    invocation = only_sent(context, codec.PUT_REQUEST_TYPE)
    key_data = serialization.to_data("k")
    assert invocation.partition_id == ModuloPartitions().partition_id_of(key_data)
    fields = codec.decode_put_request(as_received(invocation.request))
    assert fields == {
        "name": "the-multimap",
        "key": key_data,
        "value": serialization.to_data("v"),
        "thread_id": handler.current_identity(),
    }
    answer_received(invocation, codec.encode_put_response(True))
    assert result.get(WAIT) is True


def test_collections_are_deserialized_lists(mm, context):
    to_data = context.serialization.to_data
    got = mm.get_async("k")
    answer_received(only_sent(context, codec.GET_REQUEST_TYPE), codec.encode_get_response([to_data("a"), to_data(2)]))
    assert got.get(WAIT) == ["a", 2]
    removed = mm.remove_all_async("k")
    answer_received(only_sent(context, codec.REMOVE_REQUEST_TYPE), codec.encode_remove_response([to_data([1, 2])]))
    assert removed.get(WAIT) == [[1, 2]]
    entries = mm.entry_set_async()
    answer_received(
        only_sent(context, codec.ENTRY_SET_REQUEST_TYPE),
        codec.encode_entry_set_response([(to_data("k"), to_data(1)), (to_data("k"), to_data(2))]),
    )
    assert entries.get(WAIT) == [("k", 1), ("k", 2)]
    keys = mm.key_set_async()
    answer_received(only_sent(context, codec.KEY_SET_REQUEST_TYPE), codec.encode_key_set_response([to_data("k")]))
    assert keys.get(WAIT) == ["k"]


def test_put_all_groups_by_partition(mm, context):
    serialization = context.serialization
    multimap = {"key-%d" % i: [i, i + 100] for i in range(20)}
    multimap["empty"] = []
    done = mm.put_all_async(multimap)
    sent = context.invocations.sent
    partition_of = ModuloPartitions().partition_id_of
    expected = {}
    for key, values in multimap.items():
        if not values:
            continue  # left out: the member would keep a key without values
        key_data = serialization.to_data(key)
        expected.setdefault(partition_of(key_data), []).append((key_data, [serialization.to_data(v) for v in values]))
    assert sorted(inv.partition_id for inv in sent) == sorted(expected)
    for invocation in sent:
        fields = codec.decode_put_all_request(as_received(invocation.request))
        assert fields["name"] == "the-multimap"
        assert fields["entries"] == expected[invocation.partition_id]
    for invocation in sent[:-1]:
        answer_received(invocation, codec.encode_put_all_response())
    assert not done.ready()
    answer_received(sent[-1], codec.encode_put_all_response())
    assert done.get(WAIT) is None


def test_put_all_of_nothing_sends_nothing(mm, context):
    assert mm.put_all({}) is None
    assert mm.put_all({"k": [], "j": ()}) is None
    assert context.invocations.sent == []


# -- locks ---------------------------------------------------------------------------------


def test_lock_requests_carry_identity_and_fresh_reference_ids(mm, context, handler):
    mm.lock_async("k", lease_time=2.5)
    mm.lock_async("k")
    locks = [codec.decode_lock_request(as_received(inv.request)) for inv in context.invocations.sent]
    assert [lock["ttl"] for lock in locks] == [2500, -1]
    assert {lock["thread_id"] for lock in locks} == {handler.current_identity()}
    assert locks[0]["reference_id"] != locks[1]["reference_id"]
    assert all(inv.deadline == float("inf") for inv in context.invocations.sent)
    mm.unlock_async("k")
    unlock = codec.decode_unlock_request(as_received(only_sent(context, codec.UNLOCK_REQUEST_TYPE).request))
    assert unlock["thread_id"] == handler.current_identity()
    assert unlock["reference_id"] not in {lock["reference_id"] for lock in locks}


def test_lock_owner_is_the_calling_thread(mm, context, handler):
    mm.lock_async("k")
    other = threading.Thread(target=mm.lock_async, args=("k",))
    other.start()
    other.join(WAIT)
    thread_ids = [codec.decode_lock_request(as_received(inv.request))["thread_id"] for inv in context.invocations.sent]
    assert len(thread_ids) == 2 and thread_ids[0] != thread_ids[1]


def test_try_lock_deadline_covers_the_wait(mm, context, handler):
    before = handler.monotonic()
    result = mm.try_lock_async("k", lease_time=1, timeout=30)
    invocation = only_sent(context, codec.TRY_LOCK_REQUEST_TYPE)
    fields = codec.decode_try_lock_request(as_received(invocation.request))
    assert (fields["lease"], fields["timeout"]) == (1000, 30000)
    assert before + 30 + 120 <= invocation.deadline <= handler.monotonic() + 30 + 120
    answer_received(invocation, codec.encode_try_lock_response(False))
    assert result.get(WAIT) is False


def test_force_unlock_and_is_locked(mm, context):
    mm.force_unlock_async("k")
    fields = codec.decode_force_unlock_request(as_received(only_sent(context, codec.FORCE_UNLOCK_REQUEST_TYPE).request))
    assert fields["key"] == context.serialization.to_data("k")
    locked = mm.is_locked_async("k")
    answer_received(only_sent(context, codec.IS_LOCKED_REQUEST_TYPE), codec.encode_is_locked_response(True))
    assert locked.get(WAIT) is True


# -- listeners -----------------------------------------------------------------------------


def test_listener_codec_variants(mm, context):
    mm.add_entry_listener(include_value=True, added_func=print)
    mm.add_entry_listener(key="k", removed_func=print)
    (plain, _), (to_key, _) = context.listeners.registered
    assert codec.decode_add_entry_listener_request(as_received(plain.encode_add(True))) == {
        "name": "the-multimap",
        "include_value": True,
        "local_only": True,
    }
    fields = codec.decode_add_entry_listener_to_key_request(as_received(to_key.encode_add(False)))
    assert fields["key"] == context.serialization.to_data("k")
    assert (fields["include_value"], fields["local_only"]) == (False, False)


def test_events_reach_the_right_function_on_the_callback_worker(mm, context, handler):
    seen = []
    done = handler.event_object()

    def recorder(kind):
        def record(event):
            seen.append((kind, event, handler.in_callback_worker()))
            if len(seen) == 3:
                done.set()

        return record

    registration = mm.add_entry_listener(
        include_value=True,
        added_func=recorder("added"),
        removed_func=recorder("removed"),
        clear_all_func=recorder("clear_all"),
    )
    _, on_event = context.listeners.registered[0]
    to_data = context.serialization.to_data
    member = uuid.uuid4()
    for key, value, event_type, affected in (
        (to_data("k"), to_data(1), EntryEventType.ADDED, 1),
        (to_data("k"), to_data(1), EntryEventType.REMOVED, 1),
        (None, None, EntryEventType.UPDATED, 1),  # not a MultiMap kind: ignored
        (None, None, EntryEventType.CLEAR_ALL, 4),
    ):
        on_event(
            as_received(
                codec.encode_add_entry_listener_entry_event(key, value, None, None, event_type, member, affected)
            )
        )
    assert done.wait(WAIT)
    assert [(kind, e.event_type, e.key, e.value, e.number_of_affected_entries) for kind, e, _ in seen] == [
        ("added", EntryEventType.ADDED, "k", 1, 1),
        ("removed", EntryEventType.REMOVED, "k", 1, 1),
        ("clear_all", EntryEventType.CLEAR_ALL, None, None, 4),
    ]
    assert all(isinstance(e, EntryEvent) and e.name == "the-multimap" and e.uuid == member for _, e, _ in seen)
    assert all(on_worker for _, _, on_worker in seen)
    assert mm.remove_entry_listener(registration) is True
    assert mm.remove_entry_listener_async("unknown").get(WAIT) is False
    assert context.listeners.deregistered == [registration, "unknown"]


class Interrupted(AsyncResult):
    """An async result whose waiter is interrupted (as a killed greenlet or Ctrl-C would be)."""

    __slots__ = ()

    def get(self, block=True, timeout=None):
        if not self.ready():
            raise KeyboardInterrupt
        return super().get(block, timeout)


@pytest.mark.parametrize("which, granted", [("lock", True), ("try_lock", True), ("try_lock", False)])
def test_abandoned_wait_gives_a_later_grant_back(mm, context, handler, monkeypatch, which, granted):
    monkeypatch.setattr(handler, "async_result", lambda: Interrupted(handler))
    with pytest.raises(KeyboardInterrupt):
        if which == "lock":
            mm.lock("k")
        else:
            mm.try_lock("k", timeout=10)
    monkeypatch.undo()
    (waiting,) = context.invocations.sent
    if which == "lock":
        answer_received(waiting, codec.encode_lock_response())
    else:
        answer_received(waiting, codec.encode_try_lock_response(granted))
    drained = handler.event_object()
    handler.dispatch_callback(drained.set)  # the grant's callback ran before this one
    assert drained.wait(WAIT)
    unlocks = [inv for inv in context.invocations.sent if inv.request.get_message_type() == codec.UNLOCK_REQUEST_TYPE]
    if not granted:
        assert unlocks == []
        return
    (unlock,) = unlocks
    fields = codec.decode_unlock_request(as_received(unlock.request))
    assert fields["thread_id"] == handler.current_identity()
    assert fields["key"] == context.serialization.to_data("k")
