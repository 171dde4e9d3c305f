"""Creates, caches and destroys proxies; one instance per (structure, name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Type, TypeVar, cast

from hzgreen.exceptions import ClientNotActiveError
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.proxy.base import Proxy
    from hzgreen.runtime.context import RuntimeContext

P = TypeVar("P", bound="Proxy")


class ProxyManager:
    """The proxies of one client, each created on the cluster when first asked for."""

    def __init__(self, context: RuntimeContext) -> None:
        self._context: Optional[RuntimeContext] = context  # None once the client was closed
        self._handler = context.handler
        self._invocations = context.invocations
        self._proxies: Dict[Tuple[str, str], Proxy] = {}
        self._lock = context.handler.lock_object()

    def unlink(self) -> None:
        """Forget the proxies and the context, which point back here (the client was closed:
        see ``HzClient.close``); :meth:`get_or_create` raises from now on. Returns None."""
        self._context = None
        self._proxies.clear()

    def get_or_create(self, proxy_class: Type[P], name: str, create_on_remote: bool = True) -> P:
        """The ``proxy_class`` proxy named ``name``, created on the cluster on first use
        (``create_on_remote=False``: the object is known to exist, only the local proxy is made).

        Raises TypeError for a ``name`` that is not a str, ValueError for an empty one,
        ClientNotActiveError once the client was closed, and what the member answers to the
        creation request.
        """
        if not isinstance(name, str):
            raise TypeError("name must be a str, got %r" % (name,))
        if not name:
            raise ValueError("name must not be empty")
        context = self._context
        if context is None:
            raise ClientNotActiveError("the client was closed; create a new one")
        key = (proxy_class.service_name, name)
        proxy = self._proxies.get(key)
        if proxy is not None:
            return cast(P, proxy)  # keyed by service name: one proxy class per service
        if create_on_remote:
            self._remote_call(client_codec.encode_create_proxy_request(name, key[0]))
        with self._lock:
            proxy = self._proxies.get(key)
            if proxy is None:
                proxy = proxy_class(name, context)
                self._proxies[key] = proxy
        return cast(P, proxy)

    def proxies(self) -> "list[Proxy]":
        """Every proxy made so far and not destroyed (a new list)."""
        return list(self._proxies.values())

    def destroy(self, proxy: Proxy) -> bool:
        """Forget ``proxy`` and destroy its object on the cluster; returns True.

        Raises what the member answers to the destruction request."""
        key = (proxy.service_name, proxy.name)
        with self._lock:
            self._proxies.pop(key, None)
        self._remote_call(client_codec.encode_destroy_proxy_request(proxy.name, proxy.service_name))
        return True

    def _remote_call(self, request: ClientMessage) -> None:
        """Send ``request`` and wait for its answer; returns None, raises the member's error."""
        future: AsyncResult[Any] = self._handler.async_result()
        self._invocations.invoke(Invocation(request, future))
        future.get()
