"""The ReliableTopic proxy (client.get_reliable_topic) against a real member.

Message loss is provoked on a 5-item ringbuffer (configured on the session member for
the test's own name) with a listener held inside its first message by an event. The
member looks up the ringbuffer settings of ``_hz_rb_<topic>`` under the topic's name
(the prefix is stripped), so that is the name configured.
"""

import time

import pytest

from hzgreen.config import TopicOverloadPolicy
from hzgreen.proxy.reliable_topic import RINGBUFFER_PREFIX, ReliableMessageListener
from hzgreen.proxy.topic import TopicMessage
from hzgreen.server_errors import TopicOverloadError
from tests.integration.proxy.rb_config import add_ringbuffer_config

WAIT = 30


class Waiter:
    """Wait for a condition on collected values without sleeping: every change sets an event."""

    def __init__(self, handler):
        self.handler = handler
        self.changed = handler.event_object()

    def until(self, condition, what):
        deadline = self.handler.monotonic() + WAIT
        while True:
            self.changed.clear()
            if condition():
                return
            remaining = deadline - self.handler.monotonic()
            assert remaining > 0, "timed out waiting for %s" % what
            self.changed.wait(min(remaining, 1.0))


class Recording(ReliableMessageListener):
    """Records sequences and messages; may start at a given sequence, tolerate loss, block on a gate."""

    def __init__(self, handler, initial=-1, loss_tolerant=False, gate=None, terminal_on=None):
        self.waiter = Waiter(handler)
        self.handler = handler
        self.initial = initial
        self.loss_tolerant = loss_tolerant
        self.gate = gate
        self.terminal_on = terminal_on
        self.entered = handler.event_object()
        self.sequences = []
        self.messages = []
        self.in_worker = []
        self.errors = []
        self.losses = []
        self.cancelled = 0

    def on_message(self, message):
        self.in_worker.append(self.handler.in_callback_worker())
        self.messages.append(message)
        self.waiter.changed.set()
        if self.gate is not None and len(self.messages) == 1:
            self.entered.set()
            assert self.gate.wait(WAIT)
        if message.message == self.terminal_on:
            raise RuntimeError("boom")

    def retrieve_initial_sequence(self):
        return self.initial

    def store_sequence(self, sequence):
        self.sequences.append(sequence)

    def is_loss_tolerant(self):
        return self.loss_tolerant

    def is_terminal(self, error):
        self.errors.append(error)
        return True

    def on_lost(self, lost_count, from_sequence):
        self.losses.append((lost_count, from_sequence))

    def on_cancel(self):
        self.cancelled += 1
        self.waiter.changed.set()

    def values(self):
        return [m.message for m in self.messages]

    def wait_values(self, count):
        self.waiter.until(lambda: len(self.messages) >= count, "%d messages, got %r" % (count, self.values()))
        return self.values()


def test_function_listener_gets_later_messages_in_order(hz_client, hz_handler, unique_name):
    topic = hz_client.get_reliable_topic(unique_name)
    assert hz_client.get_reliable_topic(unique_name) is topic
    assert topic.ringbuffer.name == RINGBUFFER_PREFIX + unique_name
    topic.publish("before the listener")
    got = []
    in_worker = []
    waiter = Waiter(hz_handler)

    def on_message(message):
        got.append(message)
        in_worker.append(hz_handler.in_callback_worker())
        waiter.changed.set()

    registration = topic.add_listener(on_message)
    before = time.time()
    for i in range(30):
        topic.publish(i)
    topic.publish_all(["x", {"y": [1]}])
    waiter.until(lambda: len(got) >= 32, "32 messages")
    assert [m.message for m in got] == list(range(30)) + ["x", {"y": [1]}]
    assert isinstance(got[0], TopicMessage) and got[0].name == unique_name
    assert before - 5 <= got[0].publish_time <= time.time() + 5
    assert got[0].member is None  # published by a client
    assert all(in_worker)
    assert topic.remove_listener(registration) is True
    assert topic.remove_listener(registration) is False
    assert topic.ringbuffer.size() == 33


def test_durable_listener_starts_at_its_sequence(hz_client, hz_handler, unique_name):
    topic = hz_client.get_reliable_topic(unique_name)
    topic.publish_all(["a", "b", "c", "d"])
    listener = Recording(hz_handler, initial=1)
    topic.add_listener_async(listener).result(WAIT)
    assert listener.wait_values(3) == ["b", "c", "d"]
    topic.publish("e")
    assert listener.wait_values(4) == ["b", "c", "d", "e"]
    assert listener.sequences == [1, 2, 3, 4]
    assert all(listener.in_worker)


def test_terminal_error_and_removal_cancel_once(hz_client, hz_handler, unique_name):
    topic = hz_client.get_reliable_topic(unique_name)
    failing = Recording(hz_handler, terminal_on="bad")
    removed = Recording(hz_handler)
    topic.add_listener(failing)
    registration = topic.add_listener(removed)
    topic.publish_all(["ok", "bad", "never"])
    removed.wait_values(3)
    failing.waiter.until(lambda: failing.cancelled, "the failing listener to be cancelled")
    assert failing.values() == ["ok", "bad"] and isinstance(failing.errors[0], RuntimeError)
    assert topic.remove_listener(registration) is True
    removed.waiter.until(lambda: removed.cancelled, "on_cancel")
    topic.publish("after")
    assert failing.cancelled == 1 and removed.cancelled == 1
    assert removed.values() == ["ok", "bad", "never"]


def _lossy(hz_client, hz_client_factory, hz_handler, name, loss_tolerant):
    """A listener that falls behind on a 5-message ringbuffer; returns it once it went on or stopped."""
    add_ringbuffer_config(hz_client, name, capacity=5)
    client = hz_client_factory(reliable_topics={name: {"overload_policy": "DISCARD_OLDEST"}})
    topic = client.get_reliable_topic(name)
    assert topic.ringbuffer.capacity() == 5
    gate = hz_handler.event_object()
    listener = Recording(hz_handler, loss_tolerant=loss_tolerant, gate=gate)
    topic.add_listener(listener)
    topic.publish(0)
    assert listener.entered.wait(WAIT), "the listener got the first message"
    for i in range(1, 21):  # sequences 1..20: only 16..20 survive
        topic.publish(i)
    assert topic.ringbuffer.head_sequence() == 16
    gate.set()
    return topic, listener


def test_loss_tolerant_listener_goes_on_from_the_head(hz_client, hz_client_factory, hz_handler, unique_name):
    topic, listener = _lossy(hz_client, hz_client_factory, hz_handler, unique_name, loss_tolerant=True)
    assert listener.wait_values(6) == [0, 16, 17, 18, 19, 20]
    assert listener.sequences == [0, 16, 17, 18, 19, 20]
    assert listener.losses == [(15, 16)]  # told: sequences 1..15 were overwritten unread
    topic.publish(21)
    assert listener.wait_values(7)[-1] == 21
    assert listener.cancelled == 0


def test_listener_that_is_not_loss_tolerant_is_cancelled(hz_client, hz_client_factory, hz_handler, unique_name):
    topic, listener = _lossy(hz_client, hz_client_factory, hz_handler, unique_name, loss_tolerant=False)
    listener.waiter.until(lambda: listener.cancelled, "the listener to be cancelled")
    assert listener.values() == [0] and listener.cancelled == 1
    assert listener.losses == [(15, 16)]


def test_overload_policies(hz_client, hz_client_factory, hz_handler, unique_name):
    names = {policy: "%s-%s" % (unique_name, policy.name) for policy in TopicOverloadPolicy}
    for name in names.values():
        add_ringbuffer_config(hz_client, name, capacity=2, time_to_live_seconds=3600)
    client = hz_client_factory(
        reliable_topics={name: {"overload_policy": policy} for policy, name in names.items()},
    )
    error = client.get_reliable_topic(names[TopicOverloadPolicy.ERROR])
    error.publish_all([1, 2])
    with pytest.raises(TopicOverloadError):
        error.publish(3)
    with pytest.raises(TopicOverloadError):
        error.publish_all_async([3]).result(WAIT)

    newest = client.get_reliable_topic(names[TopicOverloadPolicy.DISCARD_NEWEST])
    newest.publish_all([1, 2])
    newest.publish(3)  # dropped
    assert newest.ringbuffer.size() == 2 and newest.ringbuffer.tail_sequence() == 1

    oldest = client.get_reliable_topic(names[TopicOverloadPolicy.DISCARD_OLDEST])
    oldest.publish_all([1, 2])
    oldest.publish(3)  # overwrites the first
    assert oldest.ringbuffer.head_sequence() == 1 and oldest.ringbuffer.tail_sequence() == 2

    block = client.get_reliable_topic(names[TopicOverloadPolicy.BLOCK])
    block.publish_all([1, 2])
    waiting = block.publish_async(3)
    assert not waiting.wait(0.5), "BLOCK waits while the ringbuffer is full"
    block.destroy()  # a fresh, empty ringbuffer takes the message
    waiting.result(WAIT)
    assert block.ringbuffer.size() == 1


def test_bad_arguments_raise_before_sending(hz_client, unique_name):
    topic = hz_client.get_reliable_topic(unique_name)
    with pytest.raises(ValueError, match="message"):
        topic.publish(None)
    with pytest.raises(ValueError, match="empty"):
        topic.publish_all([])
    with pytest.raises(ValueError, match="listener"):
        topic.add_listener(None)
    with pytest.raises(TypeError, match="listener"):
        topic.add_listener(42)
    with pytest.raises(ValueError, match="registration_id"):
        topic.remove_listener(None)
    assert topic.ringbuffer.size() == 0
