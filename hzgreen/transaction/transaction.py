"""A transaction: begin, commit and rollback of one member-side transaction.

A :class:`Transaction` is built by ``client.new_transaction(timeout, durability, type)``
and begun with :meth:`Transaction.begin` (or a ``with`` block). From then on:

* It lives on one member connection, picked when it begins. Every request of it (the
  transactional structures' too) goes over that connection and no other; if that
  connection closes, the member rolls the transaction back and every request, the
  commit included, fails with :class:`~hzgreen.exceptions.TransactionConnectionLostError`.
* It belongs to the thread (threading handler) or greenlet (gevent handler) that began
  it: the handler's ``current_identity()`` is the thread id its requests carry, and any
  use from another thread or greenlet raises
  :class:`~hzgreen.exceptions.TransactionThreadError` before anything is sent. A thread
  or greenlet runs one transaction at a time with a client (a second ``begin`` while one
  is active raises :class:`~hzgreen.exceptions.TransactionStateError`): end each with
  ``commit`` or ``rollback``.
* ``timeout`` bounds its life: a commit after it ran out raises
  :class:`~hzgreen.exceptions.TransactionTimedOutError` without being sent.

Every method has an ``_async`` twin returning an :class:`~hzgreen.interfaces.IAsyncResult`.
"""

from __future__ import annotations

import enum
import logging
import math
import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Tuple, Type, TypeVar

from hzgreen.exceptions import (
    ClientOfflineError,
    ConnectionLoss,
    TransactionCommitError,
    TransactionConnectionLostError,
    TransactionError,
    TransactionNotActiveError,
    TransactionStateError,
    TransactionThreadError,
    TransactionTimedOutError,
)
from hzgreen.protocol.codecs import transaction as codec
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    import uuid
    from types import TracebackType

    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext
    from hzgreen.transaction.collections import TransactionalList, TransactionalSet
    from hzgreen.transaction.map import TransactionalMap
    from hzgreen.transaction.multi_map import TransactionalMultiMap
    from hzgreen.transaction.queue import TransactionalQueue

__all__ = ["ONE_PHASE", "TWO_PHASE", "Transaction", "TransactionState"]

log = logging.getLogger("hzgreen.transaction")

T = TypeVar("T")
P = TypeVar("P")

TWO_PHASE = 1
"""Prepare on every member taking part (conflicts fail the prepare), then commit. With a
``durability`` above 0 the transaction log is copied to that many other members, so a
commit interrupted by a member failure is finished from the copy."""

ONE_PHASE = 2
"""Commit in one step with no prepare: a conflict found while committing may leave some
changes written and others not."""

#: Largest timeout and durability the protocol carries (a Java long of milliseconds, a Java int).
_MAX_TIMEOUT = (2**63 - 1) / 1000.0
_MAX_INT = 2**31 - 1


class TransactionState(str, enum.Enum):
    """Where a :class:`Transaction` is in its life (values in the official client's lower-case style)."""

    NOT_STARTED = "not_started"
    BEGINNING = "beginning"
    ACTIVE = "active"
    COMMITTING = "committing"
    COMMITTED = "committed"
    COMMIT_FAILED = "commit_failed"
    ROLLING_BACK = "rolling_back"
    ROLLED_BACK = "rolled_back"


#: The states in which a transaction holds its thread or greenlet (no other may begin there).
_HOLDING = frozenset(
    {TransactionState.BEGINNING, TransactionState.ACTIVE, TransactionState.COMMITTING, TransactionState.ROLLING_BACK}
)

#: The transaction each thread or greenlet runs with each client, by ``(id(context), handler
#: identity)``. Identities are never reused in the process, and a context outlives its
#: transactions; an abandoned transaction drops out when it is collected.
_RUNNING: "weakref.WeakValueDictionary[Tuple[int, int], Transaction]" = weakref.WeakValueDictionary()


def check_transaction_options(timeout: object, durability: object, transaction_type: object) -> None:
    """Returns None; raises TypeError or ValueError naming the first bad argument.

    ``timeout`` must be a finite number of seconds > 0, ``durability`` an int >= 0 and
    ``transaction_type`` TWO_PHASE or ONE_PHASE (given to ``new_transaction`` as ``type``).
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds, got %r" % (timeout,))
    if not 0 < timeout <= _MAX_TIMEOUT or math.isnan(timeout):
        raise ValueError("timeout must be a finite number of seconds > 0, got %r" % (timeout,))
    if isinstance(durability, bool) or not isinstance(durability, int):
        raise TypeError("durability must be an int, got %r" % (durability,))
    if not 0 <= durability <= _MAX_INT:
        raise ValueError("durability must be >= 0 (the number of backup copies of the log), got %r" % (durability,))
    if isinstance(transaction_type, bool) or transaction_type not in (TWO_PHASE, ONE_PHASE):
        raise ValueError(
            "type must be hzgreen.transaction.TWO_PHASE (1) or ONE_PHASE (2), got %r" % (transaction_type,)
        )


class _Completion:
    """Stands in for an invocation's future: runs ``on_value``/``on_error`` (which may rename
    the error) first, then completes ``result``. Runs where the response is read."""

    __slots__ = ("result", "_on_value", "_on_error")

    def __init__(
        self,
        result: AsyncResult[Any],
        on_value: Optional[Callable[[Any], None]],
        on_error: Callable[[BaseException], BaseException],
    ) -> None:
        self.result = result
        self._on_value = on_value
        self._on_error = on_error

    def set(self, value: Any = None) -> None:
        """The response's value arrived; returns None."""
        if self._on_value is not None:
            self._on_value(value)
        self.result.set(value)

    def set_exception(self, error: BaseException) -> None:
        """The request failed with ``error``; returns None."""
        self.result.set_exception(self._on_error(error))


class Transaction:
    """One transaction of the client; see the module docstring.

    Attributes (read them, do not set them): ``id`` (a UUID once begun), ``state``
    (:class:`TransactionState`), ``timeout`` (seconds), ``durability``,
    ``transaction_type``, ``thread_id`` (the identity of the owner, once begun),
    ``start_time`` (handler's monotonic clock) and ``connection``.
    """

    def __init__(
        self, context: RuntimeContext, timeout: float = 120, durability: int = 1, transaction_type: int = TWO_PHASE
    ) -> None:
        """Raises TypeError or ValueError naming a bad argument (see :func:`check_transaction_options`)."""
        check_transaction_options(timeout, durability, transaction_type)
        self._context = context
        self._handler = context.handler
        self.timeout = float(timeout)
        self.durability = durability
        self.transaction_type = transaction_type
        self.state = TransactionState.NOT_STARTED
        self.id: Optional[uuid.UUID] = None
        self.thread_id: Optional[int] = None
        self.start_time: Optional[float] = None
        self.connection: Optional[Connection] = None
        self._objects: Dict[Tuple[type, str], Any] = {}

    # -- ownership and state checks -----------------------------------------------------

    def _check_owner(self) -> int:
        """Returns the owner's identity; raises TransactionThreadError if the caller is not the owner."""
        caller = self._handler.current_identity()
        if caller != self.thread_id:
            raise TransactionThreadError(
                "transaction %s belongs to the thread or greenlet that began it (identity %s), not to the caller "
                "(identity %d): a transaction cannot span threads or greenlets" % (self.id, self.thread_id, caller)
            )
        return caller

    def _check_active(self, action: str) -> None:
        """Returns None; raises TransactionStateError unless the transaction is active."""
        if self.state is not TransactionState.ACTIVE:
            raise TransactionStateError(
                "cannot %s: transaction %s is not active (state %s)" % (action, self.id, self.state.name)
            )

    def usable(self) -> Tuple[uuid.UUID, int]:
        """``(transaction id, thread id)`` for a request of a transactional structure.

        Raises TransactionThreadError from another thread or greenlet than the owner,
        TransactionStateError when the transaction is not active.
        """
        if self.state is TransactionState.NOT_STARTED:
            raise TransactionStateError("the transaction has not begun: call begin() first")
        thread_id = self._check_owner()
        self._check_active("use a transactional structure")
        assert self.id is not None
        return self.id, thread_id

    def _release_thread(self) -> None:
        """Let the owner begin another transaction; returns None."""
        if self.thread_id is not None:
            key = (id(self._context), self.thread_id)
            if _RUNNING.get(key) is self:
                _RUNNING.pop(key, None)

    # -- sending ------------------------------------------------------------------------

    def _connection_lost(self, error: BaseException) -> BaseException:
        """``error`` renamed: a lost connection becomes a TransactionConnectionLostError; returns it."""
        if isinstance(error, ConnectionLoss) and not isinstance(error, TransactionError):
            renamed = TransactionConnectionLostError(
                "the connection carrying transaction %s closed (%s): the member rolls the transaction back"
                % (self.id, error)
            )
            renamed.operation = error.operation
            renamed.member = error.member
            renamed.__cause__ = error
            return renamed
        return error

    @staticmethod
    def _then(
        first: Callable[[BaseException], BaseException], second: Callable[[BaseException], BaseException]
    ) -> Callable[[BaseException], BaseException]:
        """Returns ``error -> second(first(error))``."""
        return lambda error: second(first(error))

    def send(
        self,
        request: ClientMessage,
        response_handler: Callable[[ClientMessage], T],
        object_name: Optional[str],
        wait: Optional[float] = None,
        on_value: Optional[Callable[[Any], None]] = None,
        on_error: Optional[Callable[[BaseException], BaseException]] = None,
    ) -> AsyncResult[T]:
        """Send ``request`` on the transaction's connection; the result is ``response_handler(response)``.

        The deadline is ``invocation_timeout``, or ``wait`` (seconds the member may wait
        before answering; ``inf``: no limit) plus ``invocation_timeout``. ``on_value(value)``
        runs before the result is set; ``on_error(error)`` (after a lost connection is
        renamed) returns the error to set. Checks nothing: callers check ownership and
        state first.
        """
        result: AsyncResult[T] = self._handler.async_result()
        renamer: Callable[[BaseException], BaseException] = self._connection_lost
        if on_error is not None:
            renamer = self._then(renamer, on_error)
        invocation = Invocation(
            request,
            _Completion(result, on_value, renamer),
            -1,
            self.connection,
            response_handler,
            None,
            False,
            object_name,
        )
        if wait == math.inf:
            invocation.deadline = math.inf
            invocation.timeout_source = "a wait with no time limit"
        elif wait is not None:
            invocation.deadline = self._handler.monotonic() + wait + self._context.config.invocation_timeout
            invocation.timeout_source = "wait + invocation_timeout"
        self._context.invocations.invoke(invocation)
        return result

    # -- begin --------------------------------------------------------------------------

    def begin_async(self) -> AsyncResult[None]:
        """Like :meth:`begin`; the result is None once the member created the transaction.

        The checks of :meth:`begin` raise at once, before anything is sent.
        """
        if self.state is not TransactionState.NOT_STARTED:
            raise TransactionStateError("transaction %s was already begun (state %s)" % (self.id, self.state.name))
        identity = self._handler.current_identity()
        key = (id(self._context), identity)
        running = _RUNNING.get(key)
        if running is not None and running.state in _HOLDING:
            raise TransactionStateError(
                "this thread or greenlet already runs transaction %s with this client: nested transactions are not allowed"
                % running.id
            )
        connection = self._context.connections.connection_for(-1)
        if connection is None:
            raise ClientOfflineError("no member connection to carry a transaction: the client is not connected")
        self.connection = connection
        self.thread_id = identity
        self.start_time = self._handler.monotonic()
        self.state = TransactionState.BEGINNING
        _RUNNING[key] = self
        request = codec.encode_create_request(
            int(self.timeout * 1000), self.durability, self.transaction_type, identity
        )

        def created(message: ClientMessage) -> None:
            self.id = codec.decode_create_response(message)
            self.state = TransactionState.ACTIVE

        def refused(error: BaseException) -> BaseException:
            self.state = TransactionState.ROLLED_BACK
            self._release_thread()
            return error

        return self.send(request, created, None, None, None, refused)

    def begin(self) -> None:
        """Begin the transaction on a member: the calling thread or greenlet owns it from now on.

        Returns None. Raises TransactionStateError if it was begun before or the caller
        already runs another transaction, ClientOfflineError when the client has no
        connection, and what the member answers (e.g. a TransactionError).
        """
        self.begin_async().get()

    # -- commit -------------------------------------------------------------------------

    def commit_async(self) -> AsyncResult[None]:
        """Like :meth:`commit`; the result is None once committed, or the commit's error.

        The ownership, state and timeout checks raise at once, before anything is sent.
        """
        self._check_owner()
        self._check_active("commit")
        assert self.id is not None and self.thread_id is not None and self.start_time is not None
        if self._handler.monotonic() - self.start_time > self.timeout:
            self.state = TransactionState.COMMIT_FAILED
            raise TransactionTimedOutError(
                "transaction %s timed out: its timeout of %.3f s ran out before the commit" % (self.id, self.timeout)
            )
        self.state = TransactionState.COMMITTING

        def committed(_: Any) -> None:
            self.state = TransactionState.COMMITTED
            self._release_thread()

        def failed(error: BaseException) -> BaseException:
            self.state = TransactionState.COMMIT_FAILED
            if isinstance(error, (TransactionError, TransactionNotActiveError, TransactionTimedOutError)):
                return error
            if not isinstance(error, Exception):  # an interrupt or a killed greenlet: not the commit's error
                return error
            wrapped = TransactionCommitError("the commit of transaction %s failed: %s" % (self.id, error))
            wrapped.operation = getattr(error, "operation", None)
            wrapped.member = getattr(error, "member", None)
            wrapped.__cause__ = error
            return wrapped

        request = codec.encode_commit_request(self.id, self.thread_id)
        return self.send(request, codec.decode_commit_response, None, None, committed, failed)

    def commit(self) -> None:
        """Commit every change of the transaction; returns None.

        Raises TransactionThreadError from another thread or greenlet than the owner,
        TransactionStateError when not active, TransactionTimedOutError once the
        transaction's timeout has run out, TransactionConnectionLostError when the
        connection carrying it closed (the member rolls it back), and a TransactionError
        (or the member's TransactionNotActiveError / TransactionTimedOutError) for any
        other failure. After a failed commit, :meth:`rollback` releases what is left.
        """
        self.commit_async().get()

    # -- rollback -----------------------------------------------------------------------

    def rollback_async(self) -> AsyncResult[None]:
        """Like :meth:`rollback`; the result is None once rolled back.

        The ownership and state checks raise at once, before anything is sent.
        """
        self._check_owner()
        if self.state not in (TransactionState.ACTIVE, TransactionState.COMMIT_FAILED):
            raise TransactionStateError(
                "cannot roll back: transaction %s is not active (state %s)" % (self.id, self.state.name)
            )
        assert self.id is not None and self.thread_id is not None and self.connection is not None
        after_failed_commit = self.state is TransactionState.COMMIT_FAILED
        if not self.connection.alive:
            # The member rolls back the transactions of a connection that closed.
            self.state = TransactionState.ROLLED_BACK
            self._release_thread()
            done: AsyncResult[None] = self._handler.async_result()
            done.set(None)
            return done
        self.state = TransactionState.ROLLING_BACK

        def rolled_back(_: Any) -> None:
            self.state = TransactionState.ROLLED_BACK
            self._release_thread()

        def failed(error: BaseException) -> BaseException:
            self.state = TransactionState.ROLLED_BACK
            self._release_thread()
            return error

        request = codec.encode_rollback_request(self.id, self.thread_id)
        result = self.send(request, codec.decode_rollback_response, None, None, rolled_back, failed)
        # Ending with the connection is a rollback too; and after a failed commit the member may
        # have ended the transaction already. Neither is an error.
        outcome: AsyncResult[None] = self._handler.async_result()

        def settled(done: AsyncResult[None]) -> None:
            error = done.exception
            if done.successful() or isinstance(error, TransactionConnectionLostError):
                outcome.set(None)
            elif after_failed_commit:
                log.debug("rollback after a failed commit of %s: %r", self.id, error)
                outcome.set(None)
            else:
                outcome.set_exception(error if error is not None else TransactionError("rollback failed"))

        result.rawlink(settled)
        return outcome

    def rollback(self) -> None:
        """Discard every change of the transaction and release its locks; returns None.

        Allowed while active and after a failed commit (then any error is ignored: the
        member may have ended the transaction already). Succeeds, sending nothing, when
        the connection carrying the transaction closed (the member rolls it back). Raises
        TransactionThreadError from another thread or greenlet than the owner,
        TransactionStateError in any other state, and what the member answers.
        """
        self.rollback_async().get()

    # -- transactional structures -------------------------------------------------------

    def _get_or_create(self, cls: Type[P], name: str, clashes: Tuple[type, ...] = ()) -> P:
        """The transaction's ``cls`` proxy of ``name``, made once.

        Raises ValueError/TypeError for a bad name, ValueError when the transaction already
        has a structure of a class in ``clashes`` with that name, TransactionThreadError /
        TransactionStateError as :meth:`usable` does."""
        if name is None:
            raise ValueError("name must not be None")
        if not isinstance(name, str):
            raise TypeError("name must be a str, got %r" % (name,))
        self.usable()
        for other in clashes:
            if (other, name) in self._objects:
                # The member keys the transaction log of queues and collections by name alone:
                # their records would mix, and the commit fail.
                raise ValueError(
                    "a transaction cannot use a %s and a %s of the same name (%r): give them different names"
                    % (cls.__name__, other.__name__, name)
                )
        key = (cls, name)
        made = self._objects.get(key)
        if made is None:
            made = self._objects[key] = cls(name, self)  # type: ignore[call-arg]
        result: P = made
        return result

    def get_map(self, name: str) -> TransactionalMap:
        """Returns the transactional map ``name`` of this transaction.

        Raises ValueError/TypeError for a bad name, TransactionThreadError from another
        thread or greenlet than the owner, TransactionStateError when not active."""
        from hzgreen.transaction.map import TransactionalMap

        return self._get_or_create(TransactionalMap, name)

    def get_multi_map(self, name: str) -> TransactionalMultiMap:
        """Returns the transactional multimap ``name`` of this transaction (raises as :meth:`get_map`)."""
        from hzgreen.transaction.multi_map import TransactionalMultiMap

        return self._get_or_create(TransactionalMultiMap, name)

    def get_queue(self, name: str) -> TransactionalQueue:
        """Returns the transactional queue ``name`` of this transaction (raises as :meth:`get_map`, and
        ValueError when the transaction has a list or set of that name: the member would mix them up)."""
        from hzgreen.transaction.collections import TransactionalList, TransactionalSet
        from hzgreen.transaction.queue import TransactionalQueue

        return self._get_or_create(TransactionalQueue, name, (TransactionalList, TransactionalSet))

    def get_list(self, name: str) -> TransactionalList:
        """Returns the transactional list ``name`` of this transaction (raises as :meth:`get_map`, and
        ValueError when the transaction has a queue of that name)."""
        from hzgreen.transaction.collections import TransactionalList
        from hzgreen.transaction.queue import TransactionalQueue

        return self._get_or_create(TransactionalList, name, (TransactionalQueue,))

    def get_set(self, name: str) -> TransactionalSet:
        """Returns the transactional set ``name`` of this transaction (raises as :meth:`get_map`, and
        ValueError when the transaction has a queue of that name)."""
        from hzgreen.transaction.collections import TransactionalSet
        from hzgreen.transaction.queue import TransactionalQueue

        return self._get_or_create(TransactionalSet, name, (TransactionalQueue,))

    # -- context manager ------------------------------------------------------------------

    def __enter__(self) -> Transaction:
        """Begin the transaction (see :meth:`begin`); returns it."""
        self.begin()
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        """Commit on a clean exit, roll back when the block raised; returns None (the block's error propagates).

        A failed commit is rolled back and its error raised; a failed rollback after the
        block's error is logged, so the block's error is the one seen."""
        if exc_type is None:
            if self.state is TransactionState.ACTIVE:
                try:
                    self.commit()
                except BaseException:
                    self._rollback_quietly()
                    raise
            return
        if self.state in (TransactionState.ACTIVE, TransactionState.COMMIT_FAILED):
            self._rollback_quietly()

    def _rollback_quietly(self) -> None:
        """Roll back if the state allows, logging a failure instead of raising it; returns None."""
        if self.state not in (TransactionState.ACTIVE, TransactionState.COMMIT_FAILED):
            return
        try:
            self.rollback()
        except Exception as error:
            log.warning("could not roll back transaction %s: %r", self.id, error)

    def __repr__(self) -> str:
        return "Transaction(id=%s, state=%s, timeout=%s, durability=%d, type=%s)" % (
            self.id,
            self.state.name,
            self.timeout,
            self.durability,
            "TWO_PHASE" if self.transaction_type == TWO_PHASE else "ONE_PHASE",
        )
