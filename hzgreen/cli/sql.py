"""``hzgreen sql "..."``: run one SQL statement and print its rows as a table."""

from __future__ import annotations

import argparse
from typing import Any, List

from hzgreen.cli.connection import connect
from hzgreen.cli.errors import EXIT_OK, CliError
from hzgreen.cli.output import dumps, format_table, parse_json


def register(commands: Any, connection: argparse.ArgumentParser) -> None:
    """Add the ``sql`` command to the ``commands`` sub-parsers; returns None."""
    parser = commands.add_parser(
        "sql",
        parents=[connection],
        help="run a SQL statement and print the rows as a table",
        description="Run one SQL statement. Rows print as an aligned table with the column names; "
        "other statements print the update count.",
    )
    parser.add_argument("statement", metavar="SQL", help='the statement, e.g. "SELECT * FROM m"')
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="JSON",
        help="a value for the next ? marker, as JSON (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print each row as a JSON object instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute the statement and print the table (or the update count); returns 0.

    Raises UsageError for a --param that is not JSON and CliError for the member's SQL error.
    """
    from hzgreen.sql.errors import HazelcastSqlError

    params = [parse_json(text, "--param") for text in args.param]
    with connect(args) as client:
        try:
            with client.sql.execute(args.statement, *params) as result:
                if not result.is_row_set():
                    print("%d row(s) affected" % max(result.update_count(), 0))
                    return EXIT_OK
                names = result.get_row_metadata().column_names
                rows: List[List[Any]] = [row.to_list() for row in result]
        except HazelcastSqlError as error:
            message = "SQL: %s" % (error.message or error)
            if error.suggestion:
                message += " (suggestion: %s)" % error.suggestion
            raise CliError(message) from None
    if args.json:
        for row in rows:
            print(dumps(dict(zip(names, row))))
    else:
        print(format_table(names, rows))
    return EXIT_OK
