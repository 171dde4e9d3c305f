"""client.Transform through the client's states and at scale in one process: a restarted
cluster (LOST, then CONNECTED to a new cluster) makes the worker join anew and go on, and
one process runs many transforms at once (one task each), under both handlers."""

import uuid

import pytest

from hzgreen.states import HzState
from hzgreen.testing.waiting import wait_until


def _double(key, value):
    return value * 2


@pytest.mark.fault
def test_after_lost_the_worker_joins_anew_and_goes_on(hz_cluster_factory, hz_client_factory):
    cluster = hz_cluster_factory(members=1)
    client = hz_client_factory(cluster=cluster, retry_initial_backoff=0.2, retry_max_backoff=1.0)
    states = []
    client.add_listener(states.append)
    suffix = uuid.uuid4().hex[:8]
    source_name, result_name = "journal-src-" + suffix, "results-" + suffix
    transform = client.Transform(
        source_name, result_name, _double, time_boundary=0.2, checkpoint_interval=0.2, lease=3
    ).start()
    try:
        assert transform.wait_for_acquire(30)
        client.get_map(source_name).put_all({i: i for i in range(20)})
        results = client.get_map(result_name)
        wait_until(client.handler, lambda: results.size() == 20, 30, "no results before the restart")
        cluster.restart(0)  # a new cluster: every map, journal and checkpoint is gone
        wait_until(
            client.handler,
            lambda: states[-1:] == [HzState.CONNECTED] and HzState.LOST in states,
            60,
            "the client never went LOST, then CONNECTED",
        )
        wait_until(
            client.handler,
            lambda: transform.partitions == list(range(client.partitions.partition_count)),
            60,
            "the worker never held the partitions again",
        )
        client.get_map(source_name).put_all({i: i for i in range(100, 120)})
        wait_until(
            client.handler,
            lambda: client.get_map(result_name).get_all(list(range(100, 120))) == {i: 2 * i for i in range(100, 120)},
            60,
            "no results after the restart",
        )
        assert transform.running and transform.exception is None
    finally:
        transform.close()


def test_one_process_runs_many_transforms(hz_client):
    suffix = uuid.uuid4().hex[:8]
    transforms = [
        hz_client.Transform(
            "journal-many-%d-%s" % (i, suffix),
            "results-many-%d-%s" % (i, suffix),
            lambda key, value, i=i: value + i,
            time_boundary=0.1,
        ).start()
        for i in range(6)
    ]
    try:
        for transform in transforms:
            assert transform.wait_for_acquire(60)
        for i in range(6):
            hz_client.get_map("journal-many-%d-%s" % (i, suffix)).put_all({k: k for k in range(30)})
        for i in range(6):
            results = hz_client.get_map("results-many-%d-%s" % (i, suffix))
            wait_until(
                hz_client.handler,
                lambda: results.get_all(list(range(30))) == {k: k + i for k in range(30)},
                60,
                "transform %d never finished" % i,
            )
        wait_until(
            hz_client.handler,
            lambda: [t.metrics().processed for t in transforms] == [30] * 6,
            30,
            "a batch was never counted after its results were written",
        )
    finally:
        for transform in transforms:
            transform.close()
