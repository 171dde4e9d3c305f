"""What type checkers see of MultiMap: precise results, and misuse reported on its line."""

import re

import pytest

from tests.typecheck import mypy_lines

SOURCE = """
    from hzgreen import HzClient

    client = HzClient()
    mm = client.get_multi_map("tags")
    reveal_type(mm.get("k"))
    reveal_type(mm.put_async("k", 1))
    reveal_type(mm.entry_set())
    reveal_type(mm.remove_all("k"))
    reveal_type(mm.try_lock("k", lease_time=1, timeout=2))
    reveal_type(mm.add_entry_listener(added_func=print))
    mm.size() + "x"
    mm.put_all([("k", [1])])
    mm.lock("k", lease_time="1")
"""

REVEALED = {
    6: "list[Any]",
    7: "hzgreen.handler_types.AsyncResult[bool]",
    8: "list[tuple[Any, Any]]",
    9: "list[Any]",
    10: "bool",
    11: "str",
}

ERRORS = {
    12: 'Unsupported operand types for + ("int" and "str")',
    13: 'Argument 1 to "put_all" of "MultiMap" has incompatible type',
    14: 'Argument "lease_time" to "lock" of "KeyLockMixin" has incompatible type "str"',
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return mypy_lines(tmp_path_factory.mktemp("multi_map_typing"), {"snippet.py": SOURCE})


@pytest.mark.parametrize("line,expected", sorted(REVEALED.items()))
def test_result_types(report, line, expected):
    pattern = re.compile(r"snippet\.py:%d: note: Revealed type is \"(.*)\"$" % line)
    revealed = [m.group(1).replace("builtins.", "") for m in map(pattern.search, report) if m]
    assert revealed == [expected], report


def test_exactly_the_misuses_are_reported(report):
    errors = [entry for entry in report if ": error:" in entry]
    lines = {int(entry.split("snippet.py:")[1].split(":")[0]) for entry in errors}
    assert lines == set(ERRORS), report
    for line, text in ERRORS.items():
        assert any(text in entry for entry in errors if "snippet.py:%d:" % line in entry), report
