"""The official client's transaction API is here: names, parameter names and defaults, with ``_async`` twins."""

import inspect

import pytest

from hzgreen.client import HzClient
from hzgreen.transaction import (
    ONE_PHASE,
    TWO_PHASE,
    Transaction,
    TransactionalList,
    TransactionalMap,
    TransactionalMultiMap,
    TransactionalQueue,
    TransactionalSet,
)

OFFICIAL_METHODS = {
    Transaction: "begin commit rollback",
    TransactionalMap: """contains_key get get_for_update size is_empty put put_if_absent set replace
        replace_if_same remove remove_if_same delete key_set values""",
    TransactionalMultiMap: "put get remove remove_all value_count size",
    TransactionalQueue: "offer take poll peek size",
    TransactionalList: "add remove size",
    TransactionalSet: "add remove size",
}


@pytest.mark.parametrize("cls", list(OFFICIAL_METHODS), ids=lambda c: c.__name__)
def test_every_official_method_exists_with_an_async_twin(cls):
    names = OFFICIAL_METHODS[cls].split()
    assert [name for name in names if not callable(getattr(cls, name, None))] == []
    assert [name for name in names if not callable(getattr(cls, name + "_async", None))] == []


def test_structures_come_from_the_transaction_under_the_official_names():
    assert [n for n in "get_map get_multi_map get_queue get_list get_set".split() if not hasattr(Transaction, n)] == []


def test_new_transaction_has_the_official_parameters_and_defaults():
    parameters = inspect.signature(HzClient.new_transaction).parameters
    assert [(p.name, p.default) for p in list(parameters.values())[1:]] == [
        ("timeout", 120),
        ("durability", 1),
        ("type", TWO_PHASE),
    ]
    assert (TWO_PHASE, ONE_PHASE) == (1, 2)


def test_parameter_names_follow_the_official_client():
    def names(method):
        return list(inspect.signature(method).parameters)[1:]

    assert names(TransactionalMap.put) == ["key", "value", "ttl"]
    assert names(TransactionalMap.replace_if_same) == ["key", "old_value", "new_value"]
    assert names(TransactionalMap.key_set) == ["predicate"]
    assert names(TransactionalQueue.offer) == ["item", "timeout"]
    assert names(TransactionalQueue.poll) == ["timeout"]
    assert names(TransactionalMultiMap.remove) == ["key", "value"]
