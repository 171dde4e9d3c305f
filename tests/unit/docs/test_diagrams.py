"""The committed SVG diagrams of the documentation are what tools/draw_diagrams.py draws."""

from __future__ import annotations

import importlib.util
import os
import xml.dom.minidom
from types import ModuleType

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def load_tool() -> ModuleType:
    """Returns tools/draw_diagrams.py as a module; raises ImportError when it is missing."""
    spec = importlib.util.spec_from_file_location("draw_diagrams", os.path.join(ROOT, "tools", "draw_diagrams.py"))
    if spec is None or spec.loader is None:
        raise ImportError("tools/draw_diagrams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_diagrams_are_current() -> None:
    assert load_tool().main(["draw_diagrams.py", "--check"]) == 0


def test_state_diagram_shows_every_state_and_transition() -> None:
    from hzgreen.states import ALLOWED_TRANSITIONS, HzState

    tool = load_tool()
    document = xml.dom.minidom.parseString(tool.states_svg())
    texts = " ".join(node.firstChild.data for node in document.getElementsByTagName("tspan"))
    for state in HzState:
        assert state.value in texts
    drawn = {(HzState(a), HzState(b)) for a, b, _, _ in tool.TRANSITIONS}
    assert drawn == set(ALLOWED_TRANSITIONS)
    assert len(document.getElementsByTagName("path")) == len(ALLOWED_TRANSITIONS) + 2  # + marker, initial


def test_the_pages_show_the_diagrams() -> None:
    for page, image in (("handlers_states.rst", "_static/states.svg"), ("architecture.rst", "_static/layers.svg")):
        with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as f:
            assert image in f.read()
