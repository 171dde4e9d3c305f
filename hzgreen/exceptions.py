"""Every error hzgreen raises to users.

All public errors subclass :class:`HzError`. Member-side failures arrive as error
responses carrying a numeric code; :func:`error_from_code` maps each code of the Open
Client Protocol to a named subclass of :class:`HazelcastServerError`, keeping the Java
class name and message for diagnostics.

This module is a leaf: it imports nothing from hzgreen, so every layer may use it.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type


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
            "worker_process_init signal; see docs/deployment.rst)" % (owner_pid, pid, owner_pid))

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

    def __init__(self, message: Optional[str] = None, class_name: Optional[str] = None,
                 error_code: Optional[int] = None, cause: Optional[BaseException] = None,
                 stack_trace: Optional[str] = None) -> None:
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


class AuthenticationServerError(HazelcastServerError, AuthenticationError):
    """Member error code 3: the member rejected the authentication."""

    error_code = 3


class TargetDisconnectedError(HazelcastServerError, ConnectionLoss):
    """Member error code 52, also raised locally when a request's connection is lost."""

    error_code = 52


def _server_error(name: str, code: int, retryable: bool = False,
                  base: Type[HazelcastServerError] = HazelcastServerError) -> Type[HazelcastServerError]:
    cls = type(name, (base,), {"error_code": code, "retryable": retryable,
                               "__doc__": "Member error code %d." % code,
                               "__module__": __name__})
    return cls


# Codes and names of the Open Client Protocol error table (NOTES.md §8).
ArrayIndexOutOfBoundsError = _server_error("ArrayIndexOutOfBoundsError", 1)
ArrayStoreError = _server_error("ArrayStoreError", 2)
CacheError = _server_error("CacheError", 4)
CacheLoaderError = _server_error("CacheLoaderError", 5)
CacheNotExistsError = _server_error("CacheNotExistsError", 6)
CacheWriterError = _server_error("CacheWriterError", 7)
CallerNotMemberError = _server_error("CallerNotMemberError", 8, retryable=True)
CancellationError = _server_error("CancellationError", 9)
ClassCastError = _server_error("ClassCastError", 10)
ClassNotFoundError = _server_error("ClassNotFoundError", 11)
ConcurrentModificationError = _server_error("ConcurrentModificationError", 12)
ConfigMismatchError = _server_error("ConfigMismatchError", 13)
DistributedObjectDestroyedError = _server_error("DistributedObjectDestroyedError", 14)
EOFServerError = _server_error("EOFServerError", 15)
EntryProcessorError = _server_error("EntryProcessorError", 16)
ExecutionError = _server_error("ExecutionError", 17)
HazelcastError = _server_error("HazelcastError", 18)
HazelcastInstanceNotActiveError = _server_error("HazelcastInstanceNotActiveError", 19, retryable=True)
HazelcastOverloadError = _server_error("HazelcastOverloadError", 20)
HazelcastSerializationServerError = _server_error("HazelcastSerializationServerError", 21)
IOServerError = _server_error("IOServerError", 22)
IllegalArgumentError = _server_error("IllegalArgumentError", 23)
IllegalAccessError = _server_error("IllegalAccessError", 24)
IllegalAccessServerError = _server_error("IllegalAccessServerError", 25)
IllegalMonitorStateError = _server_error("IllegalMonitorStateError", 26)
IllegalStateError = _server_error("IllegalStateError", 27)
IllegalThreadStateError = _server_error("IllegalThreadStateError", 28)
IndexOutOfBoundsError = _server_error("IndexOutOfBoundsError", 29)
InterruptedServerError = _server_error("InterruptedServerError", 30)
InvalidAddressError = _server_error("InvalidAddressError", 31)
InvalidConfigurationError = _server_error("InvalidConfigurationError", 32)
MemberLeftError = _server_error("MemberLeftError", 33, retryable=True)
NegativeArraySizeError = _server_error("NegativeArraySizeError", 34)
NoSuchElementError = _server_error("NoSuchElementError", 35)
NotSerializableError = _server_error("NotSerializableError", 36)
NullPointerError = _server_error("NullPointerError", 37)
OperationTimeoutError = _server_error("OperationTimeoutError", 38)
PartitionMigratingError = _server_error("PartitionMigratingError", 39, retryable=True)
QueryError = _server_error("QueryError", 40)
QueryResultSizeExceededError = _server_error("QueryResultSizeExceededError", 41)
SplitBrainProtectionError = _server_error("SplitBrainProtectionError", 42)
ReachedMaxSizeError = _server_error("ReachedMaxSizeError", 43)
RejectedExecutionError = _server_error("RejectedExecutionError", 44)
ResponseAlreadySentError = _server_error("ResponseAlreadySentError", 45)
RetryableHazelcastError = _server_error("RetryableHazelcastError", 46, retryable=True)
RetryableIOError = _server_error("RetryableIOError", 47, retryable=True)
RuntimeServerError = _server_error("RuntimeServerError", 48)
SecurityError = _server_error("SecurityError", 49)
SocketServerError = _server_error("SocketServerError", 50)
StaleSequenceError = _server_error("StaleSequenceError", 51)
TargetNotMemberError = _server_error("TargetNotMemberError", 53, retryable=True)
TimeoutServerError = _server_error("TimeoutServerError", 54)
TopicOverloadError = _server_error("TopicOverloadError", 55)
TransactionError = _server_error("TransactionError", 56)
TransactionNotActiveError = _server_error("TransactionNotActiveError", 57)
TransactionTimedOutError = _server_error("TransactionTimedOutError", 58)
URISyntaxError = _server_error("URISyntaxError", 59)
UTFDataFormatError = _server_error("UTFDataFormatError", 60)
UnsupportedOperationError = _server_error("UnsupportedOperationError", 61)
WrongTargetError = _server_error("WrongTargetError", 62, retryable=True)
XAError = _server_error("XAError", 63)
AccessControlError = _server_error("AccessControlError", 64)
LoginError = _server_error("LoginError", 65)
UnsupportedCallbackError = _server_error("UnsupportedCallbackError", 66)
NoDataMemberInClusterError = _server_error("NoDataMemberInClusterError", 67)
ReplicatedMapCantBeCreatedError = _server_error("ReplicatedMapCantBeCreatedError", 68)
MaxMessageSizeExceededError = _server_error("MaxMessageSizeExceededError", 69)
WanReplicationQueueFullError = _server_error("WanReplicationQueueFullError", 70)
AssertionServerError = _server_error("AssertionServerError", 71)
OutOfMemoryServerError = _server_error("OutOfMemoryServerError", 72)
StackOverflowServerError = _server_error("StackOverflowServerError", 73)
NativeOutOfMemoryError = _server_error("NativeOutOfMemoryError", 74)
ServiceNotFoundError = _server_error("ServiceNotFoundError", 75)
StaleTaskIdError = _server_error("StaleTaskIdError", 76)
DuplicateTaskError = _server_error("DuplicateTaskError", 77)
StaleTaskError = _server_error("StaleTaskError", 78)
LocalMemberResetError = _server_error("LocalMemberResetError", 79)
IndeterminateOperationStateError = _server_error("IndeterminateOperationStateError", 80)
FlakeIdNodeIdOutOfRangeError = _server_error("FlakeIdNodeIdOutOfRangeError", 81)
TargetNotReplicaError = _server_error("TargetNotReplicaError", 82, retryable=True)
MutationDisallowedError = _server_error("MutationDisallowedError", 83)
ConsistencyLostError = _server_error("ConsistencyLostError", 84)
SessionExpiredError = _server_error("SessionExpiredError", 85)
WaitKeyCancelledError = _server_error("WaitKeyCancelledError", 86)
LockAcquireLimitReachedError = _server_error("LockAcquireLimitReachedError", 87)
LockOwnershipLostError = _server_error("LockOwnershipLostError", 88)
CPGroupDestroyedError = _server_error("CPGroupDestroyedError", 89)
CannotReplicateError = _server_error("CannotReplicateError", 90, retryable=True)
LeaderDemotedError = _server_error("LeaderDemotedError", 91)
StaleAppendRequestError = _server_error("StaleAppendRequestError", 92)
NotLeaderError = _server_error("NotLeaderError", 93)
VersionMismatchError = _server_error("VersionMismatchError", 94)
NoSuchMethodError = _server_error("NoSuchMethodError", 95)
NoSuchMethodServerError = _server_error("NoSuchMethodServerError", 96)
NoSuchFieldError = _server_error("NoSuchFieldError", 97)
NoSuchFieldServerError = _server_error("NoSuchFieldServerError", 98)
NoClassDefFoundError = _server_error("NoClassDefFoundError", 99)

_BY_CODE: Dict[int, Type[HazelcastServerError]] = {
    cls.error_code: cls
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, HazelcastServerError) and cls.error_code
}


def error_from_code(code: int, class_name: Optional[str], message: Optional[str],
                    cause: Optional[BaseException] = None,
                    stack_trace: Optional[str] = None) -> HazelcastServerError:
    """Build the named error for a member error code (unknown codes give the base class)."""
    cls = _BY_CODE.get(code, HazelcastServerError)
    return cls(message, class_name, code, cause, stack_trace)


def is_retryable(error: BaseException) -> bool:
    """True for errors after which re-sending the request elsewhere is safe."""
    if isinstance(error, HazelcastServerError):
        return error.retryable
    return False
