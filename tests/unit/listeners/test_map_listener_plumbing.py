"""Map.add_entry_listener without a member: flags, codec variants and event routing.

Covers what a plain member cannot be made to fire (LOADED needs a MapLoader, MERGED a
split-brain heal) by feeding encoded event messages to the registered event handler.
"""

import uuid

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.protocol.codecs import map as codec
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType, MapListenerMixin
from hzgreen.serialization import SerializationService

WAIT = 5.0


class FakeListeners:
    def __init__(self, handler):
        self.registered = []
        self._handler = handler

    def register_async(self, listener_codec, event_handler, on_registered=None):
        self.registered.append((listener_codec, event_handler, on_registered))
        result = self._handler.async_result()
        result.set("registration-%d" % len(self.registered))
        return result

    def deregister(self, registration_id):
        return registration_id.startswith("registration-")


class FakeMap(MapListenerMixin):
    def __init__(self, handler):
        self.name = "the-map"
        serialization = SerializationService()
        self._handler = handler
        self._to_data = serialization.to_data
        self._to_object = serialization.to_object
        self._key_data = serialization.to_data
        self.listeners = FakeListeners(handler)
        self._context = self
        self.schemas = serialization  # stands in for the schema-aware to_object of the context


@pytest.fixture
def handler():
    h = SequentialThreadingHandler()
    h.start()
    yield h
    h.stop()


def as_received(message):
    """Round-trip an encoded message through bytes, as the reader would deliver it."""
    message.set_correlation_id(7)
    message.set_partition_id(-1)
    messages = ClientMessageReader().feed(message.to_bytes())
    assert len(messages) == 1
    return messages[0]


def test_flags_and_plain_codec(handler):
    m = FakeMap(handler)
    registration = m.add_entry_listener(include_value=True, added_func=print, evicted_func=print, loaded_func=print)
    assert registration == "registration-1"
    listener_codec, _, on_registered = m.listeners.registered[0]
    assert on_registered is None
    request = listener_codec.encode_add(True)
    assert request.get_message_type() == codec.ADD_ENTRY_LISTENER_REQUEST_TYPE
    fields = codec.decode_add_entry_listener_request(as_received(request))
    assert fields == {
        "name": "the-map",
        "include_value": True,
        "listener_flags": EntryEventType.ADDED | EntryEventType.EVICTED | EntryEventType.LOADED,
        "local_only": True,
    }
    assert not codec.decode_add_entry_listener_request(as_received(listener_codec.encode_add(False)))["local_only"]
    server_id = uuid.uuid4()
    removal = codec.decode_remove_entry_listener_request(as_received(listener_codec.encode_remove(server_id)))
    assert removal == {"name": "the-map", "registration_id": server_id}
    assert m.remove_entry_listener(registration) is True


@pytest.mark.parametrize(
    "with_key, with_predicate, request_type",
    [
        (True, False, codec.ADD_ENTRY_LISTENER_TO_KEY_REQUEST_TYPE),
        (False, True, codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_REQUEST_TYPE),
        (True, True, codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_REQUEST_TYPE),
    ],
)
def test_key_and_predicate_variants(handler, with_key, with_predicate, request_type):
    m = FakeMap(handler)
    m.add_entry_listener(
        key="k" if with_key else None, predicate="pred" if with_predicate else None, removed_func=print
    )
    request = m.listeners.registered[0][0].encode_add(True)
    assert request.get_message_type() == request_type
    decode = {
        codec.ADD_ENTRY_LISTENER_TO_KEY_REQUEST_TYPE: codec.decode_add_entry_listener_to_key_request,
        codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_REQUEST_TYPE: codec.decode_add_entry_listener_with_predicate_request,
        codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_REQUEST_TYPE: codec.decode_add_entry_listener_to_key_with_predicate_request,
    }[request_type]
    fields = decode(as_received(request))
    assert fields["listener_flags"] == EntryEventType.REMOVED and fields["include_value"] is False
    if with_key:
        assert m._to_object(fields["key"]) == "k"
    if with_predicate:
        assert m._to_object(fields["predicate"]) == "pred"


def test_events_reach_the_matching_function_deserialized(handler):
    m = FakeMap(handler)
    calls = []
    done = handler.event_object()

    def record(kind):
        def func(event):
            calls.append((kind, event, handler.in_callback_worker()))
            if len(calls) == 3:
                done.set()

        return func

    reregistered = []
    m.add_entry_listener(
        include_value=True,
        loaded_func=record("loaded"),
        merged_func=record("merged"),
        clear_all_func=record("clear_all"),
        reregistered_func=lambda: reregistered.append(1),
    )
    _, on_event, on_registered = m.listeners.registered[0]
    member = uuid.uuid4()
    to_data = m._to_data
    on_event(
        as_received(
            codec.encode_add_entry_listener_entry_event(
                to_data("k"), to_data(["v", 1]), None, None, EntryEventType.LOADED, member, 1
            )
        )
    )
    on_event(
        as_received(
            codec.encode_add_entry_listener_entry_event(
                to_data("k"), to_data(2), to_data(1), to_data(3), EntryEventType.MERGED, member, 1
            )
        )
    )
    on_event(
        as_received(
            codec.encode_add_entry_listener_entry_event(
                to_data("k"), None, None, None, EntryEventType.UPDATED, member, 1
            )
        )
    )  # no updated_func: ignored
    on_event(
        as_received(
            codec.encode_add_entry_listener_entry_event(None, None, None, None, EntryEventType.CLEAR_ALL, member, 7)
        )
    )
    on_event(
        as_received(
            codec.encode_add_entry_listener_to_key_entry_event(  # another listener's type
                to_data("k"), None, None, None, EntryEventType.LOADED, member, 1
            )
        )
    )
    assert done.wait(WAIT)
    assert [(kind, on_worker) for kind, _, on_worker in calls] == [
        ("loaded", True),
        ("merged", True),
        ("clear_all", True),
    ]
    loaded, merged, cleared = [event for _, event, _ in calls]
    assert isinstance(loaded, EntryEvent)
    assert (loaded.name, loaded.key, loaded.value, loaded.event_type, loaded.uuid) == (
        "the-map",
        "k",
        ["v", 1],
        EntryEventType.LOADED,
        member,
    )
    assert (merged.value, merged.old_value, merged.merging_value) == (2, 1, 3)
    assert (cleared.key, cleared.number_of_affected_entries) == (None, 7)
    assert "CLEAR_ALL" in repr(cleared)
    on_registered("a connection")
    assert reregistered == [1]


def test_needs_a_function(handler):
    m = FakeMap(handler)
    with pytest.raises(ValueError):
        m.add_entry_listener(include_value=True)
    with pytest.raises(TypeError):
        m.add_entry_listener(expired_func=42)
    with pytest.raises(TypeError):
        m.add_entry_listener(added_func=print, reregistered_func="no")
    assert m.listeners.registered == []


def test_unknown_event_type_is_kept_as_int():
    event = EntryEvent("m", "k", None, None, None, 4096, None, 1)
    assert event.event_type == 4096
