"""Errors of SQL queries: :class:`HazelcastSqlError` and the member's error codes."""

from __future__ import annotations

import enum
import uuid
from typing import TYPE_CHECKING, Optional

from hzgreen.exceptions import HazelcastServerError, HzError

if TYPE_CHECKING:
    from hzgreen.protocol import custom
    from hzgreen.runtime.connection import Connection

__all__ = ["HazelcastSqlError", "SqlErrorCode"]


class SqlErrorCode(enum.IntEnum):
    """The codes a member puts in an SQL error (Java's ``SqlErrorCode``)."""

    #: Any other error.
    GENERIC = -1
    #: A network problem between members, or between the client and a member.
    CONNECTION_PROBLEM = 1001
    #: The query was cancelled by its user (closed before its end).
    CANCELLED_BY_USER = 1003
    #: The query ran longer than its timeout.
    TIMEOUT = 1004
    #: A problem with the partition distribution (e.g. a migration).
    PARTITION_DISTRIBUTION = 1005
    #: A map the query reads was destroyed meanwhile.
    MAP_DESTROYED = 1006
    #: A map the query reads is still loading from its map store.
    MAP_LOADING_IN_PROGRESS = 1007
    #: The statement could not be parsed or validated.
    PARSING = 1008
    #: An index the query uses is not valid.
    INDEX_INVALID = 1009
    #: A mapping, table or other object is not found.
    OBJECT_NOT_FOUND = 1010
    #: The member should retry the query (it is restartable).
    RESTARTABLE_ERROR = 1011
    #: Converting or transforming a value failed.
    DATA_EXCEPTION = 2000


class HazelcastSqlError(HzError):
    """An SQL query failed.

    ``code`` is the member's :class:`SqlErrorCode` (a plain int when the code is unknown
    to this client), ``message`` the member's text, ``originating_member_uuid`` the member
    that raised it (the client's own uuid for errors raised on the client) and
    ``suggestion`` a statement that may fix it (e.g. the ``CREATE MAPPING`` a query lacks),
    or None.
    """

    def __init__(
        self,
        code: int,
        message: str,
        originating_member_uuid: Optional[uuid.UUID] = None,
        suggestion: Optional[str] = None,
    ) -> None:
        try:
            self.code: int = SqlErrorCode(code)
        except ValueError:
            self.code = code
        self.message = message
        self.originating_member_uuid = originating_member_uuid
        self.suggestion = suggestion
        origin = "" if originating_member_uuid is None else ", from %s" % originating_member_uuid
        super().__init__("%s (code %s%s)" % (message, _code_name(self.code), origin))

    def __reduce__(self) -> "tuple[type, tuple[object, ...]]":
        return (type(self), (int(self.code), self.message, self.originating_member_uuid, self.suggestion))


def _code_name(code: int) -> str:
    """``"TIMEOUT/1004"`` for a known code, the number alone otherwise."""
    return "%s/%d" % (code.name, code) if isinstance(code, SqlErrorCode) else str(code)


def sql_error_from(error: "custom.SqlError") -> HazelcastSqlError:
    """The HazelcastSqlError of an error a member sent in an SQL response; returns it."""
    return HazelcastSqlError(
        error.code, error.message or "SQL query failed", error.originating_member_id, error.suggestion
    )


def translate_error(
    error: BaseException, connection: Optional["Connection"], client_uuid: Optional[uuid.UUID]
) -> BaseException:
    """The error to raise for a failed SQL request; returns it.

    A HazelcastSqlError stays as it is; a request whose connection was lost becomes one
    with code CONNECTION_PROBLEM, a member-side exception one with code GENERIC (the
    original is its ``__cause__``). The client's own errors (timeout, client not active,
    ...) are returned unchanged.
    """
    if isinstance(error, HazelcastSqlError):
        return error
    if connection is not None and not connection.alive:
        translated = HazelcastSqlError(
            SqlErrorCode.CONNECTION_PROBLEM,
            "the connection to the member running the query (%s) was lost: %s" % (connection.address, error),
            client_uuid,
        )
    elif isinstance(error, HazelcastServerError):
        translated = HazelcastSqlError(SqlErrorCode.GENERIC, str(error), client_uuid)
    else:
        return error
    translated.__cause__ = error
    return translated
