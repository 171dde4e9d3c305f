"""SqlService and SqlResult against a fake member: argument checks (nothing sent), paging on
demand, closing (explicit, ``with``, garbage collection) and the errors' code and member."""

import gc
import uuid

import pytest

from hzgreen.exceptions import ConnectionLoss, HzSerializationError
from hzgreen.protocol.codecs import sql as codec
from hzgreen.sql import (
    HazelcastSqlError,
    SqlColumnType,
    SqlErrorCode,
    SqlExpectedResultType,
    SqlResult,
    SqlStatement,
)
from tests.unit.sql.sql_fakes import column, sql_error

WAIT = 5.0
ROWS_SQL = "SELECT n, word FROM t"


def script_rows(member, count=10):
    rows = [(i, "w%d" % i) for i in range(count)]
    member.script(
        ROWS_SQL, columns=[column("n", SqlColumnType.INTEGER, False), column("word", SqlColumnType.VARCHAR)], rows=rows
    )
    return rows


@pytest.mark.parametrize(
    "args, kwargs, error, text",
    [
        ((None,), {}, ValueError, "sql must not be None"),
        (("  ",), {}, ValueError, "sql must not be empty"),
        ((b"SELECT 1",), {}, TypeError, "sql must be a str"),
        (("SELECT 1",), {"cursor_buffer_size": 0}, ValueError, "cursor_buffer_size must be a positive"),
        (("SELECT 1",), {"cursor_buffer_size": 1.5}, TypeError, "cursor_buffer_size must be an int"),
        (("SELECT 1",), {"timeout": -2}, ValueError, "timeout must be -1"),
        (("SELECT 1",), {"timeout": "1"}, TypeError, "timeout must be a number"),
        (("SELECT 1",), {"expected_result_type": 7}, ValueError, "expected_result_type must be ANY"),
        (("SELECT 1",), {"expected_result_type": None}, ValueError, "expected_result_type must not be None"),
        (("SELECT 1",), {"expected_result_type": 1.0}, TypeError, "expected_result_type must be a"),
        (("SELECT 1",), {"schema": 3}, TypeError, "schema must be a str or None"),
    ],
)
def test_bad_arguments_raise_before_anything_is_sent(sql, member, args, kwargs, error, text):
    with pytest.raises(error, match=text):
        sql.execute(*args, **kwargs)
    with pytest.raises(error, match=text):
        sql.execute_async(*args, **kwargs)
    assert member.requests == []


def test_bad_statements_and_unserializable_parameters(sql, member):
    with pytest.raises(ValueError, match="statement must not be None"):
        sql.execute_statement(None)
    with pytest.raises(TypeError, match="statement must be a SqlStatement"):
        sql.execute_statement("SELECT 1")
    with pytest.raises(HzSerializationError):
        sql.execute("SELECT ?", object())
    assert member.requests == []


def test_the_request_carries_the_statement(sql, member):
    member.script("UPDATE t SET a = ?", update_count=3)
    result = sql.execute("UPDATE t SET a = ?", None, timeout=2.5, expected_result_type="update_count", schema="s")
    assert result.update_count() == 3 and not result.is_row_set() and result.result() is result
    ((_, request),) = member.requests
    assert request["parameters"] == [None]
    assert request["timeout_millis"] == 2500 and request["cursor_buffer_size"] == 4096
    assert request["schema"] == "s" and request["expected_result_type"] == SqlExpectedResultType.UPDATE_COUNT
    query_id = request["query_id"]
    member_bits = ((query_id.member_id_high % 2**64) << 64) | (query_id.member_id_low % 2**64)
    assert uuid.UUID(int=member_bits) == member.uuid  # the query id names the member it runs on
    with pytest.raises(ValueError, match="update count only"):
        result.get_row_metadata()
    with pytest.raises(ValueError, match="update count only"):
        iter(result)


def test_default_timeout_is_not_set(sql, member):
    member.script("DELETE FROM t", update_count=0)
    sql.execute("DELETE FROM t")
    sql.execute("DELETE FROM t", timeout=None)
    sql.execute("DELETE FROM t", timeout=0)
    assert [request["timeout_millis"] for _, request in member.requests] == [-1, -1, 0]


def test_pages_are_fetched_on_demand(sql, member):
    rows = script_rows(member, 10)
    result = sql.execute(ROWS_SQL, cursor_buffer_size=4)
    assert member.types() == [codec.EXECUTE_REQUEST_TYPE]
    assert result.get_row_metadata().column_names == ["n", "word"]
    assert result.update_count() == -1 and result.is_row_set()
    iterator = result.iterator()
    first = [next(iterator) for _ in range(4)]
    assert member.types() == [codec.EXECUTE_REQUEST_TYPE]  # the first page came with the answer
    fifth = next(iterator)
    assert member.types() == [codec.EXECUTE_REQUEST_TYPE, codec.FETCH_REQUEST_TYPE]
    rest = list(iterator)
    assert [tuple(row) for row in first + [fifth] + rest] == rows
    assert member.types().count(codec.FETCH_REQUEST_TYPE) == 2
    assert result.is_closed
    result.close()  # nothing left on the member: no close is sent
    assert codec.CLOSE_REQUEST_TYPE not in member.types()
    with pytest.raises(ValueError, match="iterated once"):
        result.iterator()


def test_rows_with_field_names_as_pyignite_gives_them(sql, member):
    script_rows(member, 2)
    listing = list(sql.execute(ROWS_SQL).rows(include_field_names=True))
    assert listing == [["n", "word"], [0, "w0"], [1, "w1"]]


def test_close_cancels_the_query_and_stops_iteration(sql, member):
    script_rows(member, 10)
    result = sql.execute(ROWS_SQL, cursor_buffer_size=3)
    iterator = iter(result)
    next(iterator)
    result.close()
    result.close()
    assert member.types().count(codec.CLOSE_REQUEST_TYPE) == 1
    assert member.closed == [result.query_id]
    with pytest.raises(HazelcastSqlError) as caught:
        next(iterator)
    assert caught.value.code == SqlErrorCode.CANCELLED_BY_USER


def test_leaving_a_with_block_early_closes(sql, member):
    script_rows(member, 10)
    with sql.execute(ROWS_SQL, cursor_buffer_size=3) as result:
        for row in result:
            if row["n"] == 1:
                break
    assert member.closed == [result.query_id]


def test_a_result_dropped_while_open_is_closed_from_the_callback_worker(sql, member, handler):
    script_rows(member, 10)
    result = sql.execute(ROWS_SQL, cursor_buffer_size=3)
    query_id = result.query_id
    closed = handler.event_object()
    member_answer = member.answer_for

    def answer_for(request):
        response = member_answer(request)
        if request.get_message_type() == codec.CLOSE_REQUEST_TYPE:
            closed.set()
        return response

    member.answer_for = answer_for
    del result
    gc.collect()
    assert closed.wait(WAIT)
    assert member.closed == [query_id]


def test_a_fully_read_result_dropped_sends_nothing(sql, member):
    script_rows(member, 2)
    result = sql.execute(ROWS_SQL)
    assert len(list(result)) == 2
    del result
    gc.collect()
    assert codec.CLOSE_REQUEST_TYPE not in member.types()


def test_execute_errors_carry_code_member_and_suggestion(sql, member):
    origin = uuid.uuid4()
    member.script(
        "SELECT * FROM nope",
        error=sql_error(SqlErrorCode.OBJECT_NOT_FOUND, "Object 'nope' not found", origin, "CREATE MAPPING nope ..."),
    )
    with pytest.raises(HazelcastSqlError) as caught:
        sql.execute("SELECT * FROM nope")
    error = caught.value
    assert error.code is SqlErrorCode.OBJECT_NOT_FOUND
    assert error.originating_member_uuid == origin
    assert error.suggestion == "CREATE MAPPING nope ..."
    assert "OBJECT_NOT_FOUND/1010" in str(error) and str(origin) in str(error)
    with pytest.raises(HazelcastSqlError):
        sql.execute_async("SELECT * FROM nope").get(timeout=WAIT)


def test_fetch_errors_end_the_iteration(sql, member):
    script_rows(member, 10)
    result = sql.execute(ROWS_SQL, cursor_buffer_size=5)
    origin = uuid.uuid4()
    member.fetch_errors[result.query_id] = sql_error(SqlErrorCode.TIMEOUT, "too slow", origin)
    rows = iter(result)
    assert [row["n"] for row in (next(rows) for _ in range(5))] == [0, 1, 2, 3, 4]
    with pytest.raises(HazelcastSqlError) as caught:
        next(rows)
    assert caught.value.code == SqlErrorCode.TIMEOUT and caught.value.originating_member_uuid == origin
    assert result.is_closed
    result.close()
    assert codec.CLOSE_REQUEST_TYPE not in member.types()


def test_a_lost_connection_becomes_a_connection_problem(sql, member, handler):
    member.silent = True
    pending = sql.execute_async("SELECT 1")
    (invocation,) = member.in_flight
    invocation.connection.alive = False
    invocation.future.set_exception(ConnectionLoss("gone"))
    with pytest.raises(HazelcastSqlError) as caught:
        pending.get(timeout=WAIT)
    assert caught.value.code == SqlErrorCode.CONNECTION_PROBLEM
    assert isinstance(caught.value.__cause__, ConnectionLoss)


def test_no_connection_is_a_connection_problem(sql, member):
    sql._context.connections.active_connections = []
    with pytest.raises(HazelcastSqlError, match="not connected") as caught:
        sql.execute("SELECT 1")
    assert caught.value.code == SqlErrorCode.CONNECTION_PROBLEM


def test_execute_async_and_statements(sql, member):
    script_rows(member, 3)
    statement = SqlStatement(ROWS_SQL, cursor_buffer_size=2)
    pending = sql.execute_statement_async(statement)
    statement.cursor_buffer_size = 100  # a later change does not reach the running query
    result = pending.get(timeout=WAIT)
    assert isinstance(result, SqlResult)
    assert [row["word"] for row in result] == ["w0", "w1", "w2"]
    assert member.requests[0][1]["cursor_buffer_size"] == 2
    assert "SqlStatement('SELECT n, word FROM t'" in repr(statement)


def test_statement_checks_on_assignment():
    statement = SqlStatement("SELECT ?", 1)
    statement.add_parameter(None)
    assert statement.parameters == [1, None]
    statement.clear_parameters()
    assert statement.parameters == []
    with pytest.raises(ValueError):
        statement.sql = ""
    with pytest.raises(ValueError):
        statement.parameters = None
    with pytest.raises(TypeError):
        statement.parameters = "abc"
    copy = statement.copy()
    copy.timeout = 3
    assert statement.timeout == -1 and copy.timeout == 3.0
