"""The Compact serializer (type id -55): schema registry, replication hook, GenericRecord.

Payload: int64 schema id, then the object's data (see writer.py). The schema itself
is not in the data: a writer must put it on the cluster before the data (so members
and other clients can read it), and a reader that does not know a schema id must
fetch it. This layer does no I/O; the runtime plugs two things in:

* ``schema_hook(schema)``: called (in the writing thread or greenlet) the first time
  a schema is used by this client; it must return once the cluster has the schema,
  or raise. Without a hook (a standalone SerializationService) schemas stay local.
* reading an unknown schema id raises :class:`SchemaNotFoundError` (carrying the id);
  the runtime fetches the schema, calls :meth:`CompactStreamSerializer.register_schema`
  and reads again.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Optional, Set

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.api import CompactSerializerLike
from hzgreen.serialization.compact.generic import GenericRecord, read_generic, write_generic
from hzgreen.serialization.compact.reader import DefaultCompactReader
from hzgreen.serialization.compact.schema import Schema
from hzgreen.serialization.compact.writer import DefaultCompactWriter, SchemaWriter
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.serializers import BuiltinSerializer, python_type_name


class SchemaNotFoundError(HzSerializationError):
    """Compact data refers to a schema id this client does not know (yet)."""

    def __init__(self, schema_id: int, detail: str = "") -> None:
        self.schema_id = schema_id
        super().__init__(
            "cannot deserialize Compact data (type id -55): schema id %d is unknown to this client%s"
            % (schema_id, detail or "; it is fetched from the cluster when the data comes from a member")
        )


class SchemaNotReplicatedError(HzSerializationError):
    """The schema of an object could not be put on the cluster, so its data was not sent."""

    def __init__(self, schema: Schema, cause: BaseException) -> None:
        self.schema = schema
        super().__init__(
            "cannot send Compact data of type %r: its schema (id %d) could not be sent to the "
            "cluster: %s" % (schema.type_name, schema.schema_id, cause)
        )


def validate_compact_serializers(serializers: Optional[Iterable[Any]]) -> List[CompactSerializerLike]:
    """Check the ``compact_serializers`` option; returns its serializers as a list.

    :raises TypeError: if it is not a list of instances with read/write/get_class/get_type_name,
        or a ``get_class()`` is not a class.
    :raises ValueError: if a ``get_type_name()`` is not a non-empty str.
    """
    if serializers is None:
        return []
    if isinstance(serializers, (str, bytes)) or not hasattr(serializers, "__iter__"):
        raise TypeError("compact_serializers must be a list of CompactSerializer instances, got %r" % (serializers,))
    result: List[CompactSerializerLike] = []
    for serializer in serializers:
        if isinstance(serializer, type):
            raise TypeError("compact_serializers takes instances, got the class %s" % serializer.__name__)
        for method in ("read", "write", "get_class", "get_type_name"):
            if not callable(getattr(serializer, method, None)):
                raise TypeError("compact_serializers: %r has no %s() method" % (serializer, method))
        clazz = serializer.get_class()
        if not isinstance(clazz, type):
            raise TypeError("compact_serializers: %r.get_class() must return a class, got %r" % (serializer, clazz))
        type_name = serializer.get_type_name()
        if not isinstance(type_name, str) or not type_name:
            raise ValueError(
                "compact_serializers: %r.get_type_name() must return a non-empty str, got %r" % (serializer, type_name)
            )
        result.append(serializer)
    return result


class CompactStreamSerializer(BuiltinSerializer):
    type_id = c.TYPE_COMPACT

    def __init__(self, serializers: Iterable[CompactSerializerLike] = ()) -> None:
        self._by_class: Dict[type, CompactSerializerLike] = {}
        self._by_type_name: Dict[str, CompactSerializerLike] = {}
        for serializer in serializers:
            clazz, type_name = serializer.get_class(), serializer.get_type_name()
            if clazz in self._by_class:
                raise ValueError("compact_serializers has two serializers for class %s" % python_type_name(clazz))
            if type_name in self._by_type_name:
                raise ValueError("compact_serializers has two serializers for type name %r" % type_name)
            self._by_class[clazz] = serializer
            self._by_type_name[type_name] = serializer
        self._schemas: Dict[int, Schema] = {}
        self._class_schemas: Dict[type, Schema] = {}
        self._replicated: Set[int] = set()
        #: ``hook(schema)`` puts a schema on the cluster (installed by the runtime).
        self.schema_hook: Optional[Callable[[Schema], None]] = None

    # -- registry --------------------------------------------------------------------

    def handles(self, obj_type: type) -> bool:
        return obj_type in self._by_class or obj_type is GenericRecord

    def registered_classes(self) -> List[type]:
        return list(self._by_class)

    def register_schema(self, schema: Schema) -> None:
        """Make a schema known for reading (e.g. one fetched from the cluster)."""
        existing = self._schemas.setdefault(schema.schema_id, schema)
        if existing is not schema and existing != schema:
            raise HzSerializationError(
                "two different schemas share the id %d: %r and %r" % (schema.schema_id, existing, schema)
            )

    def get_schema(self, schema_id: int) -> Optional[Schema]:
        return self._schemas.get(schema_id)

    def schemas(self) -> List[Schema]:
        """Every schema this client knows (what is re-sent to a new cluster)."""
        return list(self._schemas.values())

    def forget_replication(self) -> None:
        """The cluster changed: every schema must be put on it again before use."""
        self._replicated.clear()

    def mark_replicated(self, schema_id: int) -> None:
        self._replicated.add(schema_id)

    def is_replicated(self, schema_id: int) -> bool:
        return schema_id in self._replicated

    def _schema_of(self, obj: Any) -> Schema:
        clazz = type(obj)
        schema = self._class_schemas.get(clazz)
        if schema is None:
            serializer = self._by_class[clazz]
            recorder = SchemaWriter(serializer.get_type_name())
            serializer.write(recorder, obj)
            schema = recorder.build()
            self.register_schema(schema)
            self._class_schemas[clazz] = schema
        return schema

    def _ensure_replicated(self, schema: Schema) -> None:
        if schema.schema_id in self._replicated:
            return
        self.register_schema(schema)
        hook = self.schema_hook
        if hook is not None:
            try:
                hook(schema)
            except HzSerializationError:
                raise
            except Exception as e:
                raise SchemaNotReplicatedError(schema, e) from e
        self._replicated.add(schema.schema_id)

    # -- stream serializer -------------------------------------------------------------

    def write(self, out: ObjectDataOutput, obj: Any) -> None:
        if type(obj) is GenericRecord:
            schema = obj.schema
            self._ensure_replicated(schema)
            out.write_long(schema.schema_id)
            writer = DefaultCompactWriter(self, out, schema)
            write_generic(writer, obj)
        else:
            serializer = self._by_class.get(type(obj))
            if serializer is None:
                raise HzSerializationError(
                    "no Compact serializer is registered for class %s (compact_serializers)" % python_type_name(obj)
                )
            schema = self._schema_of(obj)
            self._ensure_replicated(schema)
            out.write_long(schema.schema_id)
            writer = DefaultCompactWriter(self, out, schema)
            serializer.write(writer, obj)
        writer.end()

    def read(self, inp: ObjectDataInput) -> Any:
        schema_id = inp.read_long()
        schema = self._schemas.get(schema_id)
        if schema is None:
            raise SchemaNotFoundError(schema_id)
        reader = DefaultCompactReader(self, inp, schema)
        serializer = self._by_type_name.get(schema.type_name)
        if serializer is None:
            return read_generic(reader)
        try:
            return serializer.read(reader)
        except SchemaNotFoundError:
            raise
        except HzSerializationError as e:
            raise HzSerializationError(
                "%s.read (Compact type %r): %s" % (type(serializer).__name__, schema.type_name, e)
            ) from None
