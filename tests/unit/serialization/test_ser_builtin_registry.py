"""The built-in serializers are made once per process and shared; each service's tables stay its own."""

import datetime
import decimal
import uuid

from hzgreen.serialization.builtin_registry import BUILTINS
from hzgreen.serialization.service import SerializationService


class Point:
    def __init__(self, x):
        self.x = x


class PointSerializer:
    def get_type_id(self):
        return 4242

    def write(self, out, obj):
        out.write_int(obj.x)

    def read(self, inp):
        return Point(inp.read_int())

    def destroy(self):
        pass


def test_services_share_the_builtin_instances_but_not_the_tables():
    a, b = SerializationService(), SerializationService()
    assert a._by_id is not b._by_id
    assert a._builtin_by_type is not b._builtin_by_type
    assert a._by_id[BUILTINS.str.get_type_id()] is b._by_id[BUILTINS.str.get_type_id()] is BUILTINS.str
    assert a._pickle is not b._pickle and a.compact is not b.compact


def test_a_custom_serializer_stays_in_its_service():
    a = SerializationService(custom_serializers={Point: PointSerializer})
    b = SerializationService()
    assert 4242 in a._by_id
    assert 4242 not in b._by_id
    assert 4242 not in BUILTINS.by_id
    assert a.to_object(a.to_data(Point(7))).x == 7


def test_the_shared_templates_are_not_written_by_services():
    before_ids, before_types = dict(BUILTINS.by_id), dict(BUILTINS.by_type)
    service = SerializationService(custom_serializers={Point: PointSerializer}, pickle_enabled=True)
    service.destroy()
    assert BUILTINS.by_id == before_ids
    assert BUILTINS.by_type == before_types


def test_builtins_round_trip_through_two_services():
    a, b = SerializationService(), SerializationService(default_int_type="LONG")
    values = [
        None,
        True,
        1.5,
        "text",
        b"raw",
        [1, "x"],
        uuid.uuid4(),
        decimal.Decimal("1.25"),
        datetime.date(2024, 1, 2),
    ]
    for value in values:
        assert b.to_object(a.to_data(value)) == value
        assert a.to_object(b.to_data(value)) == value
