"""The benchmark harness's sums and tables for the fleets, the member's ceiling and the members'
CPU, and ``--merge``, from hand-made worker results (no member, no worker process)."""

import json
import os

import pytest

from benchmarks import report, run
from benchmarks.matrix import FLEETS, SCENARIOS, STATIC_ABSENT, THREE_MEMBER_SCENARIOS
from benchmarks.measure import MEMBER_PIDS_ENV, Meter, member_pids, process_cpu_seconds


def worker_result(contender, scenario, ops_per_s, **extra):
    result = {
        "contender": contender,
        "scenario": scenario,
        "ops": int(ops_per_s * 2),
        "elapsed_s": 2.0,
        "ops_per_s": ops_per_s,
        "p50_us": 10.0,
        "p99_us": 20.0,
        "cpu_us_per_op": 30.0,
        "rss_mib": 40.0,
        "latency_samples": int(ops_per_s * 2),
    }
    result.update(extra)
    return result


def test_every_fleet_runs_against_three_members_and_only_gevent_and_asyncio_run_it():
    for name in FLEETS:
        assert name in SCENARIOS and name in THREE_MEMBER_SCENARIOS
        for contender in ("hzgreen-threading", "official", "java"):
            assert (contender, name) in STATIC_ABSENT
        for contender in ("hzgreen-gevent", "official-asyncio"):
            assert (contender, name) not in STATIC_ABSENT
    assert [c for c in ("hzgreen-threading", "hzgreen-gevent", "official", "official-asyncio", "java") if
            (c, "member_ceiling") not in STATIC_ABSENT] == ["java"]  # fmt: skip


def test_fleet_sum_adds_rates_and_cpu_and_keeps_the_worst_tail():
    workers = [
        worker_result("hzgreen-gevent", "mixed_greenlets", 1000.0, p50_us=5.0, p99_us=50.0, member_cpu_us_per_op=30.0),
        worker_result("hzgreen-gevent", "mixed_greenlets", 3000.0, p50_us=7.0, p99_us=90.0, member_cpu_us_per_op=10.0),
    ]
    total = run._fleet_sum(workers)
    assert total["ops"] == 8000 and total["ops_per_s"] == 4000.0
    assert total["cpu_us_per_op"] == pytest.approx(30.0)  # the same per-op cost in both
    assert total["cpu_cores"] == pytest.approx(8000 * 30e-6 / 2.0)
    assert total["p50_us"] == 6.0 and total["p99_us"] == 90.0
    assert total["rss_mib"] == 80.0 and total["latency_samples"] == 8000
    # Each saw the members' CPU of the whole fleet in its window: 2000*30 = 6000*10 = 0.06 s.
    assert total["member_cpu_us_per_op"] == pytest.approx(60000 / 8000)
    workers[0]["member_cpu_us_per_op"] = None
    assert run._fleet_sum(workers)["member_cpu_us_per_op"] is None


def test_fleet_rows_price_java_at_hzgreens_cpu():
    runs = [
        worker_result("hzgreen-gevent", "fleet_2", 40000.0, cpu_cores=1.2),
        worker_result("official-asyncio", "fleet_2", 20000.0, cpu_cores=1.0),
        worker_result("java", "mixed_3_members", 8000.0, cpu_us_per_op=100.0),
    ]
    cells = report.aggregate(runs)
    rows = report.fleet_rows(cells)
    # Java at 1.2 cores and 100 µs/op: 12,000 ops/s; hzgreen does 40,000.
    assert rows == [["fleet_2", "40,000", "1.20", "20,000", "1.00", "12,000", "3.33×"]]
    text = report.markdown(cells, report.ratios(cells))
    assert report.FLEET_NOTE in text and "| fleet_2 | 40,000 | 1.20 | 20,000 | 1.00 | 12,000 | 3.33× |" in text
    assert report.FLEET_NOTE in report.rst(cells, report.ratios(cells))


def test_ceiling_rows_are_shares_of_the_javas_ceiling():
    runs = [
        worker_result("java", "member_ceiling", 100000.0, clients=2, threads_per_client=2, in_flight_per_thread=512),
        worker_result("hzgreen-gevent", "mixed_greenlets", 50000.0),
        worker_result("hzgreen-threading", "mixed_threads", 25000.0),
    ]
    cells = report.aggregate(runs)
    assert report.ceiling_rows(cells) == [
        ["mixed_threads", "25%", "—", "—", "—", "—"],
        ["mixed_greenlets", "—", "50%", "—", "—", "—"],
    ]
    assert "2 Java client(s) x 2 submitting thread(s) x 512 operations in flight" in report.ceiling_note(cells)
    assert report.ceiling_rows(report.aggregate(runs[1:])) == []  # no ceiling measured: no table


def test_member_rows_divide_the_cores_by_the_least_member_cost():
    runs = [
        worker_result("hzgreen-gevent", "mixed_greenlets", 50000.0, member_cpu_us_per_op=20.0),
        worker_result("official-asyncio", "mixed_greenlets", 25000.0, member_cpu_us_per_op=10.0),
        worker_result("hzgreen-gevent", "seq_get", 5000.0, member_cpu_us_per_op=100.0),  # not a loaded scenario
    ]
    cells = report.aggregate(runs)
    rows = report.member_rows(cells, cpus=2)
    assert len(rows) == 1 and rows[0][0] == "mixed_greenlets"
    headers = report.member_headers()
    row = dict(zip(headers, rows[0]))
    assert row["member µs/op hzgreen-gevent"] == "20.0" and row["member µs/op java"] == "—"
    assert row["member limit ops/s"] == "200,000"  # 2 cores / 10 µs
    assert row["share hzgreen-gevent"] == "25%" and row["share official-asyncio"] == "12%"
    assert report.MEMBER_NOTE in report.markdown(cells, report.ratios(cells), cpus=2)
    assert report.MEMBER_NOTE not in report.markdown(cells, report.ratios(cells))


def test_merge_keeps_the_earlier_runs_of_the_scenarios_not_run_again(tmp_path):
    earlier = {
        "machine": {"started": "2026-11-30 10:00 UTC", "hzgreen": "abc1234", "hazelcast-python-client": "5.7.0"},
        "minutes": 35.6,
        "runs": [worker_result("official", "seq_get", 100.0), worker_result("official", "fleet_1", 1.0)],
    }
    (tmp_path / "latest-detail.json").write_text(json.dumps(earlier))
    info = {}
    fresh = [worker_result("hzgreen-gevent", "fleet_1", 2.0)]
    merged = run.merge_runs(str(tmp_path), ["fleet_1"], fresh, info)
    assert [(r["contender"], r["scenario"]) for r in merged] == [("official", "seq_get"), ("hzgreen-gevent", "fleet_1")]
    assert info["merged"]["earlier_scenarios"] == ["seq_get"]
    assert info["merged"]["earlier_clients"]["hzgreen"] == "abc1234"


def test_members_cpu_is_read_from_proc_and_left_out_when_no_pids(monkeypatch):
    monkeypatch.delenv(MEMBER_PIDS_ENV, raising=False)
    assert member_pids() == [] and Meter().member_pids == []
    monkeypatch.setenv(MEMBER_PIDS_ENV, "%d, ,999999999" % os.getpid())
    assert member_pids() == [os.getpid(), 999999999]
    before = process_cpu_seconds([os.getpid(), 999999999])  # a pid that is gone counts 0
    end = process_cpu_seconds([os.getpid()]) + 0.05
    while process_cpu_seconds([os.getpid()]) < end:  # burn CPU past a few clock ticks
        sum(range(1000))
    assert process_cpu_seconds([os.getpid()]) >= before + 0.05
    meter = Meter()
    meter.start()
    meter.stop()
    assert meter.member_s >= 0.0
