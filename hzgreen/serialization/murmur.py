"""MurmurHash3 (x86, 32-bit) and Hazelcast partition routing for serialized Data.

A member places a key in partition ``hash_to_index(partition_hash(data), count)``.
The hash is the int32 stored at offset 0 of the Data blob when it is non-zero,
otherwise MurmurHash3 x86 32-bit with seed ``0x01000193`` over the bytes after the
8-byte header. Blocks are read little-endian and the result is a signed int32, as in
Java's ``HashUtil.MurmurHash3_x86_32``.

Everything here runs for every keyed operation, so the code is written for CPython
speed: all 4-byte blocks are unpacked by one ``struct`` call, masks are applied only
where the next step needs a clean 32-bit value, and constants stay inline.
"""

from __future__ import annotations

import struct

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.data import BytesLike, UnpackFrom

__all__ = [
    "DEFAULT_SEED",
    "murmur3_x86_32",
    "partition_hash",
    "partition_id",
    "hash_to_index",
]

#: Seed Hazelcast uses for partition hashes.
DEFAULT_SEED = 0x01000193

_INT_MIN = -0x80000000
_unpack_from = struct.unpack_from
_unpack_be_int: UnpackFrom[int] = struct.Struct(">i").unpack_from
_from_bytes = int.from_bytes
# Pre-built formats for keys up to 256 bytes; longer keys build theirs on the fly.
_BLOCK_FORMATS = tuple("<%dI" % n for n in range(65))


def murmur3_x86_32(data: BytesLike, seed: int = DEFAULT_SEED, offset: int = 0) -> int:
    """MurmurHash3 x86 32-bit of ``data[offset:]`` as a signed int32.

    ``data`` is any bytes-like object; ``offset`` lets callers hash the payload of
    a Data blob (``offset=8``) without copying it.
    """
    length = len(data) - offset
    if length < 0:
        raise ValueError("offset %d is past the end of %d bytes" % (offset, len(data)))
    nblocks = length >> 2
    h = seed & 0xFFFFFFFF
    if nblocks:
        fmt = _BLOCK_FORMATS[nblocks] if nblocks < 65 else "<%dI" % nblocks
        for k in _unpack_from(fmt, data, offset):
            # k *= c1; k = rotl32(k, 15); k *= c2; h ^= k.  Bits that k << 15 pushes
            # past bit 31 only reach bits >= 32 of the product, which the mask drops.
            k = (k * 0xCC9E2D51) & 0xFFFFFFFF
            h ^= ((k << 15 | k >> 17) * 0x1B873593) & 0xFFFFFFFF
            # h = rotl32(h, 13) * 5 + 0xe6546b64 (same reasoning for the mask).
            h = ((h << 13 | h >> 19) * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = length & 3
    if tail:
        start = offset + length - tail
        k = (_from_bytes(data[start : start + tail], "little") * 0xCC9E2D51) & 0xFFFFFFFF
        h ^= ((k << 15 | k >> 17) * 0x1B873593) & 0xFFFFFFFF
    # Finalisation (fmix32).
    h ^= length
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h - 0x100000000 if h & 0x80000000 else h


def partition_hash(data: BytesLike) -> int:
    """Partition hash of a serialized Data blob (signed int32).

    The stored hash at offset 0 wins when it is non-zero; otherwise the payload
    (everything after the 8-byte header) is hashed with :func:`murmur3_x86_32`.
    """
    try:
        stored = _unpack_be_int(data, 0)[0]
    except struct.error:
        raise HzSerializationError(
            "cannot compute the partition hash of a %d-byte Data blob: a Data blob has an 8-byte header" % len(data)
        ) from None
    if stored:
        return stored
    if len(data) < 8:
        raise HzSerializationError(
            "cannot compute the partition hash of a %d-byte Data blob: a Data blob has an 8-byte header" % len(data)
        )
    return murmur3_x86_32(data, DEFAULT_SEED, 8)


def hash_to_index(hash_value: int, partition_count: int) -> int:
    """Java ``HashUtil.hashToIndex``: ``Integer.MIN_VALUE`` maps to 0, else ``abs(h) % n``."""
    if hash_value == _INT_MIN:
        return 0
    return abs(hash_value) % partition_count


def partition_id(data: BytesLike, partition_count: int) -> int:
    """Partition id of a serialized Data blob for a cluster of ``partition_count`` partitions."""
    try:
        h = _unpack_be_int(data, 0)[0]
    except struct.error:
        h = 0
    if not h:
        h = partition_hash(data) if len(data) < 8 else murmur3_x86_32(data, DEFAULT_SEED, 8)
    if h == _INT_MIN:
        return 0
    return abs(h) % partition_count
