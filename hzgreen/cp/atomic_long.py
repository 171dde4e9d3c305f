"""AtomicLong: a linearizable 64-bit counter in a CP group (``IAtomicLong``).

Every method has an ``_async`` twin returning an IAsyncResult. ``alter``/``apply`` take
a *function object the member can run*: something that serializes to a Java
``IFunction`` known to the member (a class on its classpath with a serializer or an
IdentifiedDataSerializable factory registered there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from hzgreen.cp.base import CPProxy, check_long, decode_nothing
from hzgreen.cp.naming import ATOMIC_LONG_SERVICE
from hzgreen.protocol.codecs import atomic_long as codec
from hzgreen.protocol.message import ClientMessage

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

T = TypeVar("T")

_OLD_VALUE = 0
_NEW_VALUE = 1


class AtomicLong(CPProxy):
    """A distributed ``long`` with atomic updates; values are Python ints in the int64 range."""

    service_name = ATOMIC_LONG_SERVICE

    # -- reads and writes ----------------------------------------------------------------

    def get(self) -> int:
        """The current value."""
        return self.get_async().result()

    def get_async(self) -> "AsyncResult[int]":
        """:meth:`get` without waiting."""
        request = codec.encode_get_request(self.group_id, self.object_name)
        return self._invoke(request, codec.decode_get_response)

    def set(self, new_value: int) -> None:
        """Set the value to ``new_value``."""
        return self.set_async(new_value).result()

    def set_async(self, new_value: int) -> "AsyncResult[None]":
        """:meth:`set` without waiting."""
        check_long(new_value, "new_value")
        request = codec.encode_get_and_set_request(self.group_id, self.object_name, new_value)
        return self._invoke(request, decode_nothing)

    def get_and_set(self, new_value: int) -> int:
        """Set the value to ``new_value``; return the old value."""
        return self.get_and_set_async(new_value).result()

    def get_and_set_async(self, new_value: int) -> "AsyncResult[int]":
        """:meth:`get_and_set` without waiting."""
        check_long(new_value, "new_value")
        request = codec.encode_get_and_set_request(self.group_id, self.object_name, new_value)
        return self._invoke(request, codec.decode_get_and_set_response)

    def compare_and_set(self, expected: int, updated: int) -> bool:
        """Set the value to ``updated`` if it equals ``expected``; True if it did."""
        return self.compare_and_set_async(expected, updated).result()

    def compare_and_set_async(self, expected: int, updated: int) -> "AsyncResult[bool]":
        """:meth:`compare_and_set` without waiting."""
        check_long(expected, "expected")
        check_long(updated, "updated")
        request = codec.encode_compare_and_set_request(self.group_id, self.object_name, expected, updated)
        return self._invoke(request, codec.decode_compare_and_set_response)

    # -- arithmetic ------------------------------------------------------------------------

    def add_and_get(self, delta: int) -> int:
        """Add ``delta``; return the new value."""
        return self.add_and_get_async(delta).result()

    def add_and_get_async(self, delta: int) -> "AsyncResult[int]":
        """:meth:`add_and_get` without waiting."""
        check_long(delta, "delta")
        request = codec.encode_add_and_get_request(self.group_id, self.object_name, delta)
        return self._invoke(request, codec.decode_add_and_get_response)

    def get_and_add(self, delta: int) -> int:
        """Add ``delta``; return the old value."""
        return self.get_and_add_async(delta).result()

    def get_and_add_async(self, delta: int) -> "AsyncResult[int]":
        """:meth:`get_and_add` without waiting."""
        check_long(delta, "delta")
        request = codec.encode_get_and_add_request(self.group_id, self.object_name, delta)
        return self._invoke(request, codec.decode_get_and_add_response)

    def increment_and_get(self) -> int:
        """Add 1; return the new value."""
        return self.add_and_get_async(1).result()

    def increment_and_get_async(self) -> "AsyncResult[int]":
        """:meth:`increment_and_get` without waiting."""
        return self.add_and_get_async(1)

    def decrement_and_get(self) -> int:
        """Subtract 1; return the new value."""
        return self.add_and_get_async(-1).result()

    def decrement_and_get_async(self) -> "AsyncResult[int]":
        """:meth:`decrement_and_get` without waiting."""
        return self.add_and_get_async(-1)

    def get_and_increment(self) -> int:
        """Add 1; return the old value."""
        return self.get_and_add_async(1).result()

    def get_and_increment_async(self) -> "AsyncResult[int]":
        """:meth:`get_and_increment` without waiting."""
        return self.get_and_add_async(1)

    def get_and_decrement(self) -> int:
        """Subtract 1; return the old value."""
        return self.get_and_add_async(-1).result()

    def get_and_decrement_async(self) -> "AsyncResult[int]":
        """:meth:`get_and_decrement` without waiting."""
        return self.get_and_add_async(-1)

    # -- functions ---------------------------------------------------------------------------

    def alter(self, function: Any) -> None:
        """Replace the value with ``function(value)`` (run on the member)."""
        return self.alter_async(function).result()

    def alter_async(self, function: Any) -> "AsyncResult[None]":
        """:meth:`alter` without waiting."""
        return self._alter(function, _NEW_VALUE, decode_nothing)

    def alter_and_get(self, function: Any) -> int:
        """Replace the value with ``function(value)``; return the new value."""
        return self.alter_and_get_async(function).result()

    def alter_and_get_async(self, function: Any) -> "AsyncResult[int]":
        """:meth:`alter_and_get` without waiting."""
        return self._alter(function, _NEW_VALUE, codec.decode_alter_response)

    def get_and_alter(self, function: Any) -> int:
        """Replace the value with ``function(value)``; return the old value."""
        return self.get_and_alter_async(function).result()

    def get_and_alter_async(self, function: Any) -> "AsyncResult[int]":
        """:meth:`get_and_alter` without waiting."""
        return self._alter(function, _OLD_VALUE, codec.decode_alter_response)

    def apply(self, function: Any) -> Any:
        """Return ``function(value)`` computed on the member; the value is unchanged."""
        return self.apply_async(function).result()

    def apply_async(self, function: Any) -> "AsyncResult[Any]":
        """:meth:`apply` without waiting."""
        request = codec.encode_apply_request(self.group_id, self.object_name, self._function_data(function))
        to_object = self._to_object
        return self._invoke(request, lambda m: to_object(codec.decode_apply_response(m)))

    def _alter(self, function: Any, value_type: int, decode: Callable[[ClientMessage], T]) -> "AsyncResult[T]":
        """Send alter with ``value_type``; the returned result gets ``decode(response)``."""
        request = codec.encode_alter_request(self.group_id, self.object_name, self._function_data(function), value_type)
        return self._invoke(request, decode)
