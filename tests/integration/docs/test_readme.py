"""README.rst's first code example connects to the member ``hzgreen member`` starts (same port
and cluster name), and runs as written against a real member, under both handlers."""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

from hzgreen.cli.main import build_parser
from hzgreen.testing import Cluster
from hzgreen.testing.plugin import make_handler
from tests.integration.docs.test_getting_started import PAGE_ADDRESS, PAGE_CLUSTER, PAGE_HANDLER, load_extractor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def first_example() -> str:
    """Returns the code of README.rst's first ``.. code-block:: python``."""
    with open(os.path.join(ROOT, "README.rst"), encoding="utf-8") as f:
        return load_extractor().extract_rst(f.read())[0][1]


def test_the_example_points_at_the_member_the_command_starts() -> None:
    member = build_parser(env={}).parse_args(["member"])
    code = first_example()
    assert '"127.0.0.1:%d"' % member.port == PAGE_ADDRESS and PAGE_ADDRESS in code
    assert 'cluster_name="%s"' % member.cluster_name == PAGE_CLUSTER and PAGE_CLUSTER in code
    assert PAGE_HANDLER in code


def test_the_example_runs(hz_cluster: Cluster, hz_handler_name: str) -> None:
    code = first_example()
    code = code.replace(PAGE_ADDRESS, repr(hz_cluster.addresses[0]))
    code = code.replace(PAGE_CLUSTER, "cluster_name=%r" % hz_cluster.cluster_name)
    code = code.replace(PAGE_HANDLER, "_make_handler()")
    namespace: Any = {"__name__": "readme", "_make_handler": lambda: make_handler(hz_handler_name)}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.rst", "exec"), namespace)
    lines = printed.getvalue().splitlines()
    assert "{'age': 31}" in lines
    assert any(line.startswith("now ") and "CONNECTED" in line for line in lines)
