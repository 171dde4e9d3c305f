"""TransactionalMultiMap: a MultiMap's operations inside a transaction (``transaction.get_multi_map(name)``).

Method names are the official Hazelcast Python client's. Writes lock their key until the
transaction ends and are applied at the commit; reads see the transaction's own changes
and the committed data. Keys and values must not be None. Every method has an ``_async``
twin; the checks raise before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List

from hzgreen.protocol.codecs import transactional_multi_map as codec
from hzgreen.transaction.base import TransactionalObject

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

__all__ = ["TransactionalMultiMap"]


class TransactionalMultiMap(TransactionalObject):
    """The transactional view of the multimap ``name``; see the module docstring."""

    def put_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`put`; the result is whether the value was added."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_put_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, codec.decode_put_response)

    def put(self, key: Any, value: Any) -> bool:
        """Add ``value`` to the values of ``key`` at the commit; returns whether it was added
        (False when the multimap keeps sets and it is there already).

        Raises ValueError for a None key or value, TransactionThreadError /
        TransactionStateError when the caller does not own the transaction or it is not
        active, the member's TransactionTimedOutError when another transaction keeps the
        key locked."""
        return self.put_async(key, value).get()

    def get_async(self, key: Any) -> AsyncResult[List[Any]]:
        """Like :meth:`get`; the result is the list of values of ``key``."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_get_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, self._objects_of(codec.decode_get_response))

    def get(self, key: Any) -> List[Any]:
        """Returns the values of ``key`` as a list (empty when none); raises ValueError for a None
        key and as :meth:`put`."""
        return self.get_async(key).get()

    def remove_async(self, key: Any, value: Any) -> AsyncResult[bool]:
        """Like :meth:`remove`; the result is whether the value was removed."""
        key_data = self._data(key, "key")
        value_data = self._data(value, "value")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_remove_entry_request(self.name, txn_id, thread_id, key_data, value_data)
        return self._invoke(request, codec.decode_remove_entry_response)

    def remove(self, key: Any, value: Any) -> bool:
        """Remove ``value`` from the values of ``key`` at the commit; returns whether it was there.

        Raises ValueError for a None key or value, and as :meth:`put`."""
        return self.remove_async(key, value).get()

    def remove_all_async(self, key: Any) -> AsyncResult[List[Any]]:
        """Like :meth:`remove_all`; the result is the list of removed values."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_remove_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, self._objects_of(codec.decode_remove_response))

    def remove_all(self, key: Any) -> List[Any]:
        """Remove every value of ``key`` at the commit; returns them as a list.

        Raises ValueError for a None key, and as :meth:`put`."""
        return self.remove_all_async(key).get()

    def value_count_async(self, key: Any) -> AsyncResult[int]:
        """Like :meth:`value_count`; the result is the number of values of ``key``."""
        key_data = self._data(key, "key")
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_value_count_request(self.name, txn_id, thread_id, key_data)
        return self._invoke(request, codec.decode_value_count_response)

    def value_count(self, key: Any) -> int:
        """Returns the number of values of ``key``; raises ValueError for a None key and as :meth:`put`."""
        return self.value_count_async(key).get()

    def size_async(self) -> AsyncResult[int]:
        """Like :meth:`size`; the result is the number of key-value pairs."""
        txn_id, thread_id = self.transaction.usable()
        return self._invoke(codec.encode_size_request(self.name, txn_id, thread_id), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of key-value pairs (this transaction's changes included); raises as :meth:`put`."""
        return self.size_async().get()
