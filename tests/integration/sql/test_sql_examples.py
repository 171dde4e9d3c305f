"""examples/sql.py and examples/dbapi.py run against a real member, under each handler."""

from tests.integration.example_runner import run_example


def test_sql_example(hz_cluster, hz_handler_name):
    output = run_example("sql.py", hz_cluster, hz_handler_name)
    assert "employees: 4" in output
    assert "  Joe is 28\n  Mary is 34\n  Ann is 45" in output
    assert "city London: 2, mean age 36.5" in output
    assert "update is a row set: False" in output
    assert "sum of 1..10000 read in pages of 500: 50005000" in output
    assert "listing: [['__key', 'name'], [1, 'Joe'], [2, 'Mary'], [3, 'Ann'], [4, 'Tom']]" in output
    assert "json column: True SQL ['db', 'hazelcast']" in output
    assert "error code: OBJECT_NOT_FOUND | from a member: True" in output
    assert "first streamed values: [0, 1, 2, 3, 4] | closed: True" in output


def test_dbapi_example(hz_cluster, hz_handler_name):
    output = run_example("dbapi.py", hz_cluster, hz_handler_name)
    assert "apilevel 2.0, threadsafety 2, paramstyle qmark" in output
    assert "rowcount after executemany: 0" in output
    assert "columns: ['title', 'published'] | published is a number: True" in output
    assert "first: ('Dune', 1965)" in output
    assert "next two: [('Neuromancer', 1984), ('Hyperion', 1989)]" in output
    assert "rest: []" in output
    assert "count: 4 | rowcount of a SELECT: -1" in output
    assert "ProgrammingError with code: OBJECT_NOT_FOUND" in output
    assert "rollback: not supported" in output
    assert "connection closed: True" in output
