"""tools/extract_snippets.py ``extract_rst``: the Python code blocks of a page, by section."""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "extract_snippets.py")

PAGE = """\
Title
=====

Intro::

    not = "a python block"

First
-----

.. code-block:: python
   :caption: with an option

    a = 1
    if a:
        b = 2

    c = 3

.. code-block:: shell

    echo skipped

Second part
~~~~~~~~~~~

.. code-block:: python

    d = 4
after the block
"""


def load() -> ModuleType:
    """Returns the tool as a module; raises ImportError when it is missing."""
    spec = importlib.util.spec_from_file_location("extract_snippets", TOOL)
    if spec is None or spec.loader is None:
        raise ImportError(TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_blocks_by_section_dedented() -> None:
    blocks = load().extract_rst(PAGE)
    assert blocks == [
        ("First", "a = 1\nif a:\n    b = 2\n\nc = 3\n"),
        ("Second part", "d = 4\n"),
    ]


def test_a_page_without_python_blocks_gives_none() -> None:
    assert load().extract_rst("Title\n=====\n\n.. code-block:: yaml\n\n    a: 1\n") == []
