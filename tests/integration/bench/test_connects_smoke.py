"""benchmarks.connects_driver times real connects (the process benchmarks.connects runs per
revision); no timing is asserted, only that each measure is there and positive."""

from benchmarks.connects_driver import time_connects


def test_the_driver_times_construct_and_start(hz_cluster, hz_handler_name):
    row = time_connects(hz_handler_name, hz_cluster.addresses, hz_cluster.cluster_name, count=2, warmup=1)
    assert set(row) == {"construct_cpu_ms", "start_cpu_ms", "wall_ms"}
    assert all(value > 0 for value in row.values())
    assert row["wall_ms"] >= row["construct_cpu_ms"]
