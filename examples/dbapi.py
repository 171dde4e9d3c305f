"""hzgreen.dbapi as a DB-API 2.0 user writes it: connect, cursors, ? parameters, fetches.

python -m hzgreen.testing run -- python examples/dbapi.py
"""

from example_client import client_options

import hzgreen.dbapi as dbapi


def main():
    print("apilevel %s, threadsafety %d, paramstyle %s" % (dbapi.apilevel, dbapi.threadsafety, dbapi.paramstyle))
    with dbapi.connect(**client_options()) as conn:
        cur = conn.cursor()
        cur.execute(
            "CREATE OR REPLACE MAPPING dbapi_example_books (__key INT, title VARCHAR, published INT) TYPE IMap "
            "OPTIONS ('keyFormat'='int', 'valueFormat'='json-flat')"
        )
        cur.execute("DELETE FROM dbapi_example_books")
        cur.executemany(
            "INSERT INTO dbapi_example_books VALUES (?, ?, ?)",
            [(1, "Dune", 1965), (2, "Neuromancer", 1984), (3, "Hyperion", 1989), (4, "Foundation", 1951)],
        )
        # rowcount is the member's update count: Hazelcast 5.4 reports 0 for DML on maps.
        print("rowcount after executemany:", cur.rowcount)
        conn.commit()  # nothing to do: each statement is applied when it runs

        cur.execute("SELECT title, published FROM dbapi_example_books WHERE published > ? ORDER BY published", (1960,))
        print(
            "columns:",
            [d[0] for d in cur.description],
            "| published is a number:",
            cur.description[1][1] == dbapi.NUMBER,
        )
        print("first:", cur.fetchone())
        print("next two:", cur.fetchmany(2))
        print("rest:", cur.fetchall())

        cur.execute("SELECT COUNT(*) FROM dbapi_example_books")
        (count,) = cur.fetchone()
        print("count:", count, "| rowcount of a SELECT:", cur.rowcount)

        try:
            cur.execute("SELECT * FROM no_such_table")
        except dbapi.ProgrammingError as error:
            print("ProgrammingError with code:", error.code.name)
        try:
            conn.rollback()
        except dbapi.NotSupportedError:
            print("rollback: not supported")
        cur.close()
    print("connection closed:", conn.closed)


if __name__ == "__main__":
    main()
