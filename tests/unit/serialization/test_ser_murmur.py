"""MurmurHash3 and partition routing vectors (NOTES.md §11.2)."""

import os
import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import (
    DEFAULT_SEED,
    SerializationService,
    hash_to_index,
    murmur3_x86_32,
    partition_hash,
    partition_id,
)


def reference_murmur(data: bytes, seed: int) -> int:
    """Straightforward textbook MurmurHash3 x86 32, to cross-check the fast one."""

    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF

    h = seed
    n = len(data) // 4
    for i in range(n):
        k = int.from_bytes(data[4 * i : 4 * i + 4], "little")
        k = (k * 0xCC9E2D51) & 0xFFFFFFFF
        k = rotl(k, 15)
        k = (k * 0x1B873593) & 0xFFFFFFFF
        h ^= k
        h = rotl(h, 13)
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = data[4 * n :]
    k = 0
    for i, b in enumerate(tail):
        k |= b << (8 * i)
    if tail:
        k = (k * 0xCC9E2D51) & 0xFFFFFFFF
        k = rotl(k, 15)
        k = (k * 0x1B873593) & 0xFFFFFFFF
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h - (1 << 32) if h >= 1 << 31 else h


@pytest.mark.parametrize(
    "key, expected, partition",
    [
        ("key-1", 1228513025, 107),
        ("key-2", 1503416236, 105),
        ("key-4", -914632498, 181),
        ("", -1585187909, 238),
        ("a", -1686100800, 46),
        ("abcd", -973615161, 236),
    ],
)
def test_java_vectors(key, expected, partition):
    raw = key.encode()
    assert murmur3_x86_32(raw) == expected
    assert murmur3_x86_32(raw, 0x01000193) == expected
    assert hash_to_index(expected, 271) == partition


def test_default_seed():
    assert DEFAULT_SEED == 0x01000193


@pytest.mark.parametrize("length", list(range(0, 40)) + [255, 256, 257, 260, 1000])
def test_matches_reference_for_all_tail_lengths(length):
    data = os.urandom(length)
    for seed in (0, DEFAULT_SEED, 0xFFFFFFFF):
        assert murmur3_x86_32(data, seed) == reference_murmur(data, seed)


def test_offset_hashes_suffix_without_copy():
    data = os.urandom(37)
    for offset in (0, 1, 8, 36, 37):
        assert murmur3_x86_32(data, DEFAULT_SEED, offset) == reference_murmur(data[offset:], DEFAULT_SEED)


def test_accepts_bytes_like():
    raw = b"key-1"
    assert murmur3_x86_32(bytearray(raw)) == 1228513025
    assert murmur3_x86_32(memoryview(raw)) == 1228513025


def test_result_is_signed_int32():
    for _ in range(200):
        h = murmur3_x86_32(os.urandom(12))
        assert -(2**31) <= h < 2**31


@pytest.mark.parametrize(
    "obj, blob_hex, hash_value, partition",
    [
        ("key1", "00000000fffffff5000000046b657931", 1754812034, 43),
        (54, "00000000fffffff900000036", 641663468, 237),
        (1, "00000000fffffff900000001", 768969306, 31),
    ],
)
def test_whole_data_vectors(obj, blob_hex, hash_value, partition):
    service = SerializationService()
    data = service.to_data(obj)
    assert data == bytes.fromhex(blob_hex)
    assert partition_hash(data) == hash_value
    assert partition_id(data, 271) == partition


def test_long_one_vector():
    data = SerializationService(default_int_type="LONG").to_data(1)
    assert data == bytes.fromhex("00000000fffffff80000000000000001")
    assert partition_hash(data) == 1824103549
    assert partition_id(data, 271) == 110


def test_string_k_partition():
    assert partition_id(SerializationService().to_data("k"), 271) == 41


def test_stored_partition_hash_wins():
    payload = bytes.fromhex("fffffff900000036")
    blob = struct.pack(">i", 12345) + payload
    assert partition_hash(blob) == 12345
    assert partition_id(blob, 271) == 12345 % 271
    negative = struct.pack(">i", -12345) + payload
    assert partition_id(negative, 271) == 12345 % 271


def test_integer_min_value_maps_to_partition_zero():
    assert hash_to_index(-(2**31), 271) == 0
    # a naive abs(h) % n would give 245
    assert abs(-(2**31)) % 271 == 245
    blob = struct.pack(">i", -(2**31)) + bytes.fromhex("fffffff900000001")
    assert partition_hash(blob) == -(2**31)
    assert partition_id(blob, 271) == 0


def test_hash_to_index_negative_and_positive():
    assert hash_to_index(-914632498, 271) == 181
    assert hash_to_index(2**31 - 1, 271) == (2**31 - 1) % 271
    assert hash_to_index(0, 271) == 0


def test_empty_payload_hash():
    blob = bytes.fromhex("0000000000000000")
    assert partition_hash(blob) == -1585187909


@pytest.mark.parametrize("blob", [b"", b"\x00", b"\x00\x00\x00\x00\xff\xff"])
def test_short_blob_raises(blob):
    with pytest.raises(HzSerializationError, match="8-byte header"):
        partition_hash(blob)
    with pytest.raises(HzSerializationError):
        partition_id(blob, 271)
