"""TransactionalList and TransactionalSet (``transaction.get_list(name)``, ``get_set(name)``).

Method names are the official Hazelcast Python client's: ``add``, ``remove`` and ``size``,
applied at the commit. Items must not be None. Every method has an ``_async`` twin; the
checks raise before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from hzgreen.protocol.codecs import transactional_list, transactional_set
from hzgreen.transaction.base import TransactionalObject

if TYPE_CHECKING:
    import uuid

    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage

__all__ = ["TransactionalList", "TransactionalSet"]


class _CollectionCodec(Protocol):
    """What the transactional list and set codec modules both have."""

    def encode_add_request(self, name: str, txn_id: uuid.UUID, thread_id: int, item: bytes) -> ClientMessage: ...

    def decode_add_response(self, msg: ClientMessage) -> bool: ...

    def encode_remove_request(self, name: str, txn_id: uuid.UUID, thread_id: int, item: bytes) -> ClientMessage: ...

    def decode_remove_response(self, msg: ClientMessage) -> bool: ...

    def encode_size_request(self, name: str, txn_id: uuid.UUID, thread_id: int) -> ClientMessage: ...

    def decode_size_response(self, msg: ClientMessage) -> int: ...


class _TransactionalCollection(TransactionalObject):
    """``add``/``remove``/``size`` over the structure's codec module ``_codec``."""

    _codec: ClassVar[_CollectionCodec]

    def add_async(self, item: Any) -> AsyncResult[bool]:
        """Like :meth:`add`; the result is whether the item was added."""
        data = self._data(item, "item")
        txn_id, thread_id = self.transaction.usable()
        codec = self._codec
        return self._invoke(codec.encode_add_request(self.name, txn_id, thread_id, data), codec.decode_add_response)

    def add(self, item: Any) -> bool:
        """Add ``item`` at the commit; returns whether it was added (a set keeps one of each).

        Raises ValueError for a None item, TransactionThreadError / TransactionStateError
        when the caller does not own the transaction or it is not active."""
        return self.add_async(item).get()

    def remove_async(self, item: Any) -> AsyncResult[bool]:
        """Like :meth:`remove`; the result is whether the item was there."""
        data = self._data(item, "item")
        txn_id, thread_id = self.transaction.usable()
        codec = self._codec
        return self._invoke(
            codec.encode_remove_request(self.name, txn_id, thread_id, data), codec.decode_remove_response
        )

    def remove(self, item: Any) -> bool:
        """Remove one occurrence of ``item`` at the commit; returns whether it was there. Raises as :meth:`add`."""
        return self.remove_async(item).get()

    def size_async(self) -> AsyncResult[int]:
        """Like :meth:`size`; the result is the number of items."""
        txn_id, thread_id = self.transaction.usable()
        codec = self._codec
        return self._invoke(codec.encode_size_request(self.name, txn_id, thread_id), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of items (this transaction's changes included); raises as :meth:`add`."""
        return self.size_async().get()


class TransactionalList(_TransactionalCollection):
    """The transactional view of the list ``name``; see the module docstring."""

    _codec: ClassVar[_CollectionCodec] = transactional_list


class TransactionalSet(_TransactionalCollection):
    """The transactional view of the set ``name``; see the module docstring."""

    _codec: ClassVar[_CollectionCodec] = transactional_set
