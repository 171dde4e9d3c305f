"""Runs a script from examples/ against a real member, as a user would (a fresh process)."""

import os
import subprocess
import sys

EXAMPLES = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples"))


def run_example(name, cluster, handler_name, timeout=120):
    """Run ``examples/<name>`` against ``cluster`` with the handler named ``handler_name``; returns its output.

    Fails the test (with the output) when the script exits with an error.
    """
    env = dict(
        os.environ,
        HZGREEN_MEMBERS=",".join(cluster.addresses),
        HZGREEN_CLUSTER_NAME=cluster.cluster_name,
        HZGREEN_HANDLER=handler_name,
    )
    done = subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, name)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=timeout,
    )
    output = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0, output
    return output
