"""Serialization: Python objects <-> Hazelcast ``Data`` blobs, and partition hashing.

Data blobs are plain ``bytes``: int32 BE partition hash, int32 BE type id, payload.
This layer is protocol-free and imports only the standard library and
:mod:`hzgreen.exceptions`.
"""

from hzgreen.serialization.api import StreamSerializer
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
from hzgreen.serialization.service import SerializationService

__all__ = [
    "DEFAULT_SEED",
    "HazelcastJsonValue",
    "ObjectDataInput",
    "ObjectDataOutput",
    "SerializationService",
    "StreamSerializer",
    "hash_to_index",
    "murmur3_x86_32",
    "partition_hash",
    "partition_id",
]
