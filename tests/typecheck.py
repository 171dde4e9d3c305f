"""Run mypy on snippets from a test, the way a user's type checker would see hzgreen.

mypy runs in this process (through ``mypy.api``), from the project root so it reads the
project's settings and finds ``hzgreen``. It raises the recursion limit and the garbage
collector's thresholds of the process it runs in; they are put back afterwards, because
other tests rely on the defaults (deep hostile nesting must still hit the recursion limit).
"""

from __future__ import annotations

import gc
import pathlib
import sys
import textwrap
from typing import Dict, List

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def mypy_lines(folder: pathlib.Path, sources: Dict[str, str], *options: str) -> List[str]:
    """Write each ``name -> source`` (dedented) into ``folder``, type-check them together
    with ``--strict`` and return mypy's output lines (errors and notes, one per line).

    Skips the test when mypy is not installed; fails it if mypy writes to stderr.
    """
    api = pytest.importorskip("mypy.api")
    paths = []
    for name, source in sources.items():
        path = folder / name
        path.write_text(textwrap.dedent(source))
        paths.append(str(path))
    recursion_limit, gc_threshold = sys.getrecursionlimit(), gc.get_threshold()
    try:
        stdout, stderr, _ = api.run(
            [
                "--strict",
                "--follow-imports=silent",
                "--no-error-summary",
                "--hide-error-context",
                "--config-file",
                str(ROOT / "pyproject.toml"),
                "--cache-dir",
                str(folder / "mypy-cache"),
                *options,
                *paths,
            ]
        )
    finally:
        sys.setrecursionlimit(recursion_limit)
        gc.set_threshold(*gc_threshold)
    assert not stderr, stderr
    return stdout.splitlines()


def mypy_errors(folder: pathlib.Path, sources: Dict[str, str]) -> List[str]:
    """The ``error:`` lines of :func:`mypy_lines`."""
    return [line for line in mypy_lines(folder, sources) if ": error:" in line]
