"""Rows of a query result and their metadata: :class:`SqlRow`, :class:`SqlRowMetadata`,
:class:`SqlColumnMetadata` and :class:`SqlColumnType`."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

from hzgreen.protocol.sql import SqlColumnType, SqlValue

__all__ = ["SqlColumnMetadata", "SqlColumnType", "SqlRow", "SqlRowMetadata"]


def _column_type(value: int) -> Union[SqlColumnType, int]:
    """The named type of ``value``, or the int itself for a type newer than this client."""
    try:
        return SqlColumnType(value)
    except ValueError:
        return value


class SqlColumnMetadata:
    """One column: its ``name``, ``type`` (:class:`SqlColumnType`) and whether it is ``nullable``."""

    __slots__ = ("_name", "_type", "_nullable")

    def __init__(self, name: str, column_type: int, nullable: Optional[bool] = True) -> None:
        self._name = name
        self._type = _column_type(column_type)
        # Members older than protocol 2.2 do not say; any column may then hold NULL.
        self._nullable = True if nullable is None else bool(nullable)

    @property
    def name(self) -> str:
        """The column's name (its label in the query)."""
        return self._name

    @property
    def type(self) -> Union[SqlColumnType, int]:
        """The column's :class:`SqlColumnType`."""
        return self._type

    @property
    def nullable(self) -> bool:
        """True if the column's values may be None."""
        return self._nullable

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SqlColumnMetadata):
            return NotImplemented
        return (self._name, self._type, self._nullable) == (other._name, other._type, other._nullable)

    def __hash__(self) -> int:
        return hash((self._name, self._type, self._nullable))

    def __repr__(self) -> str:
        type_name = self._type.name if isinstance(self._type, SqlColumnType) else str(self._type)
        return "%s %s%s" % (self._name, type_name, "" if self._nullable else " NOT NULL")


class SqlRowMetadata:
    """The columns of a result's rows, in order."""

    __slots__ = ("_columns", "_index")

    #: What :meth:`find_column` returns for a name no column has.
    COLUMN_NOT_FOUND = -1

    def __init__(self, columns: Sequence[SqlColumnMetadata]) -> None:
        self._columns = list(columns)
        self._index: Dict[str, int] = {}
        for position, column in enumerate(self._columns):
            self._index.setdefault(column.name, position)

    @property
    def columns(self) -> List[SqlColumnMetadata]:
        """Every column's metadata (a copy)."""
        return list(self._columns)

    @property
    def column_count(self) -> int:
        """How many columns a row has."""
        return len(self._columns)

    @property
    def column_names(self) -> List[str]:
        """The columns' names, in order."""
        return [column.name for column in self._columns]

    def get_column(self, index: int) -> SqlColumnMetadata:
        """The metadata of the column at zero-based ``index``.

        Raises TypeError for an index that is not an int and IndexError outside the row.
        """
        _check_index(index)
        return self._columns[index]

    def find_column(self, column_name: str) -> int:
        """The index of the column named ``column_name`` (case-sensitive), or :attr:`COLUMN_NOT_FOUND`.

        Raises ValueError for None and TypeError for a name that is not a str.
        """
        _check_name(column_name)
        return self._index.get(column_name, self.COLUMN_NOT_FOUND)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SqlRowMetadata):
            return NotImplemented
        return self._columns == other._columns

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "SqlRowMetadata([%s])" % ", ".join(repr(column) for column in self._columns)


def _check_index(index: object) -> None:
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError("column index must be an int, got %r" % (index,))


def _check_name(column_name: object) -> None:
    if column_name is None:
        raise ValueError("column name must not be None")
    if not isinstance(column_name, str):
        raise TypeError("column name must be a str, got %r" % (column_name,))


#: Turns (column index, raw value) into the Python value of that column.
Converter = Callable[[int, SqlValue], Any]

_UNSET = object()


class SqlRow:
    """One row of a result: read it by column index or by column name.

    ``row[0]`` and ``row["name"]`` are :meth:`get_object_with_index` and :meth:`get_object`;
    ``list(row)`` gives the values in column order, :meth:`to_dict` a ``{name: value}`` dict.
    An OBJECT column is deserialized when first read, then kept.
    """

    __slots__ = ("_metadata", "_raw", "_values", "_convert")

    def __init__(self, metadata: SqlRowMetadata, raw: Sequence[SqlValue], convert: Converter) -> None:
        self._metadata = metadata
        self._raw = raw
        self._values: List[Any] = [_UNSET] * len(raw)
        self._convert = convert

    def get_object(self, column_name: str) -> Any:
        """The value of the column named ``column_name`` (case-sensitive).

        Raises ValueError for None or a name no column has, TypeError for a name that is
        not a str, HazelcastSqlError if an OBJECT value cannot be deserialized.
        """
        index = self._metadata.find_column(column_name)
        if index == SqlRowMetadata.COLUMN_NOT_FOUND:
            raise ValueError(
                "no column named %r; the columns are %s" % (column_name, ", ".join(self._metadata.column_names))
            )
        return self._value(index)

    def get_object_with_index(self, column_index: int) -> Any:
        """The value of the column at zero-based ``column_index``.

        Raises TypeError for an index that is not an int, IndexError outside the row,
        HazelcastSqlError if an OBJECT value cannot be deserialized.
        """
        _check_index(column_index)
        if not -len(self._raw) <= column_index < len(self._raw):
            raise IndexError("column index %d out of range: the row has %d columns" % (column_index, len(self._raw)))
        return self._value(column_index % len(self._raw))

    def _value(self, index: int) -> Any:
        value = self._values[index]
        if value is _UNSET:
            value = self._values[index] = self._convert(index, self._raw[index])
        return value

    @property
    def metadata(self) -> SqlRowMetadata:
        """The row's :class:`SqlRowMetadata`."""
        return self._metadata

    def get_metadata(self) -> SqlRowMetadata:
        """The row's :class:`SqlRowMetadata`; returns it."""
        return self._metadata

    def to_list(self) -> List[Any]:
        """The values in column order; returns a new list."""
        return [self._value(i) for i in range(len(self._raw))]

    def to_dict(self) -> Dict[str, Any]:
        """``{column name: value}``; returns a new dict."""
        return {column.name: self._value(i) for i, column in enumerate(self._metadata.columns)}

    def __getitem__(self, item: Union[int, str]) -> Any:
        if isinstance(item, str):
            return self.get_object(item)
        return self.get_object_with_index(item)

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SqlRow):
            return self._metadata == other._metadata and self.to_list() == other.to_list()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "SqlRow(%s)" % ", ".join(
            "%s=%r" % (column.name, self._value(i)) for i, column in enumerate(self._metadata.columns)
        )
