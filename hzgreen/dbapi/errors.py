"""The PEP 249 exception hierarchy, and the mapping of hzgreen's errors onto it."""

from __future__ import annotations

import contextlib
import uuid
from typing import Iterator, Optional, Type

from hzgreen.exceptions import HzError, HzSerializationError
from hzgreen.sql.errors import HazelcastSqlError, SqlErrorCode

__all__ = [
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Warning",
    "translated",
]


class Warning(Exception):  # noqa: A001  (the name PEP 249 gives it)
    """An important warning (PEP 249); hzgreen raises none today."""


class Error(Exception):
    """Base of every error of this module (PEP 249).

    An error that came from a member's SQL engine carries its ``code``
    (:class:`~hzgreen.sql.SqlErrorCode`), ``originating_member_uuid`` and ``suggestion``;
    they are None otherwise. The original error is the ``__cause__``.
    """

    code: Optional[int] = None
    originating_member_uuid: Optional[uuid.UUID] = None
    suggestion: Optional[str] = None


class InterfaceError(Error):
    """Misuse of this module: a closed cursor or connection, a client that is not an HzClient."""


class DatabaseError(Error):
    """An error of the cluster's SQL engine."""


class DataError(DatabaseError):
    """A value could not be converted (the member's DATA_EXCEPTION)."""


class OperationalError(DatabaseError):
    """The cluster could not run the statement: connection lost, timeout, cancellation, migration."""


class IntegrityError(DatabaseError):
    """A statement broke a key's uniqueness (e.g. INSERT of a key the map holds)."""


class InternalError(DatabaseError):
    """The client or member reached a state it should not (e.g. a malformed response)."""


class ProgrammingError(DatabaseError):
    """A wrong statement or parameters: syntax, unknown mapping or column, bad parameter count or type."""


class NotSupportedError(DatabaseError):
    """Something the cluster does not offer through this module (e.g. rollback)."""


_BY_CODE = {
    SqlErrorCode.PARSING: ProgrammingError,
    SqlErrorCode.OBJECT_NOT_FOUND: ProgrammingError,
    SqlErrorCode.DATA_EXCEPTION: DataError,
    SqlErrorCode.CONNECTION_PROBLEM: OperationalError,
    SqlErrorCode.CANCELLED_BY_USER: OperationalError,
    SqlErrorCode.TIMEOUT: OperationalError,
    SqlErrorCode.PARTITION_DISTRIBUTION: OperationalError,
    SqlErrorCode.MAP_DESTROYED: OperationalError,
    SqlErrorCode.MAP_LOADING_IN_PROGRESS: OperationalError,
    SqlErrorCode.INDEX_INVALID: OperationalError,
    SqlErrorCode.RESTARTABLE_ERROR: OperationalError,
}


def error_class_for(error: HazelcastSqlError) -> Type[DatabaseError]:
    """The PEP 249 class for a HazelcastSqlError; returns it (DatabaseError for GENERIC and unknown codes)."""
    found = _BY_CODE.get(error.code) if isinstance(error.code, SqlErrorCode) else None
    if found is not None:
        return found
    if "duplicate key" in (error.message or "").lower():
        return IntegrityError
    return DatabaseError


def to_dbapi_error(error: BaseException) -> Optional[Error]:
    """The PEP 249 error standing for ``error``, or None for an error to let through (returns it).

    HazelcastSqlError maps by code; other hzgreen errors (timeouts, lost or closed client)
    become OperationalError; ValueError, TypeError and serialization errors (bad
    statements or parameters) become ProgrammingError.
    """
    if isinstance(error, Error):
        return error
    mapped: Error
    if isinstance(error, HazelcastSqlError):
        mapped = error_class_for(error)(str(error))
        mapped.code = error.code
        mapped.originating_member_uuid = error.originating_member_uuid
        mapped.suggestion = error.suggestion
    elif isinstance(error, (ValueError, TypeError, HzSerializationError)):
        mapped = ProgrammingError(str(error))
    elif isinstance(error, HzError):
        mapped = OperationalError(str(error))
    else:
        return None
    mapped.__cause__ = error
    return mapped


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """A block whose hzgreen errors are raised as their PEP 249 classes (the original as the cause)."""
    try:
        yield
    except Exception as error:
        mapped = to_dbapi_error(error)
        if mapped is None or mapped is error:
            raise
        raise mapped from error
