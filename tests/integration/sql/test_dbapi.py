"""hzgreen.dbapi against a real member, under both handlers: a connection over a given client
and one that owns its client, description / rowcount / fetches, PEP 249 errors mapped from the
member's codes, and a partly read cursor cancelling its query when closed."""

import datetime
import decimal

import pytest
from sql_helpers import running, wait_until

import hzgreen.dbapi as dbapi
from hzgreen.sql import SqlColumnType, SqlErrorCode


def test_cursor_over_a_given_client(hz_client, unique_name):
    conn = dbapi.connect(client=hz_client)
    cur = conn.cursor()
    cur.execute(
        'CREATE MAPPING "%s" (__key INT, name VARCHAR, price DECIMAL, added DATE) TYPE IMap '
        "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')" % unique_name
    )
    assert cur.description is None
    cur.executemany(
        'INSERT INTO "%s" VALUES (?, ?, ?, ?)' % unique_name,
        [(i, "item%d" % i, decimal.Decimal("%d.25" % i), datetime.date(2024, 1, i)) for i in range(1, 6)],
    )
    cur.execute('SELECT __key, name, price, added FROM "%s" WHERE __key >= ? ORDER BY __key' % unique_name, [2])
    assert [d[0] for d in cur.description] == ["__key", "name", "price", "added"]
    assert all(len(d) == 7 for d in cur.description)
    assert cur.description[0][1] == dbapi.NUMBER and cur.description[1][1] == dbapi.STRING
    assert cur.description[3][1] == dbapi.DATETIME and cur.description[3][1] == SqlColumnType.DATE
    assert cur.rowcount == -1
    assert cur.fetchone() == (2, "item2", decimal.Decimal("2.25"), datetime.date(2024, 1, 2))
    cur.arraysize = 2
    assert [row[0] for row in cur.fetchmany()] == [3, 4]
    assert [row[0] for row in cur.fetchall()] == [5]
    assert cur.fetchone() is None
    cur.execute('SELECT COUNT(*) FROM "%s"' % unique_name)
    assert list(cur) == [(5,)]
    conn.close()
    assert hz_client.connected  # a given client stays open


def test_errors_follow_pep_249(hz_client, unique_name):
    with dbapi.connect(client=hz_client) as conn, conn.cursor() as cur:
        with pytest.raises(dbapi.ProgrammingError) as caught:
            cur.execute('SELECT * FROM "%s"' % unique_name)
        assert caught.value.code == SqlErrorCode.OBJECT_NOT_FOUND
        assert caught.value.originating_member_uuid in {m.uuid for m in hz_client.cluster.members}
        with pytest.raises(dbapi.ProgrammingError):
            cur.execute("SELEKT 1")
        with pytest.raises(dbapi.DataError):
            cur.execute("SELECT CAST(? AS INTEGER)", ["x"])
            cur.fetchall()
        with pytest.raises(dbapi.Error):
            cur.execute("SELECT 1", {"not": "a sequence"})


def test_closing_a_partly_read_cursor_cancels_its_query(hz_client):
    sql = "SELECT v FROM TABLE(generate_stream(100)) WHERE v > -123456"
    with dbapi.connect(client=hz_client) as conn:
        cur = conn.cursor()
        cur.cursor_buffer_size = 8
        cur.execute(sql)
        assert [row[0] for row in cur.fetchmany(20)] == list(range(20))
        assert running(hz_client, sql)
        cur.close()
        wait_until(hz_client, lambda: not running(hz_client, sql), "the cursor's query still runs after close()")


def test_connect_owns_the_client_it_makes(hz_cluster, hz_handler):
    conn = dbapi.connect(cluster_members=hz_cluster.addresses, cluster_name=hz_cluster.cluster_name, handler=hz_handler)
    client = conn.client
    with conn:
        cur = conn.cursor()
        cur.execute("SELECT ? * 2", (21,))
        assert cur.fetchall() == [(42,)]
    assert not client.connected
    with pytest.raises(dbapi.InterfaceError):
        conn.cursor()
