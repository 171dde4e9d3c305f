"""Serializer registry: custom and global serializers, lookup order, layering."""

import ast
import pathlib

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import SerializationService, StreamSerializer


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __eq__(self, other):
        return type(other) is type(self) and other.cents == self.cents


class Euro(Money):
    pass


class MoneySerializer(StreamSerializer):
    def write(self, out, obj):
        out.write_long(obj.cents)

    def read(self, inp):
        return Money(inp.read_long())

    def get_type_id(self):
        return 7


class GlobalSerializer(StreamSerializer):
    def write(self, out, obj):
        out.write_string(repr(obj))

    def read(self, inp):
        return ("global", inp.read_string())

    def get_type_id(self):
        return 99


def test_custom_serializer_bytes_and_round_trip():
    service = SerializationService(custom_serializers={Money: MoneySerializer})
    data = service.to_data(Money(5))
    assert data == bytes.fromhex("00000000000000070000000000000005")
    assert service.to_object(data) == Money(5)


def test_custom_serializer_applies_to_subclasses_and_nested():
    service = SerializationService(custom_serializers={Money: MoneySerializer()})
    assert service.to_data(Euro(1))[4:8] == b"\x00\x00\x00\x07"
    assert service.to_object(service.to_data([Money(1), None])) == [Money(1), None]


def test_builtins_win_over_global_and_global_over_pickle():
    service = SerializationService(global_serializer=GlobalSerializer)
    assert service.to_data("k") == bytes.fromhex("00000000fffffff5000000016b")
    assert service.to_data([1])[4:8] == bytes.fromhex("ffffffe3")
    data = service.to_data({1: 2})
    assert data[4:8] == b"\x00\x00\x00\x63"
    assert service.to_object(data) == ("global", "{1: 2}")


def test_custom_wins_over_global():
    service = SerializationService(custom_serializers={Money: MoneySerializer}, global_serializer=GlobalSerializer)
    assert service.to_data(Money(1))[4:8] == b"\x00\x00\x00\x07"
    assert service.to_data(object())[4:8] == b"\x00\x00\x00\x63"


def test_cannot_override_builtins():
    with pytest.raises(ValueError, match="built-in"):
        SerializationService(custom_serializers={str: MoneySerializer})
    with pytest.raises(ValueError, match="built-in"):
        SerializationService(custom_serializers={int: MoneySerializer})


def test_type_id_validation():
    class Bad(MoneySerializer):
        def get_type_id(self):
            return -5

    with pytest.raises(ValueError, match="positive"):
        SerializationService(custom_serializers={Money: Bad})
    with pytest.raises(ValueError, match="already used"):
        SerializationService(custom_serializers={Money: MoneySerializer, Euro: MoneySerializer})
    with pytest.raises(TypeError):
        SerializationService(custom_serializers={Money: object()})


def test_custom_serializer_failure_is_wrapped():
    class Broken(MoneySerializer):
        def write(self, out, obj):
            raise RuntimeError("boom")

        def read(self, inp):
            raise RuntimeError("bang")

    service = SerializationService(custom_serializers={Money: Broken})
    with pytest.raises(HzSerializationError, match="Money.*boom"):
        service.to_data(Money(1))
    with pytest.raises(HzSerializationError, match="7.*bang"):
        service.to_object(bytes.fromhex("00000000000000070000000000000001"))


def test_serializer_for_is_cached_per_type():
    service = SerializationService(pickle_enabled=True)
    first = service.serializer_for({})
    assert service.serializer_for({"a": 1}) is first
    assert service.serializer_for(1).get_type_id() == -7
    assert service.serializer_for(2**40).get_type_id() == -8


def test_hooks_for_structured_formats_exist():
    service = SerializationService()
    for hook in ("_lookup_identified", "_lookup_portable", "_lookup_compact"):
        assert getattr(service, hook)(object(), object) is None


def test_layer_imports_only_stdlib_and_exceptions():
    package = pathlib.Path(__file__).resolve().parents[3] / "hzgreen" / "serialization"
    forbidden = {"socket", "threading", "select", "gevent", "asyncio", "selectors"}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                assert root not in forbidden, (path.name, name)
                if root == "hzgreen":
                    assert name == "hzgreen.exceptions" or name.startswith("hzgreen.serialization"), (path.name, name)
