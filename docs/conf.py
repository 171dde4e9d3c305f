"""Sphinx configuration of the hzgreen documentation (``make docs``)."""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional, Tuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import hzgreen  # noqa: E402  (the package documented, from this checkout)

logger = logging.getLogger(__name__)

project = "hzgreen"
author = "the hzgreen authors"
copyright = "the hzgreen authors"
release = hzgreen.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
]

# The sources: every .rst under docs/, minus the build output.
exclude_patterns = ["_build"]
root_doc = "index"
templates_path: list[str] = []

# API reference: members in source order, signatures with their annotations, the class
# docstring alone (``__init__`` parameters are documented on the class).
autodoc_default_options = {
    "members": True,
    "member-order": "bysource",
    "show-inheritance": True,
    "undoc-members": True,
}
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autoclass_content = "class"
# Show ``AsyncResult`` rather than ``hzgreen.handler_types.AsyncResult`` in signatures.
python_use_unqualified_type_names = True

# Names that modules import only for type checkers stay unevaluated strings in signatures
# ("AsyncResult[Any]"), and Sphinx would match them against every documented class of that
# name. Each is pointed here at the class it means: name -> [(module prefix, target)], the
# first prefix matching the referring module wins; a target of None means "not ours" (the
# standard library's ``queue.Queue``): an exact look-up, which finds nothing and links nothing.
_TARGETS: Dict[str, List[Tuple[str, Optional[str]]]] = {
    "AsyncResult": [("hzgreen", "hzgreen.handler_types.AsyncResult")],
    "Event": [("hzgreen.recipes", "hzgreen.handler_types.Event"), ("hzgreen.handlers", "hzgreen.handler_types.Event")],
    "queue.Queue": [("hzgreen.recipes", "hzgreen.recipes.queue.Queue"), ("hzgreen", None)],
    "semaphore.Semaphore": [("hzgreen.recipes", "hzgreen.recipes.semaphore.Semaphore")],
    "lock.Lock": [("hzgreen.recipes", "hzgreen.recipes.lock.Lock")],
    "Lock": [("hzgreen.lifecycle", "hzgreen.handler_types.Lock"), ("hzgreen.handlers", "hzgreen.handler_types.Lock")],
}


def _qualify_references(app: Sphinx, doctree: nodes.document) -> None:
    """Rewrites the Python references of ``doctree`` named in ``_TARGETS``; returns nothing."""
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") != "py" or ref.get("reftarget") not in _TARGETS:
            continue
        module = ref.get("py:module") or ""
        for prefix, target in _TARGETS[ref["reftarget"]]:
            if module.startswith(prefix):
                if target is not None:
                    ref["reftarget"] = target
                if "refspecific" in ref.attributes:
                    del ref["refspecific"]
                break


def _warn_unresolved(app: Sphinx, env: Any, node: addnodes.pending_xref, contnode: nodes.Element) -> None:
    """Warns about a Python reference of a page under docs/ that nothing documents; returns
    None (the reference stays plain text). ``-W`` makes the warning fail the build, so a
    renamed or mistyped class in a page breaks ``make docs``. Without intersphinx nothing
    outside hzgreen can be linked: the pages write such names as literals. Docstrings are
    left alone: their signatures name internal types and type variables on purpose."""
    source = node.source or ""
    if node.get("refdomain") == "py" and source.endswith(".rst"):
        logger.warning("unresolved reference to %s", node.get("reftarget"), location=node, type="ref", subtype="page")


def _skip_member(app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any) -> Optional[bool]:
    """Returns True for a class attribute naming a module-level class (PEP 249's
    ``Connection.Error``): that class is documented where it is defined. Else returns None
    (autodoc decides)."""
    if what == "class" and isinstance(obj, type) and "." not in obj.__qualname__:
        return True
    return None


def setup(app: Sphinx) -> Dict[str, Any]:
    """Connects the hooks of this file; returns the extension metadata Sphinx expects."""
    app.connect("doctree-read", _qualify_references)
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("missing-reference", _warn_unresolved)
    return {"parallel_read_safe": True}


html_theme = "furo"
html_title = "hzgreen"
html_static_path = ["_static"]
