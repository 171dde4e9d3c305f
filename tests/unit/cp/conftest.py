"""A stand-in client for unit tests of the CP layer: no member, requests answered by hand.

``FakeClient.invocations.sent`` collects every Invocation; a test answers one with
``answer(invocation, response_message)`` (built with the codecs' ``encode_*_response``)
or ``fail(invocation, error)``. The handler is a real threading handler whose clock the
test moves (``client.clock.now``).
"""

import types

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.lifecycle import StateTracker
from hzgreen.serialization import SerializationService
from hzgreen.states import HzState


class FakeInvocations:
    def __init__(self, handler):
        self.sent = []
        self._handler = handler
        self._sent_event = handler.event_object()

    def invoke(self, invocation):
        self.sent.append(invocation)
        self._sent_event.set()
        return invocation.future

    def wait_sent(self, message_type, count=1, timeout=10):
        """Wait until ``count`` requests of ``message_type`` were sent; return them."""
        deadline = self._handler.monotonic_real() + timeout
        while len(self.of_type(message_type)) < count:
            remaining = deadline - self._handler.monotonic_real()
            assert remaining > 0, "no request 0x%06x sent in time" % message_type
            self._sent_event.wait(remaining)
            self._sent_event.clear()
        return self.of_type(message_type)

    def of_type(self, message_type):
        return [inv for inv in self.sent if inv.request.get_message_type() == message_type]

    def answer(self, invocation, response):
        invocation.future.set(invocation.response_handler(response))

    def fail(self, invocation, error):
        invocation.future.set_exception(error)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeCluster:
    """The member list as the CP layer sees it: ``members`` and ``watch_members``."""

    def __init__(self, count):
        self.members = ["member-%d" % i for i in range(count)]
        self.observers = []

    def watch_members(self, observer):
        self.observers.append(observer)

    def change(self, count):
        """The member list now has ``count`` members; the observers hear of it."""
        self.members = ["member-%d" % i for i in range(count)]
        for observer in self.observers:
            observer()


class FakeClient:
    """Stands in for the client's RuntimeContext."""

    def __init__(self):
        self.handler = SequentialThreadingHandler()
        self.clock = Clock()
        self.handler.monotonic_real = self.handler.monotonic
        self.handler.monotonic = self.clock
        self.handler.start()
        self.invocations = FakeInvocations(self.handler)
        self.config = types.SimpleNamespace(client_name="unit-client", invocation_timeout=120.0, smart_routing=True)
        self.cluster = FakeCluster(3)
        self.serialization = SerializationService()
        self.state = StateTracker(self.handler, [])
        self.state.transition(HzState.CONNECTED)
        self.connections = types.SimpleNamespace(cluster_id="cluster-1")
        self.cp = None
        self.hooks = []
        self.listeners = []

    @property
    def connected(self):
        return self.state.state == HzState.CONNECTED

    @property
    def cluster_id(self):
        return self.connections.cluster_id

    def add_shutdown_hook(self, hook):
        self.hooks.append(hook)

    def add_listener(self, listener):
        self.listeners.append(listener)
        self.state.add_listener(listener)

    def close(self):
        self.handler.stop()


@pytest.fixture
def fake_client():
    client = FakeClient()
    yield client
    client.close()


@pytest.fixture
def drain():
    """``drain(handler)``: wait until the callback worker ran everything queued so far."""

    def wait(handler):
        done = handler.event_object()
        handler.dispatch_callback(done.set)
        assert done.wait(10)

    return wait
