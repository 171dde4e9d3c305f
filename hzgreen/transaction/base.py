"""What every transactional structure shares: argument checks, serialization and sending.

A transactional structure (``transaction.get_map(name)``, ...) belongs to one
:class:`~hzgreen.transaction.transaction.Transaction`. Each method checks its arguments,
then that the caller owns the transaction and that it is active, and only then encodes
its request (which carries the transaction's id and thread id) and sends it on the
transaction's connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, TypeVar, cast

from hzgreen.proxy.base import check_not_none

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.transaction.transaction import Transaction

__all__ = ["TransactionalObject"]

T = TypeVar("T")


class TransactionalObject:
    """Base of the transactional structures: ``name`` and the owning ``transaction``."""

    def __init__(self, name: str, transaction: Transaction) -> None:
        self.name = name
        self.transaction = transaction
        serialization = transaction._context.serialization
        # Callers check for None first; a value that is not None always serializes to a blob.
        self._to_data = cast("Callable[[Any], bytes]", serialization.to_data)
        self._to_object = serialization.to_object

    def _data(self, value: Any, what: str) -> bytes:
        """``value`` serialized; raises ValueError naming ``what`` for None."""
        check_not_none(value, what)
        return self._to_data(value)

    def _invoke(
        self, request: ClientMessage, response_handler: Callable[[ClientMessage], T], wait: Optional[float] = None
    ) -> AsyncResult[T]:
        """Send ``request`` on the transaction's connection; the result is ``response_handler(response)``.

        The member may wait up to the transaction's timeout for a key's lock, or ``wait``
        seconds when longer (``inf``: no limit), before answering: the deadline is that
        plus ``invocation_timeout``."""
        return self.transaction.send(request, response_handler, self.name, max(self.transaction.timeout, wait or 0.0))

    def _object_of(self, decode: Callable[[ClientMessage], Optional[bytes]]) -> Callable[[ClientMessage], Any]:
        """Returns a response handler giving what ``decode`` finds, deserialized (None for none)."""
        to_object = self._to_object
        return lambda message: to_object(decode(message))

    def _objects_of(self, decode: Callable[[ClientMessage], List[bytes]]) -> Callable[[ClientMessage], List[Any]]:
        """Returns a response handler giving the list ``decode`` finds, each item deserialized."""
        to_object = self._to_object
        return lambda message: [to_object(data) for data in decode(message)]

    def __repr__(self) -> str:
        return "%s(name=%r, transaction=%s)" % (type(self).__name__, self.name, self.transaction.id)
