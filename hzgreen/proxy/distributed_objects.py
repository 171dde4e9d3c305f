"""Every distributed object on the cluster, and the events of their creation and destruction.

:func:`get_distributed_objects` asks a member for the objects the cluster knows
(``Client.GetDistributedObjects``) and returns a proxy for each: the proxy class of this
client for that service (a :class:`~hzgreen.proxy.map.Map` for ``hz:impl:mapService``, ...),
or a :class:`DistributedObject` naming the object for a service this client has no proxy
for. :func:`add_distributed_object_listener` calls a function with a
:class:`DistributedObjectEvent` on the handler's callback worker each time an object is
created or destroyed anywhere on the cluster. ``HzClient`` delegates its methods of the
same names here.
"""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Type, Union

from hzgreen.protocol.codecs import client as codec
from hzgreen.proxy.base import Proxy
from hzgreen.runtime.invocation import Invocation
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.custom import DistributedObjectInfo, MemberInfo
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext


class DistributedObjectEventType(str, enum.Enum):
    """What happened to a distributed object (the values are the protocol's strings)."""

    CREATED = "CREATED"
    DESTROYED = "DESTROYED"

    def __str__(self) -> str:
        """Returns the protocol's string (``"CREATED"``), as the official client prints it."""
        return self.value


class DistributedObjectEvent:
    """A distributed object was created or destroyed.

    ``name`` and ``service_name`` name the object (``service_name`` is the member service,
    e.g. ``"hz:impl:mapService"``); ``event_type`` is a :class:`DistributedObjectEventType`
    (which compares equal to ``"CREATED"``/``"DESTROYED"``), or the plain string for a kind
    this client does not know. ``source`` is the UUID of the client or member whose request
    caused the event, ``member`` the :class:`~hzgreen.protocol.custom.MemberInfo` of that
    member when the source is a member this client knows (None for a client).
    """

    __slots__ = ("name", "service_name", "event_type", "source", "member")

    def __init__(
        self, name: str, service_name: str, event_type: str, source: uuid.UUID, member: Optional[MemberInfo]
    ) -> None:
        self.name = name
        self.service_name = service_name
        self.event_type: Union[DistributedObjectEventType, str]
        try:
            self.event_type = DistributedObjectEventType(event_type)
        except ValueError:
            self.event_type = event_type
        self.source = source
        self.member = member

    def __repr__(self) -> str:
        return "DistributedObjectEvent(name=%r, service_name=%r, event_type=%s, source=%s)" % (
            self.name,
            self.service_name,
            self.event_type,
            self.source,
        )


class DistributedObject(Proxy):
    """A distributed object of a service this client has no proxy class for.

    It names the object (``name``, ``service_name``) and can :meth:`destroy` it; nothing else.
    """

    def __init__(self, name: str, service_name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        self.service_name = service_name

    def __repr__(self) -> str:
        return "DistributedObject(name=%r, service_name=%r)" % (self.name, self.service_name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DistributedObject):
            return NotImplemented
        return (self.service_name, self.name) == (other.service_name, other.name)

    def __hash__(self) -> int:
        return hash((self.service_name, self.name))


def proxy_classes() -> Dict[str, Type[Proxy]]:
    """``{service name: proxy class}`` of the proxy classes of :mod:`hzgreen.proxy` loaded so far.

    A class counts when it names its own service (mixins name none; a subclass that keeps its
    base's service is skipped, so the base class is the one used)."""
    found: Dict[str, Type[Proxy]] = {}
    pending: List[Type[Proxy]] = list(Proxy.__subclasses__())
    seen = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        service = cls.__dict__.get("service_name")
        if not isinstance(service, str) or not service or not cls.__module__.startswith("hzgreen.proxy."):
            continue
        if any(base.__dict__.get("service_name") == service for base in cls.__mro__[1:]):
            continue
        current = found.get(service)
        if current is None or cls.__qualname__ < current.__qualname__:
            found[service] = cls
    return found


def get_distributed_objects_async(context: RuntimeContext) -> AsyncResult[List[DistributedObjectInfo]]:
    """Ask a member for every distributed object of the cluster; the result is their
    ``DistributedObjectInfo`` (``service_name``, ``name``)."""
    future: AsyncResult[List[DistributedObjectInfo]] = context.handler.async_result()
    context.invocations.invoke(
        Invocation(
            codec.encode_get_distributed_objects_request(),
            future,
            -1,
            None,
            codec.decode_get_distributed_objects_response,
        )
    )
    return future


def get_distributed_objects(context: RuntimeContext) -> List[Proxy]:
    """A proxy for each distributed object on the cluster, in the member's order.

    Objects of a service with a proxy class in this client come back as that class (the
    client's cached proxy when there is one; nothing is created on the cluster), the others
    as :class:`DistributedObject`. Raises what the member answers, HzTimeoutError after
    ``invocation_timeout``.
    """
    infos = get_distributed_objects_async(context).get()
    classes = proxy_classes()
    proxies = context.proxies
    objects: List[Proxy] = []
    for info in infos:
        cls = classes.get(info.service_name)
        if cls is None:
            objects.append(DistributedObject(info.name, info.service_name, context))
        else:
            objects.append(proxies.get_or_create(cls, info.name, create_on_remote=False))
    return objects


def add_distributed_object_listener(
    context: RuntimeContext, listener_func: Callable[[DistributedObjectEvent], Any]
) -> str:
    """Call ``listener_func(event)`` on the callback worker for each object created or destroyed.

    Returns the registration id once the listener is active on every member of the current
    member list (it follows reconnects like every listener). Raises ValueError for None and
    TypeError for a ``listener_func`` that is not callable (before anything is sent),
    HzTimeoutError if registering takes longer than ``invocation_timeout``.
    """
    if listener_func is None:
        raise ValueError("listener_func must not be None")
    if not callable(listener_func):
        raise TypeError("listener_func must be callable, got %r" % (listener_func,))
    cluster = context.cluster
    dispatch = context.handler.dispatch_callback

    def deliver(fields: Dict[str, Any]) -> None:  # callback worker
        source = fields["source"]
        listener_func(
            DistributedObjectEvent(
                fields["name"], fields["service_name"], fields["event_type"], source, cluster.get_member(source)
            )
        )

    def on_event(message: ClientMessage) -> None:  # I/O loop: decode, hand over
        if message.get_message_type() == codec.ADD_DISTRIBUTED_OBJECT_LISTENER_DISTRIBUTED_OBJECT_EVENT_TYPE:
            dispatch(deliver, codec.decode_add_distributed_object_listener_distributed_object_event(message))

    listener_codec = ListenerCodec(
        codec.encode_add_distributed_object_listener_request,
        codec.decode_add_distributed_object_listener_response,
        codec.encode_remove_distributed_object_listener_request,
        codec.decode_remove_distributed_object_listener_response,
    )
    return context.listeners.register(listener_codec, on_event)


def remove_distributed_object_listener(context: RuntimeContext, registration_id: str) -> bool:
    """Stop a listener added with :func:`add_distributed_object_listener`; returns False if the id is unknown.

    Raises ValueError for None and TypeError for an id that is not a str."""
    if registration_id is None:
        raise ValueError("registration_id must not be None")
    if not isinstance(registration_id, str):
        raise TypeError("registration_id must be a str, got %r" % (registration_id,))
    removed: bool = context.listeners.deregister(registration_id)
    return removed
