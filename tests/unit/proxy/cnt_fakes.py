"""A fake runtime context for the PNCounter, FlakeIdGenerator and Executor unit tests.

Requests are recorded, never sent; a test answers one with ``answer(invocation, response)``
(the response built with the codec's ``encode_*_response``) or ``fail(invocation, error)``.
The handler is a real threading handler, so tasks the proxies spawn really run.
"""

import threading
import types
import uuid

from hzgreen.config import ClientConfig
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.protocol import custom as c
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.serialization import SerializationService

WAIT = 10.0
PARTITIONS = 7


def member(port, lite=False):
    """A MemberInfo on 127.0.0.1:``port`` with a uuid derived from the port."""
    return c.MemberInfo(c.Address("127.0.0.1", port), uuid.UUID(int=port), lite, {}, c.MemberVersion(5, 4, 0))


class FakeInvocations:
    def __init__(self):
        self.sent = []
        self._changed = threading.Condition()

    def invoke(self, invocation):
        with self._changed:
            self.sent.append(invocation)
            self._changed.notify_all()
        return invocation.future

    def wait_sent(self, count):
        """Wait until ``count`` requests were sent in all; returns the list of them."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.sent) >= count, WAIT), "only %d sent" % len(self.sent)
            return list(self.sent)


class FakeCluster:
    def __init__(self, members=()):
        self.members = list(members)

    def get_member(self, member_uuid):
        return next((m for m in self.members if m.uuid == member_uuid), None)


class FakeConnection:
    def __init__(self, member_info):
        self.member_uuid = member_info.uuid
        self.alive = True


class FakeConnections:
    """A connection per member, all up; connection listeners are kept but never told of anything."""

    smart_routing = True

    def __init__(self, members):
        self.active_connections = [FakeConnection(m) for m in members]
        self.listeners = []

    def add_connection_listener(self, listener):
        self.listeners.append(listener)

    def remove_connection_listener(self, listener):
        self.listeners.remove(listener)

    def connect_to_members(self):
        pass


class FakePartitions:
    partition_count = PARTITIONS

    def partition_id_of(self, data):
        return sum(data) % PARTITIONS


def fake_context(members=(), **options):
    """A started handler and the services the proxies use; stop it with ``context.handler.stop()``."""
    handler = SequentialThreadingHandler()
    handler.start()
    return types.SimpleNamespace(
        handler=handler,
        invocations=FakeInvocations(),
        partitions=FakePartitions(),
        serialization=SerializationService(),
        cluster=FakeCluster(members),
        connections=FakeConnections(members),
        config=ClientConfig(**options),
    )


def as_received(message):
    """Round-trip an encoded response through bytes, as the reader would deliver it."""
    message.set_correlation_id(7)
    messages = ClientMessageReader().feed(message.to_bytes())
    assert len(messages) == 1
    return messages[0]


def answer(invocation, response):
    """Complete ``invocation`` with ``response`` as the member would; returns None."""
    invocation.future.set(invocation.response_handler(as_received(response)))


def fail(invocation, error):
    invocation.future.set_exception(error)
