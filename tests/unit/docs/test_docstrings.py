"""Every public callable of the classes the API reference documents has a docstring.

The classes are those of the modules named by the ``automodule`` directives of
``docs/api/*.rst`` (the ones autodoc renders), so a module added to the reference is
checked from then on. A method whose docstring is inherited from the method it overrides
counts as documented, as autodoc shows that docstring.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from typing import Dict, Iterator, List, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
API_DIR = os.path.join(ROOT, "docs", "api")
DIRECTIVE = re.compile(r"^\.\. automodule:: (\S+)\n((?:   :[a-z-]+:.*\n)*)", re.M)

# Public callables still without a docstring (saying what they return and raise): write one
# and remove its line here. The test fails on an entry that has become documented, so the set
# only shrinks; it is empty now, and a new undocumented callable fails the test outright.
MISSING_DOCSTRINGS: Set[str] = set()


def documented_modules() -> List[Tuple[str, Set[str]]]:
    """Returns ``(module name, directive options)`` for each automodule of docs/api/, in order.

    Raises OSError when docs/api/ cannot be read.
    """
    found = []
    for name in sorted(os.listdir(API_DIR)):
        if name.endswith(".rst"):
            with open(os.path.join(API_DIR, name), encoding="utf-8") as f:
                text = f.read()
            for match in DIRECTIVE.finditer(text):
                options = set(re.findall(r":([a-z-]+):", match.group(2)))
                found.append((match.group(1), options))
    return found


def public_names(module: object) -> Iterator[str]:
    """Yields the names autodoc documents of ``module``: its ``__all__``, else its public names."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    yield from names


def documented_objects() -> Dict[str, object]:
    """Returns the classes and functions of the API reference by qualified name.

    Raises ImportError when a module of the reference does not import.
    """
    objects: Dict[str, object] = {}
    for module_name, options in documented_modules():
        if "no-members" in options:
            continue
        module = importlib.import_module(module_name)
        for name in public_names(module):
            obj = getattr(module, name, None)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            home = getattr(obj, "__module__", "") or ""
            imported_ok = "imported-members" in options or name in getattr(module, "__all__", ())
            if home.startswith("hzgreen") and (home == module_name or imported_ok):
                objects["%s.%s" % (home, obj.__qualname__)] = obj
    return objects


def undocumented(objects: Dict[str, object]) -> Set[str]:
    """Returns the qualified names of the public callables of ``objects`` without a docstring."""
    missing = set()
    for qualified, obj in objects.items():
        if not inspect.getdoc(obj):
            missing.add(qualified)
        if not inspect.isclass(obj):
            continue
        for name, member in vars(obj).items():
            if name.startswith("_"):
                continue
            if isinstance(member, (staticmethod, classmethod)):
                member = member.__func__
            if not (inspect.isfunction(member) or isinstance(member, property)):
                continue
            if not inspect.getdoc(getattr(obj, name, member)) and not _inherited_doc(obj, name):
                missing.add("%s.%s" % (qualified, name))
    return missing


def _inherited_doc(cls: type, name: str) -> bool:
    """Returns whether a base class of ``cls`` documents an attribute ``name``."""
    for base in cls.__mro__[1:]:
        if name in vars(base) and inspect.getdoc(vars(base)[name]):
            return True
    return False


def test_the_reference_names_modules() -> None:
    modules = [name for name, _ in documented_modules()]
    assert "hzgreen.client" in modules
    assert "hzgreen.proxy.map" in modules
    assert len(documented_objects()) > 100


def test_every_public_callable_has_a_docstring() -> None:
    missing = undocumented(documented_objects())
    new = sorted(missing - MISSING_DOCSTRINGS)
    assert not new, "public callables without a docstring:\n" + "\n".join(new)


def test_the_allow_list_only_shrinks() -> None:
    missing = undocumented(documented_objects())
    fixed = sorted(MISSING_DOCSTRINGS - missing)
    assert not fixed, "documented now, remove from MISSING_DOCSTRINGS:\n" + "\n".join(fixed)


def test_a_method_without_a_docstring_is_found() -> None:
    class Sample:
        """A sample."""

        def documented(self) -> int:
            """Returns 1."""
            return 1

        def bare(self) -> int:
            return 2

    assert undocumented({"x.Sample": Sample}) == {"x.Sample.bare"}
