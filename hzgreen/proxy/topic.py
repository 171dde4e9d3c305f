"""Topic: publish/subscribe messaging (``ITopic`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Messages must not be None.
A topic lives in one partition (that of its name): publishing goes to its owner.

Listeners receive :class:`TopicMessage` objects on the client's callback worker, one at
a time, in the order the member sent them (a publisher's messages arrive in the order
it published them). A message published while no listener is registered is gone: use
a :class:`~hzgreen.proxy.reliable_topic.ReliableTopic` to read messages published
before subscribing, or after a disconnection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, Optional

from hzgreen.protocol.codecs import topic as codec
from hzgreen.proxy.base import check_not_none
from hzgreen.proxy.one_partition import OnePartitionProxy, ignore_response
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.custom import MemberInfo
    from hzgreen.protocol.message import ClientMessage


class TopicMessage:
    """One message received from a topic (or a reliable topic).

    ``name`` is the topic's name, ``message`` the published object, ``publish_time`` the
    time it was published (UNIX seconds, a float), ``member`` the
    :class:`~hzgreen.protocol.custom.MemberInfo` of the member that fired the event
    (None when the client does not know it, or the publisher was a client).
    """

    __slots__ = ("name", "message", "publish_time", "member")

    def __init__(self, name: str, message: Any, publish_time: float, member: Optional[MemberInfo]) -> None:
        self.name = name
        self.message = message
        self.publish_time = publish_time
        self.member = member

    def __repr__(self) -> str:
        return "TopicMessage(name=%r, message=%r, publish_time=%r, member=%r)" % (
            self.name,
            self.message,
            self.publish_time,
            self.member,
        )


def check_messages(messages: Iterable[Any]) -> list[Any]:
    """``messages`` as a list; raises ValueError for None or a None message, TypeError for a str/bytes."""
    check_not_none(messages, "messages")
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Iterable):
        raise TypeError("messages must be a collection of messages, got %r" % (type(messages).__name__,))
    listed = list(messages)
    for message in listed:
        check_not_none(message, "a message of messages")
    return listed


def check_callable(func: object, what: str) -> None:
    """Returns None; raises ValueError for None and TypeError for a non-callable, naming ``what``."""
    check_not_none(func, what)
    if not callable(func):
        raise TypeError("%s must be callable, got %r" % (what, func))


class Topic(OnePartitionProxy):
    """A distributed topic; see the module docstring for conventions."""

    service_name = "hz:impl:topicService"

    def blocking(self) -> Topic:
        """This proxy: its methods without ``_async`` already wait (kept for code written for the official client)."""
        return self

    def _send(self, request: ClientMessage) -> AsyncResult[None]:
        """Send ``request`` to the topic's partition; the result is None."""
        return self._call(request, ignore_response)

    # -- publishing ---------------------------------------------------------------------

    def publish_async(self, message: Any) -> AsyncResult[None]:
        """Like :meth:`publish`; raises ValueError for None before sending."""
        data = self._value_data(message, "message")
        return self._send(codec.encode_publish_request(self.name, data))

    def publish(self, message: Any) -> None:
        """Publish ``message`` to every subscriber of the topic; returns None."""
        self.publish_async(message).get()

    def publish_all_async(self, messages: Iterable[Any]) -> AsyncResult[None]:
        """Like :meth:`publish_all`; raises before sending for bad arguments."""
        datas = [self._to_data(message) for message in check_messages(messages)]
        return self._send(codec.encode_publish_all_request(self.name, datas))

    def publish_all(self, messages: Iterable[Any]) -> None:
        """Publish each of ``messages``, in order; returns None.

        Raises ValueError for None or a None message, TypeError for a str/bytes."""
        self.publish_all_async(messages).get()

    # -- listeners ----------------------------------------------------------------------

    def add_listener_async(self, on_message: Callable[[TopicMessage], Any]) -> AsyncResult[str]:
        """Like :meth:`add_listener`; the result is the registration id."""
        check_callable(on_message, "on_message")
        name = self.name
        to_object = self._to_object
        cluster = self._context.cluster
        dispatch = self._handler.dispatch_callback

        def deliver(fields: Dict[str, Any]) -> None:  # callback worker
            on_message(
                TopicMessage(
                    name,
                    to_object(fields["item"]),
                    fields["publish_time"] / 1000.0,
                    cluster.get_member(fields["uuid"]),
                )
            )

        def on_event(message: ClientMessage) -> None:  # I/O loop
            if message.get_message_type() == codec.ADD_MESSAGE_LISTENER_TOPIC_EVENT_TYPE:
                dispatch(deliver, codec.decode_add_message_listener_topic_event(message))

        listener_codec = ListenerCodec(
            lambda local_only: codec.encode_add_message_listener_request(name, local_only),
            codec.decode_add_message_listener_response,
            lambda registration_id: codec.encode_remove_message_listener_request(name, registration_id),
            codec.decode_remove_message_listener_response,
        )
        registered: AsyncResult[str] = self._context.listeners.register_async(listener_codec, on_event)
        return registered

    def add_listener(self, on_message: Callable[[TopicMessage], Any]) -> str:
        """Call ``on_message(TopicMessage)`` on the callback worker for each message published.

        Returns a registration id for :meth:`remove_listener` once the listener is active
        on every member. Raises ValueError for None and TypeError for a non-callable.
        """
        return self.add_listener_async(on_message).get()

    def remove_listener_async(self, registration_id: str) -> AsyncResult[bool]:
        """Like :meth:`remove_listener`, in a task of the handler; the result says whether the id was known."""
        return self._deregister_async(registration_id)

    def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener added with :meth:`add_listener`; returns False if the id is unknown."""
        return self._deregister(registration_id)
