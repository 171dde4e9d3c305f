"""hzgreen.dbapi without a member: the PEP 249 globals, type objects, error mapping, and a
cursor over a SqlService whose member is faked."""

import datetime
import types
import uuid

import pytest

import hzgreen.dbapi as dbapi
from hzgreen.dbapi.errors import to_dbapi_error
from hzgreen.exceptions import ClientNotActiveError, HzSerializationError, HzTimeoutError
from hzgreen.protocol.codecs import sql as codec
from hzgreen.sql import HazelcastSqlError, SqlColumnType, SqlErrorCode
from tests.unit.sql.sql_fakes import column, sql_error

SELECT = "SELECT id, name FROM people WHERE id > ?"
INSERT = "INSERT INTO people VALUES (?, ?)"


@pytest.fixture
def connection(sql, member):
    member.script(
        SELECT,
        columns=[column("id", SqlColumnType.BIGINT, False), column("name", SqlColumnType.VARCHAR)],
        rows=[(i, "p%d" % i) for i in range(7)],
    )
    member.script(INSERT, update_count=1)
    member.script("SELECT broken", error=sql_error(SqlErrorCode.PARSING, "Encountered 'broken'", uuid.uuid4()))
    client = types.SimpleNamespace(sql=sql, closed=0)
    client.close = lambda: setattr(client, "closed", client.closed + 1)
    return dbapi.Connection(client, owns_client=True)


def test_module_globals():
    assert dbapi.apilevel == "2.0"
    assert dbapi.threadsafety == 2
    assert dbapi.paramstyle == "qmark"
    for name in ("Warning", "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError"):
        assert issubclass(getattr(dbapi, name), Exception)
    for name in ("DataError", "OperationalError", "IntegrityError", "InternalError", "ProgrammingError"):
        assert issubclass(getattr(dbapi, name), dbapi.DatabaseError)
    assert issubclass(dbapi.NotSupportedError, dbapi.DatabaseError)
    assert issubclass(dbapi.DatabaseError, dbapi.Error) and issubclass(dbapi.InterfaceError, dbapi.Error)
    assert not issubclass(dbapi.Warning, dbapi.Error)


def test_type_objects_and_constructors():
    assert dbapi.STRING == SqlColumnType.VARCHAR and SqlColumnType.VARCHAR == dbapi.STRING
    assert dbapi.NUMBER == SqlColumnType.DECIMAL and dbapi.NUMBER != SqlColumnType.VARCHAR
    assert dbapi.DATETIME == SqlColumnType.TIMESTAMP_WITH_TIME_ZONE
    assert dbapi.BINARY == SqlColumnType.OBJECT
    assert dbapi.ROWID != SqlColumnType.BIGINT
    assert dbapi.Date(2024, 1, 2) == datetime.date(2024, 1, 2)
    assert dbapi.Timestamp(2024, 1, 2, 3, 4, 5) == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert dbapi.TimestampFromTicks(0) == datetime.datetime.fromtimestamp(0)
    assert dbapi.DateFromTicks(0) == datetime.date.fromtimestamp(0)
    assert dbapi.TimeFromTicks(0) == datetime.datetime.fromtimestamp(0).time()
    assert dbapi.Binary(bytearray(b"ab")) == b"ab"


@pytest.mark.parametrize(
    "code, expected",
    [
        (SqlErrorCode.PARSING, dbapi.ProgrammingError),
        (SqlErrorCode.OBJECT_NOT_FOUND, dbapi.ProgrammingError),
        (SqlErrorCode.DATA_EXCEPTION, dbapi.DataError),
        (SqlErrorCode.TIMEOUT, dbapi.OperationalError),
        (SqlErrorCode.CANCELLED_BY_USER, dbapi.OperationalError),
        (SqlErrorCode.CONNECTION_PROBLEM, dbapi.OperationalError),
        (SqlErrorCode.PARTITION_DISTRIBUTION, dbapi.OperationalError),
        (SqlErrorCode.GENERIC, dbapi.DatabaseError),
        (4242, dbapi.DatabaseError),
    ],
)
def test_sql_errors_map_by_code(code, expected):
    origin = uuid.uuid4()
    error = HazelcastSqlError(code, "failed", origin, "try this")
    mapped = to_dbapi_error(error)
    assert type(mapped) is expected
    assert mapped.code == code and mapped.originating_member_uuid == origin and mapped.suggestion == "try this"
    assert mapped.__cause__ is error


def test_other_errors_map_too():
    assert type(to_dbapi_error(HazelcastSqlError(-1, "Duplicate key 1"))) is dbapi.IntegrityError
    assert type(to_dbapi_error(HzTimeoutError("slow"))) is dbapi.OperationalError
    assert type(to_dbapi_error(ClientNotActiveError("closed"))) is dbapi.OperationalError
    assert type(to_dbapi_error(ValueError("sql must not be None"))) is dbapi.ProgrammingError
    assert type(to_dbapi_error(HzSerializationError("no serializer"))) is dbapi.ProgrammingError
    assert to_dbapi_error(KeyboardInterrupt()) is None


def test_select_description_rowcount_and_fetches(connection, member):
    cursor = connection.cursor()
    assert cursor.description is None and cursor.rowcount == -1 and cursor.arraysize == 1
    assert cursor.execute(SELECT, (1,)) is cursor
    assert cursor.description == [
        ("id", SqlColumnType.BIGINT, None, None, None, None, False),
        ("name", SqlColumnType.VARCHAR, None, None, None, None, True),
    ]
    assert cursor.description[0][1] == dbapi.NUMBER and cursor.description[1][1] == dbapi.STRING
    assert cursor.rowcount == -1
    assert cursor.fetchone() == (0, "p0")
    assert cursor.fetchmany() == [(1, "p1")]
    assert cursor.fetchmany(2) == [(2, "p2"), (3, "p3")]
    assert cursor.fetchall() == [(4, "p4"), (5, "p5"), (6, "p6")]
    assert cursor.fetchone() is None and cursor.fetchall() == [] and cursor.fetchmany(3) == []
    assert member.requests[0][1]["parameters"] == [connection.client.sql._context.serialization.to_data(1)]


def test_dml_rowcount_and_executemany(connection, member):
    cursor = connection.cursor()
    cursor.execute(INSERT, [1, "a"])
    assert cursor.rowcount == 1 and cursor.description is None
    with pytest.raises(dbapi.ProgrammingError, match="no rows to fetch"):
        cursor.fetchone()
    cursor.executemany(INSERT, [(2, "b"), (3, "c"), (4, "d")])
    assert cursor.rowcount == 3
    assert [request["expected_result_type"] for _, request in member.requests[1:]] == [2, 2, 2]


def test_a_new_statement_closes_the_unread_one(connection, member):
    cursor = connection.cursor()
    cursor.cursor_buffer_size = 2  # rows stay on the member after the first page
    cursor.execute(SELECT, (0,))
    cursor.fetchone()
    cursor.execute(INSERT, (9, "z"))
    assert member.types().count(codec.CLOSE_REQUEST_TYPE) == 1


def test_errors_and_bad_parameters(connection, member):
    cursor = connection.cursor()
    with pytest.raises(dbapi.ProgrammingError) as caught:
        cursor.execute("SELECT broken")
    assert caught.value.code == SqlErrorCode.PARSING
    assert isinstance(caught.value.__cause__, HazelcastSqlError)
    for bad in ("abc", {"a": 1}, 5):
        with pytest.raises(dbapi.ProgrammingError, match="parameters must be a sequence"):
            cursor.execute(SELECT, bad)
    with pytest.raises(dbapi.ProgrammingError, match="sql must not be None"):
        cursor.execute(None)
    with pytest.raises(dbapi.ProgrammingError, match="seq_of_parameters"):
        cursor.executemany(INSERT, None)
    with pytest.raises(dbapi.ProgrammingError, match="size must be"):
        cursor.execute(SELECT, [0]).fetchmany(-1)
    assert len(member.requests) == 2  # the failing SELECT and the last one: bad arguments sent nothing


def test_closing(connection, member):
    with connection.cursor() as cursor:
        cursor.cursor_buffer_size = 2
        cursor.execute(SELECT, (0,))
        cursor.fetchone()
    assert member.types().count(codec.CLOSE_REQUEST_TYPE) == 1
    with pytest.raises(dbapi.InterfaceError, match="cursor is closed"):
        cursor.fetchone()
    with pytest.raises(dbapi.InterfaceError):
        cursor.execute(SELECT, (0,))
    cursor.close()
    connection.commit()
    with pytest.raises(dbapi.NotSupportedError, match="no transactions"):
        connection.rollback()
    client = connection.client
    with connection:
        pass
    assert connection.closed and client.closed == 1
    connection.close()
    assert client.closed == 1
    with pytest.raises(dbapi.InterfaceError, match="connection is closed"):
        connection.cursor()
    with pytest.raises(dbapi.InterfaceError):
        connection.commit()


def test_connect_checks_its_arguments():
    with pytest.raises(dbapi.InterfaceError, match="must be an hzgreen.HzClient"):
        dbapi.connect(client=object())
    with pytest.raises(dbapi.InterfaceError, match="either client or client options"):
        dbapi.connect(client=object(), cluster_name="dev")
    with pytest.raises(dbapi.ProgrammingError, match="no_such_option"):
        dbapi.connect(no_such_option=1)
