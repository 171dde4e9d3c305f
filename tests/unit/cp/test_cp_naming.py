"""CP object names and argument helpers."""

import pytest

from hzgreen.cp.base import INFINITE, check_timeout, timeout_millis
from hzgreen.cp.naming import CPName, parse_name


@pytest.mark.parametrize(
    "name, expected",
    [
        ("lock", CPName("lock", "lock", "default")),
        ("  lock  ", CPName("lock", "lock", "default")),
        ("lock@default", CPName("lock", "lock", "default")),
        ("lock @ DeFault ", CPName("lock", "lock", "default")),
        ("lock@mygroup", CPName("lock@mygroup", "lock", "mygroup")),
        (" lock @ mygroup ", CPName("lock@mygroup", "lock", "mygroup")),
    ],
)
def test_parse_name(name, expected):
    parsed = parse_name(name)
    assert parsed == expected
    assert parsed.is_default_group == (expected.group_name == "default")


@pytest.mark.parametrize("name", ["", "   ", "a@b@c", "@group", "lock@", "lock@ ", "lock@metadata", "lock@METADATA"])
def test_parse_name_rejects(name):
    with pytest.raises(ValueError):
        parse_name(name)


def test_parse_name_type():
    with pytest.raises(TypeError):
        parse_name(b"lock")


def test_timeouts():
    assert check_timeout(None) is None
    assert check_timeout(-3) == 0.0
    assert check_timeout(1) == 1.0
    with pytest.raises(TypeError):
        check_timeout(True)
    with pytest.raises(TypeError):
        check_timeout("1")
    with pytest.raises(ValueError):
        check_timeout(float("nan"))
    assert timeout_millis(None) == -1
    assert timeout_millis(INFINITE) == -1
    assert timeout_millis(0.0) == 0
    assert timeout_millis(1.5) == 1500
    assert timeout_millis(1e30) == 2**63 - 1
