"""SqlService: runs SQL statements on the cluster (``client.sql``).

``execute`` sends ``Sql.execute`` to one member (a random data member the client is
connected to) and waits for the first page of rows, or the update count; it returns a
:class:`~hzgreen.sql.result.SqlResult`. ``execute_async`` returns an async result of it.
Fetching further pages and closing go to the same member over the same connection.
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING, Any, List, Optional, Union

from hzgreen.protocol.codecs import sql as codec
from hzgreen.protocol.custom import SqlQueryId
from hzgreen.protocol.sql import SqlValue
from hzgreen.runtime.invocation import Invocation
from hzgreen.sql.errors import HazelcastSqlError, SqlErrorCode, sql_error_from
from hzgreen.sql.result import ErrorTranslation, QueryCursor, SqlResult
from hzgreen.sql.row import SqlColumnMetadata, SqlRowMetadata
from hzgreen.sql.statement import (
    DEFAULT_CURSOR_BUFFER_SIZE,
    TIMEOUT_NOT_SET,
    SqlExpectedResultType,
    SqlStatement,
    timeout_millis,
)
from hzgreen.sql.values import convert_value

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.context import RuntimeContext

__all__ = ["SqlService"]

_MASK64 = (1 << 64) - 1


def _signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def new_query_id(member_uuid: uuid.UUID) -> SqlQueryId:
    """A fresh query id for a query run by ``member_uuid`` (its local part random); returns it."""
    local = uuid.uuid4().int
    member = member_uuid.int
    return SqlQueryId(
        _signed64(member >> 64), _signed64(member & _MASK64), _signed64(local >> 64), _signed64(local & _MASK64)
    )


class SqlService:
    """Runs SQL statements: ``client.sql.execute("SELECT ...", param, ...)``.

    Every map is a table of the ``partitioned`` schema once it has a mapping
    (``CREATE MAPPING``); see the member's SQL documentation for the dialect.
    """

    def __init__(self, context: "RuntimeContext") -> None:
        self._context = context
        self._handler = context.handler
        self._invocations = context.invocations

    # -- public API --------------------------------------------------------------------

    def execute(
        self,
        sql: str,
        *params: Any,
        cursor_buffer_size: int = DEFAULT_CURSOR_BUFFER_SIZE,
        timeout: Optional[float] = TIMEOUT_NOT_SET,
        expected_result_type: Union[SqlExpectedResultType, int, str] = SqlExpectedResultType.ANY,
        schema: Optional[str] = None,
    ) -> SqlResult:
        """Run ``sql`` with ``params`` filling its ``?`` markers (None is NULL); returns the SqlResult
        once the member answered (rows are then read from it, page by page).

        ``cursor_buffer_size`` is the number of rows a page carries (4096); ``timeout`` the
        seconds the query may run (-1 or None: the member's default, 0: no limit);
        ``expected_result_type`` a :class:`SqlExpectedResultType`; ``schema`` the schema
        searched first for unqualified names.

        Raises ValueError/TypeError naming a bad argument before anything is sent,
        HzSerializationError for a parameter that cannot be serialized, HazelcastSqlError
        for the member's SQL errors (with its code and originating member) or when no
        member can be reached, HzTimeoutError past ``invocation_timeout``.
        """
        statement = SqlStatement(
            sql,
            *params,
            cursor_buffer_size=cursor_buffer_size,
            timeout=timeout,
            expected_result_type=expected_result_type,
            schema=schema,
        )
        return self.execute_statement_async(statement).get()

    def execute_async(
        self,
        sql: str,
        *params: Any,
        cursor_buffer_size: int = DEFAULT_CURSOR_BUFFER_SIZE,
        timeout: Optional[float] = TIMEOUT_NOT_SET,
        expected_result_type: Union[SqlExpectedResultType, int, str] = SqlExpectedResultType.ANY,
        schema: Optional[str] = None,
    ) -> "AsyncResult[SqlResult]":
        """:meth:`execute` without waiting: the async result completes with the SqlResult.

        Bad arguments raise at once (nothing is sent); member errors fail the result.
        """
        statement = SqlStatement(
            sql,
            *params,
            cursor_buffer_size=cursor_buffer_size,
            timeout=timeout,
            expected_result_type=expected_result_type,
            schema=schema,
        )
        return self.execute_statement_async(statement)

    def execute_statement(self, statement: SqlStatement) -> SqlResult:
        """Run a :class:`SqlStatement`; returns and raises as :meth:`execute`."""
        return self.execute_statement_async(statement).get()

    def execute_statement_async(self, statement: SqlStatement) -> "AsyncResult[SqlResult]":
        """Run a :class:`SqlStatement` without waiting; the async result completes with the SqlResult.

        Raises ValueError for None and TypeError for anything but a SqlStatement, and
        HazelcastSqlError (code CONNECTION_PROBLEM) when the client has no connection.
        """
        if statement is None:
            raise ValueError("statement must not be None")
        if not isinstance(statement, SqlStatement):
            raise TypeError("statement must be a SqlStatement, got %r" % (statement,))
        statement = statement.copy()  # later changes by the caller do not reach this query
        to_data = self._context.serialization.to_data
        parameters = [to_data(value) for value in statement.parameters]
        connection = self._query_connection()
        member_uuid = connection.member_uuid
        assert member_uuid is not None  # _query_connection only returns authenticated connections
        query = QueryCursor(
            self._handler,
            self._invocations,
            connection,
            new_query_id(member_uuid),
            statement.cursor_buffer_size,
            self._context.connections.client_uuid,
        )
        request = codec.encode_execute_request(
            statement.sql,
            parameters,
            timeout_millis(statement.timeout),
            statement.cursor_buffer_size,
            statement.schema,
            int(statement.expected_result_type),
            query.query_id,
        )
        future: AsyncResult[SqlResult] = self._handler.async_result()
        # A request that failed on the way (timeout, lost connection) may still run on the member.
        completion = ErrorTranslation(future, query, query.close_quietly)

        def on_response(message: "ClientMessage") -> SqlResult:
            return self._result_of(query, message)

        self._invocations.invoke(Invocation(request, completion, -1, connection, on_response, None, False, "SQL"))
        return future

    # -- internals -----------------------------------------------------------------------

    def _result_of(self, query: QueryCursor, message: "ClientMessage") -> SqlResult:
        """The SqlResult of an execute response (runs where responses are read); raises HazelcastSqlError."""
        response = codec.decode_execute_response(message)
        error = response["error"]
        if error is not None:
            query.open = False
            raise sql_error_from(error)
        columns = response["row_metadata"]
        if columns is None:
            query.open = False
            return SqlResult(query, None, None, response["update_count"])
        metadata = SqlRowMetadata([SqlColumnMetadata(c.name, c.type, c.nullable) for c in columns])
        page = response["row_page"]
        if page is None:
            raise HazelcastSqlError(
                SqlErrorCode.GENERIC, "the member sent row metadata without rows", query.client_uuid
            )
        return SqlResult(query, metadata, page, -1, self._converter(metadata))

    def _converter(self, metadata: SqlRowMetadata) -> "Any":
        types: List[int] = [column.type for column in metadata.columns]
        names = metadata.column_names
        schemas = self._context.schemas
        client_uuid = self._context.connections.client_uuid

        def convert(index: int, value: SqlValue) -> Any:
            try:
                return convert_value(types[index], value, schemas.to_object)
            except HazelcastSqlError:
                raise
            except Exception as error:
                raise HazelcastSqlError(
                    SqlErrorCode.GENERIC,
                    "cannot read the value of column %r: %s" % (names[index], error),
                    client_uuid,
                ) from error

        return convert

    def _query_connection(self) -> "Connection":
        """A live connection to a data member, picked at random; raises HazelcastSqlError without one."""
        cluster = self._context.cluster
        candidates = []
        for connection in self._context.connections.active_connections:
            if not connection.alive or connection.member_uuid is None:
                continue
            member = cluster.get_member(connection.member_uuid)
            if member is not None and member.lite_member:
                continue
            candidates.append(connection)
        if not candidates:
            raise HazelcastSqlError(
                SqlErrorCode.CONNECTION_PROBLEM,
                "the client is not connected to any data member",
                self._context.connections.client_uuid,
            )
        return random.choice(candidates)
