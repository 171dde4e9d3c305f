"""PEP 249 connections and cursors over :class:`hzgreen.sql.SqlService`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, List, Optional, Sequence, Tuple

from hzgreen.dbapi.errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
    translated,
)
from hzgreen.sql.row import SqlRowMetadata
from hzgreen.sql.statement import DEFAULT_CURSOR_BUFFER_SIZE, TIMEOUT_NOT_SET, SqlExpectedResultType

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.sql.result import SqlResult
    from hzgreen.sql.row import SqlRow

__all__ = ["Connection", "Cursor"]

#: One entry of ``Cursor.description``: name, type_code, display_size, internal_size,
#: precision, scale, null_ok.
Description = Tuple[str, int, None, None, None, None, bool]


class Connection:
    """A PEP 249 connection: a started :class:`~hzgreen.HzClient` and the cursors made from it.

    Made by :func:`hzgreen.dbapi.connect`. It closes the client it made (not one it was
    given) when closed. Hazelcast SQL has no transactions: :meth:`commit` does nothing
    (every statement is applied when it runs) and :meth:`rollback` raises NotSupportedError.
    As a context manager it closes itself at the end of the block.
    """

    # PEP 249's optional extension: the exceptions as attributes of the connection.
    Warning = Warning
    Error = Error
    InterfaceError = InterfaceError
    DatabaseError = DatabaseError
    DataError = DataError
    OperationalError = OperationalError
    IntegrityError = IntegrityError
    InternalError = InternalError
    ProgrammingError = ProgrammingError
    NotSupportedError = NotSupportedError

    def __init__(self, client: "HzClient", owns_client: bool) -> None:
        self._client: Optional["HzClient"] = client
        self._owns_client = owns_client

    @property
    def client(self) -> "HzClient":
        """The client statements go through; raises InterfaceError once the connection is closed."""
        if self._client is None:
            raise InterfaceError("the connection is closed")
        return self._client

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._client is None

    def cursor(self) -> "Cursor":
        """A new cursor; raises InterfaceError once the connection is closed."""
        return Cursor(self)

    def commit(self) -> None:
        """Does nothing: every statement is applied when it runs (no transactions); returns None.

        Raises InterfaceError once the connection is closed.
        """
        self.client  # noqa: B018  (raises on a closed connection)

    def rollback(self) -> None:
        """Always raises NotSupportedError: Hazelcast SQL statements cannot be rolled back."""
        self.client  # noqa: B018
        raise NotSupportedError("Hazelcast SQL has no transactions: statements cannot be rolled back")

    def close(self) -> None:
        """Close the connection, and the client if :func:`~hzgreen.dbapi.connect` made it; idempotent."""
        client, self._client = self._client, None
        if client is not None and self._owns_client:
            client.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<hzgreen.dbapi.Connection %s>" % ("closed" if self._client is None else "open")


class Cursor:
    """A PEP 249 cursor: runs statements (``?`` parameters) and reads their rows.

    ``arraysize`` is :meth:`fetchmany`'s default; ``cursor_buffer_size`` the rows one page
    from the member carries (4096) and ``timeout`` the seconds a statement may run (-1:
    the member's default), both passed to :meth:`hzgreen.sql.SqlService.execute`. Rows
    are tuples. Not to be shared between threads or greenlets (connections may be).
    """

    def __init__(self, connection: Connection) -> None:
        connection.client  # noqa: B018  (raises on a closed connection)
        self._connection: Optional[Connection] = connection
        self.arraysize = 1
        self.cursor_buffer_size = DEFAULT_CURSOR_BUFFER_SIZE
        self.timeout: Optional[float] = TIMEOUT_NOT_SET
        self._result: Optional["SqlResult"] = None
        self._rows: Optional[Iterator["SqlRow"]] = None
        self._description: Optional[List[Description]] = None
        self._rowcount = -1

    # -- attributes --------------------------------------------------------------------

    @property
    def connection(self) -> Connection:
        """The connection the cursor was made from; raises InterfaceError once the cursor is closed."""
        if self._connection is None:
            raise InterfaceError("the cursor is closed")
        return self._connection

    @property
    def description(self) -> Optional[List[Description]]:
        """One 7-tuple per column of the last statement's rows (name, type_code, None, None, None,
        None, null_ok); None when it produced no rows or nothing ran yet. ``type_code`` is a
        :class:`~hzgreen.sql.SqlColumnType`, compared equal to STRING, NUMBER, DATETIME, ..."""
        return self._description

    @property
    def rowcount(self) -> int:
        """Rows changed by the last DML statement (summed over :meth:`executemany`); -1 after a
        SELECT, before any statement, and when the count is unknown."""
        return self._rowcount

    @property
    def lastrowid(self) -> None:
        """Always None: maps have keys, not row ids."""
        return None

    # -- running statements ----------------------------------------------------------------

    def execute(self, operation: str, parameters: Optional[Sequence[Any]] = None) -> "Cursor":
        """Run ``operation`` with ``parameters`` filling its ``?`` markers; returns the cursor.

        Raises InterfaceError on a closed cursor, ProgrammingError for parameters that are
        not a sequence, a statement the member cannot parse or an unknown mapping, and the
        class matching the member's error code otherwise (see :mod:`hzgreen.dbapi`).
        """
        client = self._client()
        params = _parameters(parameters)
        self._reset()
        with translated():
            result = client.sql.execute(
                operation,
                *params,
                cursor_buffer_size=self.cursor_buffer_size,
                timeout=self.timeout,
            )
        self._take(result)
        return self

    def executemany(self, operation: str, seq_of_parameters: Iterable[Sequence[Any]]) -> "Cursor":
        """Run ``operation`` once per parameter sequence; ``rowcount`` sums the update counts.

        Returns the cursor. Raises ProgrammingError for a statement that returns rows (and
        for what :meth:`execute` refuses); statements run before a failing one stay applied.
        """
        client = self._client()
        if seq_of_parameters is None or isinstance(seq_of_parameters, (str, bytes)):
            raise ProgrammingError("seq_of_parameters must be an iterable of parameter sequences")
        all_params = [_parameters(params) for params in seq_of_parameters]
        self._reset()
        total = 0
        for params in all_params:
            with translated():
                result = client.sql.execute(
                    operation,
                    *params,
                    cursor_buffer_size=self.cursor_buffer_size,
                    timeout=self.timeout,
                    expected_result_type=SqlExpectedResultType.UPDATE_COUNT,
                )
            total += max(result.update_count(), 0)
        self._rowcount = total
        return self

    def _take(self, result: "SqlResult") -> None:
        self._result = result
        if result.is_row_set():
            metadata: SqlRowMetadata = result.get_row_metadata()
            self._description = [
                (column.name, int(column.type), None, None, None, None, column.nullable) for column in metadata.columns
            ]
            self._rows = result.iterator()
            self._rowcount = -1
        else:
            self._rowcount = result.update_count()

    def _reset(self) -> None:
        """Close the previous statement's result (cancelling a query not read to the end)."""
        result, self._result, self._rows = self._result, None, None
        self._description = None
        self._rowcount = -1
        if result is not None:
            with translated():
                result.close()

    def _client(self) -> "HzClient":
        return self.connection.client

    # -- reading rows -------------------------------------------------------------------

    def _row_iterator(self) -> Iterator["SqlRow"]:
        self.connection  # noqa: B018  (raises on a closed cursor)
        if self._rows is None:
            raise ProgrammingError("no rows to fetch: the last statement produced none, or nothing ran yet")
        return self._rows

    def fetchone(self) -> Optional[Tuple[Any, ...]]:
        """The next row as a tuple, or None after the last one.

        Raises ProgrammingError when the last statement produced no rows, InterfaceError on
        a closed cursor, OperationalError/DatabaseError when the query fails while paging.
        """
        rows = self._row_iterator()
        with translated():
            row = next(rows, None)
        return None if row is None else tuple(row.to_list())

    def fetchmany(self, size: Optional[int] = None) -> List[Tuple[Any, ...]]:
        """Up to ``size`` (default ``arraysize``) next rows; fewer, or none, at the end.

        Raises ProgrammingError for a negative or non-int size, and what :meth:`fetchone` raises.
        """
        count = self.arraysize if size is None else size
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ProgrammingError("size must be an int >= 0, got %r" % (size,))
        rows = self._row_iterator()
        out: List[Tuple[Any, ...]] = []
        with translated():
            for row in rows:
                out.append(tuple(row.to_list()))
                if len(out) >= count:
                    break
        return out

    def fetchall(self) -> List[Tuple[Any, ...]]:
        """Every remaining row; raises what :meth:`fetchone` raises."""
        rows = self._row_iterator()
        with translated():
            return [tuple(row.to_list()) for row in rows]

    def __iter__(self) -> Iterator[Tuple[Any, ...]]:
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    # -- the rest of PEP 249 ------------------------------------------------------------

    def setinputsizes(self, sizes: Any) -> None:
        """Does nothing (allowed by PEP 249); returns None."""

    def setoutputsize(self, size: Any, column: Optional[int] = None) -> None:
        """Does nothing (allowed by PEP 249); returns None."""

    def close(self) -> None:
        """Close the cursor (cancelling a query not read to the end); idempotent. Returns None."""
        if self._connection is None:
            return
        try:
            if self._connection.closed:
                self._result = self._rows = None
            else:
                self._reset()
        finally:
            self._connection = None

    def __enter__(self) -> "Cursor":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _parameters(parameters: Optional[Sequence[Any]]) -> List[Any]:
    """``parameters`` as a list (qmark style wants a sequence); raises ProgrammingError otherwise."""
    if parameters is None:
        return []
    if isinstance(parameters, (str, bytes, bytearray, dict)) or not isinstance(parameters, (list, tuple, Sequence)):
        raise ProgrammingError(
            "parameters must be a sequence (list or tuple) filling the ? markers in order, got %r" % (parameters,)
        )
    return list(parameters)
