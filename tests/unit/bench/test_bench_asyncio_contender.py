"""The plumbing of the ``official-asyncio`` benchmark contender, against an in-process fake
client (no member): the worker's dispatch to the contender's own scenario functions, the
absences, and that each async scenario body runs on the contender's loop and records one
latency per operation, as the worker uses it."""

import asyncio

import pytest

from benchmarks import scenarios, scenarios_asyncio, worker
from benchmarks.contender_official import OfficialContender
from benchmarks.contender_official_asyncio import OfficialAsyncioContender
from benchmarks.matrix import CONTENDERS, SCENARIOS, STATIC_ABSENT, Absent
from benchmarks.measure import Meter, Recorder


def worker_args(scenario, *extra):
    return worker.parse_args(
        ["--contender", "official-asyncio", "--scenario", scenario, "--members", "127.0.0.1:1", "--cluster", "c"]
        + ["--keys", "50", "--window", "8", "--greenlets", "20", "--big-size", "1000", "--big-keys", "2"]
        + list(extra)
    )


class FakeNearCache:
    def __init__(self):
        self.hits = 0

    def get_statistics(self):
        return {"hits": self.hits, "misses": 0}


class FakeMap:
    """The async map API the scenarios use; every call yields to the loop once."""

    def __init__(self, fail_puts=False):
        self.data = {}
        self.fail_puts = fail_puts
        self._near_cache = FakeNearCache()

    async def put(self, key, value):
        await asyncio.sleep(0)
        if self.fail_puts:
            raise ValueError("put refused")
        self.data[key] = value

    async def get(self, key):
        await asyncio.sleep(0)
        self._near_cache.hits += 1
        return self.data.get(key)

    async def put_all(self, entries):
        await asyncio.sleep(0)
        self.data.update(entries)

    async def clear(self):
        await asyncio.sleep(0)
        self.data.clear()


class FakeAtomicLong:
    def __init__(self):
        self.value = 0

    async def increment_and_get(self):
        await asyncio.sleep(0)
        self.value += 1
        return self.value


class FakeCP:
    def __init__(self):
        self.atomic = FakeAtomicLong()

    async def get_atomic_long(self, name):
        return self.atomic


class FakeClient:
    def __init__(self, fail_puts=False):
        self.maps = {}
        self.fail_puts = fail_puts
        self.cp_subsystem = FakeCP()

    async def get_map(self, name):
        return self.maps.setdefault(name, FakeMap(self.fail_puts))


def run_once(scenario, client, seconds=0.05, *extra):
    """What the worker does with a scenario: prepare, then one measured run."""
    args = worker_args(scenario, *extra)
    contender = worker.make_contender(args)
    body = worker.scenario_funcs(contender)[scenario](contender, client, args)
    meter, rec = Meter(), Recorder()
    try:
        ops = body(seconds, meter, rec)
    finally:
        contender.loop.close()
    return ops, meter, rec


def test_the_contender_is_in_the_matrix_with_its_absences():
    assert "official-asyncio" in CONTENDERS
    assert set(scenarios_asyncio.SCENARIO_FUNCS) == set(SCENARIOS)
    for scenario in ("mixed_threads", "transform"):
        reason = STATIC_ABSENT[("official-asyncio", scenario)]
        assert worker.run(worker_args(scenario)) == {
            "contender": "official-asyncio",
            "scenario": scenario,
            "absent": reason,
        }
        with pytest.raises(Absent, match=reason):
            scenarios_asyncio.SCENARIO_FUNCS[scenario](None, None, None)


def test_the_worker_dispatches_to_the_contenders_own_scenarios():
    args = worker_args("seq_put")
    contender = worker.make_contender(args)
    assert isinstance(contender, OfficialAsyncioContender)
    assert worker.scenario_funcs(contender) is scenarios_asyncio.SCENARIO_FUNCS
    contender.loop.close()
    official_args = ["--contender", "official", "--scenario", "seq_put", "--members", "127.0.0.1:1", "--cluster", "c"]
    official = OfficialContender(worker.parse_args(official_args))
    assert worker.scenario_funcs(official) is scenarios.SCENARIO_FUNCS


def test_the_runner_runs_a_coroutine_on_the_contenders_loop():
    contender = worker.make_contender(worker_args("seq_put"))

    async def body(seconds, meter, rec):
        assert asyncio.get_running_loop() is contender.loop
        return seconds * 2

    try:
        assert contender.runner(body)(21, None, None) == 42
    finally:
        contender.loop.close()


@pytest.mark.parametrize("scenario", ["seq_put", "seq_get", "pipelined_put", "mixed_greenlets", "big_values"])
def test_map_scenarios_record_one_latency_per_operation(scenario):
    client = FakeClient()
    ops, meter, rec = run_once(scenario, client)
    assert ops > 0 and rec.n == ops
    assert all(v > 0 for v in rec.values())
    assert meter.wall_ns > 0
    name = "bench-%s" % scenario
    expected = 2 if scenario == "big_values" else 50
    assert len(client.maps[name].data) == expected


def test_pipelined_put_keeps_the_window_and_reports_failed_puts():
    client = FakeClient()
    ops, _, rec = run_once("pipelined_put", client)
    assert rec.n == ops >= 8
    with pytest.raises(RuntimeError, match="pipelined puts failed, first: ValueError"):
        run_once("pipelined_put", FakeClient(fail_puts=True))


def test_mixed_greenlets_runs_every_task():
    ops, _, rec = run_once("mixed_greenlets", FakeClient(), 0.05, "--greenlets", "30")
    assert ops >= 30 and rec.n == ops


def test_near_cache_get_reports_the_hit_ratio_and_cp_atomic_counts():
    ops, meter, rec = run_once("near_cache_get", FakeClient())
    assert rec.n == ops and meter.extra["hit_ratio"] == 1.0
    client = FakeClient()
    ops, _, rec = run_once("cp_atomic", client)
    assert rec.n == ops and client.cp_subsystem.atomic.value == ops + 2
