"""Closing or abandoning a result cancels its query on the member: the Jet job of a streaming
query ends; a query's own timeout ends it too. Real member, both handlers."""

import gc
import random

import pytest
from sql_helpers import WAIT, running, wait_until

from hzgreen.protocol.codecs import sql as codec
from hzgreen.sql import HazelcastSqlError, SqlErrorCode


def stream_sql():
    """A streaming query no other test runs (its text names its Jet job)."""
    return "SELECT v FROM TABLE(generate_stream(200)) WHERE v > %d" % -random.randrange(1, 10**9)


def test_close_cancels_the_query_on_the_member(hz_client):
    sql = stream_sql()
    result = hz_client.sql.execute(sql, cursor_buffer_size=16)
    rows = iter(result)
    assert [next(rows)[0] for _ in range(40)] == list(range(40))  # pages fetched while it streams
    assert running(hz_client, sql)
    result.close()
    wait_until(hz_client, lambda: not running(hz_client, sql), "the Jet job still runs after close()")
    with pytest.raises(HazelcastSqlError) as caught:
        next(rows)
    assert caught.value.code is SqlErrorCode.CANCELLED_BY_USER
    # The member no longer knows the query: a fetch of it fails there.
    fetch = result._query.send(codec.encode_fetch_request(result.query_id, 16), codec.decode_fetch_response)
    assert fetch.get(timeout=WAIT)["error"] is not None


def test_leaving_a_with_block_early_cancels(hz_client):
    sql = stream_sql()
    with hz_client.sql.execute(sql, cursor_buffer_size=8) as result:
        for row in result:
            if row[0] == 20:
                break
        assert running(hz_client, sql)
    wait_until(hz_client, lambda: not running(hz_client, sql), "the Jet job still runs after the with block")


def test_an_abandoned_result_cancels(hz_client):
    sql = stream_sql()
    result = hz_client.sql.execute(sql, cursor_buffer_size=8)
    next(iter(result))
    assert running(hz_client, sql)
    del result
    gc.collect()
    wait_until(hz_client, lambda: not running(hz_client, sql), "the Jet job of a dropped result still runs")


def test_the_query_timeout_ends_it(hz_client):
    sql = stream_sql()
    started = hz_client.handler.monotonic()
    result = hz_client.sql.execute(sql, timeout=1.0, cursor_buffer_size=64)
    with pytest.raises(HazelcastSqlError) as caught:
        for _ in result:
            assert hz_client.handler.monotonic() - started < WAIT, "the query outlived its timeout"
    assert caught.value.originating_member_uuid in {m.uuid for m in hz_client.cluster.members}
    assert result.is_closed
    wait_until(hz_client, lambda: not running(hz_client, sql), "the Jet job outlived its timeout")
