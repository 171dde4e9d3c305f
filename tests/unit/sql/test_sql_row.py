"""SqlRow and its metadata: reading by index and name, and the errors for wrong columns."""

import pytest

from hzgreen.sql.row import SqlColumnMetadata, SqlColumnType, SqlRow, SqlRowMetadata

METADATA = SqlRowMetadata(
    [
        SqlColumnMetadata("id", SqlColumnType.INTEGER, False),
        SqlColumnMetadata("name", SqlColumnType.VARCHAR, True),
    ]
)


def make_row(values, calls=None):
    def convert(index, value):
        if calls is not None:
            calls.append(index)
        return value.upper() if isinstance(value, str) else value

    return SqlRow(METADATA, values, convert)


def test_read_by_index_and_by_name():
    row = make_row([7, "ada"])
    assert row[0] == row.get_object_with_index(0) == row["id"] == row.get_object("id") == 7
    assert row["name"] == "ADA" and row[-1] == "ADA"
    assert list(row) == row.to_list() == [7, "ADA"]
    assert row.to_dict() == {"id": 7, "name": "ADA"}
    assert len(row) == 2
    assert row.metadata is row.get_metadata() is METADATA
    assert repr(row) == "SqlRow(id=7, name='ADA')"


def test_values_are_converted_once():
    calls = []
    row = make_row([1, "x"], calls)
    row["name"], row["name"], row[1]
    assert calls == [1]


def test_wrong_columns():
    row = make_row([7, "ada"])
    with pytest.raises(ValueError, match="no column named 'age'; the columns are id, name"):
        row["age"]
    with pytest.raises(ValueError, match="must not be None"):
        row.get_object(None)
    with pytest.raises(TypeError, match="column name must be a str"):
        row.get_object(b"id")
    with pytest.raises(IndexError, match="out of range: the row has 2 columns"):
        row[2]
    with pytest.raises(TypeError, match="column index must be an int"):
        row.get_object_with_index("0")
    with pytest.raises(TypeError, match="column index must be an int"):
        row.get_object_with_index(True)


def test_metadata():
    assert METADATA.column_count == 2
    assert METADATA.column_names == ["id", "name"]
    assert METADATA.find_column("name") == 1
    assert METADATA.find_column("nope") == SqlRowMetadata.COLUMN_NOT_FOUND == -1
    assert METADATA.get_column(0).type is SqlColumnType.INTEGER
    assert METADATA.get_column(0).nullable is False and METADATA.get_column(1).nullable is True
    assert repr(METADATA) == "SqlRowMetadata([id INTEGER NOT NULL, name VARCHAR])"
    with pytest.raises(IndexError):
        METADATA.get_column(5)


def test_unknown_nullability_means_nullable_and_unknown_types_stay_ints():
    column = SqlColumnMetadata("x", 99, None)
    assert column.nullable is True
    assert column.type == 99 and not isinstance(column.type, SqlColumnType)
