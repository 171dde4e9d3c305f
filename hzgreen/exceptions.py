"""Every error hzgreen raises to users.

All public errors subclass :class:`HzError`. Member-side failures arrive as error
responses carrying a numeric code; :func:`error_from_code` maps each code of the Open
Client Protocol to a named subclass of :class:`HazelcastServerError`, keeping the Java
class name and message for diagnostics.

The named server errors are generated (``tools/gen_errors.py`` writes
:mod:`hzgreen.server_errors` from its table) and re-exported here. This module imports
nothing else from hzgreen, so every layer may use it.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple


class HzError(Exception):
    """Base class of every error raised by hzgreen.

    Errors about one request say which: ``operation`` (e.g. ``"Map.get on 'users'"``) and
    ``member`` (``"host:port"`` it went to or waited for); both are None otherwise.
    """

    operation: Optional[str] = None
    member: Optional[str] = None


class HzTimeoutError(HzError, TimeoutError):
    """An operation did not finish in time (whatever handler is in use)."""


class ConnectionLoss(HzError):
    """The connection carrying a request was lost before its response arrived."""


class ClientOfflineError(HzError):
    """The client is not connected (stopped, or reconnecting with fail-fast mode)."""


class ClientNotActiveError(HzError):
    """The client was stopped or closed; it will not reconnect by itself."""


class ClientForkedError(ClientNotActiveError):
    """The client was created in another process and inherited through ``fork()``.

    Its connections belong to the process that created it (``owner_pid``); the process
    that tried to use it (``pid``) must create its own client after the fork.
    """

    def __init__(self, owner_pid: int, pid: int) -> None:
        self.owner_pid = owner_pid
        self.pid = pid
        super().__init__(
            "this client was created in process %d before fork() and cannot be used in process %d: "
            "its connections belong to process %d. Create clients after fork(), in each worker "
            "(gunicorn: the post_fork hook; uwsgi: @postfork or lazy-apps; celery: the "
            "worker_process_init signal; see docs/deployment.rst)" % (owner_pid, pid, owner_pid)
        )

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.owner_pid, self.pid))


class AcquireCancelledError(HzError):
    """A pending CP acquire (lock, permits) was given up before the member answered it.

    Raised by the waiting call when ``abandon(result)`` or a recipe's ``cancel()`` ended
    it from elsewhere. Whatever the member grants that request later is given back.
    """


class RetryFailedError(HzError):
    """HzRetry gave up: out of tries or past its deadline (the last error is ``__cause__``)."""


class RetryInterruptedError(HzError):
    """HzRetry was interrupted by its ``interrupt`` callable."""


class AuthenticationError(HzError):
    """A member refused the client's credentials or cluster name."""


class ProtocolError(HzError):
    """The peer sent bytes that break the Open Client Protocol."""


class TlsHandshakeError(HzError):
    """The TLS handshake with a member failed: its certificate is not trusted or does not
    match its host name, it refused the client's certificate or protocol, it is not a TLS
    endpoint, or the handshake did not finish within ``connection_timeout``."""


class HzSerializationError(HzError):
    """An object could not be serialized or deserialized."""


class NoDataMemberError(HzError):
    """The cluster has no member that can serve the request."""


class HazelcastServerError(HzError):
    """An error reported by a member in an error response.

    ``error_code`` is the protocol error code, ``class_name`` the Java exception class,
    ``server_message`` the member's message; ``cause`` holds the next error of the chain.
    """

    error_code = 0
    retryable = False

    def __init__(
        self,
        message: Optional[str] = None,
        class_name: Optional[str] = None,
        error_code: Optional[int] = None,
        cause: Optional[BaseException] = None,
        stack_trace: Optional[str] = None,
    ) -> None:
        if error_code is not None:
            self.error_code = error_code
        self.class_name = class_name
        self.server_message = message
        self.cause = cause
        self.stack_trace = stack_trace
        text = message or ""
        if class_name:
            text = "%s: %s" % (class_name, text) if text else class_name
        super().__init__(text)

    def add_context(self, operation: str, member: Optional[str]) -> None:
        """Record the request this error answered; the message then starts with it.

        ``"Map.get on 'users' failed on 127.0.0.1:5701: java.lang...: ..."``. Returns None.
        """
        self.operation = operation
        self.member = member
        text = self.args[0] if self.args else ""
        where = " on %s" % member if member else ""
        self.args = ("%s failed%s: %s" % (operation, where, text),) + tuple(self.args[1:])


def error_from_code(
    code: int,
    class_name: Optional[str],
    message: Optional[str],
    cause: Optional[BaseException] = None,
    stack_trace: Optional[str] = None,
) -> HazelcastServerError:
    """The named error for a member error code, ready to raise.

    Returns an instance of the code's class in :data:`hzgreen.server_errors.BY_CODE`, or of
    :class:`HazelcastServerError` itself for an unknown code (which it keeps as ``error_code``).
    """
    cls = BY_CODE.get(code, HazelcastServerError)
    return cls(message, class_name, code, cause, stack_trace)


def is_retryable(error: BaseException) -> bool:
    """True for errors after which re-sending the request elsewhere is safe."""
    if isinstance(error, HazelcastServerError):
        return error.retryable
    return False


# Last: the generated module subclasses the classes above (hzgreen/__init__.py imports this
# module first, so importing hzgreen.server_errors directly works too).
from hzgreen.server_errors import *  # noqa: E402, F403
from hzgreen.server_errors import BY_CODE  # noqa: E402

# Client-side transaction errors: subclasses of the member's TransactionError (from the star
# import above), so one ``except TransactionError`` catches what the client and members report.


class TransactionStateError(TransactionError):  # noqa: F405
    """A transaction was used in a state that does not allow it: begun twice, nested in another
    transaction of the same thread or greenlet, or committed or rolled back when not active."""


class TransactionThreadError(TransactionError):  # noqa: F405
    """A transaction was used from a thread or greenlet other than the one that began it."""


class TransactionConnectionLostError(TransactionError, ConnectionLoss):  # noqa: F405
    """The member connection carrying a transaction closed: the member rolls the transaction back."""


class TransactionCommitError(TransactionError):  # noqa: F405
    """A commit failed on the way (its cause is ``__cause__``): the outcome is unknown to the client."""
