"""TransactionalQueue: a Queue's operations inside a transaction (``transaction.get_queue(name)``).

Method names are the official Hazelcast Python client's. An offered item becomes visible
to others at the commit; a polled or taken item is removed for good at the commit and
comes back to the queue on a rollback. Items must not be None; timeouts are seconds.
Every method has an ``_async`` twin; the checks raise before anything is sent.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from hzgreen.protocol.codecs import transactional_queue as codec
from hzgreen.transaction.base import TransactionalObject

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult

__all__ = ["TransactionalQueue"]


def _millis(timeout: object) -> int:
    """``timeout`` seconds as whole milliseconds; raises TypeError for a non-number, ValueError for a
    negative, NaN or infinite one."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds, got %r" % (timeout,))
    if not 0 <= timeout < math.inf:
        raise ValueError("timeout must be a finite number of seconds >= 0, got %r" % (timeout,))
    return int(timeout * 1000)


class TransactionalQueue(TransactionalObject):
    """The transactional view of the queue ``name``; see the module docstring."""

    def offer_async(self, item: Any, timeout: float = 0) -> AsyncResult[bool]:
        """Like :meth:`offer`; the result is whether the item was added."""
        data = self._data(item, "item")
        millis = _millis(timeout)
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_offer_request(self.name, txn_id, thread_id, data, millis)
        return self._invoke(request, codec.decode_offer_response, millis / 1000.0)

    def offer(self, item: Any, timeout: float = 0) -> bool:
        """Add ``item`` at the commit if there is room, waiting up to ``timeout`` s for some;
        returns whether it was added.

        Raises ValueError for a None item or a negative timeout, TypeError for a
        non-number timeout, TransactionThreadError / TransactionStateError when the
        caller does not own the transaction or it is not active."""
        return self.offer_async(item, timeout).get()

    def take_async(self) -> AsyncResult[Any]:
        """Like :meth:`take`; the result is the head item."""
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_take_request(self.name, txn_id, thread_id)
        return self._invoke(request, self._object_of(codec.decode_take_response), math.inf)

    def take(self) -> Any:
        """Remove and return the head, waiting as long as it takes for one; raises as :meth:`offer`."""
        return self.take_async().get()

    def poll_async(self, timeout: float = 0) -> AsyncResult[Any]:
        """Like :meth:`poll`; the result is the head item, or None."""
        millis = _millis(timeout)
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_poll_request(self.name, txn_id, thread_id, millis)
        return self._invoke(request, self._object_of(codec.decode_poll_response), millis / 1000.0)

    def poll(self, timeout: float = 0) -> Any:
        """Remove and return the head, waiting up to ``timeout`` s for one; returns None when
        still empty. Raises as :meth:`offer`."""
        return self.poll_async(timeout).get()

    def peek_async(self, timeout: float = 0) -> AsyncResult[Any]:
        """Like :meth:`peek`; the result is the head item, or None."""
        millis = _millis(timeout)
        txn_id, thread_id = self.transaction.usable()
        request = codec.encode_peek_request(self.name, txn_id, thread_id, millis)
        return self._invoke(request, self._object_of(codec.decode_peek_response), millis / 1000.0)

    def peek(self, timeout: float = 0) -> Any:
        """Returns the head without removing it, waiting up to ``timeout`` s for one; None when
        still empty. Raises as :meth:`offer`."""
        return self.peek_async(timeout).get()

    def size_async(self) -> AsyncResult[int]:
        """Like :meth:`size`; the result is the number of items."""
        txn_id, thread_id = self.transaction.usable()
        return self._invoke(codec.encode_size_request(self.name, txn_id, thread_id), codec.decode_size_response)

    def size(self) -> int:
        """Returns the number of items (this transaction's changes included); raises as :meth:`offer`."""
        return self.size_async().get()
