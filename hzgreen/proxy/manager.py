"""Creates, caches and destroys proxies; one instance per (structure, name)."""

from __future__ import annotations

from typing import Any, Dict, Tuple, Type, TypeVar

from hzgreen.protocol.codecs import client as client_codec
from hzgreen.runtime.invocation import Invocation

P = TypeVar("P")


class ProxyManager:
    def __init__(self, client: Any) -> None:
        self._client = client
        self._proxies: Dict[Tuple[str, str], Any] = {}
        self._lock = client.handler.lock_object()

    def get_or_create(self, proxy_class: Type[P], name: str) -> P:
        if not isinstance(name, str):
            raise TypeError("name must be a str, got %r" % (name,))
        if not name:
            raise ValueError("name must not be empty")
        key = (proxy_class.service_name, name)  # type: ignore[attr-defined]
        proxy = self._proxies.get(key)
        if proxy is not None:
            return proxy
        self._remote_call(client_codec.encode_create_proxy_request(name, key[0]))
        with self._lock:
            proxy = self._proxies.get(key)
            if proxy is None:
                proxy = proxy_class(name, self._client)  # type: ignore[call-arg]
                self._proxies[key] = proxy
        return proxy

    def destroy(self, proxy: Any) -> bool:
        key = (proxy.service_name, proxy.name)
        with self._lock:
            self._proxies.pop(key, None)
        self._remote_call(client_codec.encode_destroy_proxy_request(proxy.name, proxy.service_name))
        return True

    def _remote_call(self, request: Any) -> Any:
        client = self._client
        invocation = Invocation(request, client.handler.async_result())
        return client.invocations.invoke(invocation).get()
