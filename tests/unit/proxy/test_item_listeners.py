"""Item listeners shared by Queue, Set and List, without a member: argument checks,
the registration request each structure sends, and delivery on the callback worker."""

import uuid

import pytest

from hzgreen.protocol.codecs import list as list_codec
from hzgreen.protocol.codecs import queue as queue_codec
from hzgreen.protocol.codecs import set as set_codec
from hzgreen.proxy import queue as queue_module
from hzgreen.proxy.item_listeners import ItemEvent, ItemEventType
from hzgreen.proxy.list import List
from hzgreen.proxy.queue import Queue
from hzgreen.proxy.set import Set
from tests.unit.proxy.fakes import WAIT, ModuloPartitions, as_received, make_context

STRUCTURES = [(Queue, queue_codec), (Set, set_codec), (List, list_codec)]


@pytest.fixture
def context(handler):
    return make_context(handler, partitions=ModuloPartitions())


def test_queue_module_still_exports_the_event_types():
    assert queue_module.ItemEvent is ItemEvent and queue_module.ItemEventType is ItemEventType


@pytest.mark.parametrize("proxy_class", [Queue, Set, List])
@pytest.mark.parametrize(
    "kwargs, error, what",
    [
        ({}, ValueError, "item_added_func and/or item_removed_func"),
        ({"include_value": True}, ValueError, "item_added_func and/or item_removed_func"),
        ({"item_added_func": "print"}, TypeError, "item_added_func must be callable"),
        ({"item_removed_func": 3}, TypeError, "item_removed_func must be callable"),
        ({"include_value": 1, "item_added_func": print}, TypeError, "include_value must be a bool"),
    ],
)
def test_bad_arguments_raise_before_registering(proxy_class, kwargs, error, what, context):
    proxy = proxy_class("c", context)
    with pytest.raises(error, match=what):
        proxy.add_listener(**kwargs)
    with pytest.raises(error, match=what):
        proxy.add_listener_async(**kwargs)
    assert context.listeners.registered == [] and context.invocations.sent == []


@pytest.mark.parametrize("proxy_class, codec", STRUCTURES)
def test_registration_requests_use_the_structures_codec(proxy_class, codec, context):
    proxy = proxy_class("things", context)
    assert proxy.add_listener(include_value=True, item_added_func=print) == "registration-1"
    listener_codec, _ = context.listeners.registered[0]
    assert codec.decode_add_listener_request(as_received(listener_codec.encode_add(True))) == {
        "name": "things",
        "include_value": True,
        "local_only": True,
    }
    server_id = uuid.uuid4()
    removal = codec.decode_remove_listener_request(as_received(listener_codec.encode_remove(server_id)))
    assert removal == {"name": "things", "registration_id": server_id}
    assert listener_codec.decode_add(as_received(codec.encode_add_listener_response(server_id), False)) == server_id
    assert listener_codec.decode_remove(as_received(codec.encode_remove_listener_response(True), False)) is True


@pytest.mark.parametrize("proxy_class, codec", STRUCTURES)
def test_events_reach_the_right_function_on_the_callback_worker(proxy_class, codec, context, handler):
    proxy = proxy_class("things", context)
    seen = []
    done = handler.event_object()

    def recorder(kind):
        def record(event):
            seen.append((kind, event, handler.in_callback_worker()))
            if len(seen) == 2:
                done.set()

        return record

    registration = proxy.add_listener(
        include_value=True, item_added_func=recorder("added"), item_removed_func=recorder("removed")
    )
    _, on_event = context.listeners.registered[0]
    member = uuid.uuid4()
    context.cluster.members[member] = "member-info"
    to_data = context.serialization.to_data
    on_event(as_received(codec.encode_add_listener_item_event(to_data("a"), member, 1)))
    on_event(as_received(codec.encode_add_listener_item_event(None, member, 2)))
    on_event(as_received(codec.encode_add_listener_item_event(None, member, 9)))  # unknown kind: no function
    assert done.wait(WAIT)
    assert [(kind, e.event_type, e.item, e.name, e.uuid, e.member) for kind, e, _ in seen] == [
        ("added", ItemEventType.ADDED, "a", "things", member, "member-info"),
        ("removed", ItemEventType.REMOVED, None, "things", member, "member-info"),
    ]
    assert all(on_worker for _, _, on_worker in seen)
    assert proxy.remove_listener(registration) is True
    assert proxy.remove_listener("unknown") is False
    assert context.listeners.deregistered == [registration, "unknown"]


def test_an_unknown_event_type_is_kept_as_an_int():
    event = ItemEvent("q", None, 7, None, None)
    assert event.event_type == 7 and not isinstance(event.event_type, ItemEventType)
    assert "event_type=7" in repr(event)
    assert "ADDED" in repr(ItemEvent("q", "x", 1, None, None))
