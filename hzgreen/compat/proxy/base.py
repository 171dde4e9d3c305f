"""``hazelcast.proxy.base`` for hzgreen: the future-returning view of a native proxy.

One generic mechanism serves every structure: ``compat_map.put(k, v)`` calls the native
``put_async(k, v)`` and wraps its async result in a :class:`~hzgreen.compat.future.Future`.
Methods without an ``_async`` twin (``destroy`` of a data structure, ``name``) are the
native ones. ``blocking()`` returns the native proxy, whose methods wait for the answer.

Where the official names differ from hzgreen's, :data:`METHOD_RENAMES` and
:data:`KEYWORD_RENAMES` say so (found by diffing the official client's classes against
the native proxies).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, Mapping, TypeVar, cast

from hzgreen.compat.future import Future
from hzgreen.proxy.item_listeners import ItemEvent, ItemEventType
from hzgreen.proxy.map_listeners import EntryEvent, EntryEventType
from hzgreen.proxy.topic import TopicMessage

if TYPE_CHECKING:
    from hzgreen.handler_types import Handler

__all__ = [
    "KEYWORD_RENAMES",
    "METHOD_RENAMES",
    "SYNCHRONOUS",
    "EntryEvent",
    "EntryEventType",
    "ItemEvent",
    "ItemEventType",
    "Proxy",
    "TopicMessage",
]

BlockingProxyType = TypeVar("BlockingProxyType")

#: official method name -> native method name (its ``_async`` twin is called).
METHOD_RENAMES: Dict[str, str] = {
    "is_none": "is_null",  # AtomicReference
}

#: Methods the official client runs synchronously although hzgreen has an ``_async`` twin.
SYNCHRONOUS = frozenset({"reset"})  # PNCounter.reset() only forgets local state

#: official method name -> {official keyword: native keyword}.
KEYWORD_RENAMES: Dict[str, Dict[str, str]] = {
    "put_all": {"map": "entries"},  # Map (a native function taking the official keyword keeps it)
    "compare_and_set": {"expect": "expected", "update": "updated"},  # AtomicLong, AtomicReference
}


def is_listener_registration(name: str) -> bool:
    """Returns True for the methods that register a listener (``add_entry_listener``, ``add_listener``, ...)."""
    return name.startswith("add_") and name.endswith("listener")


def future_method(native_async: Callable[..., Any], name: str, handler: "Handler") -> Callable[..., Future[Any]]:
    """Returns a function calling ``native_async`` and wrapping its async result in a Future.

    Keywords named differently in the official client (:data:`KEYWORD_RENAMES`) are
    translated; what ``native_async`` raises at once (a bad argument) is raised as is.
    A listener registration returns once the registration is active (or failed), so an
    event caused right after the call is delivered: the official client returns at once
    and leaves that to chance.
    """
    renames = KEYWORD_RENAMES.get(name)
    if renames is not None:
        accepted: Mapping[str, Any]
        try:
            accepted = inspect.signature(native_async).parameters
        except (TypeError, ValueError):  # no signature to read: rename as the table says
            accepted = {}
        renames = {old: new for old, new in renames.items() if old not in accepted} or None
    wait = is_listener_registration(name)

    def call(*args: Any, **kwargs: Any) -> Future[Any]:
        if renames is not None and kwargs:
            kwargs = {renames.get(key, key): value for key, value in kwargs.items()}
        source = native_async(*args, **kwargs)
        if wait:
            source.wait()
        return Future(source, handler)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = "Like the native ``%s``, returning a Future." % getattr(native_async, "__name__", name)
    return call


class Proxy(Generic[BlockingProxyType]):
    """A distributed object whose methods return :class:`~hzgreen.compat.future.Future`.

    Built from a native hzgreen proxy and the client's handler; ``blocking()`` returns the
    native proxy. Attribute lookups are resolved once per name and cached on the instance.
    """

    def __init__(self, native: BlockingProxyType, handler: "Handler") -> None:
        self._native: Any = native
        self._handler = handler

    @property
    def name(self) -> str:
        """The name of the distributed object."""
        return str(self._native.name)

    @property
    def service_name(self) -> str:
        """The service name of the distributed object (``hz:impl:mapService``, ...)."""
        return str(self._native.service_name)

    def blocking(self) -> BlockingProxyType:
        """Returns the native hzgreen proxy: its methods wait for the answer and return it."""
        return cast(BlockingProxyType, self._native)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        native = self._native
        native_name = METHOD_RENAMES.get(name, name)
        native_async = None if name in SYNCHRONOUS else getattr(native, native_name + "_async", None)
        if native_async is None:
            return getattr(native, name)  # plain attributes and methods without an async twin
        method = future_method(native_async, name, self._handler)
        self.__dict__[name] = method
        return method

    def __dir__(self) -> Any:
        names = set(super().__dir__())
        for name in dir(self._native):
            if name.endswith("_async") and not name.startswith("_"):
                names.add(name[: -len("_async")])
        return sorted(names)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Proxy) and type(other) is type(self) and other._native is self._native

    def __hash__(self) -> int:
        return hash(self._native)

    def __repr__(self) -> str:
        return "%s(%r)" % (type(self).__name__, self._native)
