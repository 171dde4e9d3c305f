"""``hazelcast.sql`` for hzgreen: the SQL types under the official module path.

``client.sql.execute(...)`` of a compat client returns a Future of hzgreen's
:class:`~hzgreen.sql.SqlResult` (iterate it for the rows, ``update_count()``,
``is_row_set()``, ``get_row_metadata()``, ``close()``, ``with`` blocks).
"""

from hzgreen.sql import (
    HazelcastSqlError,
    SqlColumnMetadata,
    SqlColumnType,
    SqlExpectedResultType,
    SqlResult,
    SqlRow,
    SqlRowMetadata,
    SqlService,
    SqlStatement,
)

__all__ = [
    "HazelcastSqlError",
    "SqlColumnMetadata",
    "SqlColumnType",
    "SqlExpectedResultType",
    "SqlResult",
    "SqlRow",
    "SqlRowMetadata",
    "SqlService",
    "SqlStatement",
]
