"""Three transform worker processes (two threading, one gevent) over 10,000 entries of a
journaled map on three members; one worker is SIGKILLed a third of the way through the
writes and one member two thirds of the way. Every entry must get its (right) result, no
event may be reported lost, and the events transformed more than once (at-least-once
delivery) are counted and reported.
"""

import collections
import os
import uuid

import pytest

from hzgreen import HzClient
from hzgreen.testing.waiting import wait_until
from tests.integration.recipes.recipe_faults.workers import Worker

pytestmark = [pytest.mark.slow]

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transform_worker.py")
ENTRIES = 10_000
CHUNK = 500
HANDLERS = ("threading", "threading", "gevent")
#: A journal that holds every event of the test (capacity is shared by the 271 partitions).
BIG_JOURNAL = (
    '<map name="bigjournal-*"><event-journal enabled="true"><capacity>2710000</capacity></event-journal></map>'
)


def _spawn(cluster, handler_name, source, result, name, calls_path):
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, WORKER, ",".join(cluster.addresses), cluster.cluster_name, handler_name]
        + [source, result, name, calls_path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return Worker(proc)


def test_every_entry_gets_its_result_through_a_worker_and_a_member_kill(hz_cluster_factory, tmp_path, capsys):
    cluster = hz_cluster_factory(members=3, extra_config_xml=BIG_JOURNAL)
    suffix = uuid.uuid4().hex[:8]
    source_name, result_name, name = "bigjournal-src-" + suffix, "results-" + suffix, "tf-" + suffix
    calls_paths = [str(tmp_path / ("calls-%d.txt" % i)) for i in range(len(HANDLERS))]
    workers = [
        _spawn(cluster, handler, source_name, result_name, name, path) for handler, path in zip(HANDLERS, calls_paths)
    ]
    client = HzClient(cluster_members=cluster.addresses, cluster_name=cluster.cluster_name)
    client.start(timeout=60)
    try:
        for worker in workers:
            worker.expect("started", 90)
        source, results = client.get_map(source_name), client.get_map(result_name)
        owners = client.get_map(name + ".__owners")  # the partitioner's claims: item -> owner token

        def all_three_hold_partitions():
            claims = dict(owners.entry_set())
            return len(claims) == client.partitions.partition_count and len(set(claims.values())) == len(workers)

        wait_until(client.handler, all_three_hold_partitions, 90, "the workers never split the partitions")

        def write(first, last):
            for start in range(first, last, CHUNK):
                client.retry(source.put_all, {i: i for i in range(start, min(last, start + CHUNK))})

        def results_reach(count):
            wait_until(client.handler, lambda: client.retry(results.size) >= count, 120, "stuck before %d" % count)

        # Each kill lands while the workers are busy with a burst written just before.
        write(0, ENTRIES // 2)
        results_reach(ENTRIES // 5)
        workers[0].kill()  # SIGKILL: no last checkpoint, no release; its lease runs out
        write(ENTRIES // 2, 3 * ENTRIES // 4)
        results_reach(3 * ENTRIES // 5)
        cluster.kill(2)
        write(3 * ENTRIES // 4, ENTRIES)

        def complete():
            return client.retry(results.size) == ENTRIES

        wait_until(client.handler, complete, 240, "the results never all arrived")
        for start in range(0, ENTRIES, 1000):
            keys = list(range(start, start + 1000))
            assert client.retry(results.get_all, keys) == {i: 2 * i for i in keys}
        stopped = []
        for worker in workers[1:]:
            worker.send("stop")
            stopped.append(worker.expect("stopped", 120))
            worker.finish(60)
    finally:
        for worker in workers:
            worker.kill()
        client.stop()
    calls = collections.Counter()
    for path in calls_paths:
        with open(path) as lines:
            calls.update(int(line) for line in lines if line.strip())
    assert set(calls) == set(range(ENTRIES))  # the function ran on every entry
    repeated = sum(count - 1 for count in calls.values() if count > 1)
    metrics = [record["metrics"] for record in stopped]
    assert all(record["failed"] is None for record in stopped), stopped
    assert all(m["lost"] == 0 and m["errors"] == 0 for m in metrics), metrics
    skipped = sum(m["duplicates"] for m in metrics)
    with capsys.disabled():
        print(
            "\ntransform faults: %d entries, %d function calls, %d repeated (at least once), "
            "%d replayed events skipped as duplicates by their markers; survivors: %r"
            % (ENTRIES, sum(calls.values()), repeated, skipped, metrics)
        )
