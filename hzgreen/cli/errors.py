"""The two kinds of failure the command line reports, and their exit codes."""

from __future__ import annotations

#: Exit status of a command that worked.
EXIT_OK = 0
#: Exit status when the cluster (or the member the command starts) failed.
EXIT_CLUSTER_ERROR = 1
#: Exit status for bad arguments or bad input.
EXIT_USAGE = 2


class CliError(Exception):
    """A failure reported as one ``hzgreen: error: ...`` line and :attr:`exit_code`."""

    exit_code = EXIT_CLUSTER_ERROR


class UsageError(CliError):
    """Bad arguments or bad input (exit status 2)."""

    exit_code = EXIT_USAGE
