"""hzgreen.compat's module paths: the official names exist and are hzgreen's own classes."""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

import pytest

from hzgreen import exceptions, server_errors
from hzgreen.compat import aggregator, core, errors, predicate, projection, util
from hzgreen.compat.serialization import api
from hzgreen.compat.serialization import predicate as legacy_predicate
from hzgreen.query import aggregator as native_aggregator
from hzgreen.query import predicate as native_predicate
from hzgreen.query import projection as native_projection
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.service import SerializationService

REFERENCE = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "..", "shared", "reference", "official-client-api.json"
)
MINE = {
    "hazelcast/errors.py": "hzgreen.compat.errors",
    "hazelcast/predicate.py": "hzgreen.compat.predicate",
    "hazelcast/aggregator.py": "hzgreen.compat.aggregator",
    "hazelcast/projection.py": "hzgreen.compat.projection",
    "hazelcast/serialization/api.py": "hzgreen.compat.serialization.api",
    "hazelcast/core.py": "hzgreen.compat.core",
}
# Official internals with no use in user code (hzgreen has no equivalent to expose).
NOT_EXPORTED = {"create_error_from_message", "AddressHelper"}


@pytest.mark.skipif(not os.path.exists(REFERENCE), reason="the official API reference is not available")
@pytest.mark.parametrize("official", sorted(MINE))
def test_every_official_name_exists(official: str) -> None:
    with open(REFERENCE, encoding="utf-8") as f:
        names = json.load(f)["modules"][official]
    module = importlib.import_module(MINE[official])
    missing = [name for name in names if not hasattr(module, name) and name not in NOT_EXPORTED]
    assert missing == []


def test_errors_are_hzgreens_own_classes() -> None:
    assert errors.HazelcastError is exceptions.HzError
    assert errors.HazelcastSerializationError is exceptions.HzSerializationError
    assert errors.HazelcastClientNotActiveError is exceptions.ClientNotActiveError
    assert errors.HazelcastTimeoutError is exceptions.HzTimeoutError
    assert errors.IllegalStateError is server_errors.IllegalStateError
    assert issubclass(server_errors.TargetDisconnectedError, errors.TargetDisconnectedError)
    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type):
            assert issubclass(value, exceptions.HzError), name


def test_member_errors_match_by_error_code() -> None:
    # Python names differ from the member's for a few codes; the official name follows the code.
    assert errors.IllegalAccessException.error_code == 24
    assert errors.IllegalAccessError.error_code == 25
    assert errors.NoSuchMethodException.error_code == 96
    assert errors.NoSuchFieldException.error_code == 98
    assert errors.NodeIdOutOfRangeError.error_code == 81


def test_error_raised_by_hzgreen_is_caught_by_official_name() -> None:
    with pytest.raises(errors.HazelcastError):
        raise server_errors.BY_CODE[27]("member says no")
    with pytest.raises(errors.HazelcastSerializationError):
        raise exceptions.HzSerializationError("bad")


def test_retryable_decorator_marks_the_class() -> None:
    @errors.retryable
    class MyError(errors.HazelcastError):
        pass

    assert errors.is_retryable_error(server_errors.RetryableHazelcastError("x"))
    assert MyError.retryable is True


def test_query_functions_are_hzgreens() -> None:
    assert predicate.equal is native_predicate.equal
    assert aggregator.max_by is native_aggregator.max_by
    assert projection.identity is native_projection.identity
    assert legacy_predicate.is_less_than_or_equal_to is native_predicate.less_or_equal


def test_native_query_objects_are_instances_of_the_official_bases() -> None:
    assert isinstance(predicate.equal("a", 1), predicate.Predicate)
    assert isinstance(predicate.paging(None, 10), predicate.Predicate)
    assert isinstance(aggregator.count(), aggregator.Aggregator)
    assert isinstance(projection.single_attribute("a"), projection.Projection)
    assert not isinstance(object(), predicate.Predicate)


@pytest.mark.parametrize("order", ["ids_first", "base_first"])
def test_user_subclasses_in_either_base_order(order: str) -> None:
    bases: Any = (
        (api.IdentifiedDataSerializable, predicate.Predicate)
        if order == "ids_first"
        else (predicate.Predicate, api.IdentifiedDataSerializable)
    )
    cls: Any = type("MyPredicate", bases, {"get_factory_id": lambda self: 7, "get_class_id": lambda self: 1})
    mine = cls()
    assert isinstance(mine, native_predicate.Predicate)  # what hzgreen's proxies accept
    assert isinstance(mine, predicate.Predicate)
    assert not isinstance(predicate.equal("a", 1), cls)
    assert mine == mine and mine != cls()


def test_user_aggregator_and_projection_take_their_own_constructor() -> None:
    class Top(aggregator.Aggregator[int]):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.n = n

    class Nothing(projection.Projection[Any]):
        pass

    assert Top(3).n == 3 and isinstance(Top(3), native_aggregator.Aggregator)
    assert isinstance(Nothing(), native_projection.Projection)


def test_streams_have_the_official_names() -> None:
    service = SerializationService()
    out = ObjectDataOutput(service)
    out.write_utf("héllo")
    out.write_utf_array(["a", "b"])
    assert out.get_byte_order() == "BIG_ENDIAN"
    inp = ObjectDataInput(out.to_byte_array(), 0, service)
    assert inp.read_utf() == "héllo"
    assert inp.read_utf_array() == ["a", "b"]


def test_map_entry_round_trip_and_factory() -> None:
    service = SerializationService(data_serializable_factories=dict(core.MAP_ENTRY_FACTORIES))
    entry = service.to_object(service.to_data(core.MapEntry("k", 1)))
    assert isinstance(entry, core.MapEntry)
    assert (entry.key, entry.value) == ("k", 1)
    assert core.map_entry_factory(999) is None


def test_core_and_util_names() -> None:
    assert core.HazelcastJsonValue('{"a": 1}').loads() == {"a": 1}
    assert isinstance(util.RandomLB(), util.LoadBalancer)
    counter = util.AtomicInteger()
    assert (counter.get_and_increment(), counter.get()) == (0, 1)
    assert api.FieldKind is not None
