"""``hazelcast.errors`` for hzgreen: the official client's error names over hzgreen's errors.

Every name is hzgreen's own class, or a base of it, so ``except hazelcast.errors.X``
catches what hzgreen raises:

* most names are the same class: ``HazelcastError`` is :class:`hzgreen.exceptions.HzError`,
  the base of every hzgreen error; member errors are the classes of
  :mod:`hzgreen.server_errors` (by error code, not by Python name: the official
  ``IllegalAccessError`` is the member's ILLEGAL_ACCESS_ERROR, code 25);
* where hzgreen has a client-side and a member-side class for one official name, the name
  is the client-side class, the one hzgreen raises in practice: ``HazelcastSerializationError``
  is HzSerializationError, ``HazelcastTimeoutError`` HzTimeoutError,
  ``NoDataMemberInClusterError`` NoDataMemberError, and ``TargetDisconnectedError``
  ConnectionLoss (a base of the member's TargetDisconnectedError);
* the few names hzgreen never raises are subclasses of the nearest hzgreen error.
"""

from __future__ import annotations

from typing import Type, TypeVar

from hzgreen import exceptions as _client
from hzgreen import server_errors as _server

__all__ = [
    "EXCEPTION_MESSAGE_TYPE", "retryable", "is_retryable_error", "HazelcastError",
    "ArrayIndexOutOfBoundsError", "ArrayStoreError", "AuthenticationError", "CacheNotExistsError",
    "CallerNotMemberError", "CancellationError", "ClassCastError", "ClassNotFoundError",
    "ConcurrentModificationError", "ConfigMismatchError", "ConfigurationError",
    "DistributedObjectDestroyedError", "DuplicateInstanceNameError", "HazelcastEOFError", "ExecutionError",
    "HazelcastInstanceNotActiveError", "HazelcastOverloadError", "HazelcastSerializationError",
    "HazelcastIOError", "IllegalArgumentError", "IllegalAccessException", "IllegalAccessError",
    "IllegalMonitorStateError", "IllegalStateError", "IllegalThreadStateError", "IndexOutOfBoundsError",
    "HazelcastInterruptedError", "InvalidAddressError", "InvalidConfigurationError", "MemberLeftError",
    "NegativeArraySizeError", "NoSuchElementError", "NotSerializableError", "NullPointerError",
    "OperationTimeoutError", "PartitionMigratingError", "QueryError", "QueryResultSizeExceededError",
    "SplitBrainProtectionError", "ReachedMaxSizeError", "RejectedExecutionError", "ResponseAlreadySentError",
    "RetryableHazelcastError", "RetryableIOError", "HazelcastRuntimeError", "SecurityError", "SocketError",
    "StaleSequenceError", "TargetDisconnectedError", "TargetNotMemberError", "HazelcastTimeoutError",
    "TopicOverloadError", "TransactionError", "TransactionNotActiveError", "TransactionTimedOutError",
    "URISyntaxError", "UTFDataFormatError", "UnsupportedOperationError", "WrongTargetError", "XAError",
    "AccessControlError", "LoginError", "UnsupportedCallbackError", "NoDataMemberInClusterError",
    "ReplicatedMapCantBeCreatedOnLiteMemberError", "MaxMessageSizeExceededError",
    "WANReplicationQueueFullError", "HazelcastAssertionError", "OutOfMemoryError", "StackOverflowError",
    "NativeOutOfMemoryError", "ServiceNotFoundError", "StaleTaskIdError", "DuplicateTaskError",
    "StaleTaskError", "LocalMemberResetError", "IndeterminateOperationStateError", "NodeIdOutOfRangeError",
    "TargetNotReplicaError", "MutationDisallowedError", "ConsistencyLostError",
    "HazelcastClientNotActiveError", "HazelcastCertificationError", "ClientOfflineError",
    "ClientNotAllowedInClusterError", "VersionMismatchError", "NoSuchMethodError", "NoSuchMethodException",
    "NoSuchFieldError", "NoSuchFieldException", "NoClassDefFoundError", "UndefinedErrorCodeError",
    "SessionExpiredError", "WaitKeyCancelledError", "LockAcquireLimitReachedError", "LockOwnershipLostError",
    "CPGroupDestroyedError", "CannotReplicateError", "LeaderDemotedError", "StaleAppendRequestError",
    "NotLeaderError", "InvocationMightContainCompactDataError",
]  # fmt: skip

E = TypeVar("E", bound=Type[BaseException])

EXCEPTION_MESSAGE_TYPE = 0

HazelcastError = _client.HzError


def retryable(cls: E) -> E:
    """Class decorator of the official client: marks an error class as retryable.

    Returns ``cls``, its ``retryable`` attribute set to True (what hzgreen's retry logic reads
    on member errors).
    """
    cls.retryable = True  # type: ignore[attr-defined]
    return cls


def is_retryable_error(error: BaseException) -> bool:
    """Returns True for errors after which hzgreen re-sends the request elsewhere."""
    return _client.is_retryable(error)


# --- names covering a client-side and a member-side hzgreen error: the client-side class,
# which is what hzgreen raises in practice (Python's ``except`` matches real bases only) ----

HazelcastSerializationError = _client.HzSerializationError
HazelcastTimeoutError = _client.HzTimeoutError
NoDataMemberInClusterError = _client.NoDataMemberError
TargetDisconnectedError = _client.ConnectionLoss  # a base of the member's TargetDisconnectedError

# --- client-side errors -----------------------------------------------------------------

AuthenticationError = _client.AuthenticationError
HazelcastClientNotActiveError = _client.ClientNotActiveError
ClientOfflineError = _client.ClientOfflineError
HazelcastCertificationError = _client.TlsHandshakeError
UndefinedErrorCodeError = _client.HazelcastServerError


class ClientNotAllowedInClusterError(_client.AuthenticationError):
    """The cluster refused this client (hzgreen reports it as an AuthenticationError)."""


class ConfigurationError(_client.HzError):
    """A client configuration problem (hzgreen raises TypeError/ValueError naming the option)."""


class InvocationMightContainCompactDataError(_client.HzSerializationError):
    """An invocation carries Compact data whose schema the cluster may not have yet."""


class DuplicateInstanceNameError(_client.HazelcastServerError):
    """A member with the same instance name exists (no member error code in protocol 2.x)."""


# --- member errors, by error code ---------------------------------------------------------

ArrayIndexOutOfBoundsError = _server.ArrayIndexOutOfBoundsError
ArrayStoreError = _server.ArrayStoreError
CacheNotExistsError = _server.CacheNotExistsError
CallerNotMemberError = _server.CallerNotMemberError
CancellationError = _server.CancellationError
ClassCastError = _server.ClassCastError
ClassNotFoundError = _server.ClassNotFoundError
ConcurrentModificationError = _server.ConcurrentModificationError
ConfigMismatchError = _server.ConfigMismatchError
DistributedObjectDestroyedError = _server.DistributedObjectDestroyedError
HazelcastEOFError = _server.EOFServerError
HazelcastIOError = _server.IOServerError
ExecutionError = _server.ExecutionError
HazelcastInstanceNotActiveError = _server.HazelcastInstanceNotActiveError
HazelcastOverloadError = _server.HazelcastOverloadError
IllegalArgumentError = _server.IllegalArgumentError
IllegalAccessException = _server.IllegalAccessError  # code 24, ILLEGAL_ACCESS_EXCEPTION
IllegalAccessError = _server.IllegalAccessServerError  # code 25, ILLEGAL_ACCESS_ERROR
IllegalMonitorStateError = _server.IllegalMonitorStateError
IllegalStateError = _server.IllegalStateError
IllegalThreadStateError = _server.IllegalThreadStateError
IndexOutOfBoundsError = _server.IndexOutOfBoundsError
HazelcastInterruptedError = _server.InterruptedServerError
InvalidAddressError = _server.InvalidAddressError
InvalidConfigurationError = _server.InvalidConfigurationError
MemberLeftError = _server.MemberLeftError
NegativeArraySizeError = _server.NegativeArraySizeError
NoSuchElementError = _server.NoSuchElementError
NotSerializableError = _server.NotSerializableError
NullPointerError = _server.NullPointerError
OperationTimeoutError = _server.OperationTimeoutError
PartitionMigratingError = _server.PartitionMigratingError
QueryError = _server.QueryError
QueryResultSizeExceededError = _server.QueryResultSizeExceededError
SplitBrainProtectionError = _server.SplitBrainProtectionError
ReachedMaxSizeError = _server.ReachedMaxSizeError
RejectedExecutionError = _server.RejectedExecutionError
ResponseAlreadySentError = _server.ResponseAlreadySentError
RetryableHazelcastError = _server.RetryableHazelcastError
RetryableIOError = _server.RetryableIOError
HazelcastRuntimeError = _server.RuntimeServerError
SecurityError = _server.SecurityError
SocketError = _server.SocketServerError
StaleSequenceError = _server.StaleSequenceError
TargetNotMemberError = _server.TargetNotMemberError
TopicOverloadError = _server.TopicOverloadError
TransactionError = _server.TransactionError
TransactionNotActiveError = _server.TransactionNotActiveError
TransactionTimedOutError = _server.TransactionTimedOutError
URISyntaxError = _server.URISyntaxError
UTFDataFormatError = _server.UTFDataFormatError
UnsupportedOperationError = _server.UnsupportedOperationError
WrongTargetError = _server.WrongTargetError
XAError = _server.XAError
AccessControlError = _server.AccessControlError
LoginError = _server.LoginError
UnsupportedCallbackError = _server.UnsupportedCallbackError
ReplicatedMapCantBeCreatedOnLiteMemberError = _server.ReplicatedMapCantBeCreatedError
MaxMessageSizeExceededError = _server.MaxMessageSizeExceededError
WANReplicationQueueFullError = _server.WanReplicationQueueFullError
HazelcastAssertionError = _server.AssertionServerError
OutOfMemoryError = _server.OutOfMemoryServerError
StackOverflowError = _server.StackOverflowServerError
NativeOutOfMemoryError = _server.NativeOutOfMemoryError
ServiceNotFoundError = _server.ServiceNotFoundError
StaleTaskIdError = _server.StaleTaskIdError
DuplicateTaskError = _server.DuplicateTaskError
StaleTaskError = _server.StaleTaskError
LocalMemberResetError = _server.LocalMemberResetError
IndeterminateOperationStateError = _server.IndeterminateOperationStateError
NodeIdOutOfRangeError = _server.FlakeIdNodeIdOutOfRangeError
TargetNotReplicaError = _server.TargetNotReplicaError
MutationDisallowedError = _server.MutationDisallowedError
ConsistencyLostError = _server.ConsistencyLostError
VersionMismatchError = _server.VersionMismatchError
NoSuchMethodError = _server.NoSuchMethodError  # code 95
NoSuchMethodException = _server.NoSuchMethodServerError  # code 96
NoSuchFieldError = _server.NoSuchFieldError  # code 97
NoSuchFieldException = _server.NoSuchFieldServerError  # code 98
NoClassDefFoundError = _server.NoClassDefFoundError
SessionExpiredError = _server.SessionExpiredError
WaitKeyCancelledError = _server.WaitKeyCancelledError
LockAcquireLimitReachedError = _server.LockAcquireLimitReachedError
LockOwnershipLostError = _server.LockOwnershipLostError
CPGroupDestroyedError = _server.CPGroupDestroyedError
CannotReplicateError = _server.CannotReplicateError
LeaderDemotedError = _server.LeaderDemotedError
StaleAppendRequestError = _server.StaleAppendRequestError
NotLeaderError = _server.NotLeaderError
