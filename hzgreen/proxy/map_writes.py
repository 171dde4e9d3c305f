"""Conditional, timed and transient writes of a Map (mixed into Map).

``remove_if_same``, ``remove_all(predicate)``, ``try_put``, ``try_remove`` and
``put_transient``. ``try_put`` and ``try_remove`` wait up to ``timeout`` seconds for a
lock another owner holds on the key (see :mod:`hzgreen.proxy.map_locks`); their
deadline is that wait plus ``invocation_timeout``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import check_not_none, to_millis
from hzgreen.proxy.base import ignore_response as _none
from hzgreen.proxy.map_locks import MapLockMixin
from hzgreen.proxy.map_query import _check_predicate

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.query.predicate import Predicate


def _wait_millis(timeout: float) -> int:
    """``timeout`` (seconds) in milliseconds; raises ValueError for None, TypeError/ValueError for a bad one."""
    if timeout is None:
        raise ValueError("timeout must be a number of seconds (0: do not wait), not None")
    return to_millis(timeout, "timeout")


class MapWriteMixin(MapLockMixin):
    """Conditional, timed and transient writes; see the module docstring."""

    def remove_if_same_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Starts :meth:`remove_if_same` without waiting; returns an async result whose ``get()`` gives
        what :meth:`remove_if_same` returns and raises what it raises (argument errors are raised at
        once)."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        request = codec.encode_remove_if_same_request(self.name, key_data, value_data, self._thread_id())
        return self._invoke_on_key(request, key_data, codec.decode_remove_if_same_response)

    def remove_if_same(self, key: Any, value: Any) -> bool:
        """Remove ``key`` only if its value equals ``value``; returns whether it was removed.
        Raises ValueError for a None key or value."""
        return self.remove_if_same_async(key, value).get()

    def remove_all_async(self, predicate: Predicate) -> AsyncResult[None]:
        """Starts :meth:`remove_all` without waiting; returns an async result whose ``get()`` gives what
        :meth:`remove_all` returns and raises what it raises (argument errors are raised at once)."""
        check_not_none(predicate, "predicate")
        _check_predicate(predicate, allow_paging=False)
        request = codec.encode_remove_all_request(self.name, self._to_data(predicate))
        return self._invoke(request, _none)

    def remove_all(self, predicate: Predicate) -> None:
        """Remove every entry matching ``predicate`` (on the members); returns None.

        Raises ValueError for None and TypeError for anything but a non-paging
        :mod:`hzgreen.query.predicate` predicate (use ``clear`` to remove everything)."""
        self.remove_all_async(predicate).get()

    def try_put_async(self, key: Any, value: Any, timeout: float = 0) -> AsyncResult[bool]:
        """Starts :meth:`try_put` without waiting; returns an async result whose ``get()`` gives what
        :meth:`try_put` returns and raises what it raises (argument errors are raised at once)."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        wait = _wait_millis(timeout)
        request = codec.encode_try_put_request(self.name, key_data, value_data, self._thread_id(), wait)
        return self._invoke_waiting(request, key_data, codec.decode_try_put_response, wait / 1000.0 if wait else None)

    def try_put(self, key: Any, value: Any, timeout: float = 0) -> bool:
        """Store ``value`` under ``key`` if the key is not locked by another owner within
        ``timeout`` seconds; returns whether it was stored. Raises ValueError for a None
        key or value, TypeError/ValueError for a bad timeout."""
        return self.try_put_async(key, value, timeout).get()

    def try_remove_async(self, key: Any, timeout: float = 0) -> AsyncResult[bool]:
        """Starts :meth:`try_remove` without waiting; returns an async result whose ``get()`` gives what
        :meth:`try_remove` returns and raises what it raises (argument errors are raised at once)."""
        key_data = self._key_data(key)
        wait = _wait_millis(timeout)
        request = codec.encode_try_remove_request(self.name, key_data, self._thread_id(), wait)
        return self._invoke_waiting(
            request, key_data, codec.decode_try_remove_response, wait / 1000.0 if wait else None
        )

    def try_remove(self, key: Any, timeout: float = 0) -> bool:
        """Remove ``key`` if it is not locked by another owner within ``timeout`` seconds;
        returns True if an entry was removed. Raises ValueError for a None key."""
        return self.try_remove_async(key, timeout).get()

    def put_transient_async(
        self, key: Any, value: Any, ttl: Optional[float] = None, max_idle: Optional[float] = None
    ) -> AsyncResult[None]:
        """Starts :meth:`put_transient` without waiting; returns an async result whose ``get()`` gives what
        :meth:`put_transient` returns and raises what it raises (argument errors are raised at once)."""
        key_data = self._key_data(key)
        value_data = self._value_data(value)
        ttl_ms = to_millis(ttl, "ttl")
        if max_idle is None:
            request = codec.encode_put_transient_request(self.name, key_data, value_data, self._thread_id(), ttl_ms)
        else:
            request = codec.encode_put_transient_with_max_idle_request(
                self.name, key_data, value_data, self._thread_id(), ttl_ms, to_millis(max_idle, "max_idle")
            )
        return self._invoke_on_key(request, key_data, _none)

    def put_transient(
        self, key: Any, value: Any, ttl: Optional[float] = None, max_idle: Optional[float] = None
    ) -> None:
        """Store ``value`` under ``key`` without writing it to a configured MapStore; returns None.

        ``ttl`` / ``max_idle`` as for ``put``. Raises ValueError for a None key or value."""
        self.put_transient_async(key, value, ttl, max_idle).get()
