"""A Map's event journal against the session member (maps named "journal*" have one),
under each handler: subscribing, reading batches, waiting reads, and following every
partition with saved sequences."""

import pytest

from hzgreen.exceptions import HazelcastServerError
from hzgreen.proxy.event_journal import EventJournalMapEvent
from hzgreen.proxy.map_listeners import EntryEventType

WAIT = 30


@pytest.fixture
def journal_map(hz_client, unique_name):
    return hz_client.get_map("journal-" + unique_name)


def partition_of(client, key):
    return client.get_map("any").partition_id_of(key)


def test_subscribe_then_read_the_events_of_one_key(hz_client, journal_map):
    pid = partition_of(hz_client, "k")
    state = journal_map.subscribe_to_event_journal(pid)
    start = state.newest_sequence + 1
    journal_map.put("k", 1)
    journal_map.put("k", 2)
    journal_map.remove("k")
    batch = journal_map.read_from_event_journal(pid, start, 3, 100)
    events = [e for e in batch if e.key == "k"]
    assert [(e.event_type, e.new_value, e.old_value) for e in events] == [
        (EntryEventType.ADDED, 1, None),
        (EntryEventType.UPDATED, 2, 1),
        (EntryEventType.REMOVED, None, 2),
    ]
    assert all(isinstance(e, EventJournalMapEvent) and e.partition_id == pid for e in events)
    assert batch.lost_count == 0
    assert batch.sequences == list(range(start, start + len(batch)))
    assert batch.next_sequence_to_read_from == start + batch.read_count
    after = journal_map.subscribe_to_event_journal_async(pid).result(WAIT)
    assert after.newest_sequence == batch.next_sequence_to_read_from - 1


def test_a_read_with_min_size_waits_for_events(hz_client, hz_handler, journal_map):
    pid = partition_of(hz_client, "w")
    start = journal_map.subscribe_to_event_journal(pid).newest_sequence + 1
    pending = journal_map.read_from_event_journal_async(pid, start, 1, 10)
    assert not pending.wait(0.5)  # nothing to read yet
    journal_map.set("w", "now")
    batch = pending.result(WAIT)
    assert [(e.key, e.new_value) for e in batch] == [("w", "now")]


def test_a_map_without_a_journal_is_refused(hz_client, unique_name):
    m = hz_client.get_map("plain-" + unique_name)
    with pytest.raises(HazelcastServerError):
        m.subscribe_to_event_journal(0)
    with pytest.raises(ValueError, match="partition_id"):
        m.read_from_event_journal(100000, 0, 0, 10)


def collect(handler, expected):
    """An ``on_event`` recording events (and whether it ran on the callback worker) and an
    event set once ``expected`` of them arrived."""
    got, done = [], handler.event_object()

    def on_event(event):
        got.append((event, handler.in_callback_worker()))
        if len(got) >= expected:
            done.set()

    return got, done, on_event


def test_a_follower_sees_every_partition_in_order_and_resumes(hz_client, hz_handler, journal_map):
    keys = ["key-%d" % i for i in range(60)]
    got, done, on_event = collect(hz_handler, 2 * len(keys))
    for key in keys:
        journal_map.put(key, 1)
    follower = journal_map.event_journal_reader(on_event, start="oldest", batch_size=7)
    for key in keys:
        journal_map.put(key, 2)
    assert done.wait(WAIT), "got %d events" % len(got)
    assert all(on_worker for _, on_worker in got)
    events = [e for e, _ in got]
    assert sorted((e.key, e.new_value) for e in events) == sorted([(k, 1) for k in keys] + [(k, 2) for k in keys])
    by_partition = {}
    for e in events:
        by_partition.setdefault(e.partition_id, []).append(e.sequence)
    assert all(seqs == sorted(seqs) for seqs in by_partition.values())
    assert len(by_partition) > 10
    follower.close()
    saved = follower.sequences
    assert sum(saved.values()) >= 2 * len(keys)

    journal_map.put("key-0", 3)
    journal_map.remove("key-1")
    later, later_done, on_later = collect(hz_handler, 2)
    resumed = journal_map.event_journal_reader(on_later, start=saved)
    try:
        assert later_done.wait(WAIT)
        assert sorted((e.key, e.event_type) for e, _ in later) == [
            ("key-0", EntryEventType.UPDATED),
            ("key-1", EntryEventType.REMOVED),
        ]
        assert resumed.lost_count == 0
    finally:
        resumed.close()


def test_a_follower_from_newest_skips_what_was_there(hz_client, hz_handler, journal_map):
    journal_map.put("old", 1)
    got, done, on_event = collect(hz_handler, 1)
    with journal_map.event_journal_reader(on_event, start="newest") as follower:
        journal_map.put("new", 2)
        assert done.wait(WAIT)
        assert [(e.key, e.new_value) for e, _ in got] == [("new", 2)]
        assert follower.delivered_count == 1


def test_a_follower_stops_with_its_client(hz_client_factory, hz_handler, unique_name):
    client = hz_client_factory()
    m = client.get_map("journal-" + unique_name)
    errors = []
    follower = m.event_journal_reader(print, on_error=lambda pid, error: errors.append(error))
    client.stop()
    deadline = hz_handler.monotonic() + WAIT
    while not follower.closed and hz_handler.monotonic() < deadline:
        hz_handler.sleep_func(0.05)
    assert follower.closed
    assert errors == []
