"""A member-less RuntimeContext for the proxy unit tests: the invocation service records
every request instead of sending it (and answers the request types it was given an answer
for), the listener service records every registration.

A test answers a recorded invocation with ``answer`` (the response as built by the
codec's ``encode_*_response``) or ``answer_received`` (the response round-tripped through
bytes first, as the reader delivers it).
"""

import types
import uuid

from hzgreen.protocol.codecs import ringbuffer as rb_codec
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.runtime.cluster import PartitionService
from hzgreen.serialization import SerializationService

WAIT = 5.0
PARTITIONS = 271
MODULO_PARTITIONS = 7


class RecordingInvocations:
    """Records each invocation in ``sent``; answers the request types found in ``answers``
    (message type -> response message) at once."""

    def __init__(self):
        self.sent = []
        self.answers = {}

    def types(self):
        """Returns the message types of the recorded requests, in order."""
        return [invocation.request.get_message_type() for invocation in self.sent]

    def invoke(self, invocation):
        self.sent.append(invocation)
        response = self.answers.get(invocation.request.get_message_type())
        if response is not None:
            invocation.future.set(invocation.response_handler(response))


class ModuloPartitions:
    """A partition service whose partition of some data is the sum of its bytes modulo 7."""

    partition_count = MODULO_PARTITIONS

    def partition_id_of(self, data):
        """Returns the partition id of ``data``."""
        return sum(data) % MODULO_PARTITIONS


class RecordingListeners:
    """Records registrations in ``registered`` (codec, event handler) and removals in
    ``deregistered``; registration ids are ``registration-N``."""

    def __init__(self, handler):
        self.registered = []
        self.deregistered = []
        self._handler = handler

    def register(self, listener_codec, event_handler, on_registered=None):
        """Returns the new registration id."""
        self.registered.append((listener_codec, event_handler))
        return "registration-%d" % len(self.registered)

    def register_async(self, listener_codec, event_handler, on_registered=None):
        """Returns an AsyncResult already holding the new registration id."""
        result = self._handler.async_result()
        result.set(self.register(listener_codec, event_handler, on_registered))
        return result

    def deregister(self, registration_id):
        """Returns whether ``registration_id`` looks like one this fake handed out."""
        self.deregistered.append(registration_id)
        return registration_id.startswith("registration-")


class FakeCluster:
    """Knows ``member`` and whatever a test puts in ``members`` (uuid -> member)."""

    def __init__(self, member):
        self.members = {}
        self._member = member

    def get_member(self, member_uuid):
        """Returns the member with ``member_uuid``, or None."""
        if member_uuid == self._member.uuid:
            return self._member
        return self.members.get(member_uuid)


def partition_service(count=PARTITIONS):
    """Returns a PartitionService that knows ``count`` partitions."""
    partitions = PartitionService()
    partitions.set_partition_count(count)
    return partitions


def make_context(handler, partitions=None, invocations=None, **config):
    """Returns a context with the services a proxy uses; nothing is ever sent.

    ``partitions`` defaults to a PartitionService of 271 partitions, ``invocations`` to a
    RecordingInvocations; ``config`` overrides the settings of ``context.config``.
    """
    serialization = SerializationService()
    member = types.SimpleNamespace(uuid=uuid.uuid4())
    settings = dict(invocation_timeout=120.0, smart_routing=True, reliable_topics={})
    settings.update(config)
    return types.SimpleNamespace(
        handler=handler,
        invocations=RecordingInvocations() if invocations is None else invocations,
        partitions=partition_service() if partitions is None else partitions,
        serialization=serialization,
        schemas=types.SimpleNamespace(to_object=serialization.to_object),
        listeners=RecordingListeners(handler),
        cluster=FakeCluster(member),
        config=types.SimpleNamespace(**settings),
        member=member,
    )


def ringbuffer_context(handler, **config):
    """Returns ``make_context(handler, **config)`` whose ringbuffer capacity requests are answered with 10."""
    context = make_context(handler, **config)
    context.invocations.answers[rb_codec.CAPACITY_REQUEST_TYPE] = rb_codec.encode_capacity_response(10)
    return context


def as_received(message, request=True):
    """Returns ``message`` round-tripped through bytes, as the reader would deliver it."""
    message.set_correlation_id(7)
    if request:
        message.set_partition_id(-1)
    messages = ClientMessageReader().feed(message.to_bytes())
    assert len(messages) == 1
    return messages[0]


def answer(invocation, response):
    """Completes ``invocation`` as if the member answered ``response`` (a ClientMessage); returns None."""
    invocation.future.set(invocation.response_handler(response))


def answer_received(invocation, response):
    """Completes ``invocation`` with ``response`` round-tripped through bytes first; returns None."""
    answer(invocation, as_received(response, request=False))


def make_map(handler, name="m", partitions=PARTITIONS):
    """Returns ``(map, context)``: a Map named ``name`` on a ``make_context`` of ``partitions`` partitions."""
    from hzgreen.proxy.map import Map

    context = make_context(handler, partitions=partition_service(partitions))
    return Map(name, context), context
