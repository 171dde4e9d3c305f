"""TransactionalMap: a Map's operations inside a transaction (``transaction.get_map(name)``).

Method names are the official Hazelcast Python client's. Writes (``put``, ``set``,
``remove``, ...) lock their key until the transaction ends and are applied only at the
commit; reads see the transaction's own changes and the committed data. ``get_for_update``
locks the key as it reads, so another transaction's write or ``get_for_update`` of that
key waits (up to its transaction's timeout) for this one to end. Keys and values must not
be None. Every method has an ``_async`` twin; the checks raise before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional

from hzgreen.protocol.codecs import transactional_map as codec
from hzgreen.proxy.base import ignore_response, to_millis
from hzgreen.query.predicate import PagingPredicate, Predicate
from hzgreen.transaction.base import TransactionalObject

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

__all__ = ["TransactionalMap"]


def _check_predicate(predicate: object) -> None:
    """Returns None; raises TypeError for anything but a (non-paging) predicate."""
    if not isinstance(predicate, Predicate) or isinstance(predicate, PagingPredicate):
        raise TypeError("predicate must be a hzgreen.predicate predicate (not a paging one), got %r" % (predicate,))


class TransactionalMap(TransactionalObject):
    """The transactional view of the map ``name``; see the module docstring."""

    # -- reading ------------------------------------------------------------------------

    def contains_key_async(self, key: Any) -> AsyncResult[bool]:
        """Like :meth:`contains_key`; the result is whether ``key`` has a value."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_contains_key_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, codec.decode_contains_key_response)

    def contains_key(self, key: Any) -> bool:
        """Returns whether ``key`` has a value (this transaction's changes included).

        Raises ValueError for a None key, TransactionThreadError / TransactionStateError
        when the caller does not own the transaction or it is not active."""
        return self.contains_key_async(key).get()

    def get_async(self, key: Any) -> AsyncResult[Any]:
        """Like :meth:`get`; the result is the value of ``key`` or None."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_get_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, self._object_of(codec.decode_get_response))

    def get(self, key: Any) -> Any:
        """Returns the value of ``key`` (this transaction's changes included), or None.

        Raises ValueError for a None key, TransactionThreadError / TransactionStateError
        as :meth:`contains_key`."""
        return self.get_async(key).get()

    def get_for_update_async(self, key: Any) -> AsyncResult[Any]:
        """Like :meth:`get_for_update`; the result is the value of ``key`` or None, once locked."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_get_for_update_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, self._object_of(codec.decode_get_for_update_response))

    def get_for_update(self, key: Any) -> Any:
        """Lock ``key`` until the transaction ends and return its value, or None.

        Waits while another transaction holds the key, up to this transaction's
        timeout. Raises ValueError for a None key, the member's TransactionTimedOutError
        when the lock was not obtained in time, and as :meth:`contains_key`."""
        return self.get_for_update_async(key).get()

    def size_async(self) -> AsyncResult[int]:
        """Like :meth:`size`; the result is the number of entries."""
        txn_id, thread_id = self.transaction.usable()
        return self._invoke(codec.encode_size_request(self.name, txn_id, thread_id), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of entries (this transaction's changes included); raises as :meth:`contains_key`."""
        return self.size_async().get()

    def is_empty_async(self) -> AsyncResult[bool]:
        """Like :meth:`is_empty`; the result is whether the map has no entry."""
        txn_id, thread_id = self.transaction.usable()
        return self._invoke(codec.encode_is_empty_request(self.name, txn_id, thread_id), codec.decode_is_empty_response)

    def is_empty(self) -> bool:
        """Returns whether the map has no entry (this transaction's changes included); raises as :meth:`contains_key`."""
        return self.is_empty_async().get()

    def key_set_async(self, predicate: Optional[Predicate] = None) -> AsyncResult[List[Any]]:
        """Like :meth:`key_set`; the result is a list of keys."""
        if predicate is None:
            txn_id, thread_id = self.transaction.usable()
            request = codec.encode_key_set_request(self.name, txn_id, thread_id)
            return self._invoke(request, self._objects_of(codec.decode_key_set_response))
        _check_predicate(predicate)
        predicate_data = self._to_data(predicate)
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_key_set_with_predicate_request(self.name, txn_id, thread_id, predicate_data)
        return self._invoke(request, self._objects_of(codec.decode_key_set_with_predicate_response))

    def key_set(self, predicate: Optional[Predicate] = None) -> List[Any]:
        """Returns the keys (of the entries matching ``predicate``, when given) as a list.

        Raises TypeError for a ``predicate`` that is not a predicate (or is a paging
        one), and as :meth:`contains_key`."""
        return self.key_set_async(predicate).get()

    def values_async(self, predicate: Optional[Predicate] = None) -> AsyncResult[List[Any]]:
        """Like :meth:`values`; the result is a list of values."""
        if predicate is None:
            txn_id, thread_id = self.transaction.usable()
            request = codec.encode_values_request(self.name, txn_id, thread_id)
            return self._invoke(request, self._objects_of(codec.decode_values_response))
        _check_predicate(predicate)
        predicate_data = self._to_data(predicate)
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_values_with_predicate_request(self.name, txn_id, thread_id, predicate_data)
        return self._invoke(request, self._objects_of(codec.decode_values_with_predicate_response))

    def values(self, predicate: Optional[Predicate] = None) -> List[Any]:
        """Returns the values (of the entries matching ``predicate``, when given) as a list.

        Raises TypeError for a ``predicate`` that is not a predicate (or is a paging
        one), and as :meth:`contains_key`."""
        return self.values_async(predicate).get()

    # -- writing ------------------------------------------------------------------------

    def put_async(self, key: Any, value: Any, ttl: Optional[float] = None) -> AsyncResult[Any]:
        """Like :meth:`put`; the result is the previous value or None."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        ttl_ms = to_millis(ttl, "ttl")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_put_request(self.name, txn_id, thread_id, key_data, value_data, ttl_ms)
        return self._invoke(request, self._object_of(codec.decode_put_response))

    def put(self, key: Any, value: Any, ttl: Optional[float] = None) -> Any:
        """Store ``value`` under ``key`` at the commit (``ttl`` seconds to live; None: the map's
        setting); returns the previous value or None.

        Raises ValueError for a None key or value, TypeError/ValueError for a bad ``ttl``,
        the member's TransactionTimedOutError when another transaction keeps the key
        locked, and as :meth:`contains_key`."""
        return self.put_async(key, value, ttl).get()

    def set_async(self, key: Any, value: Any) -> AsyncResult[None]:
        """Like :meth:`set`; the result is None."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_set_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, ignore_response)

    def set(self, key: Any, value: Any) -> None:
        """Store ``value`` under ``key`` at the commit, without returning the old value; returns None.

        Raises as :meth:`put`."""
        self.set_async(key, value).get()

    def put_if_absent_async(self, key: Any, value: Any) -> AsyncResult[Any]:
        """Like :meth:`put_if_absent`; the result is the value already there, or None."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_put_if_absent_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, self._object_of(codec.decode_put_if_absent_response))

    def put_if_absent(self, key: Any, value: Any) -> Any:
        """Store ``value`` under ``key`` if it has none; returns the value already there, or None.

        Raises as :meth:`put`."""
        return self.put_if_absent_async(key, value).get()

    def replace_async(self, key: Any, value: Any) -> AsyncResult[Any]:
        """Like :meth:`replace`; the result is the previous value, or None (nothing replaced)."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_replace_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, self._object_of(codec.decode_replace_response))

    def replace(self, key: Any, value: Any) -> Any:
        """Store ``value`` under ``key`` only if it has a value; returns the previous value, or None.

        Raises as :meth:`put`."""
        return self.replace_async(key, value).get()

    def replace_if_same_async(self, key: Any, old_value: Any, new_value: Any) -> AsyncResult[bool]:
        """Like :meth:`replace_if_same`; the result is whether the value was replaced."""
        key_data = self._data(key, "key")
        old_data = self._data(old_value, "old_value")
        new_data = self._data(new_value, "new_value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_replace_if_same_request(self.name, txn_id, thread_id, key_data, old_data, new_data)
        return self._invoke(request, codec.decode_replace_if_same_response)

    def replace_if_same(self, key: Any, old_value: Any, new_value: Any) -> bool:
        """Store ``new_value`` under ``key`` if its value is ``old_value``; returns whether it did.

        Raises ValueError for a None argument, and as :meth:`put`."""
        return self.replace_if_same_async(key, old_value, new_value).get()

    def remove_async(self, key: Any) -> AsyncResult[Any]:
        """Like :meth:`remove`; the result is the removed value, or None."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_remove_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, self._object_of(codec.decode_remove_response))

    def remove(self, key: Any) -> Any:
        """Remove the entry of ``key`` at the commit; returns its value, or None.

        Raises ValueError for a None key, and as :meth:`put`."""
        return self.remove_async(key).get()

    def remove_if_same_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`remove_if_same`; the result is whether the entry was removed."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_remove_if_same_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, codec.decode_remove_if_same_response)

    def remove_if_same(self, key: Any, value: Any) -> bool:
        """Remove the entry of ``key`` if its value is ``value``; returns whether it did.

        Raises ValueError for a None key or value, and as :meth:`put`."""
        return self.remove_if_same_async(key, value).get()

    def delete_async(self, key: Any) -> AsyncResult[None]:
        """Like :meth:`delete`; the result is None."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_delete_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, ignore_response)

    def delete(self, key: Any) -> None:
        """Remove the entry of ``key`` at the commit, without returning its value; returns None.

        Raises ValueError for a None key, and as :meth:`put`."""
        self.delete_async(key).get()
