"""Serialization: Python objects <-> Hazelcast ``Data`` blobs, and partition hashing.

Data blobs are plain ``bytes``: int32 BE partition hash, int32 BE type id, payload.
This layer is protocol-free and imports only the standard library and
:mod:`hzgreen.exceptions`. The user-facing interfaces live in
:mod:`hzgreen.serialization.api`; see ``docs/serialization.rst`` for the Python ↔ Java
type table.
"""

from hzgreen.serialization.api import (
    CompactReader,
    CompactSerializer,
    CompactWriter,
    IdentifiedDataSerializable,
    Portable,
    PortableReader,
    PortableWriter,
    StreamSerializer,
    VersionedPortable,
)
from hzgreen.serialization.compact import FieldKind, GenericRecord, SchemaNotFoundError
from hzgreen.serialization.hints import JavaType, Typed, typed
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.json_value import HazelcastJsonValue
from hzgreen.serialization.murmur import (
    DEFAULT_SEED,
    hash_to_index,
    murmur3_x86_32,
    partition_hash,
    partition_id,
)
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.portable import ClassDefinition, ClassDefinitionBuilder, FieldType
from hzgreen.serialization.service import SerializationService

__all__ = [
    "ClassDefinition",
    "ClassDefinitionBuilder",
    "CompactReader",
    "CompactSerializer",
    "CompactWriter",
    "DEFAULT_SEED",
    "FieldKind",
    "FieldType",
    "GenericRecord",
    "HazelcastJsonValue",
    "IdentifiedDataSerializable",
    "JavaType",
    "ObjectDataInput",
    "ObjectDataOutput",
    "Portable",
    "PortableReader",
    "PortableWriter",
    "SchemaNotFoundError",
    "SerializationService",
    "StreamSerializer",
    "Typed",
    "VersionedPortable",
    "hash_to_index",
    "murmur3_x86_32",
    "partition_hash",
    "partition_id",
    "typed",
]
