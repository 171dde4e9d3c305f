"""``SerializationService``: Python objects <-> Hazelcast ``Data`` blobs.

A Data blob is plain ``bytes``::

    int32 BE partition hash (0 = "hash the payload") | int32 BE type id | payload (BE)

Serializer lookup for writing follows the official client's priority order::

    None -> IdentifiedDataSerializable -> Portable -> Compact -> built-ins
         -> custom serializers -> global serializer
         -> pickle (with pickle_enabled) | dict, set, frozenset as Java HashMap/HashSet (without)

Built-ins match the exact Python type (``str``, ``int``, ``bool``, ``float``,
``bytes``/``bytearray``, ``list``/``tuple``, ``uuid.UUID``, ``decimal.Decimal``,
``datetime.date``/``time``/``datetime``, ``array.array``, ``HazelcastJsonValue``), so
subclasses (``IntEnum``, namedtuples, ...) fall through to custom/global/pickle and come
back as their own type; with pickle off (the default) an object no serializer handles
cannot be written. Where the official client would pickle a ``dict``, ``set`` or
``frozenset``, a client with pickle off writes a Java HashMap or HashSet instead (see
:mod:`hzgreen.serialization.java_collections`); with pickle on it pickles them, byte for
byte as the official client does. Every Java map and set type reads in both modes.
The result of the lookup is cached per Python type, except for the types whose Java
type depends on the value: ``int`` (``default_int_type``), naive vs
timezone-aware ``datetime`` (LocalDateTime vs OffsetDateTime) and ``array.array`` (its
typecode). IdentifiedDataSerializable and Portable objects are recognised by their
methods (``get_factory_id``/``get_class_id`` plus ``write_data`` or ``write_portable``),
so classes written for the official client work unchanged; Compact applies to the
classes of ``compact_serializers`` and to :class:`GenericRecord`. A value wrapped with
:func:`~hzgreen.serialization.hints.typed` is written as the Java type it names.

Reading dispatches on the type id through a registry of serializers keyed by id.
"""

from __future__ import annotations

import array
import datetime
import enum
import pickle
import struct
import uuid
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Set, Type, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization import extended as ext
from hzgreen.serialization import serializers as s
from hzgreen.serialization.api import CompactSerializerLike, SerializerLike
from hzgreen.serialization.builtin_registry import BUILTINS
from hzgreen.serialization.compact.serializer import (
    CompactStreamSerializer,
    SchemaNotFoundError,
    validate_compact_serializers,
)
from hzgreen.serialization.data import BytesLike, Data
from hzgreen.serialization.hints import CONVERSIONS, Typed
from hzgreen.serialization.identified import FactoriesOption, IdentifiedDataSerializer, validate_factories
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.java_collections import java_collection_serializers
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.pickling import PickleSerializer, normalize_allowed_classes
from hzgreen.serialization.portable.classdef import ClassDefinition
from hzgreen.serialization.portable.serializer import PortableContext, PortableSerializer

__all__ = ["SerializationService"]

_unpack_type_id = struct.Struct(">i").unpack_from
_pack_type_id_into = struct.Struct(">i").pack_into
_NoneType = type(None)
_StructError = struct.error
_datetime = datetime.datetime
_array = array.array


def _has_methods(obj_type: type, *names: str) -> bool:
    return all(callable(getattr(obj_type, name, None)) for name in names)


def _reason(error: BaseException) -> str:
    if isinstance(error, HzSerializationError):
        return str(error)
    if isinstance(error, (_StructError, IndexError)):
        return "truncated or corrupt payload (%s)" % (error,)
    text = str(error)
    return "%s: %s" % (type(error).__name__, text) if text else type(error).__name__


def _read_error(type_id: int, error: BaseException, what: str = "Data") -> HzSerializationError:
    return HzSerializationError(
        "cannot deserialize %s with type id %s: %s" % (what, c.type_id_name(type_id), _reason(error))
    )


def _write_error(obj: object, error: BaseException) -> HzSerializationError:
    return HzSerializationError(
        "cannot serialize object of Python type %r: %s" % (s.python_type_name(obj), _reason(error))
    )


#: A serializer option: a serializer, or a class whose instances are serializers.
SerializerOption = Union[SerializerLike, Type[SerializerLike]]


def _instantiate(serializer: object, what: str) -> SerializerLike:
    """Returns ``serializer`` (an instance of it if it is a class).

    :raises TypeError: naming ``what`` if it lacks write(), read() or get_type_id().
    """
    instance: Any = serializer() if isinstance(serializer, type) else serializer
    for method in ("write", "read", "get_type_id"):
        if not callable(getattr(instance, method, None)):
            raise TypeError("%s must provide %s(); got %r" % (what, method, instance))
    checked: SerializerLike = instance  # it has the three methods
    return checked


class SerializationService:
    """Converts Python objects to Data blobs (``bytes``) and back.

    Every option is one of the ``HzClient`` options of the same name and is checked
    here (``TypeError``/``ValueError`` naming the option).

    :param default_int_type: Java type for Python ``int`` (a
        :class:`hzgreen.config.IntType` or its name): ``INT`` (default: int if it fits
        32 bits, else long, else BigInteger), ``BYTE``, ``SHORT``, ``LONG`` (always that
        type; out-of-range values raise :class:`~hzgreen.exceptions.HzSerializationError`),
        ``VAR`` (smallest of byte/short/int/long/BigInteger) or ``BIG_INT``.
    :param data_serializable_factories: ``{factory_id: {class_id: class}}`` to read
        IdentifiedDataSerializable objects (a factory may be ``callable(class_id)``).
    :param portable_factories: ``{factory_id: {class_id: class}}`` to read Portables.
    :param class_definitions: Portable ``ClassDefinition`` objects known in advance
        (needed for ``write_null_portable`` and empty Portable arrays).
    :param portable_version: class version of Portables that are not VersionedPortable.
    :param check_class_definition_errors: reject ``class_definitions`` whose nested
        Portable fields refer to undefined classes.
    :param compact_serializers: ``CompactSerializer`` instances.
    :param custom_serializers: ``{python_type: serializer}`` where a serializer (class
        or instance) has ``write(out, obj)``, ``read(inp)`` and a positive
        ``get_type_id()``. Subclasses of a registered type use its serializer.
    :param global_serializer: serializer (class or instance) for every object no other
        serializer handles, tried before pickle.
    :param pickle_enabled: write objects no other serializer handles with pickle (type
        id -120) and read pickled data. Off by default: unpickling data read from the
        cluster runs whatever code its writer chose. When off, ``dict``, ``set`` and
        ``frozenset`` are written as Java HashMap/HashSet (when on, they are pickled as
        the official client does), and writing any other such object or reading pickled
        data raises :class:`~hzgreen.exceptions.HzSerializationError`.
    :param pickle_allowed_classes: with ``pickle_enabled``, the classes (or functions)
        a pickle may refer to, as classes or ``"module.QualName"`` strings; unpickling
        then resolves only those and a small safe set
        (:data:`hzgreen.serialization.pickling.SAFE_PICKLE_GLOBALS`). None (the default)
        means no restriction.
    :param pickle_protocol: protocol for the pickle fallback (type id -120). The
        default 0 is what the official Python client writes and reads; a higher
        protocol is faster and smaller but only hzgreen clients can read it.
    :raises TypeError: for an option of the wrong type (the message names it).
    :raises ValueError: for an option with a wrong value (the message names it).
    """

    def __init__(
        self,
        default_int_type: Union[str, enum.Enum] = "INT",
        custom_serializers: Optional[Mapping[type, SerializerOption]] = None,
        global_serializer: Optional[SerializerOption] = None,
        pickle_protocol: int = 0,
        pickle_enabled: bool = False,
        pickle_allowed_classes: Optional[Iterable[Union[str, Callable[..., Any]]]] = None,
        data_serializable_factories: Optional[FactoriesOption] = None,
        portable_factories: Optional[FactoriesOption] = None,
        class_definitions: Optional[Iterable[ClassDefinition]] = None,
        portable_version: int = 0,
        check_class_definition_errors: bool = True,
        compact_serializers: Optional[Iterable[CompactSerializerLike]] = None,
    ) -> None:
        self._int_type = s.normalize_int_type(default_int_type)
        if (
            not isinstance(pickle_protocol, int)
            or isinstance(pickle_protocol, bool)
            or not 0 <= pickle_protocol <= pickle.HIGHEST_PROTOCOL
        ):
            raise ValueError(
                "pickle_protocol must be an int in 0..%d, got %r" % (pickle.HIGHEST_PROTOCOL, pickle_protocol)
            )
        if not isinstance(pickle_enabled, bool):
            raise TypeError("pickle_enabled must be True or False, got %r" % (pickle_enabled,))
        allowed = normalize_allowed_classes(pickle_allowed_classes)
        if allowed is not None and not pickle_enabled:
            raise ValueError("pickle_allowed_classes has no effect unless pickle_enabled=True")
        if isinstance(portable_version, bool) or not isinstance(portable_version, int):
            raise TypeError("portable_version must be an int, got %r" % (portable_version,))
        if portable_version < 0:
            raise ValueError("portable_version must be >= 0, got %r" % (portable_version,))
        if not isinstance(check_class_definition_errors, bool):
            raise TypeError(
                "check_class_definition_errors must be True or False, got %r" % (check_class_definition_errors,)
            )
        if class_definitions is None:
            class_definitions = ()
        elif isinstance(class_definitions, (str, bytes, Mapping)) or not hasattr(class_definitions, "__iter__"):
            raise TypeError("class_definitions must be a list of ClassDefinition, got %r" % (class_definitions,))

        # -- structured formats ------------------------------------------------------
        self._identified = IdentifiedDataSerializer(
            validate_factories(data_serializable_factories, "data_serializable_factories")
        )
        self.portable_context = PortableContext(portable_version)
        self.portable_context.register_all(class_definitions, check_class_definition_errors)
        self._portable = PortableSerializer(
            self.portable_context, validate_factories(portable_factories, "portable_factories")
        )
        #: The Compact serializer; the runtime installs its ``schema_hook``.
        self.compact = CompactStreamSerializer(validate_compact_serializers(compact_serializers))

        # -- registry by type id (reading) -----------------------------------------
        # The stateless built-ins are shared by every service (builtin_registry.py); this
        # service's copy of the table takes its own serializers and the user's.
        builtins = BUILTINS
        local_dt_s, offset_dt_s = builtins.local_datetime, builtins.offset_datetime
        self._pickle = PickleSerializer(pickle_protocol, pickle_enabled, allowed)
        self._by_id: Dict[int, SerializerLike] = dict(builtins.by_id)
        for serializer in (self._pickle, self._identified, self._portable, self.compact):
            self._by_id[serializer.get_type_id()] = serializer
        java_collections = java_collection_serializers()
        self._by_id.update(java_collections)
        #: dict/set/frozenset writers, used where pickle would be if it is off.
        self._java_collection_by_type: Dict[type, SerializerLike] = {}
        if not pickle_enabled:
            hash_set = java_collections[c.JAVA_DEFAULT_TYPE_HASH_SET]
            self._java_collection_by_type = {
                dict: java_collections[c.JAVA_DEFAULT_TYPE_HASH_MAP],
                set: hash_set,
                frozenset: hash_set,
            }

        # -- built-ins by exact Python type (writing) ------------------------------
        self._choose_int, int_to_data = s.int_strategy(
            self._int_type, builtins.byte, builtins.short, builtins.int, builtins.long, builtins.big_int
        )
        self._builtin_by_type: Dict[type, SerializerLike] = dict(builtins.by_type)
        array_serializers: Dict[int, SerializerLike] = {}

        def choose_array(value: array.array[Any]) -> SerializerLike:
            type_id = ext.array_type_id(value)
            found = array_serializers.get(type_id)
            if found is None:
                found = array_serializers[type_id] = ext.PrimitiveArraySerializer(type_id)
            return found

        #: Types whose Java type depends on the value (not cached per type).
        self._value_dependent: Dict[type, Callable[[Any], SerializerLike]] = {
            _datetime: lambda value: local_dt_s if value.tzinfo is None else offset_dt_s,
            _array: choose_array,
        }
        #: Exact type -> function building the whole blob without a stream.
        self._fast_writers: Dict[type, Callable[[Any], Optional[Data]]] = {
            _NoneType: s.none_to_data,
            str: s.str_to_data,
            int: int_to_data,
            bytes: s.bytes_to_data,
            bytearray: s.bytearray_to_data,
            bool: s.bool_to_data,
            float: s.double_to_data,
            uuid.UUID: s.uuid_to_data,
        }
        self._fast_readers = dict(s.FAST_READERS)

        # -- user serializers ------------------------------------------------------
        self._custom_by_type: Dict[type, SerializerLike] = {}
        for python_type, given in (custom_serializers or {}).items():
            self._register_custom(python_type, given)
        self._global: Optional[SerializerLike] = None
        if global_serializer is not None:
            self._global = _instantiate(global_serializer, "global_serializer")
            self._register_id(self._global, "global_serializer")

        self._type_cache: Dict[type, SerializerLike] = {}

    # -- configuration ----------------------------------------------------------------

    @property
    def default_int_type(self) -> str:
        """Returns the Java type a Python int is written as (the ``default_int_type`` option, e.g.
        ``"INT"``). Raises nothing."""
        return self._int_type

    def _register_id(self, serializer: SerializerLike, what: str) -> None:
        type_id = serializer.get_type_id()
        if not isinstance(type_id, int) or isinstance(type_id, bool) or type_id <= 0:
            raise ValueError(
                "%s type id must be a positive int (negative ids are Hazelcast's), got %r" % (what, type_id)
            )
        existing = self._by_id.get(type_id)
        if existing is not None and existing is not serializer:
            raise ValueError("%s type id %d is already used by %r" % (what, type_id, existing))
        self._by_id[type_id] = serializer

    def _register_custom(self, python_type: type, serializer: object) -> None:
        if not isinstance(python_type, type):
            raise TypeError("custom_serializers keys must be classes, got %r" % (python_type,))
        if python_type in self._builtin_by_type or python_type in self._value_dependent or python_type is int:
            raise ValueError(
                "custom_serializers cannot override the built-in serializer of %s" % s.python_type_name(python_type)
            )
        serializer = _instantiate(serializer, "custom serializer for %s" % s.python_type_name(python_type))
        self._register_id(serializer, "custom serializer for %s" % s.python_type_name(python_type))
        self._custom_by_type[python_type] = serializer

    # -- lookup chain (writing) -------------------------------------------------------

    def _lookup_identified(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        """IdentifiedDataSerializable (type id -2): ids plus write_data/read_data."""
        if _has_methods(obj_type, "get_factory_id", "get_class_id", "write_data", "read_data"):
            return self._identified
        return None

    def _lookup_portable(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        """Portable (type id -1): ids plus write_portable/read_portable."""
        if _has_methods(obj_type, "get_factory_id", "get_class_id", "write_portable", "read_portable"):
            return self._portable
        return None

    def _lookup_compact(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        """Compact (type id -55): classes of compact_serializers, and GenericRecord."""
        return self.compact if self.compact.handles(obj_type) else None

    def _lookup_builtin(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        return self._builtin_by_type.get(obj_type)

    def _lookup_custom(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        if not self._custom_by_type:
            return None
        for base in obj_type.__mro__:
            serializer = self._custom_by_type.get(base)
            if serializer is not None:
                return serializer
        return None

    def _lookup_global(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        return self._global

    def _lookup_java_collection(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        """HashMap (-32) for ``dict``, HashSet (-37) for ``set``/``frozenset``, when pickle is off."""
        return self._java_collection_by_type.get(obj_type)

    def _lookup_pickle(self, obj: Any, obj_type: type) -> Optional[SerializerLike]:
        return self._pickle if self._pickle.enabled else None

    def serializer_for(self, obj: Any) -> SerializerLike:
        """The serializer that writes ``obj`` (cached per Python type, except value-dependent ones)."""
        obj_type = type(obj)
        if obj_type is int:
            return self._choose_int(obj)
        serializer = self._type_cache.get(obj_type)
        if serializer is not None:
            return serializer
        chooser = self._value_dependent.get(obj_type)
        if chooser is not None and not self.compact.handles(obj_type):
            return chooser(obj)
        for lookup in _LOOKUP_CHAIN:
            serializer = lookup(self, obj, obj_type)
            if serializer is not None:
                self._type_cache[obj_type] = serializer
                return serializer
        raise self._no_serializer(obj)

    def _no_serializer(self, obj: Any) -> HzSerializationError:
        """The error for an object no serializer handles (only possible with pickle off)."""
        hint = (
            "Convert it to a plain dict (written as a Java HashMap), or store JSON-like data as "
            "HazelcastJsonValue(value) (queryable); for a class, register"
            if isinstance(obj, Mapping)
            else "For a class, register"
        )
        return HzSerializationError(
            "cannot serialize object of Python type %r: no serializer handles it. %s "
            "a Compact serializer (compact_serializers), implement IdentifiedDataSerializable or Portable, "
            "or use custom_serializers / global_serializer; or opt in to pickle with pickle_enabled=True "
            "(off by default because unpickling data read from the cluster can run arbitrary code)"
            % (s.python_type_name(obj), hint)
        )

    # -- public conversion ------------------------------------------------------------

    def to_data(self, obj: Any) -> Optional[Data]:
        """Serialize ``obj`` to a Data blob (``None`` stays ``None``)."""
        writer = self._fast_writers.get(type(obj))
        if writer is not None:
            try:
                return writer(obj)
            except HzSerializationError:
                raise
            except Exception as e:
                raise _write_error(obj, e) from e
        try:
            if type(obj) is Typed:
                return self._typed_to_data(obj)
            serializer = self.serializer_for(obj)
            out = ObjectDataOutput(self, bytes(8))
            _pack_type_id_into(out._buf, 4, serializer.get_type_id())
            serializer.write(out, obj)
        except HzSerializationError:
            raise
        except Exception as e:
            raise _write_error(obj, e) from e
        return bytes(out._buf)

    def _typed_to_data(self, obj: Typed) -> Data:
        out = ObjectDataOutput(self, bytes(8))
        self._write_typed(out, obj, 4)
        return bytes(out._buf)

    def _write_typed(self, out: ObjectDataOutput, obj: Typed, type_id_at: Optional[int]) -> None:
        """Write a hinted value: its Java type id (at ``type_id_at``, or appended) and payload."""
        type_id, convert = CONVERSIONS[obj.java_type]
        value = convert(obj.value)
        if type_id_at is None:
            out.write_int(type_id)
        else:
            _pack_type_id_into(out._buf, type_id_at, type_id)
        try:
            self._by_id[type_id].write(out, value)
        except HzSerializationError:
            raise
        except Exception as e:
            raise HzSerializationError(
                "cannot store %r as Java %s: %s" % (obj.value, obj.java_type.value, _reason(e))
            ) from e

    def to_object(self, data: Optional[Data]) -> Any:
        """Deserialize a Data blob; ``None``, ``b""`` and type id 0 give ``None``."""
        if data is None:
            return None
        if type(data) is not bytes:
            if not isinstance(data, (bytearray, memoryview)):
                raise HzSerializationError("cannot deserialize %r: Data must be bytes" % s.python_type_name(data))
            data = bytes(data)
        try:
            type_id = _unpack_type_id(data, 4)[0]
        except _StructError:
            if not data:
                return None
            raise HzSerializationError(
                "cannot deserialize Data: %d bytes is shorter than the 8-byte header (%s)"
                % (len(data), bytes(data[:8]).hex())
            ) from None
        reader = self._fast_readers.get(type_id)
        if reader is not None:
            try:
                return reader(data)
            except Exception as e:
                raise _read_error(type_id, e) from e
        serializer = self._by_id.get(type_id)
        if serializer is None:
            raise self._unknown_type_id(type_id)
        try:
            return serializer.read(ObjectDataInput(data, 8, self))
        except SchemaNotFoundError:
            raise
        except Exception as e:
            raise _read_error(type_id, e) from e

    # -- nested objects (used by ObjectDataOutput/Input) -------------------------------

    def write_object(self, out: ObjectDataOutput, obj: Any) -> None:
        """int32 type id + payload; ``None`` is type id 0 with no payload."""
        if type(obj) is Typed:
            self._write_typed(out, obj, None)
            return
        serializer = self.serializer_for(obj)
        out.write_int(serializer.get_type_id())
        serializer.write(out, obj)

    def read_object(self, inp: ObjectDataInput) -> Any:
        """Returns the nested object read from ``inp`` (a type id, then its payload). Raises
        HzSerializationError for an unknown type id or a payload its serializer cannot read."""
        type_id = inp.read_int()
        serializer = self._by_id.get(type_id)
        if serializer is None:
            raise self._unknown_type_id(type_id, "nested object")
        try:
            return serializer.read(inp)
        except SchemaNotFoundError:
            raise
        except Exception as e:
            raise _read_error(type_id, e, "nested object") from e

    def _unknown_type_id(self, type_id: int, what: str = "Data") -> HzSerializationError:
        if type_id > 0:
            why = "no custom or global serializer is registered for it"
        else:
            why = "hzgreen has no serializer for it"
        return HzSerializationError("cannot deserialize %s with type id %s: %s" % (what, c.type_id_name(type_id), why))

    # -- streams ----------------------------------------------------------------------

    def new_output(self) -> ObjectDataOutput:
        """An empty output whose ``write_object`` uses this service."""
        return ObjectDataOutput(self)

    def new_input(self, buf: BytesLike, offset: int = 0) -> ObjectDataInput:
        """An input over ``buf`` whose ``read_object`` uses this service."""
        return ObjectDataInput(buf, offset, self)

    def destroy(self) -> None:
        """Calls ``destroy()`` once on every registered serializer that has one; returns None."""
        seen: Set[int] = set()
        for serializer in list(self._by_id.values()):
            if id(serializer) not in seen:
                seen.add(id(serializer))
                destroy = getattr(serializer, "destroy", None)
                if callable(destroy):
                    destroy()


#: Where a serializer for an object that is not an int is looked for, in the official
#: priority order. Functions taking the service, not bound methods kept on it: those would
#: hold the service in a reference cycle of its own.
_LOOKUP_CHAIN = (
    SerializationService._lookup_identified,
    SerializationService._lookup_portable,
    SerializationService._lookup_compact,
    SerializationService._lookup_builtin,
    SerializationService._lookup_custom,
    SerializationService._lookup_global,
    SerializationService._lookup_java_collection,
    SerializationService._lookup_pickle,
)
