"""``hazelcast.proxy`` for hzgreen: future-returning views of the native proxies (see :mod:`.base`)."""

from hzgreen.compat.proxy.base import Proxy

__all__ = ["Proxy"]
