"""IdentifiedDataSerializable (type id -2): factory id, class id, then the object's fields.

Payload: one header byte (bit 0 set = identified; Java's versioned flag, bit 1, is
followed by two version bytes that non-Java clients skip), int32 factory id, int32
class id, then whatever ``write_data`` wrote. Reading looks the ids up in the
``data_serializable_factories`` option, ``{factory_id: {class_id: constructor}}``
(a factory may also be a callable ``factory(class_id) -> instance``).

A few member-side classes come back in query results and are read without any
configuration: the set of ``aggregator.distinct`` (a ``set``) and the entry of
``max_by``/``min_by`` (a ``(key, value)`` tuple).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, Set, Tuple, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.api import IdentifiedDataSerializableLike
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.serializers import BuiltinSerializer

_IDENTIFIED = 0x01
_VERSIONED = 0x02

#: Member-side classes read without a factory: (factory id, class id) -> reader(inp).
AGGREGATOR_FACTORY_ID = -29
CANONICALIZING_SET_CLASS_ID = 19
MAP_ENTRY_FACTORY_ID = -4
MAP_ENTRY_CLASS_ID = 120


#: One factory of ``data_serializable_factories`` / ``portable_factories``: ``{class_id: constructor}``
#: or ``factory(class_id) -> instance`` (instances are user objects).
Factory = Union[Dict[int, Callable[[], Any]], Callable[[int], Any]]
#: The option as given: ``{factory_id: {class_id: constructor} | factory}``.
FactoriesOption = Mapping[int, Union[Mapping[int, Callable[[], Any]], Callable[[int], Any]]]


def _read_set(inp: ObjectDataInput) -> Set[Any]:
    n = inp.read_int()
    if n < 0 or n > inp.available():
        raise HzSerializationError("invalid set size %d" % n)
    return {inp.read_object() for _ in range(n)}


def _read_entry(inp: ObjectDataInput) -> Tuple[Any, Any]:
    key = inp.read_object()
    return key, inp.read_object()


BUILTIN_READERS: Dict[Tuple[int, int], Callable[[ObjectDataInput], Any]] = {
    (AGGREGATOR_FACTORY_ID, CANONICALIZING_SET_CLASS_ID): _read_set,
    (MAP_ENTRY_FACTORY_ID, MAP_ENTRY_CLASS_ID): _read_entry,
}


def validate_factories(factories: Optional[Mapping[Any, Any]], option: str) -> Dict[int, Factory]:
    """Check ``{factory_id: {class_id: constructor} | callable}``.

    :returns: a plain dict of the factories (each ``{class_id: constructor}`` copied).
    :raises TypeError: naming ``option`` for an id that is not an int or a factory or
        constructor that is not callable.
    """
    if factories is None:
        return {}
    if not isinstance(factories, Mapping):
        raise TypeError("%s must be a dict {factory_id: {class_id: class}}, got %r" % (option, factories))
    result: Dict[int, Factory] = {}
    for factory_id, factory in factories.items():
        if isinstance(factory_id, bool) or not isinstance(factory_id, int):
            raise TypeError("%s keys must be int factory ids, got %r" % (option, factory_id))
        if isinstance(factory, Mapping):
            for class_id, constructor in factory.items():
                if isinstance(class_id, bool) or not isinstance(class_id, int):
                    raise TypeError("%s[%d] keys must be int class ids, got %r" % (option, factory_id, class_id))
                if not callable(constructor):
                    raise TypeError(
                        "%s[%d][%d] must be a class or a callable, got %r" % (option, factory_id, class_id, constructor)
                    )
            result[factory_id] = dict(factory)
        elif callable(factory):
            result[factory_id] = factory
        else:
            raise TypeError(
                "%s[%d] must be a dict {class_id: class} or a callable factory(class_id), got %r"
                % (option, factory_id, factory)
            )
    return result


def create_instance(factories: Dict[int, Factory], factory_id: int, class_id: int, option: str, kind: str) -> Any:
    """Returns a new instance of (factory_id, class_id) from a factory table.

    :raises HzSerializationError: naming the ids and ``option`` if no factory or
        constructor is registered for them, or a factory function returns None.
    """
    factory = factories.get(factory_id)
    if factory is None:
        raise HzSerializationError(
            "no %s factory is registered for factory id %d (class id %d); add it to the %s option"
            % (kind, factory_id, class_id, option)
        )
    if isinstance(factory, dict):
        constructor = factory.get(class_id)
        if constructor is None:
            raise HzSerializationError(
                "the %s factory %d has no class id %d (known class ids: %s)"
                % (kind, factory_id, class_id, ", ".join(map(str, sorted(factory))) or "none")
            )
        return constructor()
    instance = factory(class_id)
    if instance is None:
        raise HzSerializationError("the %s factory %d returned None for class id %d" % (kind, factory_id, class_id))
    return instance


class IdentifiedDataSerializer(BuiltinSerializer):
    type_id = c.CONSTANT_TYPE_DATA_SERIALIZABLE

    def __init__(self, factories: Dict[int, Factory]) -> None:
        self._factories = factories

    def write(self, out: ObjectDataOutput, obj: IdentifiedDataSerializableLike) -> None:
        factory_id = obj.get_factory_id()
        class_id = obj.get_class_id()
        out.write_byte(_IDENTIFIED)
        out.write_int(factory_id)
        out.write_int(class_id)
        obj.write_data(out)

    def read(self, inp: ObjectDataInput) -> Any:
        header = inp.read_byte()
        if not header & _IDENTIFIED:
            raise HzSerializationError(
                "the object is a Java DataSerializable written by class name, not an "
                "IdentifiedDataSerializable; only Java can read it"
            )
        factory_id = inp.read_int()
        class_id = inp.read_int()
        if header & _VERSIONED:
            inp.skip_bytes(2)
        builtin = BUILTIN_READERS.get((factory_id, class_id))
        if builtin is not None and factory_id not in self._factories:
            return builtin(inp)
        instance = create_instance(
            self._factories, factory_id, class_id, "data_serializable_factories", "IdentifiedDataSerializable"
        )
        try:
            instance.read_data(inp)
        except HzSerializationError as e:
            raise HzSerializationError(
                "%s (factory id %d, class id %d): %s" % (type(instance).__name__, factory_id, class_id, e)
            ) from None
        return instance
