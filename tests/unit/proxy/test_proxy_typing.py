"""What type checkers see of the proxies: precise results, and wrong arguments are errors.

mypy is run (through its API) on two snippets. In the first, ``reveal_type`` of proxy
calls must show the documented result types (``Map.size() -> int``, ``aggregate`` typed
by its aggregator, ``*_async`` returning ``AsyncResult[...]``) and nothing else may be
reported; in the second each misuse must be reported on its line.
"""

import re

import pytest

from tests.typecheck import mypy_lines

GOOD = """
    from hzgreen import HzClient
    from hzgreen import aggregator as agg
    from hzgreen import predicate as p
    from hzgreen import projection as proj

    client = HzClient()
    m = client.get_map("users")
    q = client.get_queue("jobs")
    reveal_type(m.size())
    reveal_type(m.size_async())
    reveal_type(m.get_async("k"))
    reveal_type(m.contains_key("k"))
    reveal_type(m.key_set(p.greater("age", 3)))
    reveal_type(m.entry_set())
    reveal_type(m.get_all(["a", "b"]))
    reveal_type(m.aggregate(agg.count()))
    reveal_type(m.aggregate_async(agg.int_avg("age"), p.true()))
    reveal_type(m.aggregate(agg.distinct("city")))
    reveal_type(m.project(proj.multi_attribute("name", "age")))
    reveal_type(m.execute_on_keys(["a"], object()))
    reveal_type(m.add_entry_listener(added_func=print))
    reveal_type(m.put("k", 1, ttl=5, key_hint="short"))
    reveal_type(q.drain_to([]))
    reveal_type(q.poll_async(1.5))
    reveal_type(q.offer("job"))
    reveal_type(client.Lock("jobs").fence)
    reveal_type(client.Queue("work").get(timeout=1))
"""

#: line of GOOD (1-based, after dedent) -> the type mypy must reveal there
REVEALED = {
    10: "int",
    11: "hzgreen.handler_types.AsyncResult[int]",
    12: "hzgreen.handler_types.AsyncResult[Any]",
    13: "bool",
    14: "list[Any]",
    15: "list[tuple[Any, Any]]",
    16: "dict[Any, Any]",
    17: "int",
    18: "hzgreen.handler_types.AsyncResult[float | None]",
    19: "set[Any]",
    20: "list[list[Any]]",
    21: "list[tuple[Any, Any]]",
    22: "str",
    23: "Any",
    24: "int",
    25: "hzgreen.handler_types.AsyncResult[Any]",
    26: "bool",
    27: "int",
    28: "Any",
}

BAD = """
    from hzgreen import HzClient
    from hzgreen import aggregator as agg

    client = HzClient()
    m = client.get_map("users")
    m.key_set("age > 3")
    m.aggregate("count")
    m.put("k", 1, key_hint=16)
    m.size() + "x"
    m.aggregate(agg.count()).upper()
    client.get_queue("jobs").drain_to(set())
"""

#: line of BAD (1-based, after dedent) -> text mypy must report there
EXPECTED = {
    7: 'Argument 1 to "key_set" of "Map" has incompatible type "str"',
    8: 'Argument 1 to "aggregate" of "MapQueryMixin" has incompatible type "str"',
    9: 'Argument "key_hint" to "put" of "Map" has incompatible type "int"',
    10: 'Unsupported operand types for + ("int" and "str")',
    11: '"int" has no attribute "upper"',
    12: 'Argument 1 to "drain_to" of "Queue" has incompatible type "set[Never]"',
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory):
    return mypy_lines(tmp_path_factory.mktemp("proxy_typing"), {"good.py": GOOD, "bad.py": BAD})


def _revealed(report, line):
    pattern = re.compile(r"good\.py:%d: note: Revealed type is \"(.*)\"$" % line)
    # older mypy versions spell builtin types with their module ("builtins.int")
    return [match.group(1).replace("builtins.", "") for match in map(pattern.search, report) if match]


@pytest.mark.parametrize("line,expected", sorted(REVEALED.items()))
def test_result_types(mypy_report, line, expected):
    assert _revealed(mypy_report, line) == [expected], mypy_report


def test_correct_usage_is_clean(mypy_report):
    assert [entry for entry in mypy_report if "good.py" in entry and ": error:" in entry] == []


@pytest.mark.parametrize("line,text", sorted(EXPECTED.items()))
def test_each_misuse_is_reported(mypy_report, line, text):
    reported = [entry for entry in mypy_report if "bad.py:%d:" % line in entry and ": error:" in entry]
    assert any(text in entry for entry in reported), mypy_report


def test_nothing_else_is_reported(mypy_report):
    lines = {
        int(entry.split("bad.py:")[1].split(":")[0])
        for entry in mypy_report
        if "bad.py:" in entry and ": error:" in entry
    }
    assert lines == set(EXPECTED)
