"""Compact serialization (type id -55): schemas, readers, writers, GenericRecord."""

from hzgreen.serialization.compact.generic import GenericRecord
from hzgreen.serialization.compact.schema import FieldDescriptor, FieldKind, Schema
from hzgreen.serialization.compact.serializer import (
    CompactStreamSerializer,
    SchemaNotFoundError,
    SchemaNotReplicatedError,
)

__all__ = [
    "CompactStreamSerializer",
    "FieldDescriptor",
    "FieldKind",
    "GenericRecord",
    "Schema",
    "SchemaNotFoundError",
    "SchemaNotReplicatedError",
]
