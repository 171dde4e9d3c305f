"""CheckpointStore against an in-memory map: claims raise the epoch, saves are
compare-and-set, and a worker whose partition was claimed by another finds out at its
next save instead of moving the new owner's progress backwards."""

import pytest

from hzgreen.streams.checkpoints import (
    NOTHING_PROCESSED,
    CheckpointConflictError,
    CheckpointStore,
    format_checkpoint,
)


class Done:
    def __init__(self, value):
        self.value = value

    def get(self, block=True, timeout=None):
        return self.value


class MemoryMap:
    """The four map calls the store makes; ``interfere(pid)`` runs before each compare-and-set."""

    def __init__(self):
        self.entries = {}
        self.interfere = None

    def get_all_async(self, keys):
        return Done({k: self.entries[k] for k in keys if k in self.entries})

    def put_if_absent_async(self, key, value):
        if self.interfere:
            self.interfere(key)
        previous = self.entries.get(key)
        if previous is None:
            self.entries[key] = value
        return Done(previous)

    def replace_if_same_async(self, key, old, new):
        if self.interfere:
            self.interfere(key)
        if self.entries.get(key) != old:
            return Done(False)
        self.entries[key] = new
        return Done(True)


def test_a_first_claim_starts_at_nothing_processed_and_saves_advance():
    shared = MemoryMap()
    store = CheckpointStore(shared, 5)
    assert store.claim([0, 1]) == {0: NOTHING_PROCESSED, 1: NOTHING_PROCESSED}
    assert store.save({0: 10, 1: 3, 2: 99}) == []  # partition 2 is not held: ignored
    assert shared.entries == {0: format_checkpoint(1, 10), 1: format_checkpoint(1, 3)}
    assert store.saved(0) == 10 and store.saved(2) is None


def test_a_takeover_raises_the_epoch_and_fences_the_old_owner():
    shared = MemoryMap()
    old, new = CheckpointStore(shared, 5), CheckpointStore(shared, 5)
    old.claim([7])
    old.save({7: 40})
    assert new.claim([7]) == {7: 40}  # resumes where the old owner last saved
    assert shared.entries[7] == format_checkpoint(2, 40)
    assert old.save({7: 55}) == [7]  # the old owner learns it lost the partition
    assert shared.entries[7] == format_checkpoint(2, 40)
    assert old.saved(7) is None
    assert new.save({7: 45}) == [] and shared.entries[7] == format_checkpoint(2, 45)


def test_a_claim_racing_another_retries_and_gives_up_when_it_never_settles():
    shared = MemoryMap()
    rival = CheckpointStore(shared, 5)
    store = CheckpointStore(shared, 5)
    raced = []

    def once(key):  # the rival claims between our read and our compare-and-set, once
        if not raced:
            raced.append(key)
            shared.interfere = None
            rival.claim([key])
            shared.interfere = once

    shared.interfere = once
    assert store.claim([3]) == {3: NOTHING_PROCESSED}
    assert shared.entries[3] == format_checkpoint(2, NOTHING_PROCESSED)

    def always(key):
        shared.entries[key] = format_checkpoint(int(shared.entries.get(key, "0:0").split(":")[0]) + 1, 0)

    shared.interfere = always
    with pytest.raises(CheckpointConflictError, match="kept changing"):
        store.claim([4])
