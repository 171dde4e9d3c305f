"""What type checkers see: options, recipes and methods of HzClient are declared, typos are errors.

mypy is run (through its API) on two small snippets: one using the client correctly, which
must be clean, and one with typos, each of which must be reported on its line.
"""

import gc
import inspect
import pydoc
import sys
import textwrap

import pytest

from hzgreen import HzClient
from hzgreen.config import DEFAULTS, ClientOptions

mypy_api = pytest.importorskip("mypy.api")

GOOD = """
    from typing import List

    from hzgreen import HzClient, HzState
    from hzgreen.recipes.election import Election
    from hzgreen.recipes.lock import Lock

    def on_state(state: HzState) -> None:
        pass

    client = HzClient(cluster_members=["127.0.0.1:5701"], cluster_name="dev", invocation_timeout=5,
                      smart_routing=False, reconnect_mode="ASYNC", command_retry={"max_tries": 2})
    client.add_listener(on_state)
    names: List[str] = [client.get_map("users").name]
    lock: Lock = client.Lock("jobs", on_lost=None)
    election: Election = client.Election("leader", identifier="me", ttl=5.0)
    client.Semaphore("slots", max_leases=3)
    client.Partitioner("work", items=[1, 2, 3], lease=5.0)
"""

BAD = """
    from hzgreen import HzClient

    client = HzClient()
    client.get_mapp("users")
    HzClient(invocaton_timeout=5)
    HzClient(invocation_timeout="5")
    client.Lock("jobs", on_lsot=None)
    client.Semaphore("slots", max_leases="3")
    client.Lokc("jobs")
"""

#: line of BAD (1-based, after dedent) -> text mypy must report there
EXPECTED = {
    5: '"HzClient" has no attribute "get_mapp"',
    6: 'Unexpected keyword argument "invocaton_timeout"',
    7: 'Argument "invocation_timeout" to "HzClient" has incompatible type "str"',
    8: 'Unexpected keyword argument "on_lsot"',
    9: 'Argument "max_leases" to "Semaphore"',
    10: '"HzClient" has no attribute "Lokc"',
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typing")
    (folder / "good.py").write_text(textwrap.dedent(GOOD))
    (folder / "bad.py").write_text(textwrap.dedent(BAD))
    # mypy raises the recursion limit and the gc thresholds of the process it runs in: put them back,
    # other tests rely on the defaults (e.g. deep nesting must still hit the recursion limit).
    recursion_limit, gc_threshold = sys.getrecursionlimit(), gc.get_threshold()
    try:
        stdout, stderr, _ = mypy_api.run([
            "--strict", "--follow-imports=silent", "--no-error-summary", "--hide-error-context",
            "--cache-dir", str(folder / "cache"), str(folder / "good.py"), str(folder / "bad.py")])
    finally:
        sys.setrecursionlimit(recursion_limit)
        gc.set_threshold(*gc_threshold)
    assert not stderr, stderr
    return [line for line in stdout.splitlines() if ": error:" in line]


def test_correct_usage_is_clean(mypy_report):
    assert [line for line in mypy_report if "good.py" in line] == []


@pytest.mark.parametrize("line,text", sorted(EXPECTED.items()))
def test_each_typo_is_reported(mypy_report, line, text):
    reported = [entry for entry in mypy_report if "bad.py:%d:" % line in entry]
    assert any(text in entry for entry in reported), mypy_report


def test_nothing_else_is_reported(mypy_report):
    lines = {int(entry.split("bad.py:")[1].split(":")[0]) for entry in mypy_report if "bad.py:" in entry}
    assert lines == set(EXPECTED)


def test_the_options_are_the_validated_ones():
    assert set(ClientOptions.__annotations__) == set(DEFAULTS)


def test_the_signature_lists_every_option_with_its_default():
    parameters = inspect.signature(HzClient).parameters
    assert list(parameters) == ["handler"] + list(DEFAULTS)
    for name, default in DEFAULTS.items():
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[name].default == default
    assert parameters["invocation_timeout"].annotation is float
    text = pydoc.render_doc(HzClient, renderer=pydoc.plaintext)
    assert "invocation_timeout: float = 120.0" in text and "cluster_name: str = 'dev'" in text


def test_the_handler_protocols_declare_what_the_zope_interfaces_declare():
    # hzgreen.handler_types (for mypy) and hzgreen.interfaces (verified at run time) describe
    # one contract: a member added to one must be added to the other.
    from hzgreen import handler_types, interfaces

    def protocol_members(protocol):
        names = set(vars(protocol)) | set(getattr(protocol, "__annotations__", {}))
        return {name for name in names if not name.startswith("_")}

    assert protocol_members(handler_types.Handler) == set(interfaces.IHandler.names())
    assert protocol_members(handler_types.AsyncResult) == set(interfaces.IAsyncResult.names())
