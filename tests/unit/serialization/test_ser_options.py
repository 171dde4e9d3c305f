"""Serialization options of HzClient: validated at construction, naming the option."""

import pytest

from hzgreen.client import HzClient
from hzgreen.config import SERIALIZATION_OPTIONS, IntType
from hzgreen.serialization import ClassDefinitionBuilder, CompactSerializer


class Thing:
    pass


class ThingSerializer(CompactSerializer):
    def read(self, reader):
        return Thing()

    def write(self, writer, obj):
        pass

    def get_class(self):
        return Thing

    def get_type_name(self):
        return "Thing"


def test_every_issue_option_is_known():
    for name in (
        "data_serializable_factories",
        "portable_factories",
        "class_definitions",
        "portable_version",
        "check_class_definition_errors",
        "compact_serializers",
        "custom_serializers",
        "global_serializer",
        "default_int_type",
    ):
        assert name in SERIALIZATION_OPTIONS


@pytest.mark.parametrize(
    "option, value, error",
    [
        ("default_int_type", "HUGE", ValueError),
        ("data_serializable_factories", {"1": {}}, TypeError),
        ("portable_factories", {1: 5}, TypeError),
        ("class_definitions", "nope", TypeError),
        ("portable_version", -1, ValueError),
        ("portable_version", 1.5, TypeError),
        ("check_class_definition_errors", 1, TypeError),
        ("compact_serializers", [ThingSerializer], TypeError),
        ("custom_serializers", {"x": object}, TypeError),
        ("global_serializer", object(), TypeError),
    ],
)
def test_bad_values_fail_at_construction_naming_the_option(option, value, error):
    with pytest.raises(error, match=option):
        HzClient(**{option: value})


def test_int_type_enum_and_names():
    assert HzClient(default_int_type=IntType.VAR).serialization.default_int_type == "VAR"
    assert HzClient(default_int_type="long").serialization.default_int_type == "LONG"
    assert [t.name for t in IntType] == ["BYTE", "SHORT", "INT", "LONG", "VAR", "BIG_INT"]


def test_good_values_reach_the_serialization_service():
    class_def = ClassDefinitionBuilder(1, 1).add_int_field("a").build()
    client = HzClient(compact_serializers=[ThingSerializer()], class_definitions=[class_def], portable_version=2)
    assert client.serialization.compact.registered_classes() == [Thing]
    assert client.serialization.portable_context.lookup(1, 1, 0) == class_def
    assert client.serialization.portable_context.portable_version == 2
