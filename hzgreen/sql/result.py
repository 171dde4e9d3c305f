"""The result of one query: :class:`SqlResult`, its pages, and the query's cursor on the member.

A SELECT's result holds the first page of rows; iterating past it fetches the next page
(``Sql.fetch``, at most ``cursor_buffer_size`` rows) from the member that runs the query,
on the connection the query went out on. Closing the result early (``close()``, leaving a
``with`` block, or dropping the last reference to an open result) sends ``Sql.close``,
which cancels the query on the member (a streaming query's Jet job ends).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterator, List, Optional

from hzgreen.protocol.codecs import sql as codec
from hzgreen.protocol.custom import SqlQueryId
from hzgreen.protocol.sql import SqlPage, SqlValue
from hzgreen.runtime.invocation import Invocation
from hzgreen.sql.errors import HazelcastSqlError, SqlErrorCode, sql_error_from, translate_error
from hzgreen.sql.row import SqlRow, SqlRowMetadata

if TYPE_CHECKING:
    import uuid

    from hzgreen.handler_types import AsyncResult, Handler
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.invocation import InvocationService

__all__ = ["SqlResult"]


class ErrorTranslation:
    """What an invocation completes: passes the value on, and turns errors into HazelcastSqlError.

    ``on_error(error)`` (if given) runs first, for clean-up.
    """

    __slots__ = ("future", "query", "on_error")

    def __init__(
        self, future: "AsyncResult[Any]", query: "QueryCursor", on_error: Optional[Callable[[], None]] = None
    ) -> None:
        self.future = future
        self.query = query
        self.on_error = on_error

    def set(self, value: Any = None) -> None:
        """The invocation succeeded with ``value``; returns None."""
        self.future.set(value)

    def set_exception(self, error: BaseException) -> None:
        """The invocation failed: the future fails with the translated error; returns None."""
        if self.on_error is not None and not isinstance(error, HazelcastSqlError):
            self.on_error()
        query = self.query
        self.future.set_exception(translate_error(error, query.connection, query.client_uuid))


class QueryCursor:
    """The member-side cursor of one query: where it runs, its id, and whether it is still open."""

    __slots__ = ("handler", "invocations", "connection", "query_id", "cursor_buffer_size", "client_uuid", "open")

    def __init__(
        self,
        handler: "Handler",
        invocations: "InvocationService",
        connection: "Connection",
        query_id: SqlQueryId,
        cursor_buffer_size: int,
        client_uuid: Optional["uuid.UUID"],
    ) -> None:
        self.handler = handler
        self.invocations = invocations
        self.connection = connection
        self.query_id = query_id
        self.cursor_buffer_size = cursor_buffer_size
        self.client_uuid = client_uuid
        #: True while the member may hold rows of the query (no last page, error or close yet).
        self.open = True

    def send(self, request: "ClientMessage", response_handler: Callable[["ClientMessage"], Any]) -> "AsyncResult[Any]":
        """Send ``request`` on the query's connection; the result is ``response_handler(response)``,
        failing with a HazelcastSqlError (or the client's own error: timeout, not active)."""
        future: AsyncResult[Any] = self.handler.async_result()
        completion = ErrorTranslation(future, self)
        self.invocations.invoke(Invocation(request, completion, -1, self.connection, response_handler, None))
        return future

    def fetch_async(self) -> "AsyncResult[SqlPage]":
        """Ask for the next page; the result is the page. Fails with HazelcastSqlError."""
        request = codec.encode_fetch_request(self.query_id, self.cursor_buffer_size)
        return self.send(request, _decode_page)

    def close_async(self) -> "AsyncResult[None]":
        """Cancel the query on the member (once; later calls answer None at once); returns the result."""
        if not self.open:
            done: AsyncResult[None] = self.handler.async_result()
            done.set(None)
            return done
        self.open = False
        if not self.connection.alive:
            # The member drops the cursors of a client connection that closed.
            gone: AsyncResult[None] = self.handler.async_result()
            gone.set(None)
            return gone
        return self.send(codec.encode_close_request(self.query_id), _ignore)

    def close_quietly(self) -> None:
        """Send the close without waiting and ignore its outcome (for abandoned results); returns None."""
        try:
            self.close_async()
        except Exception:  # the client may be stopping: the member then drops the cursor itself
            self.open = False


def _decode_page(message: "ClientMessage") -> SqlPage:
    response = codec.decode_fetch_response(message)
    error = response["error"]
    if error is not None:
        raise sql_error_from(error)
    page = response["row_page"]
    if page is None:
        raise HazelcastSqlError(SqlErrorCode.GENERIC, "the member answered a fetch with neither rows nor an error")
    return page


def _ignore(_: "ClientMessage") -> None:
    return None


def _close_abandoned(query: QueryCursor) -> None:
    """The finalizer of a result: an open query is closed from the callback worker.

    Runs wherever the garbage collector runs, so it only queues the work.
    """
    if query.open:
        query.handler.dispatch_callback(query.close_quietly)


#: Turns (column index, raw value) into a Python value.
Converter = Callable[[int, SqlValue], Any]


class SqlResult:
    """The result of :meth:`hzgreen.sql.SqlService.execute`: rows, or an update count.

    A row set is iterable (once) over :class:`SqlRow` objects, fetching further pages as
    needed; :meth:`get_row_metadata` names and types its columns. A statement without rows
    (DML, DDL) has an :meth:`update_count` instead. Use it as a context manager, or call
    :meth:`close`, to cancel a query whose rows you do not read to the end: the result also
    closes itself when garbage-collected while open. ``result()`` returns the result itself,
    so the official client's ``client.sql.execute(...).result()`` keeps working.
    """

    def __init__(
        self,
        query: QueryCursor,
        row_metadata: Optional[SqlRowMetadata],
        first_page: Optional[SqlPage],
        update_count: int,
        convert: Optional[Converter] = None,
    ) -> None:
        self._query = query
        self._metadata = row_metadata
        self._update_count = update_count
        self._convert: Converter = convert or _raw
        self._page = first_page
        self._position = 0
        self._iterated = False
        self._cancelled = False
        self._lock = query.handler.lock_object()
        if first_page is None or first_page.is_last:
            query.open = False
        self._finalizer = weakref.finalize(self, _close_abandoned, query)
        self._finalizer.atexit = False

    # -- what the statement produced -----------------------------------------------------

    def is_row_set(self) -> bool:
        """True if the statement produced rows (a SELECT), False for an update count."""
        return self._metadata is not None

    def update_count(self) -> int:
        """The rows the statement changed; -1 for a row set, 0 when no count applies (DDL)."""
        return self._update_count

    def get_row_metadata(self) -> SqlRowMetadata:
        """The columns of the rows; raises ValueError for a result that has an update count only."""
        if self._metadata is None:
            raise ValueError("this result has an update count only, no rows")
        return self._metadata

    @property
    def row_metadata(self) -> Optional[SqlRowMetadata]:
        """The columns of the rows, or None for a result with an update count only."""
        return self._metadata

    @property
    def query_id(self) -> SqlQueryId:
        """The cluster-wide id of the query."""
        return self._query.query_id

    @property
    def is_closed(self) -> bool:
        """True once the member holds nothing more of the query (last page read, error, or closed)."""
        return not self._query.open

    def result(self, timeout: Optional[float] = None) -> "SqlResult":
        """The result itself (the statement already ran); ``timeout`` is accepted and unused."""
        return self

    # -- rows ------------------------------------------------------------------------------

    def iterator(self) -> Iterator[SqlRow]:
        """An iterator over the rows, fetching pages as needed; it may be asked for once.

        Raises ValueError for a result with an update count only, or when an iterator was
        already handed out. Iterating raises HazelcastSqlError for a query that failed, ran
        out of time or was closed.
        """
        metadata = self.get_row_metadata()
        with self._lock:
            if self._iterated:
                raise ValueError("the rows of a result can be iterated once")
            self._iterated = True
        return _RowIterator(self, metadata)

    def __iter__(self) -> Iterator[SqlRow]:
        return self.iterator()

    def rows(self, include_field_names: bool = False) -> Iterator[List[Any]]:
        """The rows as lists of values; with ``include_field_names`` the column names come first
        (as pyignite's ``client.sql(..., include_field_names=True)`` gives them).

        Raises what :meth:`iterator` raises.
        """
        iterator = self.iterator()
        if include_field_names:
            yield self.get_row_metadata().column_names
        for row in iterator:
            yield row.to_list()

    def _next_raw(self) -> Optional[List[SqlValue]]:
        """The next row's raw values, fetching a page when needed; None after the last row."""
        while True:
            with self._lock:
                if self._cancelled:
                    raise HazelcastSqlError(
                        SqlErrorCode.CANCELLED_BY_USER, "the query was closed by the user", self._query.client_uuid
                    )
                page = self._page
                if page is not None and self._position < page.row_count:
                    position = self._position
                    self._position += 1
                    return [column[position] for column in page.columns]
                if page is None or page.is_last:
                    self._page = None
                    return None
            try:
                next_page = self._query.fetch_async().get()
            except BaseException:
                self._query.open = False  # the member ends a query that failed
                raise
            with self._lock:
                self._page = next_page
                self._position = 0
                if next_page.is_last:
                    self._query.open = False

    # -- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Cancel the query on the member if it is still running; idempotent.

        Returns None. Raises HazelcastSqlError if the member could not be told.
        """
        self.close_async().get()

    def close_async(self) -> "AsyncResult[None]":
        """:meth:`close` without waiting; the result is None (or the error)."""
        with self._lock:
            if self._query.open:
                self._cancelled = True
                self._page = None
        return self._query.close_async()

    def __enter__(self) -> "SqlResult":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._metadata is None:
            return "SqlResult(update_count=%d)" % self._update_count
        return "SqlResult(%r, closed=%r)" % (self._metadata, self.is_closed)


def _raw(_: int, value: SqlValue) -> Any:
    return value


class _RowIterator:
    """Iterates a result's rows; holds the result, so an abandoned loop still closes it."""

    __slots__ = ("_result", "_metadata")

    def __init__(self, result: SqlResult, metadata: SqlRowMetadata) -> None:
        self._result = result
        self._metadata = metadata

    def __iter__(self) -> "_RowIterator":
        return self

    def __next__(self) -> SqlRow:
        raw = self._result._next_raw()
        if raw is None:
            raise StopIteration
        return SqlRow(self._metadata, raw, self._result._convert)
