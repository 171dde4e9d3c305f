"""client.sql against a real member, under both handlers: DDL, DML, parameters, ORDER BY and
aggregates, JSON / Compact / Portable values, paging past one page, errors with their code
and member, and the async forms."""

import datetime
import decimal
import os
import sys

import pytest

from hzgreen import HazelcastJsonValue
from hzgreen.serialization import FieldKind, GenericRecord
from hzgreen.sql import HazelcastSqlError, SqlColumnType, SqlErrorCode, SqlExpectedResultType, SqlResult

sys.path.append(os.path.join(os.path.dirname(__file__), os.pardir, "serialization"))
from interop_twins import PORTABLE_FACTORIES, Employee  # noqa: E402

WAIT = 60.0


def people_mapping(client, name):
    client.sql.execute(
        'CREATE OR REPLACE MAPPING "%s" (__key INT, name VARCHAR, age INT, city VARCHAR) TYPE IMap '
        "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')" % name
    ).close()


def test_ddl_dml_parameters_order_and_aggregates(hz_client, unique_name):
    result = hz_client.sql.execute(
        'CREATE MAPPING "%s" (__key INT, name VARCHAR, age INT, city VARCHAR) TYPE IMap '
        "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')" % unique_name
    )
    assert not result.is_row_set() and result.update_count() == 0
    people = [(1, "ada", 36, "London"), (2, "bob", 25, "Paris"), (3, "cy", 41, "London"), (4, "di", None, "Oslo")]
    for person in people:
        inserted = hz_client.sql.execute('INSERT INTO "%s" VALUES (?, ?, ?, ?)' % unique_name, *person)
        assert inserted.update_count() == 0 or inserted.update_count() == 1
    assert hz_client.get_map(unique_name).size() == 4

    with hz_client.sql.execute(
        'SELECT name, age FROM "%s" WHERE age > ? ORDER BY age DESC' % unique_name, 30
    ) as result:
        metadata = result.get_row_metadata()
        assert metadata.column_names == ["name", "age"]
        assert [c.type for c in metadata.columns] == [SqlColumnType.VARCHAR, SqlColumnType.INTEGER]
        assert all(c.nullable for c in metadata.columns)
        assert result.update_count() == -1
        assert [(row["name"], row[1]) for row in result] == [("cy", 41), ("ada", 36)]

    rows = hz_client.sql.execute(
        'SELECT city, COUNT(*) AS n, AVG(age) AS mean FROM "%s" GROUP BY city ORDER BY city' % unique_name
    )
    by_city = {row["city"]: (row["n"], row["mean"]) for row in rows}
    assert by_city["London"][0] == 2 and by_city["London"][1] == decimal.Decimal("38.5")
    assert by_city["Oslo"] == (1, None)

    updated = hz_client.sql.execute('UPDATE "%s" SET age = age + 1 WHERE city = ?' % unique_name, "London")
    assert not updated.is_row_set()
    assert sorted(
        row[0] for row in hz_client.sql.execute("SELECT age FROM \"%s\" WHERE city = 'London'" % unique_name)
    ) == [37, 42]
    hz_client.sql.execute('DELETE FROM "%s" WHERE __key = ?' % unique_name, 4)
    assert hz_client.get_map(unique_name).size() == 3


def test_parameter_and_column_types_round_trip(hz_client):
    stamp = datetime.datetime(2024, 2, 29, 23, 59, 58, 123000)
    zoned = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    row = next(
        iter(
            hz_client.sql.execute(
                "SELECT CAST(? AS DECIMAL), CAST(? AS DATE), CAST(? AS TIME), CAST(? AS TIMESTAMP), "
                "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS BOOLEAN), "
                "CAST(? AS DOUBLE), CAST(? AS INTEGER)",
                decimal.Decimal("12345678901234567890.123456789"),
                datetime.date(2024, 2, 29),
                datetime.time(10, 11, 12),
                stamp,
                zoned,
                "text",
                2**40,
                True,
                2.5,
                None,
            )
        )
    )
    assert row.to_list() == [
        decimal.Decimal("12345678901234567890.123456789"),
        datetime.date(2024, 2, 29),
        datetime.time(10, 11, 12),
        stamp,
        zoned,
        "text",
        2**40,
        True,
        2.5,
        None,
    ]
    assert row[4].utcoffset() == datetime.timedelta(hours=2)
    types = [c.type for c in row.metadata.columns]
    assert types[:5] == [
        SqlColumnType.DECIMAL,
        SqlColumnType.DATE,
        SqlColumnType.TIME,
        SqlColumnType.TIMESTAMP,
        SqlColumnType.TIMESTAMP_WITH_TIME_ZONE,
    ]


def test_json_values(hz_client, unique_name):
    documents = hz_client.get_map(unique_name)
    documents.put_all(
        {
            1: HazelcastJsonValue({"name": "ada", "langs": ["en", "fr"], "age": 36}),
            2: HazelcastJsonValue({"name": "bob", "langs": ["de"], "age": 25}),
        }
    )
    hz_client.sql.execute(
        "CREATE MAPPING \"%s\" (__key INT, this JSON) TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='json')"
        % unique_name
    )
    rows = list(
        hz_client.sql.execute(
            "SELECT __key, this, JSON_VALUE(this, '$.name') AS name FROM \"%s\" "
            "WHERE CAST(JSON_VALUE(this, '$.age') AS INT) > ? ORDER BY __key" % unique_name,
            30,
        )
    )
    assert len(rows) == 1
    assert rows[0]["__key"] == 1 and rows[0]["name"] == "ada"
    assert isinstance(rows[0]["this"], HazelcastJsonValue)
    assert rows[0]["this"].loads() == {"name": "ada", "langs": ["en", "fr"], "age": 36}
    assert rows[0].metadata.get_column(1).type is SqlColumnType.JSON
    made = next(iter(hz_client.sql.execute("SELECT JSON_OBJECT('k' : ?)", "v")))
    assert made[0].loads() == {"k": "v"}


def test_compact_values(hz_client, unique_name):
    type_name = "SqlPerson" + unique_name.replace("-", "")
    people = hz_client.get_map(unique_name)
    for key, (name, age) in enumerate([("ada", 36), ("bob", 25), ("cy", 41)]):
        people.put(key, GenericRecord(type_name, {"name": (FieldKind.STRING, name), "age": (FieldKind.INT32, age)}))
    hz_client.sql.execute(
        'CREATE MAPPING "%s" (__key INT, name VARCHAR, age INT) TYPE IMap OPTIONS '
        "('keyFormat'='int', 'valueFormat'='compact', 'valueCompactTypeName'='%s')" % (unique_name, type_name)
    )
    rows = hz_client.sql.execute('SELECT name, age FROM "%s" WHERE age < ? ORDER BY age' % unique_name, 40)
    assert [row.to_dict() for row in rows] == [{"name": "bob", "age": 25}, {"name": "ada", "age": 36}]
    total = next(iter(hz_client.sql.execute('SELECT SUM(age) FROM "%s"' % unique_name)))
    assert total[0] == 102


def test_portable_values(hz_client_factory, unique_name):
    client = hz_client_factory(portable_factories=PORTABLE_FACTORIES)
    staff = client.get_map(unique_name)
    staff.put_all({1: Employee("ada", 36, 5000.0, True), 2: Employee("bob", 25, 3000.0, False)})
    client.sql.execute(
        'CREATE MAPPING "%s" (__key INT, name VARCHAR, age INT, salary DOUBLE, active BOOLEAN) TYPE IMap OPTIONS '
        "('keyFormat'='int', 'valueFormat'='portable', 'valuePortableFactoryId'='2', 'valuePortableClassId'='1')"
        % unique_name
    )
    rows = list(client.sql.execute('SELECT name, salary FROM "%s" WHERE active ORDER BY name' % unique_name))
    assert [row.to_list() for row in rows] == [["ada", 5000.0]]
    # The whole value comes back as an OBJECT column, deserialized by the client.
    whole = next(iter(client.sql.execute('SELECT this FROM "%s" WHERE __key = ?' % unique_name, 2)))
    assert whole.metadata.get_column(0).type is SqlColumnType.OBJECT
    assert whole["this"] == Employee("bob", 25, 3000.0, False)


def test_a_result_larger_than_one_page(hz_client, unique_name):
    result = hz_client.sql.execute("SELECT v FROM TABLE(generate_series(1, 2500))", cursor_buffer_size=100)
    values = [row[0] for row in result]
    assert sorted(values) == list(range(1, 2501))
    assert result.is_closed

    numbers = hz_client.get_map(unique_name)
    numbers.put_all({i: i * 2 for i in range(700)})
    hz_client.sql.execute(
        "CREATE MAPPING \"%s\" TYPE IMap OPTIONS ('keyFormat'='int', 'valueFormat'='int')" % unique_name
    )
    pairs = [
        tuple(row) for row in hz_client.sql.execute('SELECT __key, this FROM "%s"' % unique_name, cursor_buffer_size=64)
    ]
    assert sorted(pairs) == [(i, i * 2) for i in range(700)]
    listing = list(
        hz_client.sql.execute(
            'SELECT __key FROM "%s" WHERE __key < 3 ORDER BY __key' % unique_name, cursor_buffer_size=1
        ).rows(include_field_names=True)
    )
    assert listing == [["__key"], [0], [1], [2]]


def test_errors_carry_code_member_and_suggestion(hz_client, unique_name):
    member_uuids = {member.uuid for member in hz_client.cluster.members}
    hz_client.get_map(unique_name).put(1, "one")
    with pytest.raises(HazelcastSqlError) as caught:
        hz_client.sql.execute('SELECT * FROM "%s"' % unique_name)
    assert caught.value.code is SqlErrorCode.OBJECT_NOT_FOUND
    assert caught.value.originating_member_uuid in member_uuids
    assert caught.value.suggestion is not None and "CREATE" in caught.value.suggestion.upper()
    with pytest.raises(HazelcastSqlError) as caught:
        hz_client.sql.execute("SELEKT 1")
    assert caught.value.code is SqlErrorCode.PARSING
    with pytest.raises(HazelcastSqlError) as caught:
        hz_client.sql.execute("SELECT 1", expected_result_type=SqlExpectedResultType.UPDATE_COUNT)
    assert caught.value.originating_member_uuid in member_uuids
    with pytest.raises(HazelcastSqlError) as caught:
        list(hz_client.sql.execute("SELECT CAST(? AS INTEGER)", "not a number"))
    assert caught.value.code is SqlErrorCode.DATA_EXCEPTION


def test_async_forms_and_the_official_habit(hz_client):
    assert isinstance(hz_client.sql.execute("SELECT 1").result(), SqlResult)
    on_worker = hz_client.handler.event_object()
    seen = []

    def done(outcome):
        seen.append(hz_client.handler.in_callback_worker())
        on_worker.set()

    pending = hz_client.sql.execute_async("SELECT ? + 1", 41)
    pending.add_done_callback(done)
    result = pending.get(timeout=WAIT)
    assert [row[0] for row in result] == [42]
    assert on_worker.wait(WAIT) and seen == [True]
    closing = hz_client.sql.execute("SELECT v FROM TABLE(generate_series(1, 10))", cursor_buffer_size=2).close_async()
    assert closing.get(timeout=WAIT) is None
