"""ReliableTopic: a topic kept in a ringbuffer (``_hz_rb_<name>``), read by each listener at its own pace.

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Messages must not be None.

Unlike a :class:`~hzgreen.proxy.topic.Topic`, messages are stored: a listener reads them
from the ringbuffer (``read_batch_size`` at a time) and misses none while it keeps up,
even across a disconnection. A listener may be a plain function of a
:class:`~hzgreen.proxy.topic.TopicMessage`, or a :class:`ReliableMessageListener` that
chooses where to start, is told each message's sequence before the message, and decides
what message loss and its own errors mean. Listeners run on the client's callback
worker, one message at a time, in publication order.

The client-side settings come from the ``reliable_topics`` client option (per topic
name: ``read_batch_size``, default 10, and ``overload_policy``, default BLOCK: what
``publish`` does while the ringbuffer is full of messages younger than its
time-to-live). The ringbuffer itself (capacity, time-to-live) is configured on the
members.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Union

from hzgreen.config import ReliableTopicConfig, TopicOverloadPolicy
from hzgreen.protocol.codecs import ringbuffer as rb_codec
from hzgreen.proxy.base import Proxy, check_not_none
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.reliable_topic_message import OutgoingMessage, read_message
from hzgreen.proxy.reliable_topic_runner import MessageRunner, ReliableListenerLike, member_of
from hzgreen.proxy.ringbuffer import MAX_BATCH_SIZE, OverflowPolicy, Ringbuffer
from hzgreen.proxy.topic import TopicMessage, check_callable, check_messages
from hzgreen.server_errors import TopicOverloadError

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

#: The reliable topic ``name`` stores its messages in the ringbuffer ``RINGBUFFER_PREFIX + name``.
RINGBUFFER_PREFIX = "_hz_rb_"

#: BLOCK publishing retries after this pause, doubling up to the maximum.
BLOCK_PAUSE_FIRST = 0.1
BLOCK_PAUSE_MAX = 2.0


class ReliableMessageListener:
    """A reliable topic listener with control over where it starts, loss and errors.

    Subclass it and override :meth:`on_message`; the other methods have the defaults
    of a plain function listener (start after the newest message, store nothing, not
    loss tolerant, no error is terminal). Its methods run on the callback worker, one
    call at a time.

    *Durable subscriptions*: :meth:`store_sequence` is called with each message's
    sequence before :meth:`on_message`; returning that stored sequence from
    :meth:`retrieve_initial_sequence` on the next run gives at-least-once delivery,
    returning it plus one gives at-most-once.
    """

    def on_message(self, message: TopicMessage) -> None:
        """Handle one message; an exception is passed to :meth:`is_terminal`. Returns None."""
        raise NotImplementedError("on_message")

    def retrieve_initial_sequence(self) -> int:
        """The sequence to start from; -1 (the default) starts with the next message published."""
        return -1

    def store_sequence(self, sequence: int) -> None:
        """Told the sequence of the message about to be handled; returns None."""

    def is_loss_tolerant(self) -> bool:
        """True to carry on from the oldest message left after falling behind; False (default) to be cancelled."""
        return False

    def is_terminal(self, error: Exception) -> bool:
        """True to be cancelled because :meth:`on_message` raised ``error``; False (default) to go on."""
        return False

    def on_lost(self, lost_count: int, from_sequence: int) -> None:
        """Told that the listener fell behind: ``lost_count`` messages were overwritten unread, and the
        oldest one left is ``from_sequence``. Called before the listener goes on (loss tolerant) or is
        cancelled. An hzgreen addition (the official client only logs it). Returns None.
        """

    def on_cancel(self) -> None:
        """Called once when the listener stops: removed, destroyed, cancelled or the client stopped. Returns None."""


class _FunctionListener(ReliableMessageListener):
    """A plain function used as a listener (the defaults of :class:`ReliableMessageListener`)."""

    def __init__(self, func: Callable[[TopicMessage], Any]) -> None:
        self._func = func

    def on_message(self, message: TopicMessage) -> None:
        self._func(message)

    def __repr__(self) -> str:
        return "listener %r" % (self._func,)


def as_listener(listener: object) -> ReliableListenerLike:
    """``listener`` as a reliable listener object; raises ValueError for None, TypeError for neither kind."""
    check_not_none(listener, "listener")
    if isinstance(listener, (ReliableMessageListener, ReliableListenerLike)):
        return listener
    check_callable(listener, "listener")
    return _FunctionListener(listener)  # type: ignore[arg-type]  # checked callable just above


class ReliableTopic(Proxy):
    """A distributed reliable topic; see the module docstring for conventions."""

    service_name = "hz:impl:reliableTopicService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        self.config: ReliableTopicConfig = context.config.reliable_topics.get(name) or ReliableTopicConfig()
        self._ringbuffer = Ringbuffer(RINGBUFFER_PREFIX + name, context)
        self._runners: Dict[str, MessageRunner] = {}

    def blocking(self) -> ReliableTopic:
        """This proxy: its methods without ``_async`` already wait (kept for code written for the official client)."""
        return self

    @property
    def ringbuffer(self) -> Ringbuffer:
        """The ringbuffer holding this topic's messages."""
        return self._ringbuffer

    # -- publishing ---------------------------------------------------------------------

    def _envelope(self, message: Any, what: str) -> bytes:
        payload = self._value_data(message, what)
        return self._to_data(OutgoingMessage(int(time.time() * 1000), payload))

    def publish_async(self, message: Any) -> AsyncResult[None]:
        """Like :meth:`publish`; raises ValueError for None before sending."""
        return self._publish(self._encode_one(message))

    def publish(self, message: Any) -> None:
        """Store ``message`` for every listener; returns None.

        When the ringbuffer is full of unexpired messages the ``overload_policy`` decides:
        BLOCK waits for room, ERROR raises TopicOverloadError, DISCARD_NEWEST drops this
        message, DISCARD_OLDEST overwrites the oldest one."""
        encode = self._encode_one(message)
        if self.config.overload_policy == TopicOverloadPolicy.BLOCK:
            self._publish_waiting(encode)
        else:
            self._publish(encode).get()

    def publish_all_async(self, messages: Iterable[Any]) -> AsyncResult[None]:
        """Like :meth:`publish_all`; raises before sending for bad arguments."""
        return self._publish(self._encode_all(messages))

    def _encode_one(self, message: Any) -> Callable[[int], ClientMessage]:
        """Serialize ``message``; returns a function building its add request for an overflow policy."""
        data = self._envelope(message, "message")
        ringbuffer_name = self._ringbuffer.name
        return lambda policy: rb_codec.encode_add_request(ringbuffer_name, policy, data)

    def _encode_all(self, messages: Iterable[Any]) -> Callable[[int], ClientMessage]:
        """Check and serialize ``messages``; returns a function building their addAll request."""
        listed = check_messages(messages)
        if not listed:
            raise ValueError("messages must not be empty")
        if len(listed) > MAX_BATCH_SIZE:
            raise ValueError("messages must hold at most %d messages, got %d" % (MAX_BATCH_SIZE, len(listed)))
        datas = [self._envelope(message, "a message of messages") for message in listed]
        ringbuffer_name = self._ringbuffer.name
        return lambda policy: rb_codec.encode_add_all_request(ringbuffer_name, datas, policy)

    def publish_all(self, messages: Iterable[Any]) -> None:
        """Store ``messages`` in order (all or, under DISCARD_NEWEST, none); returns None.

        Raises ValueError for None, an empty collection, a None message or more than
        1000 messages; the overload policy applies as for :meth:`publish`."""
        encode = self._encode_all(messages)
        if self.config.overload_policy == TopicOverloadPolicy.BLOCK:
            self._publish_waiting(encode)
        else:
            self._publish(encode).get()

    def _publish_waiting(self, encode: Callable[[int], ClientMessage]) -> None:
        """BLOCK in the caller: retry the add after a growing pause until there is room; returns None.

        Needs no callback worker, so a listener may publish from its callback."""
        pause = BLOCK_PAUSE_FIRST
        while not self._ringbuffer._call(encode(OverflowPolicy.FAIL), _added).get():
            self._handler.sleep_func(pause)
            pause = min(pause * 2, BLOCK_PAUSE_MAX)

    def _publish(self, encode: Callable[[int], ClientMessage]) -> AsyncResult[None]:
        """Add through the ringbuffer under the overload policy; the result is None."""
        policy = self.config.overload_policy
        ringbuffer = self._ringbuffer
        if policy == TopicOverloadPolicy.DISCARD_OLDEST:
            return ringbuffer._call(encode(OverflowPolicy.OVERWRITE), _none)
        if policy == TopicOverloadPolicy.DISCARD_NEWEST:
            return ringbuffer._call(encode(OverflowPolicy.FAIL), _none)
        name = self.name
        if policy == TopicOverloadPolicy.ERROR:

            def added_or_error(message: ClientMessage) -> None:
                if not _added(message):
                    raise TopicOverloadError("failed to publish on reliable topic %r: its ringbuffer is full" % name)

            return ringbuffer._call(encode(OverflowPolicy.FAIL), added_or_error)
        return self._publish_blocking(encode)

    def _publish_blocking(self, encode: Callable[[int], ClientMessage]) -> AsyncResult[None]:
        """BLOCK, asynchronously: retry the add after a growing pause (on the callback worker) until there is room."""
        handler = self._handler
        result: AsyncResult[None] = handler.async_result()

        def attempt(pause: float) -> None:  # caller, then callback worker
            ringbuffer_result = self._ringbuffer._call(encode(OverflowPolicy.FAIL), _added)

            def answered(done: AsyncResult[bool]) -> None:  # callback worker
                try:
                    ok = done.get(block=False)
                except BaseException as error:
                    result.set_exception(error)
                    return
                if ok:
                    result.set(None)
                else:
                    handler.call_later(pause, handler.dispatch_callback, attempt, min(pause * 2, BLOCK_PAUSE_MAX))

            ringbuffer_result.rawlink(answered)

        attempt(BLOCK_PAUSE_FIRST)
        return result

    # -- listeners ----------------------------------------------------------------------

    def _runner(self, listener: object) -> MessageRunner:
        reliable = as_listener(listener)
        name = self.name
        to_object = self._to_object
        cluster = self._context.cluster

        def decode(sequence: int, data: bytes) -> TopicMessage:
            publish_time, publisher, payload = read_message(data, to_object)
            return TopicMessage(name, payload, publish_time, member_of(publisher, cluster.members))

        return MessageRunner(
            str(uuid.uuid4()),
            reliable,
            self._ringbuffer,
            name,
            self.config.read_batch_size,
            decode,
            self._runners,
            self._handler,
        )

    def add_listener_async(
        self, listener: Union[ReliableMessageListener, Callable[[TopicMessage], Any]]
    ) -> AsyncResult[str]:
        """Like :meth:`add_listener`; raises ValueError/TypeError for a bad listener before sending."""
        runner = self._runner(listener)
        initial = _initial_sequence(runner)
        result: AsyncResult[str] = self._handler.async_result()
        if initial >= 0:
            runner.begin(initial)
            result.set(runner.registration_id)
            return result

        def with_tail(tail: AsyncResult[int]) -> None:  # callback worker
            try:
                runner.begin(tail.get(block=False) + 1)
            except BaseException as error:
                result.set_exception(error)
            else:
                result.set(runner.registration_id)

        self._ringbuffer.tail_sequence_async().rawlink(with_tail)
        return result

    def add_listener(self, listener: Union[ReliableMessageListener, Callable[[TopicMessage], Any]]) -> str:
        """Start feeding ``listener`` (a function of a TopicMessage, or a ReliableMessageListener).

        Returns a registration id for :meth:`remove_listener`. Without an initial
        sequence from the listener it gets the messages published after this call.
        Raises ValueError for None, TypeError for an object that is neither kind and
        ValueError for an initial sequence below -1.
        """
        runner = self._runner(listener)
        initial = _initial_sequence(runner)
        runner.begin(initial if initial >= 0 else self._ringbuffer.tail_sequence() + 1)
        return runner.registration_id

    def remove_listener_async(self, registration_id: str) -> AsyncResult[bool]:
        """Like :meth:`remove_listener` (which never waits for the cluster); returns a completed result."""
        result: AsyncResult[bool] = self._handler.async_result()
        result.set(self.remove_listener(registration_id))
        return result

    def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener (its ``on_cancel`` is called); returns False if the id is unknown."""
        check_not_none(registration_id, "registration_id")
        runner = self._runners.get(registration_id)
        if runner is None:
            return False
        runner.cancel()
        return True

    def destroy(self) -> bool:
        """Stop every listener, then destroy the topic and its ringbuffer on the cluster; returns True."""
        for runner in list(self._runners.values()):
            runner.cancel()
        super().destroy()
        return self._ringbuffer.destroy()


def _initial_sequence(runner: MessageRunner) -> int:
    """The listener's ``retrieve_initial_sequence()``; raises TypeError/ValueError for a bad answer."""
    initial = runner.listener.retrieve_initial_sequence()
    if isinstance(initial, bool) or not isinstance(initial, int):
        raise TypeError("retrieve_initial_sequence must return an int, got %r" % (initial,))
    if initial < -1:
        raise ValueError("retrieve_initial_sequence must return -1 or a sequence >= 0, got %d" % initial)
    return initial


def _added(message: ClientMessage) -> bool:
    """Whether an add (with the FAIL policy) found room."""
    return bool(rb_codec.decode_add_response(message) != -1)


__all__: List[str] = ["RINGBUFFER_PREFIX", "ReliableMessageListener", "ReliableTopic", "TopicOverloadPolicy"]
