"""A DB-API 2.0 (PEP 249) module over Hazelcast SQL.

::

    import hzgreen.dbapi

    with hzgreen.dbapi.connect(cluster_members=["127.0.0.1:5701"]) as conn:
        cur = conn.cursor()
        cur.execute("SELECT name, age FROM people WHERE age > ? ORDER BY age", (30,))
        for name, age in cur.fetchall():
            ...

``paramstyle`` is ``qmark``; ``threadsafety`` is 2 (threads may share the module and
connections, not cursors). Errors follow the PEP 249 hierarchy, mapped from the member's
SQL error codes (see :mod:`hzgreen.dbapi.errors`). Hazelcast SQL has no transactions:
``commit()`` does nothing, ``rollback()`` raises NotSupportedError.
"""

from __future__ import annotations

import datetime
import time
from typing import TYPE_CHECKING, Any, Optional

from hzgreen.dbapi.connection import Connection, Cursor
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
from hzgreen.sql.row import SqlColumnType

if TYPE_CHECKING:
    from hzgreen.client import HzClient

__all__ = [
    "BINARY",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "Connection",
    "Cursor",
    "DataError",
    "DatabaseError",
    "Date",
    "DateFromTicks",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "Warning",
    "apilevel",
    "connect",
    "paramstyle",
    "threadsafety",
]

apilevel = "2.0"
#: Threads may share the module and connections (the client is thread- and greenlet-safe), not cursors.
threadsafety = 2
paramstyle = "qmark"


def connect(client: Optional["HzClient"] = None, start_timeout: float = 30.0, **client_options: Any) -> Connection:
    """A :class:`Connection` over ``client``, or over a new client made from ``client_options``.

    ``client_options`` are :class:`~hzgreen.HzClient`'s keyword options (``cluster_members``,
    ``cluster_name``, ``handler``, ...); the client made from them is started (within
    ``start_timeout`` seconds) and closed with the connection. A given ``client`` is used as
    it is (start it first) and left open. Returns the connection.

    Raises InterfaceError for a ``client`` that is not an HzClient or given together with
    options, ProgrammingError for a bad option, OperationalError when the cluster cannot
    be reached in time.
    """
    from hzgreen.client import HzClient

    if client is not None:
        if client_options:
            raise InterfaceError("pass either client or client options, not both")
        if not isinstance(client, HzClient):
            raise InterfaceError("client must be an hzgreen.HzClient, got %r" % (client,))
        return Connection(client, owns_client=False)
    with translated():
        made = HzClient(**client_options)
    try:
        with translated():
            made.start(timeout=start_timeout)
    except BaseException:
        made.close()
        raise
    return Connection(made, owns_client=True)


class DBAPITypeObject:
    """A PEP 249 type object: equal to each :class:`~hzgreen.sql.SqlColumnType` of its group."""

    def __init__(self, name: str, *column_types: SqlColumnType) -> None:
        self.name = name
        self.values = frozenset(int(t) for t in column_types)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DBAPITypeObject):
            return self.values == other.values
        if isinstance(other, int):
            return other in self.values
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return "hzgreen.dbapi.%s" % self.name


STRING = DBAPITypeObject("STRING", SqlColumnType.VARCHAR, SqlColumnType.JSON)
BINARY = DBAPITypeObject("BINARY", SqlColumnType.OBJECT)
NUMBER = DBAPITypeObject(
    "NUMBER",
    SqlColumnType.TINYINT,
    SqlColumnType.SMALLINT,
    SqlColumnType.INTEGER,
    SqlColumnType.BIGINT,
    SqlColumnType.DECIMAL,
    SqlColumnType.REAL,
    SqlColumnType.DOUBLE,
    SqlColumnType.BOOLEAN,
)
DATETIME = DBAPITypeObject(
    "DATETIME",
    SqlColumnType.DATE,
    SqlColumnType.TIME,
    SqlColumnType.TIMESTAMP,
    SqlColumnType.TIMESTAMP_WITH_TIME_ZONE,
)
#: Hazelcast rows have no row id: equal to no column type.
ROWID = DBAPITypeObject("ROWID")

Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime


def DateFromTicks(ticks: float) -> datetime.date:  # noqa: N802  (PEP 249 names)
    """The local date of ``ticks`` seconds since the epoch; returns it."""
    return Date(*time.localtime(ticks)[:3])


def TimeFromTicks(ticks: float) -> datetime.time:  # noqa: N802
    """The local time of day of ``ticks``; returns it."""
    return Time(*time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks: float) -> datetime.datetime:  # noqa: N802
    """The local date and time of ``ticks``; returns it."""
    return Timestamp(*time.localtime(ticks)[:6])


def Binary(value: bytes) -> bytes:  # noqa: N802
    """``value`` as bytes (a Hazelcast OBJECT parameter of type byte[]); returns it."""
    return bytes(value)
