"""ReplicatedMap without a member: argument checks, routing, request contents, listener variants and events.

The proxy gets a stand-in RuntimeContext whose invocation service only records what it
is asked to send, and whose listener service records what it is asked to register.
"""

import uuid

import pytest

from hzgreen.predicate import greater, paging
from hzgreen.protocol.codecs import replicated_map as codec
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.proxy.replicated_map import ReplicatedMap
from hzgreen.runtime.cluster import PartitionService
from tests.unit.proxy.fakes import PARTITIONS, answer, make_context

WAIT = 10


@pytest.fixture
def context(handler):
    return make_context(handler)


@pytest.fixture
def rmap(context):
    return ReplicatedMap("rm", context)


def test_key_operations_go_to_the_key_partition_with_the_encoded_request(rmap, context):
    key_data = context.serialization.to_data("k")
    owner = context.partitions.partition_id_of(key_data)
    rmap.put_async("k", "v", ttl=1.5)
    rmap.get_async("k")
    rmap.remove_async("k")
    rmap.contains_key_async("k")
    sent = context.invocations.sent
    assert [inv.partition_id for inv in sent] == [owner] * 4
    put = codec.decode_put_request(sent[0].request)
    assert put["name"] == "rm" and put["key"] == key_data and put["ttl"] == 1500
    assert context.serialization.to_object(put["value"]) == "v"
    assert [inv.request.get_message_type() for inv in sent[1:]] == [
        codec.GET_REQUEST_TYPE,
        codec.REMOVE_REQUEST_TYPE,
        codec.CONTAINS_KEY_REQUEST_TYPE,
    ]


@pytest.mark.parametrize("ttl, millis", [(0, 0), (None, 0), (2, 2000), (0.25, 250)])
def test_put_ttl_is_sent_in_milliseconds(rmap, context, ttl, millis):
    rmap.put_async("k", "v", ttl)
    assert codec.decode_put_request(context.invocations.sent[0].request)["ttl"] == millis


def test_whole_map_reads_go_to_one_random_partition(rmap, context):
    calls = [
        rmap.size_async,
        rmap.is_empty_async,
        rmap.key_set_async,
        rmap.values_async,
        rmap.entry_set_async,
        lambda: rmap.contains_value_async(1),
    ]
    for call in calls:
        call()
    partitions = {inv.partition_id for inv in context.invocations.sent}
    assert len(partitions) == 1
    [partition] = partitions
    assert 0 <= partition < PARTITIONS


def test_read_partitions_spread_over_proxies(context):
    picked = set()
    for _ in range(40):
        rmap = ReplicatedMap("rm", context)
        rmap.size_async()
        picked.add(context.invocations.sent[-1].partition_id)
    assert len(picked) > 5  # 40 draws from 271 partitions: all equal has probability ~0


def test_reads_before_the_partition_count_is_known_go_anywhere(context):
    context.partitions = PartitionService()
    rmap = ReplicatedMap("rm", context)
    rmap.size_async()
    assert context.invocations.sent[-1].partition_id == -1


def test_put_all_and_clear_go_to_any_member(rmap, context):
    rmap.put_all_async({"a": 1, "b": 2})
    rmap.clear_async()
    put_all, clear = context.invocations.sent
    assert put_all.partition_id == -1 and clear.partition_id == -1
    entries = codec.decode_put_all_request(put_all.request)["entries"]
    to_object = context.serialization.to_object
    assert sorted((to_object(k), to_object(v)) for k, v in entries) == [("a", 1), ("b", 2)]
    assert clear.request.get_message_type() == codec.CLEAR_REQUEST_TYPE


def test_responses_are_deserialized(rmap, context):
    to_data = context.serialization.to_data
    get = rmap.get_async("k")
    keys = rmap.key_set_async()
    entries = rmap.entry_set_async()
    size = rmap.size_async()
    sent = context.invocations.sent
    answer(sent[0], codec.encode_get_response(to_data({"x": 1})))
    answer(sent[1], codec.encode_key_set_response([to_data("a"), to_data(2)]))
    answer(sent[2], codec.encode_entry_set_response([(to_data("a"), to_data([1]))]))
    answer(sent[3], codec.encode_size_response(7))
    assert get.get(WAIT) == {"x": 1}
    assert keys.get(WAIT) == ["a", 2]
    assert entries.get(WAIT) == [("a", [1])]
    assert size.get(WAIT) == 7


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m: m.put_async(None, 1), ValueError, "key must not be None"),
        (lambda m: m.put_async(1, None), ValueError, "value must not be None"),
        (lambda m: m.put_async(1, 1, ttl=-1), ValueError, "ttl"),
        (lambda m: m.put_async(1, 1, ttl=float("nan")), ValueError, "ttl"),
        (lambda m: m.put_async(1, 1, ttl="1"), TypeError, "ttl"),
        (lambda m: m.put_async(1, 1, ttl=True), TypeError, "ttl"),
        (lambda m: m.get_async(None), ValueError, "key"),
        (lambda m: m.remove_async(None), ValueError, "key"),
        (lambda m: m.contains_key_async(None), ValueError, "key"),
        (lambda m: m.contains_value_async(None), ValueError, "value"),
        (lambda m: m.put_all_async(None), ValueError, "source"),
        (lambda m: m.put_all_async([("a", 1)]), TypeError, "source must be a mapping"),
        (lambda m: m.put_all_async({None: 1}), ValueError, "key"),
        (lambda m: m.put_all_async({"a": None}), ValueError, "value of key 'a'"),
        (lambda m: m.add_entry_listener_async(), ValueError, "at least one of added_func"),
        (lambda m: m.add_entry_listener_async(removed_func="f"), TypeError, "removed_func must be callable"),
        (lambda m: m.add_entry_listener_async(clear_all_func=3), TypeError, "clear_all_func"),
        (lambda m: m.add_entry_listener_async(predicate="this > 1", added_func=print), TypeError, "predicate"),
        (
            lambda m: m.add_entry_listener_async(predicate=paging(greater("this", 1), 5), added_func=print),
            TypeError,
            "paging",
        ),
        (lambda m: m.remove_entry_listener(None), ValueError, "registration_id"),
        (lambda m: m.remove_entry_listener(42), TypeError, "registration_id"),
        (lambda m: m.remove_entry_listener_async(None), ValueError, "registration_id"),
    ],
)
def test_bad_arguments_raise_before_anything_is_sent(rmap, context, call, error, words):
    with pytest.raises(error, match=words):
        call(rmap)
    assert context.invocations.sent == []
    assert context.listeners.registered == [] and context.listeners.deregistered == []


KEY = "watched"


@pytest.mark.parametrize(
    "use_key, use_predicate, request_type, event_type, encode_event",
    [
        (
            False,
            False,
            codec.ADD_ENTRY_LISTENER_REQUEST_TYPE,
            codec.ADD_ENTRY_LISTENER_ENTRY_EVENT_TYPE,
            codec.encode_add_entry_listener_entry_event,
        ),
        (
            True,
            False,
            codec.ADD_ENTRY_LISTENER_TO_KEY_REQUEST_TYPE,
            codec.ADD_ENTRY_LISTENER_TO_KEY_ENTRY_EVENT_TYPE,
            codec.encode_add_entry_listener_to_key_entry_event,
        ),
        (
            False,
            True,
            codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_REQUEST_TYPE,
            codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_ENTRY_EVENT_TYPE,
            codec.encode_add_entry_listener_with_predicate_entry_event,
        ),
        (
            True,
            True,
            codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_REQUEST_TYPE,
            codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_ENTRY_EVENT_TYPE,
            codec.encode_add_entry_listener_to_key_with_predicate_entry_event,
        ),
    ],
)
def test_listener_variants_and_event_delivery_on_the_callback_worker(
    rmap, context, handler, use_key, use_predicate, request_type, event_type, encode_event
):
    to_data = context.serialization.to_data
    seen = []
    done = handler.event_object()

    def updated(event):
        seen.append((event, handler.in_callback_worker()))
        done.set()

    registration_id = rmap.add_entry_listener(
        key=KEY if use_key else None,
        predicate=greater("this", 1) if use_predicate else None,
        updated_func=updated,
    )
    assert registration_id == "registration-1"
    [(listener_codec, on_event)] = context.listeners.registered
    request = listener_codec.encode_add(True)
    assert request.get_message_type() == request_type
    fields = getattr(codec, "decode_" + _variant(request_type) + "_request")(request)
    assert fields["name"] == "rm" and fields["local_only"] is True
    assert ("key" in fields) == use_key and ("predicate" in fields) == use_predicate
    if use_key:
        assert context.serialization.to_object(fields["key"]) == KEY
    member = uuid.uuid4()
    # an event of a kind nobody listens to is dropped; the UPDATED one is delivered
    added = encode_event(to_data(KEY), to_data(5), None, None, int(EntryEventType.ADDED), member, 1)
    on_event(added)
    message = encode_event(to_data(KEY), to_data(5), to_data(4), None, int(EntryEventType.UPDATED), member, 1)
    assert message.get_message_type() == event_type
    on_event(message)
    assert done.wait(WAIT)
    [(event, on_worker)] = seen
    assert isinstance(event, EntryEvent) and on_worker
    assert (event.name, event.key, event.value, event.old_value) == ("rm", KEY, 5, 4)
    assert event.event_type == EntryEventType.UPDATED and event.uuid == member
    remove = listener_codec.encode_remove(member)
    assert codec.decode_remove_entry_listener_request(remove)["registration_id"] == member
    assert rmap.remove_entry_listener(registration_id) is True
    assert context.listeners.deregistered == [registration_id]


def _variant(request_type):
    return {
        codec.ADD_ENTRY_LISTENER_REQUEST_TYPE: "add_entry_listener",
        codec.ADD_ENTRY_LISTENER_TO_KEY_REQUEST_TYPE: "add_entry_listener_to_key",
        codec.ADD_ENTRY_LISTENER_WITH_PREDICATE_REQUEST_TYPE: "add_entry_listener_with_predicate",
        codec.ADD_ENTRY_LISTENER_TO_KEY_WITH_PREDICATE_REQUEST_TYPE: "add_entry_listener_to_key_with_predicate",
    }[request_type]


def test_values_takes_no_comparator(rmap):
    with pytest.raises(TypeError):
        rmap.values(lambda a, b: 0)
