"""The ``hzgreen`` console script: argument parsing, dispatch, exit codes.

Every failure prints one ``hzgreen: error: ...`` line to stderr and exits 1 (the cluster
failed) or 2 (bad arguments or input); no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Mapping, NoReturn, Optional

from hzgreen.cli import info, lock, maps, member, sql
from hzgreen.cli.connection import ENVIRONMENT_HELP, add_connection_options
from hzgreen.cli.errors import EXIT_CLUSTER_ERROR, EXIT_OK, EXIT_USAGE, CliError, UsageError
from hzgreen.exceptions import HzError

PROG = "hzgreen"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise UsageError instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        command = self.prog[len(PROG) :].strip()
        raise UsageError("%s%s (see %s --help)" % (command + ": " if command else "", message, self.prog))


def build_parser(env: Optional[Mapping[str, str]] = None) -> argparse.ArgumentParser:
    """The ``hzgreen`` parser, its connection defaults read from ``env`` (default: os.environ).

    Returns the parser; raises UsageError for a malformed environment variable.
    """
    env = os.environ if env is None else env
    connection = _Parser(add_help=False)
    add_connection_options(connection, env)
    parser = _Parser(
        prog=PROG,
        description="Command line for Hazelcast clusters: run a local member, inspect a cluster, "
        "read and write maps, look at CP locks, run SQL. Options go after the command "
        "(hzgreen map NAME get KEY --members HOST:PORT); 'hzgreen COMMAND --help' shows them.",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands.required = True
    member.register(commands)
    info.register(commands, connection)
    maps.register(commands, connection)
    lock.register(commands, connection)
    sql.register(commands, connection)
    return parser


def main(argv: Optional[List[str]] = None, env: Optional[Mapping[str, str]] = None) -> int:
    """Run the command line ``argv`` (default: sys.argv[1:]); returns the exit status.

    0 when the command worked, 1 for a cluster error, 2 for bad arguments or input, 130 after
    Ctrl-C. Errors are printed as one line to stderr; nothing is raised except SystemExit from
    ``--help``.
    """
    try:
        args = build_parser(env).parse_args(argv)
        status: int = args.run(args)
        return status
    except CliError as error:
        return _fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        return 130
    except HzError as error:
        return _fail("%s: %s" % (type(error).__name__, error), EXIT_CLUSTER_ERROR)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as error:  # the promise: never a traceback
        if os.environ.get("HZGREEN_DEBUG"):
            raise
        message = "unexpected %s: %s (set HZGREEN_DEBUG=1 for the traceback)" % (type(error).__name__, error)
        return _fail(message, EXIT_CLUSTER_ERROR)


def _fail(message: str, status: int) -> int:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _silence_stdout()
    # One line: a multi-line message (an SQL parser's list of expected tokens, ...) keeps its first.
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    print("%s: error: %s" % (PROG, first), file=sys.stderr, flush=True)
    return status


def _silence_stdout() -> None:
    """After the reader of stdout went away: send what is left to /dev/null, quietly."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test's capture): nothing to silence
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


__all__ = ["EXIT_CLUSTER_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
