"""Set: the distributed set (``ISet`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Items must not be None and
are compared by their serialized form. A set lives in one partition (that of its name),
so every request goes to that partition's owner. The operations are those of
:class:`~hzgreen.proxy.collection.CollectionProxy`; item listeners are those of
:class:`~hzgreen.proxy.item_listeners.ItemListenerProxy`.
"""

from __future__ import annotations

from typing import ClassVar

from hzgreen.protocol.codecs import set as codec
from hzgreen.proxy.collection import CollectionCodec, CollectionProxy
from hzgreen.proxy.item_listeners import ItemCodecs, ItemEvent, ItemEventType

__all__ = ["ItemEvent", "ItemEventType", "Set"]


class Set(CollectionProxy):
    """A distributed set: add, add_all, remove, remove_all, retain_all, contains,
    contains_all, clear, get_all, is_empty, size, add_listener, remove_listener."""

    service_name = "hz:impl:setService"
    _codec: ClassVar[CollectionCodec] = codec
    _item_codecs = ItemCodecs.of(codec)
