"""PartitionService: the partition table a member's view event carries."""

import uuid

from hzgreen.runtime.cluster import PartitionService

A, B = uuid.UUID(int=1), uuid.UUID(int=2)
CONNECTION, OTHER = object(), object()


def service(count=6):
    partitions = PartitionService()
    partitions.partition_count = count
    return partitions


def test_a_view_names_the_owner_of_every_partition_and_unlisted_ones_have_none():
    partitions = service()
    partitions.handle_partitions_view(CONNECTION, 1, [(A, [0, 2, 4]), (B, [1, 3])])
    assert [partitions.owner_of(pid) for pid in range(6)] == [A, B, A, B, A, None]
    assert partitions.owner_of(-1) is None and partitions.owner_of(6) is None


def test_ids_out_of_range_are_ignored_and_the_last_member_naming_a_partition_owns_it():
    partitions = service(3)
    partitions.handle_partitions_view(CONNECTION, 1, [(A, [-1, 0, 1, 3, 99]), (B, [1])])
    assert partitions._owners == [A, B, None]


def test_an_older_view_from_the_same_connection_is_ignored_and_another_connection_is_believed():
    partitions = service(2)
    partitions.handle_partitions_view(CONNECTION, 5, [(A, [0, 1])])
    partitions.handle_partitions_view(CONNECTION, 4, [(B, [0, 1])])
    partitions.handle_partitions_view(CONNECTION, 5, [(B, [0, 1])])
    assert partitions.owner_of(0) == A
    partitions.handle_partitions_view(OTHER, 1, [(B, [0, 1])])
    assert partitions.owner_of(0) == B
    partitions.handle_partitions_view(OTHER, 2, [])  # an empty view changes nothing
    assert partitions.owner_of(1) == B
