"""What type checkers see of Set, List and the item listeners: precise results, and
misuse reported (mypy --strict through its API, as for the Map and Queue proxies)."""

import re

import pytest

from tests.typecheck import mypy_lines

GOOD = """
    from hzgreen import HzClient
    from hzgreen.proxy.item_listeners import ItemEvent

    def on_added(event: ItemEvent) -> None:
        print(event.item)

    client = HzClient()
    s = client.get_set("s")
    lst = client.get_list("l")
    reveal_type(s.add("x"))
    reveal_type(s.get_all())
    reveal_type(s.size_async())
    reveal_type(lst.get(0))
    reveal_type(lst.sub_list(0, 2))
    reveal_type(lst.index_of("x"))
    reveal_type(lst.add_at(0, "x"))
    reveal_type(lst.list_iterator_async(1))
    reveal_type(s.add_listener(item_added_func=on_added))
    reveal_type(lst.blocking())
"""

REVEALED = {
    11: "bool",
    12: "list[Any]",
    13: "hzgreen.handler_types.AsyncResult[int]",
    14: "Any",
    15: "list[Any]",
    16: "int",
    17: "None",
    18: "hzgreen.handler_types.AsyncResult[list[Any]]",
    19: "str",
    20: "hzgreen.proxy.list.List",
}

BAD = """
    from hzgreen import HzClient

    client = HzClient()
    lst = client.get_list("l")
    lst.get("0")
    lst.sub_list(0, None)
    lst.size() + "x"
    client.get_set("s").add_listener(include_value="yes")
"""

EXPECTED = {
    6: 'Argument 1 to "get" of "List" has incompatible type "str"',
    7: 'Argument 2 to "sub_list" of "List" has incompatible type "None"',
    8: 'Unsupported operand types for + ("int" and "str")',
    9: 'Argument "include_value" to "add_listener" of "ItemListenerProxy" has incompatible type "str"',
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory):
    return mypy_lines(tmp_path_factory.mktemp("set_list_typing"), {"good.py": GOOD, "bad.py": BAD})


@pytest.mark.parametrize("line,expected", sorted(REVEALED.items()))
def test_result_types(mypy_report, line, expected):
    pattern = re.compile(r"good\.py:%d: note: Revealed type is \"(.*)\"$" % line)
    revealed = [m.group(1).replace("builtins.", "") for m in map(pattern.search, mypy_report) if m]
    assert revealed == [expected], mypy_report


def test_correct_usage_is_clean(mypy_report):
    assert [entry for entry in mypy_report if "good.py" in entry and ": error:" in entry] == []


@pytest.mark.parametrize("line,text", sorted(EXPECTED.items()))
def test_each_misuse_is_reported(mypy_report, line, text):
    reported = [entry for entry in mypy_report if "bad.py:%d:" % line in entry and ": error:" in entry]
    assert any(text in entry for entry in reported), mypy_report
