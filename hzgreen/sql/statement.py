"""A statement to run: :class:`SqlStatement`, its options and their checks."""

from __future__ import annotations

import enum
import math
from typing import Any, Iterable, List, Optional, Union

__all__ = ["SqlExpectedResultType", "SqlStatement"]

#: The official client's defaults.
DEFAULT_CURSOR_BUFFER_SIZE = 4096
#: ``timeout`` meaning "the member's default" (``sql.statement-timeout-millis``, 0: none).
TIMEOUT_NOT_SET = -1.0


class SqlExpectedResultType(enum.IntEnum):
    """What a statement must produce; a member refuses a statement that would produce the other."""

    #: Rows or an update count.
    ANY = 0
    #: Rows (a SELECT); anything else fails.
    ROWS = 1
    #: An update count (DML, DDL); a SELECT fails.
    UPDATE_COUNT = 2


def check_sql(sql: object) -> str:
    """``sql`` itself; raises ValueError for None or an empty string, TypeError for a non-str."""
    if sql is None:
        raise ValueError("sql must not be None")
    if not isinstance(sql, str):
        raise TypeError("sql must be a str, got %r" % (sql,))
    if not sql.strip():
        raise ValueError("sql must not be empty")
    return sql


def check_timeout(timeout: object) -> float:
    """``timeout`` in seconds as a float: -1 (the member's default), 0 (none) or more.

    None means -1. Raises TypeError for a non-number, ValueError for a negative value
    other than -1, NaN or infinity.
    """
    if timeout is None:
        return TIMEOUT_NOT_SET
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds, got %r" % (timeout,))
    if timeout == TIMEOUT_NOT_SET:
        return TIMEOUT_NOT_SET
    if not 0 <= timeout < math.inf:
        raise ValueError("timeout must be -1 (the member's default), 0 (no timeout) or more seconds, got %r" % timeout)
    return float(timeout)


def timeout_millis(timeout: float) -> int:
    """The wire form of a checked ``timeout``: -1 for not set, else whole milliseconds (at least 1 above 0)."""
    if timeout == TIMEOUT_NOT_SET:
        return -1
    millis = int(timeout * 1000)
    return 1 if millis == 0 and timeout > 0 else millis


def check_cursor_buffer_size(size: object) -> int:
    """``size`` itself; raises TypeError for a non-int, ValueError for one below 1 or above 2**31-1."""
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError("cursor_buffer_size must be an int, got %r" % (size,))
    if not 0 < size < 2**31:
        raise ValueError("cursor_buffer_size must be a positive number of rows, got %r" % (size,))
    return size


def check_expected_result_type(value: object) -> SqlExpectedResultType:
    """``value`` as a :class:`SqlExpectedResultType` (its int value or name also work).

    Raises ValueError for None or an unknown value, TypeError for another type.
    """
    if value is None:
        raise ValueError("expected_result_type must not be None")
    if isinstance(value, str):
        try:
            return SqlExpectedResultType[value.upper()]
        except KeyError:
            raise ValueError("expected_result_type must be ANY, ROWS or UPDATE_COUNT, got %r" % value) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected_result_type must be a SqlExpectedResultType, got %r" % (value,))
    try:
        return SqlExpectedResultType(value)
    except ValueError:
        raise ValueError("expected_result_type must be ANY (0), ROWS (1) or UPDATE_COUNT (2), got %r" % value) from None


def check_schema(schema: object) -> Optional[str]:
    """``schema`` itself (None: the default search path); raises TypeError for a non-str."""
    if schema is not None and not isinstance(schema, str):
        raise TypeError("schema must be a str or None, got %r" % (schema,))
    return schema


class SqlStatement:
    """An SQL statement with its parameters and options.

    The options are those of :meth:`hzgreen.sql.SqlService.execute`; each is checked when
    set (TypeError / ValueError naming it).
    """

    def __init__(
        self,
        sql: str,
        *params: Any,
        cursor_buffer_size: int = DEFAULT_CURSOR_BUFFER_SIZE,
        timeout: Optional[float] = TIMEOUT_NOT_SET,
        expected_result_type: Union[SqlExpectedResultType, int, str] = SqlExpectedResultType.ANY,
        schema: Optional[str] = None,
    ) -> None:
        self.sql = sql
        self._parameters: List[Any] = list(params)
        self.cursor_buffer_size = cursor_buffer_size
        self.timeout = timeout
        self.expected_result_type = expected_result_type
        self.schema = schema

    @property
    def sql(self) -> str:
        """The SQL text; ``?`` marks a parameter."""
        return self._sql

    @sql.setter
    def sql(self, value: str) -> None:
        self._sql = check_sql(value)

    @property
    def parameters(self) -> List[Any]:
        """The parameters, in the order of the ``?`` they fill (a copy)."""
        return list(self._parameters)

    @parameters.setter
    def parameters(self, values: Iterable[Any]) -> None:
        if values is None:
            raise ValueError("parameters must not be None (use an empty list)")
        if isinstance(values, (str, bytes)):
            raise TypeError("parameters must be a list of values, got %r" % (values,))
        self._parameters = list(values)

    def add_parameter(self, value: Any) -> None:
        """Append a parameter (None is SQL NULL); returns None."""
        self._parameters.append(value)

    def clear_parameters(self) -> None:
        """Remove every parameter; returns None."""
        self._parameters = []

    @property
    def timeout(self) -> float:
        """Seconds the query may run: -1 (the member's default), 0 (no limit) or more."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: Optional[float]) -> None:
        self._timeout = check_timeout(value)

    @property
    def cursor_buffer_size(self) -> int:
        """How many rows a page (one round trip) carries at most."""
        return self._cursor_buffer_size

    @cursor_buffer_size.setter
    def cursor_buffer_size(self, value: int) -> None:
        self._cursor_buffer_size = check_cursor_buffer_size(value)

    @property
    def expected_result_type(self) -> SqlExpectedResultType:
        """The :class:`SqlExpectedResultType` the statement must produce."""
        return self._expected_result_type

    @expected_result_type.setter
    def expected_result_type(self, value: Union[SqlExpectedResultType, int, str]) -> None:
        self._expected_result_type = check_expected_result_type(value)

    @property
    def schema(self) -> Optional[str]:
        """The schema searched first for unqualified names (None: the default search path)."""
        return self._schema

    @schema.setter
    def schema(self, value: Optional[str]) -> None:
        self._schema = check_schema(value)

    def copy(self) -> "SqlStatement":
        """An independent copy; returns it."""
        return SqlStatement(
            self._sql,
            *self._parameters,
            cursor_buffer_size=self._cursor_buffer_size,
            timeout=self._timeout,
            expected_result_type=self._expected_result_type,
            schema=self._schema,
        )

    def __repr__(self) -> str:
        return (
            "SqlStatement(%r, parameters=%r, timeout=%r, cursor_buffer_size=%r, expected_result_type=%s, schema=%r)"
            % (
                self._sql,
                self._parameters,
                self._timeout,
                self._cursor_buffer_size,
                self._expected_result_type.name,
                self._schema,
            )
        )
