"""parse_address remembers entries it parsed, handing out a new list each time and still refusing bad ones."""

import pytest

from hzgreen.runtime import address
from hzgreen.runtime.address import parse_address


def test_repeated_entries_give_equal_new_lists():
    first = parse_address("10.0.0.1:5701")
    first.append(("mutated", 1))
    assert parse_address("10.0.0.1:5701") == [("10.0.0.1", 5701)]
    assert parse_address("10.0.0.2") == [("10.0.0.2", 5701), ("10.0.0.2", 5702), ("10.0.0.2", 5703)]


def test_bad_entries_raise_every_time_and_name_the_option():
    for _ in range(2):
        with pytest.raises(ValueError, match="cloud"):
            parse_address("a..b:5701", "cloud")
        with pytest.raises(TypeError):
            parse_address(5701)  # type: ignore[arg-type]


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(address, "_PARSED_MAX", 4)
    monkeypatch.setattr(address, "_parsed", {})
    for i in range(10):
        assert parse_address("10.1.0.%d:5701" % i) == [("10.1.0.%d" % i, 5701)]
    assert len(address._parsed) <= 4


def test_str_subclasses_are_parsed_without_the_cache(monkeypatch):
    class Text(str):
        pass

    monkeypatch.setattr(address, "_parsed", {})
    assert parse_address(Text("10.2.0.1:5701")) == [("10.2.0.1", 5701)]
    assert address._parsed == {}
