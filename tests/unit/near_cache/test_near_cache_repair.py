"""Metadata repair: sequence gaps, uuid changes and fetched metadata condemn a partition's records."""

import uuid

from hzgreen.near_cache.repair import RepairingHandler

A, B = uuid.uuid4(), uuid.uuid4()


def initialised(sequence=5):
    handler = RepairingHandler(4)
    handler.on_metadata([(0, A), (1, A)], [(0, sequence), (1, 0)])
    return handler


def test_unknown_partitions_are_stale_until_metadata_arrives():
    handler = RepairingHandler(2)
    assert handler.is_stale(0, None, 0)
    handler.on_metadata([(0, A)], [(0, 5)])
    assert handler.misses == 0  # initialisation is not a miss
    assert handler.current(0) == (A, 5)
    assert not handler.is_stale(0, A, 5)
    assert handler.is_stale(1, None, 0)
    assert handler.is_stale(9, A, 5)  # a partition out of range


def test_consecutive_events_keep_records_fresh():
    handler = initialised()
    for sequence in (6, 7, 8):
        handler.on_invalidation(0, A, sequence)
    assert handler.current(0) == (A, 8) and handler.misses == 0
    assert not handler.is_stale(0, A, 5)
    handler.on_invalidation(0, A, 7)  # late duplicate: ignored
    assert handler.current(0) == (A, 8)


def test_a_sequence_gap_condemns_older_records_of_that_partition_only():
    handler = initialised()
    handler.on_invalidation(0, A, 9)  # 6, 7, 8 were lost
    assert handler.misses == 3
    assert handler.is_stale(0, A, 5) and handler.is_stale(0, A, 8)
    assert not handler.is_stale(0, A, 9)  # reserved after the gap was seen
    assert not handler.is_stale(1, A, 0)


def test_a_new_partition_uuid_condemns_every_record_of_the_partition():
    handler = initialised()
    handler.on_invalidation(0, B, 1)
    assert handler.current(0) == (B, 1)
    assert handler.is_stale(0, A, 5) and not handler.is_stale(0, B, 1)
    handler.on_metadata([(1, B)], [])
    assert handler.is_stale(1, A, 0)


def test_fetched_sequence_ahead_is_a_miss():
    handler = initialised()
    handler.on_metadata([(0, A)], [(0, 5)])  # nothing new
    assert handler.misses == 0 and not handler.is_stale(0, A, 5)
    handler.on_metadata([(0, A)], [(0, 7)])
    assert handler.misses == 2 and handler.is_stale(0, A, 5) and not handler.is_stale(0, A, 7)


def test_reset_and_resize():
    handler = initialised()
    handler.reset()
    assert handler.is_stale(0, A, 5)
    handler.resize(8)
    assert handler.current(7) == (None, 0)
