"""Item events and item listeners, shared by Queue, Set and List.

The three collections fire the same event (an item added or removed, with the item when
the listener asked for values) through codecs of the same shape; :class:`ItemCodecs`
names one collection's codec functions and :class:`ItemListenerProxy` adds
``add_listener`` / ``remove_listener`` on top of it. Events are decoded on the I/O loop
and the user's functions are called on the handler's callback worker.
"""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Dict, NamedTuple, Optional, Protocol, Union

from hzgreen.proxy.base import Proxy
from hzgreen.runtime.listeners import ListenerCodec

if TYPE_CHECKING:
    from typing import Mapping

    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.custom import MemberInfo
    from hzgreen.protocol.message import ClientMessage

__all__ = ["ItemCodecs", "ItemEvent", "ItemEventType", "ItemListenerProxy", "ItemListener"]


class ItemEventType(enum.IntEnum):
    """The kinds of item events (their values are the protocol's)."""

    ADDED = 1
    REMOVED = 2


class ItemEvent:
    """An item was added to or removed from a queue, set or list.

    ``item`` is None unless the listener was added with ``include_value=True``; ``uuid``
    is the UUID of the member that fired the event and ``member`` its member info (None
    when the client does not know it). ``event_type`` is an :class:`ItemEventType`, or
    the plain int for a kind this client does not know.
    """

    __slots__ = ("name", "item", "event_type", "uuid", "member")

    def __init__(
        self, name: str, item: Any, event_type: int, uuid: Optional[uuid.UUID], member: Optional[MemberInfo]
    ) -> None:
        self.name = name
        self.item = item
        self.event_type: Union[ItemEventType, int]
        try:
            self.event_type = ItemEventType(event_type)
        except ValueError:
            self.event_type = event_type
        self.uuid = uuid
        self.member = member

    def __repr__(self) -> str:
        return "ItemEvent(name=%r, event_type=%s, item=%r)" % (
            self.name,
            getattr(self.event_type, "name", self.event_type),
            self.item,
        )


#: A user's item callback: called with one :class:`ItemEvent`, its result ignored.
ItemListener = Callable[[ItemEvent], Any]


class ItemCodecs(NamedTuple):
    """One collection's item-listener codec functions (its generated codec module's)."""

    encode_add: Callable[[str, bool, bool], ClientMessage]
    decode_add: Callable[[ClientMessage], uuid.UUID]
    encode_remove: Callable[[str, uuid.UUID], ClientMessage]
    decode_remove: Callable[[ClientMessage], bool]
    event_type: int
    decode_event: Callable[[ClientMessage], Mapping[str, Any]]

    @classmethod
    def of(cls, codec: ItemCodecModule) -> ItemCodecs:
        """Returns the item-listener functions of the generated codec module ``codec``."""
        return cls(
            codec.encode_add_listener_request,
            codec.decode_add_listener_response,
            codec.encode_remove_listener_request,
            codec.decode_remove_listener_response,
            codec.ADD_LISTENER_ITEM_EVENT_TYPE,
            codec.decode_add_listener_item_event,
        )


class ItemCodecModule(Protocol):
    """What :meth:`ItemCodecs.of` takes from a codec module (``queue``, ``set``, ``list``)."""

    ADD_LISTENER_ITEM_EVENT_TYPE: int

    def encode_add_listener_request(self, name: str, include_value: bool, local_only: bool) -> ClientMessage: ...

    def decode_add_listener_response(self, msg: ClientMessage) -> uuid.UUID: ...

    def encode_remove_listener_request(self, name: str, registration_id: uuid.UUID) -> ClientMessage: ...

    def decode_remove_listener_response(self, msg: ClientMessage) -> bool: ...

    def decode_add_listener_item_event(self, msg: ClientMessage) -> Mapping[str, Any]: ...


def check_item_listener_args(include_value: object, item_added_func: object, item_removed_func: object) -> None:
    """Returns None; raises TypeError for a non-bool ``include_value`` or a function that is
    not callable, ValueError when neither function is given."""
    for func, what in ((item_added_func, "item_added_func"), (item_removed_func, "item_removed_func")):
        if func is not None and not callable(func):
            raise TypeError("%s must be callable, got %r" % (what, func))
    if item_added_func is None and item_removed_func is None:
        raise ValueError("add_listener needs item_added_func and/or item_removed_func")
    if not isinstance(include_value, bool):
        raise TypeError("include_value must be a bool, got %r" % (include_value,))


class ItemListenerProxy(Proxy):
    """A proxy whose structure fires item events; ``_item_codecs`` names its codec functions."""

    _item_codecs: ClassVar[ItemCodecs]

    def add_listener_async(
        self,
        include_value: bool = False,
        item_added_func: Optional[ItemListener] = None,
        item_removed_func: Optional[ItemListener] = None,
    ) -> AsyncResult[str]:
        """Like :meth:`add_listener`; the result is the registration id.

        Raises (before anything is sent) what :meth:`add_listener` documents for bad arguments.
        """
        check_item_listener_args(include_value, item_added_func, item_removed_func)
        name = self.name
        codecs = self._item_codecs
        funcs: Dict[int, Optional[ItemListener]] = {
            int(ItemEventType.ADDED): item_added_func,
            int(ItemEventType.REMOVED): item_removed_func,
        }
        to_object = self._to_object
        cluster = self._context.cluster
        dispatch = self._handler.dispatch_callback

        def deliver(fields: Mapping[str, Any]) -> None:  # callback worker
            func = funcs.get(fields["event_type"])
            if func is not None:
                member_uuid = fields["uuid"]
                func(
                    ItemEvent(
                        name,
                        to_object(fields["item"]),
                        fields["event_type"],
                        member_uuid,
                        cluster.get_member(member_uuid),
                    )
                )

        def on_event(message: ClientMessage) -> None:  # I/O loop
            if message.get_message_type() == codecs.event_type:
                dispatch(deliver, codecs.decode_event(message))

        listener_codec = ListenerCodec(
            lambda local_only: codecs.encode_add(name, include_value, local_only),
            codecs.decode_add,
            lambda registration_id: codecs.encode_remove(name, registration_id),
            codecs.decode_remove,
        )
        registered: AsyncResult[str] = self._context.listeners.register_async(listener_codec, on_event)
        return registered

    def add_listener(
        self,
        include_value: bool = False,
        item_added_func: Optional[ItemListener] = None,
        item_removed_func: Optional[ItemListener] = None,
    ) -> str:
        """Call ``item_added_func(ItemEvent)`` / ``item_removed_func(ItemEvent)`` on the callback worker.

        With ``include_value=True`` each event carries the item, otherwise its ``item`` is None.
        Returns a registration id for :meth:`remove_listener` once the listener is active
        on every member of the current member list (raises HzTimeoutError if that takes
        longer than ``invocation_timeout``, or the member's error if one refuses it).
        Raises TypeError for a non-bool ``include_value`` or a function that is not
        callable, and ValueError when neither function is given.
        """
        return self.add_listener_async(include_value, item_added_func, item_removed_func).get()

    def remove_listener_async(self, registration_id: str) -> AsyncResult[bool]:
        """Like :meth:`remove_listener`, in a task of the handler; the result says whether the id was known."""
        return self._deregister_async(registration_id)

    def remove_listener(self, registration_id: str) -> bool:
        """Stop a listener added with :meth:`add_listener`; returns False if the id is unknown, else True."""
        return self._deregister(registration_id)
