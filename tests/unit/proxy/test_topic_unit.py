"""Topic without a member: argument checks before sending, events delivered in order on the callback worker."""

import pytest

from hzgreen.protocol.codecs import topic as codec
from hzgreen.proxy.topic import Topic, TopicMessage
from tests.unit.proxy.fakes import ringbuffer_context

WAIT = 10


@pytest.fixture
def context(handler):
    return ringbuffer_context(handler)


@pytest.fixture
def topic(context):
    return Topic("news", context)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda t: t.publish(None), ValueError, "message must not be None"),
        (lambda t: t.publish_all(None), ValueError, "messages must not be None"),
        (lambda t: t.publish_all([1, None]), ValueError, "a message of messages must not be None"),
        (lambda t: t.publish_all(b"raw"), TypeError, "messages must be a collection"),
        (lambda t: t.publish_all(7), TypeError, "messages must be a collection"),
        (lambda t: t.add_listener(None), ValueError, "on_message must not be None"),
        (lambda t: t.add_listener(3), TypeError, "on_message must be callable"),
        (lambda t: t.remove_listener(None), ValueError, "registration_id"),
    ],
)
def test_bad_arguments_raise_before_sending(topic, context, call, error, words):
    with pytest.raises(error) as raised:
        call(topic)
    assert words in str(raised.value)
    assert context.invocations.sent == [] and context.listeners.registered == []


def test_publish_goes_to_the_partition_of_the_name(topic, context):
    topic.publish_async("hello")
    topic.publish_all_async(["a", "b"])
    publish, publish_all = context.invocations.sent
    expected = context.partitions.partition_id_of(context.serialization.to_data("news"))
    assert publish.partition_id == expected == publish_all.partition_id
    assert codec.decode_publish_all_request(publish_all.request)["messages"] == [
        context.serialization.to_data("a"),
        context.serialization.to_data("b"),
    ]


def test_events_reach_the_listener_in_order_on_the_callback_worker(topic, context, handler):
    received = []
    done = handler.event_object()

    def on_message(message):
        received.append((message, handler.in_callback_worker()))
        if len(received) == 20:
            done.set()

    assert topic.add_listener(on_message) == "registration-1"
    listener_codec, on_event = context.listeners.registered[0]
    assert codec.decode_add_message_listener_request(listener_codec.encode_add(True))["local_only"] is True
    member = context.member
    for i in range(20):  # as the I/O loop would
        on_event(
            codec.encode_add_message_listener_topic_event(
                context.serialization.to_data(i), 1_700_000_000_000 + i, member.uuid
            )
        )
    assert done.wait(WAIT)
    assert [m.message for m, _ in received] == list(range(20))
    assert all(in_worker for _, in_worker in received)
    first = received[0][0]
    assert isinstance(first, TopicMessage) and first.name == "news"
    assert first.publish_time == 1_700_000_000.0 and first.member is member
    assert topic.remove_listener("registration-1") is True
    assert topic.remove_listener("unknown") is False
