"""What type checkers see: options, recipes and methods of HzClient are declared, typos are errors.

mypy is run (through its API) on two small snippets: one using the client correctly, which
must be clean, and one with typos, each of which must be reported on its line.
"""

import inspect
import pydoc

import pytest

from hzgreen import HzClient
from hzgreen.config import DEFAULTS, ClientOptions
from tests.typecheck import mypy_errors

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
    return mypy_errors(tmp_path_factory.mktemp("typing"), {"good.py": GOOD, "bad.py": BAD})


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


HANDLERS_GOOD = """
    from typing import Optional

    from hzgreen import HzClient
    from hzgreen.handler_types import AsyncResult, Event, Handler, Lock
    from hzgreen.handlers.gevent import SequentialGeventHandler
    from hzgreen.handlers.threading import SequentialThreadingHandler
    from hzgreen.testing.sim.handler import SimHandler
    from hzgreen.testing.sim.scheduler import Simulation

    handlers: list[Handler] = [SequentialThreadingHandler(), SequentialGeventHandler(), SimHandler(Simulation())]
    for handler in handlers:
        result: AsyncResult[int] = handler.async_result()
        event: Event = handler.event_object()
        lock: Lock = handler.lock_object()
        rlock: Lock = handler.rlock_object()

    client = HzClient()
    fence: int = client.cp.get_lock("jobs").lock_async().result()
    count: int = client.cp.get_atomic_long("hits").get_async().result()
    taken: bool = client.cp.get_semaphore("slots").try_acquire_async(1, 0.5).result()
    released: bool = client.cp.get_count_down_latch("go").await_latch_async(1.0).result()
"""

HANDLERS_BAD = """
    from hzgreen import HzClient
    from hzgreen.handler_types import AsyncResult

    client = HzClient()
    def value_of(result: AsyncResult[int]) -> str: return result.get()
    fence_text: str = client.cp.get_lock("jobs").lock_async().result()
    count_text: str = client.cp.get_atomic_long("hits").get_async().result()
    taken_text: str = client.cp.get_semaphore("slots").try_acquire_async().result()
"""

#: line of HANDLERS_BAD (1-based, after dedent) -> text mypy must report there
HANDLERS_EXPECTED = {
    6: 'Incompatible return value type (got "int", expected "str")',
    7: 'has type "int", variable has type "str"',
    8: 'has type "int", variable has type "str"',
    9: 'has type "bool", variable has type "str"',
}


def test_every_handler_satisfies_the_protocols_and_cp_results_are_typed(tmp_path):
    # The shipped handlers (and the simulation's) are structurally what hzgreen.handler_types
    # declares, and the CP proxies' _async methods return typed results, not Any.
    errors = mypy_errors(tmp_path, {"handlers_good.py": HANDLERS_GOOD, "handlers_bad.py": HANDLERS_BAD})
    assert [line for line in errors if "handlers_good.py" in line] == []
    for line, text in HANDLERS_EXPECTED.items():
        reported = [entry for entry in errors if "handlers_bad.py:%d:" % line in entry]
        assert any(text in entry for entry in reported), errors
