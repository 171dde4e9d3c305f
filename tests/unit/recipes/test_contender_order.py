"""The ordering of the contender record (hzgreen.recipes.contenders) on hand-made entries."""

import pytest

from hzgreen.recipes.contenders import FAST_PATH_ORDER, holder_identifiers, order_contenders


def test_holder_first_then_waiters_by_sequence():
    entries = [
        ("k3", ("late", 9, False)),
        ("k1", ("early", 4, False)),
        ("k2", ("holder", 7, True)),
        ("k4", ("middle", 5, False)),
    ]
    assert order_contenders(entries) == ["holder", "early", "middle", "late"]


def test_holders_keep_their_order_and_fast_path_holders_come_first():
    entries = [
        ("b", ("waited", 3, True)),
        ("a", ("at-once", FAST_PATH_ORDER, True)),
        ("c", ("waiting", 1, False)),
    ]
    assert order_contenders(entries) == ["at-once", "waited", "waiting"]
    assert holder_identifiers(entries) == ["at-once", "waited"]


def test_equal_orders_are_ordered_by_key_whatever_the_listing_order():
    forward = [("x", ("second", 0, True)), ("a", ("first", 0, True))]
    assert order_contenders(forward) == order_contenders(forward[::-1]) == ["first", "second"]


def test_lists_from_the_map_and_identifiers_of_any_type():
    # values come back from the cluster as lists; identifiers need not be strings
    entries = [("k1", [None, 2, False]), ("k2", [{"host": "a"}, 1, False])]
    assert order_contenders(entries) == [{"host": "a"}, None]
    assert holder_identifiers(entries) == []


@pytest.mark.parametrize(
    "foreign",
    ["text", ("too", "short"), ("id", "not-an-int", True), ("id", True, False), None, 42],
)
def test_foreign_values_are_skipped(foreign):
    entries = [("f", foreign), ("k", ("real", 1, True))]
    assert order_contenders(entries) == ["real"]
    assert holder_identifiers(entries) == ["real"]


def test_one_identifier_per_lease_held():
    entries = [("k1", ("svc", 0, True)), ("k2", ("svc", 0, True)), ("k3", ("other", 4, False))]
    assert holder_identifiers(entries) == ["svc", "svc"]
    assert order_contenders(entries) == ["svc", "svc", "other"]
