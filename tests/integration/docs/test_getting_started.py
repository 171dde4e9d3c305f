"""docs/getting-started.rst runs: its ``.. code-block:: python`` blocks, in order, against a real member.

The blocks are extracted with ``tools/extract_snippets.py`` and executed one after the other
in one namespace, as a reader would paste them. Two substitutions point them at the session
member and the handler under test: the page's address ``"127.0.0.1:5701"`` and cluster name
``"dev"`` become the member's, and ``SequentialGeventHandler()`` (the handler the page
switches to) becomes a fresh handler of the test's ``hz_handler_name``, so every block runs
under both handlers.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
from types import ModuleType
from typing import Any, Callable, Dict, List, Tuple

from hzgreen.testing import Cluster
from hzgreen.testing.plugin import make_handler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PAGE = os.path.join(ROOT, "docs", "getting-started.rst")
PAGE_ADDRESS = '"127.0.0.1:5701"'
PAGE_CLUSTER = 'cluster_name="dev"'
PAGE_HANDLER = "SequentialGeventHandler()"


def load_extractor() -> ModuleType:
    """Returns tools/extract_snippets.py as a module; raises ImportError when it is missing."""
    spec = importlib.util.spec_from_file_location(
        "extract_snippets", os.path.join(ROOT, "tools", "extract_snippets.py")
    )
    if spec is None or spec.loader is None:
        raise ImportError("tools/extract_snippets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_blocks() -> List[Tuple[str, str]]:
    """Returns ``(section, code)`` for each Python block of the page, in order."""
    with open(PAGE, encoding="utf-8") as f:
        return list(load_extractor().extract_rst(f.read()))


def adapt(code: str, cluster: Cluster) -> str:
    """Returns ``code`` pointed at ``cluster`` and at the handler factory ``_make_handler``."""
    code = code.replace(PAGE_ADDRESS, repr(cluster.addresses[0]))
    code = code.replace(PAGE_CLUSTER, "cluster_name=%r" % cluster.cluster_name)
    return code.replace(PAGE_HANDLER, "_make_handler()")


def run_page(cluster: Cluster, handler_factory: Callable[[], Any]) -> Tuple[Dict[str, Any], str]:
    """Runs every block in one namespace; returns the namespace and what the blocks printed.

    Raises what a block raises, with the block's section added to the message.
    """
    namespace: Dict[str, Any] = {"__name__": "getting_started", "_make_handler": handler_factory}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for section, code in page_blocks():
            try:
                exec(compile(adapt(code, cluster), "getting-started.rst (%s)" % section, "exec"), namespace)
            except Exception as exc:
                raise AssertionError("the %r block of getting-started.rst failed: %r" % (section, exc)) from exc
    return namespace, printed.getvalue()


def test_the_page_has_the_blocks_the_test_adapts() -> None:
    blocks = page_blocks()
    sections = [section for section, _ in blocks]
    assert sections[:3] == ["Connecting", "Handlers", "Maps"]
    text = "".join(code for _, code in blocks)
    assert PAGE_ADDRESS in text and PAGE_CLUSTER in text and PAGE_HANDLER in text
    assert "[...]" not in text  # a placeholder would not run


def test_getting_started_runs(hz_cluster: Cluster, hz_handler_name: str, hz_client_factory: Any) -> None:
    checker = hz_client_factory()
    users = checker.get_map("users")
    users.clear()

    made: List[Any] = []

    def handler() -> Any:
        made.append(make_handler(hz_handler_name))
        return made[-1]

    namespace, printed = run_page(hz_cluster, handler)
    try:
        client = namespace["client"]
        assert [type(h) for h in made] == [type(client.handler)]  # the page's client uses the test's handler
        assert not client.connected  # the last block stopped and closed it
        assert printed.splitlines()[:2] == ["CONNECTED", "0"]
        assert "31" in printed.splitlines()
        assert users.get("alice") == 31
        assert users.get("bob") == 2  # put_if_absent 1, then replace_if_same 1 -> 2
        assert users.get_all(["a", "b"]) == {"a": 1, "b": 2}
    finally:
        for h in made:
            if getattr(h, "running", False):
                h.stop()
