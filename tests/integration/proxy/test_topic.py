"""The Topic proxy (client.get_topic) against real members."""

import time

import pytest

from hzgreen.proxy.topic import TopicMessage

WAIT = 30


class Inbox:
    """Collects messages; records the thread/greenlet identity each one was delivered on."""

    def __init__(self, handler):
        self.messages = []
        self.identities = []
        self.in_worker = []
        self._handler = handler
        self._changed = handler.event_object()

    def __call__(self, message):
        self.messages.append(message)
        self.identities.append(self._handler.current_identity())
        self.in_worker.append(self._handler.in_callback_worker())
        self._changed.set()

    def wait_count(self, count):
        deadline = self._handler.monotonic() + WAIT
        while True:
            self._changed.clear()
            if len(self.messages) >= count:
                return [m.message for m in self.messages]
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "expected %d messages, got %r" % (count, self.messages)
            self._changed.wait(min(remaining, 1.0))


def test_publish_reaches_listener_in_order_on_the_callback_worker(hz_client, hz_handler, unique_name):
    topic = hz_client.get_topic(unique_name)
    assert hz_client.get_topic(unique_name) is topic
    inbox = Inbox(hz_handler)
    registration = topic.add_listener(inbox)
    assert isinstance(registration, str)
    before = time.time()
    for i in range(50):
        topic.publish(i)
    topic.publish({"last": True})
    assert inbox.wait_count(51) == list(range(50)) + [{"last": True}]
    first = inbox.messages[0]
    assert isinstance(first, TopicMessage)
    assert first.name == unique_name
    assert before - 5 <= first.publish_time <= time.time() + 5
    assert first.member is not None and first.member.uuid in {m.uuid for m in hz_client._context.cluster.members}
    assert all(inbox.in_worker), "every message is delivered on the callback worker"


def test_publish_all_and_two_listeners(hz_client, hz_handler, unique_name):
    topic = hz_client.get_topic(unique_name)
    one, two = Inbox(hz_handler), Inbox(hz_handler)
    topic.add_listener(one)
    topic.add_listener(two)
    topic.publish_all(["a", "b", "c"])
    topic.publish_all_async(("d",)).result(WAIT)
    assert one.wait_count(4) == ["a", "b", "c", "d"]
    assert two.wait_count(4) == ["a", "b", "c", "d"]


def test_remove_listener_stops_delivery(hz_client, hz_handler, unique_name):
    topic = hz_client.get_topic(unique_name)
    removed, kept = Inbox(hz_handler), Inbox(hz_handler)
    registration = topic.add_listener(removed)
    topic.add_listener_async(kept).result(WAIT)
    topic.publish("before")
    removed.wait_count(1)
    kept.wait_count(1)
    assert topic.remove_listener(registration) is True
    assert topic.remove_listener(registration) is False
    topic.publish("after")
    assert kept.wait_count(2) == ["before", "after"]
    assert [m.message for m in removed.messages] == ["before"]


def test_messages_from_another_client(hz_client, hz_client_factory, hz_handler, unique_name):
    inbox = Inbox(hz_handler)
    hz_client.get_topic(unique_name).add_listener(inbox)
    other = hz_client_factory()
    other.get_topic(unique_name).publish_all(list(range(20)))
    assert inbox.wait_count(20) == list(range(20))


def test_bad_arguments_raise_before_sending(hz_client, unique_name):
    topic = hz_client.get_topic(unique_name)
    with pytest.raises(ValueError, match="message"):
        topic.publish(None)
    with pytest.raises(ValueError, match="messages"):
        topic.publish_all(None)
    with pytest.raises(ValueError, match="a message of messages"):
        topic.publish_all([1, None])
    with pytest.raises(TypeError, match="messages"):
        topic.publish_all("abc")
    with pytest.raises(ValueError, match="on_message"):
        topic.add_listener(None)
    with pytest.raises(TypeError, match="on_message"):
        topic.add_listener("not callable")
