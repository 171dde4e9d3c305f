"""Recipes are built on the public API only: no private attribute of another object is used.

Like Kazoo's recipes (which take a KazooClient and use only what its users may use), a
recipe may touch its own private attributes and those its module defines, nothing else
private: not the client's, not a proxy's, not a CP proxy's. The modules are read with
``ast`` (nothing is run): every ``obj._name`` with ``obj`` other than ``self``/``cls``,
every ``getattr(obj, "_name")`` and every ``from ... import _name`` must name something the
same module defines.
"""

import ast
import pathlib

import pytest

import hzgreen.recipes

RECIPES_DIR = pathlib.Path(hzgreen.recipes.__file__).parent
MODULES = sorted(path for path in RECIPES_DIR.glob("*.py") if path.name != "__init__.py")


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_names(tree):
    """Names a module defines: functions, classes, methods, module globals, ``self.x`` attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def private_uses(source):
    """``(line, text)`` of each use of a private name the module does not define."""
    tree = ast.parse(source)
    own = _defined_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append((node.lineno, ast.unparse(node)))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and node.args[1].value not in own
        ):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom):
            found.extend(
                (node.lineno, "from %s import %s" % (node.module, alias.name))
                for alias in node.names
                if _private(alias.name)
            )
    return found


def test_the_check_finds_private_uses():
    source = (
        "from hzgreen.cp.session import _helper\n"
        "class Recipe:\n"
        "    def __init__(self, client):\n"
        "        self._lock = client.cp.get_lock('x')\n"
        "        self._lock._add_loss_hook(self._own)\n"
        "        getattr(self._lock, '_loss_hooks', None)\n"
        "        client._context.proxies\n"
        "    def _own(self, event):\n"
        "        return self._lock.owners(), other._own, self.__class__\n"
    )
    assert sorted(line for line, _ in private_uses(source)) == [1, 5, 6, 7]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_recipes_use_only_public_names(path):
    assert private_uses(path.read_text()) == []
