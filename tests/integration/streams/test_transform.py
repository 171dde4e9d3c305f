"""client.Transform on the shared member: results, markers, checkpoints, resuming, duplicates,
losses and sharing the partitions between workers, under both handlers."""

import uuid

import pytest

from hzgreen.streams.batch import parse_marker
from hzgreen.streams.checkpoints import format_checkpoint, parse_checkpoint
from hzgreen.testing.waiting import wait_until


@pytest.fixture
def names():
    suffix = uuid.uuid4().hex[:10]
    return "journal-src-" + suffix, "results-" + suffix, "tf-" + suffix


def _double(key, value):
    return value * 2


def _wait_for_results(client, result_map, expected, what="the results never all arrived"):
    wait_until(client.handler, lambda: result_map.get_all(list(expected)) == expected, 60, what, interval=0.1)


def _fast(**options):
    options.setdefault("time_boundary", 0.2)
    options.setdefault("checkpoint_interval", 0.2)
    options.setdefault("lease", 5)
    return options


def test_every_entry_gets_its_result_with_a_source_marker(hz_client, names):
    source_name, result_name, name = names
    source, results = hz_client.get_map(source_name), hz_client.get_map(result_name)
    with hz_client.Transform(source_name, result_name, _double, name, **_fast()) as transform:
        assert transform.wait_for_acquire(30)
        assert len(transform.partitions) == hz_client.partitions.partition_count
        source.put_all({i: i for i in range(200)})
        _wait_for_results(hz_client, results, {i: 2 * i for i in range(200)})
        markers = hz_client.get_map(name + ".__sources").get_all(list(range(200)))
        for key, marker in markers.items():
            partition_id, sequence = parse_marker(marker)
            assert partition_id == source.partition_id_of(key)
            assert sequence >= 0
        wait_until(hz_client.handler, lambda: sum(transform.lag().values()) == 0, 30, "the lag never reached 0")
    assert not transform.running
    metrics = transform.metrics()  # final once closed: a result is visible before its batch is counted
    assert metrics.processed == 200 and metrics.written == 200 and metrics.duplicates == 0
    checkpoints = hz_client.get_map(name + ".__checkpoints")
    stored = {pid: parse_checkpoint(value) for pid, value in checkpoints.entry_set()}
    assert len(stored) == hz_client.partitions.partition_count
    for key in range(200):
        pid = source.partition_id_of(key)
        newest = source.subscribe_to_event_journal(pid).newest_sequence
        assert stored[pid][1] == newest + 1


def test_a_restarted_worker_resumes_at_its_checkpoint(hz_client, names):
    source_name, result_name, name = names
    source, results = hz_client.get_map(source_name), hz_client.get_map(result_name)
    with hz_client.Transform(source_name, result_name, _double, name, **_fast()) as first:
        source.put_all({i: i for i in range(50)})
        _wait_for_results(hz_client, results, {i: 2 * i for i in range(50)})
    source.put_all({i: i for i in range(50, 100)})
    with hz_client.Transform(source_name, result_name, _double, name, **_fast()) as second:
        _wait_for_results(hz_client, results, {i: 2 * i for i in range(100)})
    metrics = second.metrics()  # read once closed: the last batch is counted after its results show
    assert first.metrics().processed == 50
    assert metrics.processed == 50 and metrics.duplicates == 0 and metrics.lost == 0


def test_replayed_events_already_applied_are_counted_as_duplicates(hz_client, names):
    """A worker that died after writing results but before its checkpoint: the next one
    replays those events and skips them by their source markers, without calling func."""
    source_name, result_name, name = names
    source, results = hz_client.get_map(source_name), hz_client.get_map(result_name)
    with hz_client.Transform(source_name, result_name, _double, name, **_fast()):
        source.put_all({i: i for i in range(40)})
        _wait_for_results(hz_client, results, {i: 2 * i for i in range(40)})
    checkpoints = hz_client.get_map(name + ".__checkpoints")
    for pid, value in checkpoints.entry_set():  # back to before anything was processed
        epoch, _ = parse_checkpoint(value)
        oldest = source.subscribe_to_event_journal(pid).oldest_sequence
        checkpoints.set(pid, format_checkpoint(epoch, oldest))
    calls = []

    def counting(key, value):
        calls.append(key)
        return value * 2

    source.put(99, 99)
    with hz_client.Transform(source_name, result_name, counting, name, **_fast()) as replay:
        _wait_for_results(hz_client, results, {99: 198})
        wait_until(hz_client.handler, lambda: replay.metrics().duplicates == 40, 30, "the replay never finished")
    assert calls == [99]
    assert replay.metrics().processed == 1


def test_a_second_worker_rebalances_and_the_first_takes_over_again(hz_client_factory, names):
    source_name, result_name, name = names
    one, two = hz_client_factory(), hz_client_factory()
    count = one.partitions.partition_count
    first = one.Transform(source_name, result_name, _double, name, **_fast()).start()
    second = two.Transform(source_name, result_name, _double, name, **_fast())
    try:
        wait_until(one.handler, lambda: len(first.partitions) == count, 60, "the first worker never took them all")
        second.start()
        wait_until(
            one.handler,
            lambda: len(first.partitions) + len(second.partitions) == count and first.partitions and second.partitions,
            60,
            "the workers never split the partitions",
        )
        assert not set(first.partitions) & set(second.partitions)
        source, results = one.get_map(source_name), one.get_map(result_name)
        source.put_all({i: i for i in range(300)})
        _wait_for_results(one, results, {i: 2 * i for i in range(300)})
        second.close()
        wait_until(one.handler, lambda: len(first.partitions) == count, 60, "the survivor never took every partition")
        source.put_all({i: i for i in range(300, 400)})
        _wait_for_results(one, results, {i: 2 * i for i in range(400)})
        first.close()  # its last batch is counted once its writes are acknowledged
        assert first.metrics().processed + second.metrics().processed == 400
    finally:
        first.close()
        second.close()


def test_events_overwritten_before_they_were_read_are_reported(hz_client, names):
    source_name, result_name, name = names
    source = hz_client.get_map(source_name)
    with hz_client.Transform(source_name, result_name, _double, name, **_fast()) as first:
        assert first.wait_for_acquire(30)  # every partition is checkpointed at its start on close
    pid = source.partition_id_of("hot")
    capacity = 10000 // hz_client.partitions.partition_count + 1
    for i in range(capacity + 20):  # more than the partition's journal holds
        source.set("hot", i)
    reports = []
    reported = hz_client.handler.event_object()

    def on_lost(partition_id, count, from_sequence):
        reports.append((partition_id, count, from_sequence))
        reported.set()

    with hz_client.Transform(source_name, result_name, _double, name, on_lost=on_lost, **_fast()) as transform:
        assert reported.wait(30)
        wait_until(
            hz_client.handler,
            lambda: hz_client.get_map(result_name).get("hot") == 2 * (capacity + 19),
            30,
            "the newest value never arrived",
        )
    [(partition_id, count, from_sequence)] = reports
    assert partition_id == pid and count >= 20
    assert transform.metrics().lost == count


def test_removals_delete_results_when_asked_and_none_writes_nothing(hz_client, names):
    source_name, result_name, name = names
    source, results = hz_client.get_map(source_name), hz_client.get_map(result_name)

    def evens_only(key, value):
        return value if value % 2 == 0 else None

    options = _fast(delete_on_remove=True)
    with hz_client.Transform(source_name, result_name, evens_only, name, **options) as transform:
        source.put_all({i: i for i in range(10)})
        _wait_for_results(hz_client, results, {i: i for i in range(0, 10, 2)})
        source.remove(4)
        wait_until(hz_client.handler, lambda: not results.contains_key(4), 30, "the removal never reached the result")
        assert results.size() == 4
    assert transform.metrics().skipped == 5
