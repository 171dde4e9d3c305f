"""SQL over maps: a mapping, DML with parameters, queries read row by row and page by page,
aggregates, JSON values, errors and cancelling a streaming query.

    python -m hzgreen.testing run -- python examples/sql.py

(or against a running member named by the environment: see example_client.py; the member
needs the hazelcast-sql module and Jet enabled, as the test harness's members have).
"""

from example_client import example_client

from hzgreen import HazelcastJsonValue
from hzgreen.sql import HazelcastSqlError, SqlColumnType, SqlExpectedResultType


def main():
    with example_client() as client:
        # A map becomes a table once it has a mapping naming its key and value formats.
        client.sql.execute(
            """
            CREATE OR REPLACE MAPPING sql_example_employees (
                __key INT,
                name VARCHAR,
                age INT,
                city VARCHAR
            )
            TYPE IMap
            OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')
            """
        ).close()
        client.sql.execute("DELETE FROM sql_example_employees")

        # DML with ? parameters; a statement without rows has an update count.
        staff = [(1, "Joe", 28, "London"), (2, "Mary", 34, "Paris"), (3, "Ann", 45, "London"), (4, "Tom", 19, "Oslo")]
        for employee in staff:
            client.sql.execute("INSERT INTO sql_example_employees VALUES (?, ?, ?, ?)", *employee)
        print("employees:", client.get_map("sql_example_employees").size())

        # Rows are read by column name or index; the official client's .result() habit works too.
        result = client.sql.execute(
            "SELECT name, age FROM sql_example_employees WHERE age > ? ORDER BY age", 25
        ).result()
        with result:
            print("columns:", result.get_row_metadata())
            for row in result:
                print("  %s is %d" % (row.get_object("name"), row.get_object_with_index(1)))

        # Aggregates.
        for row in client.sql.execute(
            "SELECT city, COUNT(*) AS n, AVG(age) AS mean FROM sql_example_employees GROUP BY city ORDER BY city"
        ):
            print("city %s: %d, mean age %s" % (row["city"], row["n"], row["mean"]))

        # Options: expected result type, page size, timeout; update counts.
        updated = client.sql.execute(
            "UPDATE sql_example_employees SET age = age + 1 WHERE city = ?",
            "London",
            expected_result_type=SqlExpectedResultType.UPDATE_COUNT,
        )
        print("update is a row set:", updated.is_row_set())
        big = client.sql.execute("SELECT v FROM TABLE(generate_series(1, 10000))", cursor_buffer_size=500, timeout=30)
        print("sum of 1..10000 read in pages of 500:", sum(row[0] for row in big))

        # pyignite-style listing: field names first, then the rows as lists.
        listing = client.sql.execute("SELECT __key, name FROM sql_example_employees ORDER BY __key").rows(
            include_field_names=True
        )
        print("listing:", list(listing))

        # JSON values.
        documents = client.get_map("sql_example_documents")
        documents.put(1, HazelcastJsonValue({"title": "SQL", "tags": ["db", "hazelcast"]}))
        client.sql.execute(
            "CREATE OR REPLACE MAPPING sql_example_documents (__key INT, this JSON) TYPE IMap "
            "OPTIONS ('keyFormat'='int', 'valueFormat'='json')"
        )
        query = "SELECT this, JSON_VALUE(this, '$.title') AS title FROM sql_example_documents WHERE __key = ?"
        row = next(iter(client.sql.execute(query, 1)))
        print(
            "json column:",
            row.metadata.get_column(0).type is SqlColumnType.JSON,
            row["title"],
            row["this"].loads()["tags"],
        )

        # Errors carry the member's code, the member that raised them and maybe a suggestion.
        try:
            client.sql.execute("SELECT * FROM no_such_table")
        except HazelcastSqlError as error:
            print("error code:", error.code.name, "| from a member:", error.originating_member_uuid is not None)

        # A streaming query runs until closed: closing (or leaving the with block) cancels it.
        with client.sql.execute("SELECT v FROM TABLE(generate_stream(100))") as stream:
            first = [row[0] for row, _ in zip(stream, range(5))]
        print("first streamed values:", first, "| closed:", stream.is_closed)


if __name__ == "__main__":
    main()
