"""AtomicReference: a linearizable object reference in a CP group (``IAtomicReference``).

Values are serialized with the client's serialization service and compared *as
serialized bytes* on the member, so equal values must serialize identically (the
built-in types do). ``None`` is a legal value ("no reference"). ``alter``/``apply``
take a function object the member can run (a Java ``IFunction`` it can deserialize).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hzgreen.cp.base import CPProxy, decode_nothing
from hzgreen.cp.naming import ATOMIC_REFERENCE_SERVICE
from hzgreen.protocol.codecs import atomic_ref as codec

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

_NO_VALUE = 0
_OLD_VALUE = 1
_NEW_VALUE = 2


class AtomicReference(CPProxy):
    """A distributed reference to one (serializable) object, or ``None``."""

    service_name = ATOMIC_REFERENCE_SERVICE

    def get(self) -> Any:
        """The current value (``None`` when unset)."""
        return self.get_async().result()

    def get_async(self) -> "AsyncResult[Any]":
        """:meth:`get` without waiting."""
        request = codec.encode_get_request(self.group_id, self.object_name)
        to_object = self._to_object
        return self._invoke(request, lambda m: to_object(codec.decode_get_response(m)))

    def set(self, new_value: Any) -> None:
        """Set the value (``None`` clears it)."""
        return self.set_async(new_value).result()

    def set_async(self, new_value: Any) -> "AsyncResult[None]":
        """:meth:`set` without waiting."""
        request = codec.encode_set_request(self.group_id, self.object_name, self._to_data(new_value), False)
        return self._invoke(request, decode_nothing)

    def get_and_set(self, new_value: Any) -> Any:
        """Set the value; return the old one."""
        return self.get_and_set_async(new_value).result()

    def get_and_set_async(self, new_value: Any) -> "AsyncResult[Any]":
        """:meth:`get_and_set` without waiting."""
        request = codec.encode_set_request(self.group_id, self.object_name, self._to_data(new_value), True)
        to_object = self._to_object
        return self._invoke(request, lambda m: to_object(codec.decode_set_response(m)))

    def compare_and_set(self, expected: Any, updated: Any) -> bool:
        """Set the value to ``updated`` if it currently is ``expected``; True if it did."""
        return self.compare_and_set_async(expected, updated).result()

    def compare_and_set_async(self, expected: Any, updated: Any) -> "AsyncResult[bool]":
        """:meth:`compare_and_set` without waiting."""
        request = codec.encode_compare_and_set_request(
            self.group_id, self.object_name, self._to_data(expected), self._to_data(updated)
        )
        return self._invoke(request, codec.decode_compare_and_set_response)

    def is_null(self) -> bool:
        """True when no value is set."""
        return self.is_null_async().result()

    def is_null_async(self) -> "AsyncResult[bool]":
        """:meth:`is_null` without waiting."""
        return self.contains_async(None)

    def clear(self) -> None:
        """Remove the value (same as ``set(None)``)."""
        return self.set_async(None).result()

    def clear_async(self) -> "AsyncResult[None]":
        """:meth:`clear` without waiting."""
        return self.set_async(None)

    def contains(self, value: Any) -> bool:
        """True when the current value is ``value``."""
        return self.contains_async(value).result()

    def contains_async(self, value: Any) -> "AsyncResult[bool]":
        """:meth:`contains` without waiting."""
        request = codec.encode_contains_request(self.group_id, self.object_name, self._to_data(value))
        return self._invoke(request, codec.decode_contains_response)

    # -- functions ---------------------------------------------------------------------------

    def alter(self, function: Any) -> None:
        """Replace the value with ``function(value)`` (run on the member)."""
        return self.alter_async(function).result()

    def alter_async(self, function: Any) -> "AsyncResult[None]":
        """:meth:`alter` without waiting."""
        request = codec.encode_apply_request(
            self.group_id, self.object_name, self._function_data(function), _NO_VALUE, True
        )
        return self._invoke(request, decode_nothing)

    def alter_and_get(self, function: Any) -> Any:
        """Replace the value with ``function(value)``; return the new value."""
        return self.alter_and_get_async(function).result()

    def alter_and_get_async(self, function: Any) -> "AsyncResult[Any]":
        """:meth:`alter_and_get` without waiting."""
        return self._apply(function, _NEW_VALUE, True)

    def get_and_alter(self, function: Any) -> Any:
        """Replace the value with ``function(value)``; return the old value."""
        return self.get_and_alter_async(function).result()

    def get_and_alter_async(self, function: Any) -> "AsyncResult[Any]":
        """:meth:`get_and_alter` without waiting."""
        return self._apply(function, _OLD_VALUE, True)

    def apply(self, function: Any) -> Any:
        """Return ``function(value)`` computed on the member; the value is unchanged."""
        return self.apply_async(function).result()

    def apply_async(self, function: Any) -> "AsyncResult[Any]":
        """:meth:`apply` without waiting."""
        return self._apply(function, _NEW_VALUE, False)

    def _apply(self, function: Any, value_type: int, alter: bool) -> "AsyncResult[Any]":
        """Send apply with ``value_type`` (old or new value); the returned result gets that value."""
        request = codec.encode_apply_request(
            self.group_id, self.object_name, self._function_data(function), value_type, alter
        )
        to_object = self._to_object
        return self._invoke(request, lambda m: to_object(codec.decode_apply_response(m)))
