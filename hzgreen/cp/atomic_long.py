"""AtomicLong: a linearizable 64-bit counter in a CP group (``IAtomicLong``).

Every method has an ``_async`` twin returning an IAsyncResult. ``alter``/``apply`` take
a *function object the member can run*: something that serializes to a Java
``IFunction`` known to the member (a class on its classpath with a serializer or an
IdentifiedDataSerializable factory registered there).
"""

from __future__ import annotations

from typing import Any

from hzgreen.cp.base import CPProxy, check_long, check_not_none
from hzgreen.cp.naming import ATOMIC_LONG_SERVICE
from hzgreen.protocol.codecs import atomic_long as codec

_OLD_VALUE = 0
_NEW_VALUE = 1


class AtomicLong(CPProxy):
    """A distributed ``long`` with atomic updates; values are Python ints in the int64 range."""

    service_name = ATOMIC_LONG_SERVICE

    # -- reads and writes ----------------------------------------------------------------

    def get(self) -> int:
        """The current value."""
        return self.get_async().result()

    def get_async(self) -> Any:
        request = codec.encode_get_request(self.group_id, self.object_name)
        return self._invoke(request, codec.decode_get_response)

    def set(self, new_value: int) -> None:
        """Set the value to ``new_value``."""
        return self.set_async(new_value).result()

    def set_async(self, new_value: int) -> Any:
        check_long(new_value, "new_value")
        request = codec.encode_get_and_set_request(self.group_id, self.object_name, new_value)
        return self._invoke(request)

    def get_and_set(self, new_value: int) -> int:
        """Set the value to ``new_value``; return the old value."""
        return self.get_and_set_async(new_value).result()

    def get_and_set_async(self, new_value: int) -> Any:
        check_long(new_value, "new_value")
        request = codec.encode_get_and_set_request(self.group_id, self.object_name, new_value)
        return self._invoke(request, codec.decode_get_and_set_response)

    def compare_and_set(self, expected: int, updated: int) -> bool:
        """Set the value to ``updated`` if it equals ``expected``; True if it did."""
        return self.compare_and_set_async(expected, updated).result()

    def compare_and_set_async(self, expected: int, updated: int) -> Any:
        check_long(expected, "expected")
        check_long(updated, "updated")
        request = codec.encode_compare_and_set_request(self.group_id, self.object_name, expected, updated)
        return self._invoke(request, codec.decode_compare_and_set_response)

    # -- arithmetic ------------------------------------------------------------------------

    def add_and_get(self, delta: int) -> int:
        """Add ``delta``; return the new value."""
        return self.add_and_get_async(delta).result()

    def add_and_get_async(self, delta: int) -> Any:
        check_long(delta, "delta")
        request = codec.encode_add_and_get_request(self.group_id, self.object_name, delta)
        return self._invoke(request, codec.decode_add_and_get_response)

    def get_and_add(self, delta: int) -> int:
        """Add ``delta``; return the old value."""
        return self.get_and_add_async(delta).result()

    def get_and_add_async(self, delta: int) -> Any:
        check_long(delta, "delta")
        request = codec.encode_get_and_add_request(self.group_id, self.object_name, delta)
        return self._invoke(request, codec.decode_get_and_add_response)

    def increment_and_get(self) -> int:
        return self.add_and_get_async(1).result()

    def increment_and_get_async(self) -> Any:
        return self.add_and_get_async(1)

    def decrement_and_get(self) -> int:
        return self.add_and_get_async(-1).result()

    def decrement_and_get_async(self) -> Any:
        return self.add_and_get_async(-1)

    def get_and_increment(self) -> int:
        return self.get_and_add_async(1).result()

    def get_and_increment_async(self) -> Any:
        return self.get_and_add_async(1)

    def get_and_decrement(self) -> int:
        return self.get_and_add_async(-1).result()

    def get_and_decrement_async(self) -> Any:
        return self.get_and_add_async(-1)

    # -- functions ---------------------------------------------------------------------------

    def alter(self, function: Any) -> None:
        """Replace the value with ``function(value)`` (run on the member)."""
        return self.alter_async(function).result()

    def alter_async(self, function: Any) -> Any:
        return self._alter(function, _NEW_VALUE, False)

    def alter_and_get(self, function: Any) -> int:
        """Replace the value with ``function(value)``; return the new value."""
        return self.alter_and_get_async(function).result()

    def alter_and_get_async(self, function: Any) -> Any:
        return self._alter(function, _NEW_VALUE, True)

    def get_and_alter(self, function: Any) -> int:
        """Replace the value with ``function(value)``; return the old value."""
        return self.get_and_alter_async(function).result()

    def get_and_alter_async(self, function: Any) -> Any:
        return self._alter(function, _OLD_VALUE, True)

    def apply(self, function: Any) -> Any:
        """Return ``function(value)`` computed on the member; the value is unchanged."""
        return self.apply_async(function).result()

    def apply_async(self, function: Any) -> Any:
        check_not_none(function, "function")
        request = codec.encode_apply_request(self.group_id, self.object_name, self._to_data(function))
        to_object = self._to_object
        return self._invoke(request, lambda m: to_object(codec.decode_apply_response(m)))

    def _alter(self, function: Any, value_type: int, want_value: bool) -> Any:
        check_not_none(function, "function")
        request = codec.encode_alter_request(self.group_id, self.object_name, self._to_data(function),
                                             value_type)
        return self._invoke(request, codec.decode_alter_response if want_value else None)
