"""SQL: ``client.sql.execute("SELECT ...")`` and what it returns.

:class:`SqlService` runs statements; :class:`SqlResult` holds rows (read page by page)
or an update count; :class:`SqlRow` is read by column index or name;
:class:`HazelcastSqlError` carries the member's :class:`SqlErrorCode`. The DB-API 2.0
module built on it is :mod:`hzgreen.dbapi`.
"""

from hzgreen.sql.errors import HazelcastSqlError, SqlErrorCode
from hzgreen.sql.result import SqlResult
from hzgreen.sql.row import SqlColumnMetadata, SqlColumnType, SqlRow, SqlRowMetadata
from hzgreen.sql.service import SqlService
from hzgreen.sql.statement import SqlExpectedResultType, SqlStatement

__all__ = [
    "HazelcastSqlError",
    "SqlColumnMetadata",
    "SqlColumnType",
    "SqlErrorCode",
    "SqlExpectedResultType",
    "SqlResult",
    "SqlRow",
    "SqlRowMetadata",
    "SqlService",
    "SqlStatement",
]
