"""The benchmark harness (``make bench-quick``'s code path) as a correctness smoke test.

One real member, every contender and scenario once, tiny durations and data
sets.  Checks that every run produced a well-formed result (or a reasoned
absence) and that the outputs have their documented shape.  No timing
assertions: the numbers of a 0.3 s run on a shared machine mean nothing.
"""

import json
import math

import pytest

from benchmarks import report, run
from benchmarks.matrix import FLEETS
from benchmarks.worker import CONTENDERS, SCENARIOS, STATIC_ABSENT, Recorder, percentile

METRICS = ("ops_per_s", "p50_us", "p99_us", "cpu_us_per_op", "rss_mib")

# Absent until hzgreen's CP subsystem is importable; present afterwards.
MAYBE_ABSENT = {(c, s) for c in ("hzgreen-threading", "hzgreen-gevent") for s in ("cp_lock", "cp_atomic")}


# -- pure pieces --------------------------------------------------------------------------


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([7], 99) == 7
    assert percentile([], 50) is None


def test_recorder_grows_past_a_chunk_and_keeps_order():
    rec = Recorder()
    n = (1 << 16) + 5
    for i in range(n):
        rec.add(i)
    values = rec.values()
    assert len(values) == n and values[0] == 0 and values[-1] == n - 1
    slots = Recorder()
    for i in range(n):
        slots.reserve(i)
        slots.chunks[i >> 16][i & 0xFFFF] = i
    assert slots.values() == values


def test_aggregate_takes_medians_and_keeps_absences():
    base = {"scenario": "seq_get", "ops": 10, "p50_us": 1.0, "p99_us": 2.0, "cpu_us_per_op": 3.0, "rss_mib": 4.0}
    runs = [dict(base, contender="official", ops_per_s=v) for v in (100.0, 300.0, 200.0)]
    runs += [dict(base, contender="hzgreen-gevent", ops_per_s=v) for v in (500.0, 400.0, 600.0)]
    runs.append({"scenario": "seq_get", "contender": "java", "absent": "why"})
    runs.append({"scenario": "seq_get", "contender": "hzgreen-threading", "error": "boom"})
    cells = report.aggregate(runs)
    assert cells["seq_get"]["official"]["ops_per_s"] == 200.0
    assert cells["seq_get"]["java"]["absent"] == "why" and cells["seq_get"]["java"]["ops_per_s"] is None
    assert cells["seq_get"]["hzgreen-threading"]["error"] == "boom"
    info = report.ratios(cells)
    assert info["seq_get"]["best"] == pytest.approx(2.5)
    assert info["seq_get"]["per_contender"]["hzgreen-threading"] is None


def test_hit_ratio_is_aggregated_and_reported_for_its_scenario_only():
    base = {"scenario": "near_cache_get", "ops": 10, "p50_us": 1.0, "p99_us": 2.0, "cpu_us_per_op": 3.0}
    runs = [dict(base, contender="official", ops_per_s=100.0, rss_mib=4.0, hit_ratio=v) for v in (0.5, 1.0, 0.9)]
    runs.append(dict(base, contender="hzgreen-gevent", ops_per_s=300.0, rss_mib=4.0, hit_ratio=0.99))
    runs.append(dict(base, scenario="seq_get", contender="official", ops_per_s=100.0, rss_mib=4.0))
    cells = report.aggregate(runs)
    assert cells["near_cache_get"]["official"]["hit_ratio"] == 0.9
    assert "hit_ratio" not in cells["near_cache_get"]["hzgreen-threading"]
    assert "hit_ratio" not in cells["seq_get"]["official"]
    info = report.ratios(cells)
    latest = report.latest_json("5.4.0", 3, cells, info)
    assert latest["scenarios"]["near_cache_get"]["hzgreen-gevent"]["hit_ratio"] == 0.99
    assert "hit_ratio" not in latest["scenarios"]["seq_get"]["official"]
    text = report.markdown(cells, info)
    table = text.split(report.HIT_RATIO_NOTE)[1]
    assert "| near_cache_get | — | 0.9900 | 0.9000 | — |" in table
    assert "| seq_get |" not in table
    assert "near_cache_get  —                  0.9900          0.9000    —" in report.rst(cells, info)


# -- the whole harness ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_bench_quick_code_path_runs_every_contender_and_scenario(tmp_path):
    settings = run.parse_args(
        [
            "--quick",
            "--duration",
            "0.3",
            "--warmup",
            "0.1",
            "--keys",
            "200",
            "--big-size",
            str(64 * 1024),
            "--big-keys",
            "2",
            "--greenlets",
            "50",
            "--min-connects",
            "1",
            "--pause",
            "0",
            "--heap",
            "512m",
            "--out",
            str(tmp_path),
        ]
    )
    code, text, latest = run.benchmark(settings)
    detail = json.loads((tmp_path / "latest-detail.json").read_text())
    failures = [
        "%s/%s: %s\n%s" % (r["scenario"], r["contender"], r["error"], r.get("stderr_tail", ""))
        for r in detail["runs"]
        if "error" in r
    ]
    assert not failures, "\n".join(failures)
    assert code == 0

    # Every worker run: a well-formed result or a reasoned absence.
    seen = {(r["contender"], r["scenario"]) for r in detail["runs"]}
    assert seen == {(c, s) for c in CONTENDERS for s in SCENARIOS}
    for r in detail["runs"]:
        pair = (r["contender"], r["scenario"])
        if "absent" in r:
            assert pair in STATIC_ABSENT or pair in MAYBE_ABSENT, pair
            assert isinstance(r["absent"], str) and r["absent"]
            continue
        assert pair not in STATIC_ABSENT, pair
        assert r["ops"] > 0, pair
        assert r["latency_samples"] == r["ops"], pair  # one latency per operation
        for metric in METRICS:
            assert isinstance(r[metric], (int, float)) and r[metric] > 0, (pair, metric, r[metric])
        assert r["p50_us"] <= r["p99_us"], pair
        if r["scenario"] == "near_cache_get":  # every key fits the near cache: mostly hits
            assert 0.5 < r["hit_ratio"] <= 1, (pair, r["hit_ratio"])
        else:
            assert "hit_ratio" not in r, pair
        # The harness started the members, so it knows their pids: their CPU is measured.
        assert isinstance(r["member_cpu_us_per_op"], (int, float)) and r["member_cpu_us_per_op"] >= 0, pair
        if r["scenario"] in FLEETS:  # the sum of that many worker processes
            assert r["processes"] == FLEETS[r["scenario"]] == len(r["per_process_ops_per_s"]), pair
            assert r["cpu_cores"] > 0 and r["ops_per_s"] == pytest.approx(sum(r["per_process_ops_per_s"]), rel=1e-3)
        if r["scenario"] == "member_ceiling":  # the best of at least two steps of the Java client
            assert r["contender"] == "java" and r["clients"] >= 1 and len(r["steps"]) >= 2, r

    # latest.json: exactly the documented shape.
    on_disk = json.loads((tmp_path / "latest.json").read_text())
    assert on_disk == latest
    assert set(latest) == {"member_version", "rounds", "scenarios", "ratios"}
    assert latest["member_version"].startswith("5.") and latest["rounds"] == 1
    assert set(latest["scenarios"]) == set(SCENARIOS)
    for row in latest["scenarios"].values():
        assert set(row) == set(CONTENDERS)
        for cell in row.values():
            assert set(METRICS) <= set(cell)
            if "absent" in cell:
                assert all(cell[m] is None for m in METRICS)
            else:
                assert cell["ops_per_s"] > 0 and math.isfinite(cell["ops_per_s"])
    assert set(latest["ratios"]) == set(SCENARIOS)
    for scenario, ratio in latest["ratios"].items():
        hz_present = any(latest["scenarios"][scenario][c]["ops_per_s"] for c in report.HZGREEN)
        baseline = any(latest["scenarios"][scenario][c]["ops_per_s"] for c in report.OFFICIALS)
        if hz_present and baseline:
            assert isinstance(ratio, float) and ratio > 0, scenario
        else:
            assert ratio is None, scenario

    # The Markdown report and the chart.
    assert (tmp_path / "latest.md").read_text() == text
    assert "| scenario | contender | ops/s | p50 µs | p99 µs | CPU µs/op | RSS MiB |" in text
    for scenario in SCENARIOS:
        assert "| %s |" % scenario in text
    try:
        import matplotlib  # noqa: F401  (in the bench extra, not the test extra)
    except ImportError:
        pass
    else:
        png = tmp_path / "latest.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
