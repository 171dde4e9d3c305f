"""The sans-IO core imports nothing that does I/O, waits or reads a clock."""

import ast
import pathlib

import pytest

import hzgreen.runtime.core

CORE = pathlib.Path(hzgreen.runtime.core.__file__).parent
FORBIDDEN = {
    "socket",
    "select",
    "selectors",
    "threading",
    "gevent",
    "time",
    "os",
    "asyncio",
    "queue",
    "hzgreen.handlers",
    "hzgreen.handler_types",
    "hzgreen.client",
    "hzgreen.runtime.connection",
    "hzgreen.runtime.connection_manager",
    "hzgreen.runtime.invocation",
    "hzgreen.runtime.listeners",
}
MODULES = sorted(CORE.glob("*.py"))


def imported_names(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def is_forbidden(name):
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_core_module_imports_no_io(path):
    assert [name for name in imported_names(path) if is_forbidden(name)] == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os.path\nfrom gevent.lock import RLock\nfrom hzgreen.protocol import codecs\n")
    assert [name for name in imported_names(sample) if is_forbidden(name)] == ["os.path", "gevent.lock"]
