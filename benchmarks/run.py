"""Benchmark runner: one real member, every contender and scenario, interleaved rounds.

    python -m benchmarks                 # full: 5 rounds, 5 s measured per run
    python -m benchmarks --quick         # smoke: 1 round, 2 s per run
    python -m benchmarks --scenarios seq_get,pipelined_put --contenders hzgreen-gevent,official

Starts one Hazelcast member (hzgreen.testing.Cluster, full JIT, CP in unsafe
mode), compiles benchmarks/java/Bench.java against the member jar (cached),
then for each round, each scenario and each contender (in an order rotated
every round: A B C D, B C D A, ...) runs one worker process against that
member.  Reports the medians over the rounds as a Markdown table on stdout and
writes ``latest.json``, ``latest-detail.json`` (machine, settings, every
run, per-handler and CPU ratios), ``latest.md``, ``latest.rst`` (the tables
for docs/performance.rst) and ``latest.png`` to the output folder (default
benchmarks/results).
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

from benchmarks import machine, report
from benchmarks.matrix import FLEET_SCENARIO, FLEETS, THREE_MEMBER_SCENARIOS
from benchmarks.measure import MEMBER_PIDS_ENV
from benchmarks.scenarios import TRANSFORM_JOURNAL_XML
from benchmarks.worker import CONTENDERS, READY, SCENARIOS, STATIC_ABSENT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "worker.py")
JAVA_SOURCE = os.path.join(HERE, "java", "Bench.java")

FULL = {"rounds": 5, "duration": 5.0, "warmup": 2.0}
QUICK = {"rounds": 1, "duration": 2.0, "warmup": 0.5}


def log(message):
    print("bench: " + message, file=sys.stderr, flush=True)


# -- Java -----------------------------------------------------------------------------------


def javac_executable(java):
    candidates = [os.path.join(os.path.dirname(os.path.realpath(java)), "javac")]
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "javac"))
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("javac")
    if not found:
        raise RuntimeError("no javac: the java contender needs a JDK (javac next to %s or on PATH)" % java)
    return found


def compile_java(java, jar, cache):
    """Compile Bench.java against the member jar into a cache folder keyed by both; return it."""
    with open(JAVA_SOURCE, "rb") as f:
        source = f.read()
    digest = hashlib.sha256(source + os.path.realpath(jar).encode() + str(os.path.getsize(jar)).encode())
    target = os.path.join(cache, "bench-java", digest.hexdigest()[:16])
    if os.path.isfile(os.path.join(target, "Bench.class")):
        return target
    os.makedirs(os.path.dirname(target), exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="build-", dir=os.path.dirname(target))
    try:
        out = subprocess.run(
            [javac_executable(java), "-nowarn", "-cp", jar, "-d", scratch, JAVA_SOURCE],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if out.returncode != 0:
            raise RuntimeError("javac failed:\n%s%s" % (out.stdout, out.stderr))
        try:
            os.rename(scratch, target)
        except OSError:  # a parallel run won the race; its classes are the same
            if not os.path.isfile(os.path.join(target, "Bench.class")):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def member_version(jar):
    try:
        with zipfile.ZipFile(jar) as z:
            text = z.read("META-INF/maven/com.hazelcast/hazelcast/pom.properties").decode()
        for line in text.splitlines():
            if line.startswith("version="):
                return line.split("=", 1)[1].strip()
    except (OSError, KeyError, zipfile.BadZipFile):
        pass
    from hzgreen.testing.jar import hazelcast_version

    return hazelcast_version()


def client_versions(member):
    """The versions of the clients under test that ``machine.describe`` does not record.

    ``official-asyncio`` is the asyncio API of the same distribution as ``official``
    (``hazelcast-python-client``): its version, or None when that distribution has no
    ``hazelcast.asyncio`` package; the Java contender's client is the member jar's.
    Nothing is imported (the runner must not import the official client)."""
    from importlib import metadata

    try:
        dist = metadata.distribution("hazelcast-python-client")
        files = {str(f).replace(os.sep, "/") for f in dist.files or ()}
        asyncio_version = dist.version if "hazelcast/asyncio/__init__.py" in files else None
    except metadata.PackageNotFoundError:
        asyncio_version = None
    return {"hazelcast-python-client-asyncio": asyncio_version, "java-client": member}


# -- workers -----------------------------------------------------------------------------------


def scenario_args(settings):
    return [
        "--duration",
        str(settings.duration),
        "--warmup",
        str(settings.warmup),
        "--keys",
        str(settings.keys),
        "--value-size",
        str(settings.value_size),
        "--big-size",
        str(settings.big_size),
        "--big-keys",
        str(settings.big_keys),
        "--window",
        str(settings.window),
        "--threads",
        str(settings.threads),
        "--greenlets",
        str(settings.greenlets),
        "--get-ratio",
        str(settings.get_ratio),
        "--min-connects",
        str(settings.min_connects),
    ]


def worker_command(contender, scenario, settings, members, cluster, java=None):
    common = [
        "--contender",
        contender,
        "--scenario",
        scenario,
        "--members",
        ",".join(members),
        "--cluster",
        cluster,
    ] + scenario_args(settings)
    if contender == "java":
        from hzgreen.testing.cluster import MODULE_FLAGS

        classpath = os.pathsep.join([java["classes"], java["jar"]])
        return [java["java"], *MODULE_FLAGS, "-Djava.net.preferIPv4Stack=true", "-cp", classpath, "Bench"] + common
    return [sys.executable, WORKER] + common


def parse_result(stdout):
    """The last stdout line that is a JSON object with a scenario, or None."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and "scenario" in value:
                return value
    return None


def worker_env(pids):
    """The environment of a worker: the repository on PYTHONPATH, and the pids of the members
    serving it (for their CPU per operation) with the clock-tick rate to read them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env[MEMBER_PIDS_ENV] = ",".join(str(p) for p in pids)
    env["HZGREEN_BENCH_CLK_TCK"] = str(os.sysconf("SC_CLK_TCK"))
    return env


def run_worker(contender, scenario, settings, members, cluster, java, pids=()):
    cmd = worker_command(contender, scenario, settings, members, cluster, java)
    env = worker_env(pids)
    timeout = settings.duration * 2 + settings.warmup + settings.worker_timeout
    began = time.monotonic()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else expired.stderr
        return {
            "contender": contender,
            "scenario": scenario,
            "error": "worker timed out after %.0f s" % timeout,
            "stderr_tail": (stderr or "")[-2000:],
        }
    result = parse_result(out.stdout)
    if result is None:
        result = {
            "contender": contender,
            "scenario": scenario,
            "error": "worker exited %d without a result" % out.returncode,
        }
    if "error" in result:
        result["stderr_tail"] = out.stderr[-2000:]
    result["wall_s"] = round(time.monotonic() - began, 3)
    return result


def run_fleet(contender, size, settings, members, cluster, java, pids=()):
    """``size`` workers of ``FLEET_SCENARIO`` at once, started together: each prepares, says
    ready, and all get the go at the same moment; returns one result, their sum.

    ``ops_per_s`` is the sum of the workers' rates (their measured sections overlap: same
    start, same length), ``cpu_us_per_op`` their total CPU over their total operations,
    ``cpu_cores`` the CPU they used per second of wall time together, ``p50_us`` the median
    of their medians and ``p99_us`` the worst of their p99s, ``rss_mib`` the sum."""
    import threading

    name = "fleet_%d" % size
    cmd = worker_command(contender, FLEET_SCENARIO, settings, members, cluster, java) + ["--barrier"]
    env = worker_env(pids)
    timeout = settings.duration * 2 + settings.warmup + settings.worker_timeout
    began = time.monotonic()
    procs = [
        subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(size)
    ]
    outputs = [{"stdout": [], "stderr": ""} for _ in procs]
    ready = [threading.Event() for _ in procs]

    def read_stdout(k):
        for line in procs[k].stdout:
            if line.strip() == READY:
                ready[k].set()
            else:
                outputs[k]["stdout"].append(line)
        ready[k].set()  # ended without saying ready: don't wait for it

    def read_stderr(k):
        outputs[k]["stderr"] = procs[k].stderr.read()

    readers = [
        threading.Thread(target=f, args=(k,), daemon=True) for k in range(size) for f in (read_stdout, read_stderr)
    ]
    for reader in readers:
        reader.start()
    error = None
    for event in ready:
        if not event.wait(max(0.0, began + settings.worker_timeout - time.monotonic())):
            error = "a worker was not ready after %.0f s" % settings.worker_timeout
            break
    for proc in procs:
        try:
            proc.stdin.write("go\n" if error is None else "")
            proc.stdin.close()
        except OSError:
            pass
    for proc in procs:
        try:
            proc.wait(max(1.0, began + timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            error = error or "a worker timed out after %.0f s" % timeout
    for reader in readers:
        reader.join(10)
    results = [parse_result("".join(out["stdout"])) for out in outputs]
    result = {"contender": contender, "scenario": name, "processes": size}
    failed = [r for r in results if r is None or "error" in r or "absent" in r]
    if error is None and failed:
        first = failed[0]
        error = "a worker failed: %s" % ("no result" if first is None else first.get("error", first.get("absent")))
    if error is not None:
        result["error"] = error
        result["stderr_tail"] = "".join(out["stderr"][-1000:] for out in outputs)
    else:
        result.update(_fleet_sum(results))
    result["wall_s"] = round(time.monotonic() - began, 3)
    return result


def _fleet_sum(results):
    """The fleet's figures from its workers' results (see :func:`run_fleet`)."""
    import statistics

    ops = sum(r["ops"] for r in results)
    cpu_s = sum((r["cpu_us_per_op"] or 0) * r["ops"] / 1e6 for r in results)
    elapsed = max(r["elapsed_s"] for r in results)
    return {
        "ops": ops,
        "elapsed_s": elapsed,
        "ops_per_s": sum(r["ops_per_s"] for r in results),
        "p50_us": statistics.median(r["p50_us"] for r in results),
        "p99_us": max(r["p99_us"] for r in results),
        "cpu_us_per_op": cpu_s * 1e6 / ops if ops else None,
        "cpu_cores": cpu_s / elapsed if elapsed else None,
        "rss_mib": sum(r["rss_mib"] or 0 for r in results),
        "per_process_ops_per_s": [round(r["ops_per_s"], 1) for r in results],
        "latency_samples": sum(r["latency_samples"] for r in results),
        # Each worker saw the members' CPU for the whole fleet in its window: their mean, over all ops.
        "member_cpu_us_per_op": (
            statistics.mean(r["member_cpu_us_per_op"] * r["ops"] for r in results) / ops
            if ops and all(r.get("member_cpu_us_per_op") is not None for r in results)
            else None
        ),
    }


def describe_result(result):
    if "absent" in result:
        return "absent (%s)" % result["absent"]
    if "error" in result:
        return "ERROR %s" % result["error"]
    text = "%10.1f ops/s  p50 %8.0f µs  p99 %8.0f µs  cpu %7.1f µs/op  rss %6.1f MiB" % (
        result["ops_per_s"],
        result["p50_us"] or 0,
        result["p99_us"] or 0,
        result["cpu_us_per_op"] or 0,
        result["rss_mib"] or 0,
    )
    if result.get("hit_ratio") is not None:
        text += "  hit ratio %.4f" % result["hit_ratio"]
    if result.get("cpu_cores") is not None:
        text += "  %.2f cores" % result["cpu_cores"]
    if result.get("clients") is not None:
        text += "  at %s client(s) x %s thread(s)" % (result["clients"], result.get("threads_per_client"))
    return text


def run_rounds(settings, targets, java, runs):
    """Every round, scenario and contender, interleaved; appends each worker result to ``runs``.

    ``targets`` maps ``"one"`` and (when a scenario needs it) ``"three"`` to the
    ``(addresses, cluster name, member pids)`` of the one-member and the 3-member cluster."""
    absent = {}
    contenders = list(settings.contenders)
    for rnd in range(settings.rounds):
        shift = rnd % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for scenario in settings.scenarios:
            for contender in order:
                if (contender, scenario) in absent:  # learnt in round 1: no need to ask again
                    result = dict(absent[(contender, scenario)])
                elif (contender, scenario) in STATIC_ABSENT:  # known without a worker (Bench.java too)
                    result = {
                        "contender": contender,
                        "scenario": scenario,
                        "absent": STATIC_ABSENT[(contender, scenario)],
                    }
                    absent[(contender, scenario)] = result
                else:
                    members, cluster, pids = targets["three" if scenario in THREE_MEMBER_SCENARIOS else "one"]
                    if scenario in FLEETS:
                        result = run_fleet(contender, FLEETS[scenario], settings, members, cluster, java, pids)
                    else:
                        result = run_worker(contender, scenario, settings, members, cluster, java, pids)
                    if "absent" in result:
                        absent[(contender, scenario)] = result
                    if settings.pause:
                        time.sleep(settings.pause)
                result["round"] = rnd + 1
                runs.append(result)
                log(
                    "[round %d/%d] %-15s %-17s %s%s"
                    % (
                        rnd + 1,
                        settings.rounds,
                        scenario,
                        contender,
                        describe_result(result),
                        "  (%.1f s)" % result["wall_s"] if "wall_s" in result else "",
                    )
                )
                if "error" in result and result.get("stderr_tail"):
                    log("  stderr tail:\n" + result["stderr_tail"])


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="1 round, 2 s per run (smoke use)")
    p.add_argument("--rounds", type=int, help="rounds (default 5; --quick 1)")
    p.add_argument("--duration", type=float, help="measured seconds per run (default 5; --quick 2)")
    p.add_argument("--warmup", type=float, help="unmeasured seconds before each run (default 2; --quick 0.5)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated (default: all)")
    p.add_argument("--contenders", default=",".join(CONTENDERS), help="comma-separated (default: all)")
    p.add_argument("--keys", type=int, default=10000)
    p.add_argument("--value-size", type=int, default=100)
    p.add_argument("--big-size", type=int, default=1 << 20)
    p.add_argument("--big-keys", type=int, default=8)
    p.add_argument("--window", type=int, default=256, help="pipelined_put: operations in flight")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--greenlets", type=int, default=500)
    p.add_argument("--get-ratio", type=float, default=0.8)
    p.add_argument("--min-connects", type=int, default=3)
    p.add_argument("--pause", type=float, default=0.3, help="seconds between runs")
    p.add_argument("--worker-timeout", type=float, default=180, help="extra seconds a worker may take")
    p.add_argument("--members", help="use this running member (host:port,...) instead of starting one")
    p.add_argument("--cluster", help="its cluster name (with --members)")
    p.add_argument("--heap", default="1g", help="heap of the member started (default 1g)")
    p.add_argument("--out", default=os.path.join(HERE, "results"), help="output folder")
    p.add_argument(
        "--merge",
        action="store_true",
        help="keep the other scenarios' runs of --out's latest-detail.json (an earlier run) in the results",
    )
    p.add_argument(
        "--render",
        action="store_true",
        help="run nothing: write the result files of --out again from its latest-detail.json",
    )
    args = p.parse_args(argv)
    preset = QUICK if args.quick else FULL
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.scenarios = _pick(args.scenarios, SCENARIOS, "scenario")
    args.contenders = _pick(args.contenders, CONTENDERS, "contender")
    if bool(args.members) != bool(args.cluster):
        p.error("--members and --cluster go together")
    return args


def _pick(text, known, what):
    chosen = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in known]
    if unknown:
        raise SystemExit("unknown %s(s): %s (known: %s)" % (what, ", ".join(unknown), ", ".join(known)))
    return [x for x in known if x in chosen]  # canonical order


def benchmark(settings):
    """Run everything; write the outputs; return (exit code, markdown text, latest.json dict)."""
    from hzgreen.testing import Cluster
    from hzgreen.testing.jar import cache_dir, ensure_member_jar
    from hzgreen.testing.member import java_executable

    began = time.monotonic()
    jar = ensure_member_jar()
    java = {"java": java_executable(), "jar": jar}
    if "java" in settings.contenders:
        java["classes"] = compile_java(java["java"], jar, cache_dir())
    info = machine.describe(java["java"], ROOT)
    version = member_version(jar)
    info.update(client_versions(version))

    clusters = []
    targets = {}
    try:
        if settings.members:
            targets["one"] = (settings.members.split(","), settings.cluster, ())
            log("using the running member(s) %s of cluster %s" % (settings.members, settings.cluster))
        else:
            one = Cluster(
                members=1,
                cp_members=0,
                jvm_flags=(),
                heap=settings.heap,
                cluster_name="hzgreen-bench-%d" % os.getpid(),
                extra_config_xml=TRANSFORM_JOURNAL_XML,
            )
            clusters.append(one)
            log("starting a Hazelcast %s member (full JIT, heap %s, CP unsafe mode)" % (version, settings.heap))
            one.start()
            targets["one"] = (one.addresses, one.cluster_name, _pids(one))
            log("member up at %s in %.1f s" % (one.addresses[0], one.last_start_seconds or 0))
        if any(s in THREE_MEMBER_SCENARIOS for s in settings.scenarios):
            three = Cluster(
                members=3,
                cp_members=3,
                jvm_flags=(),
                heap=settings.heap,
                cluster_name="hzgreen-bench3-%d" % os.getpid(),
            )
            clusters.append(three)
            log("starting 3 Hazelcast %s members, all CP members (full JIT, heap %s each)" % (version, settings.heap))
            three.start()
            targets["three"] = (three.addresses, three.cluster_name, _pids(three))
            log("members up at %s in %.1f s" % (",".join(three.addresses), three.last_start_seconds or 0))
        runs = []
        try:
            run_rounds(settings, targets, java, runs)
        finally:
            if any("error" in r for r in runs):
                for cluster in clusters:
                    log("member log tail (%s):\n%s" % (cluster.cluster_name, cluster.log(0)[-3000:]))
    finally:
        for cluster in clusters:
            cluster.close()
    if settings.merge:
        runs = merge_runs(settings.out, settings.scenarios, runs, info)

    info["loadavg_end"] = list(os.getloadavg())
    minutes = (time.monotonic() - began) / 60
    settings_record = {k: v for k, v in vars(settings).items() if k not in ("out",)}
    return write_outputs(settings.out, info, settings_record, version, runs, minutes)


def write_outputs(out, info, settings_record, version, runs, minutes):
    """Aggregate ``runs`` and write every result file into ``out`` (latest.json, latest-detail.json,
    latest.md, latest.rst, latest.png); returns ``(exit code, Markdown text, latest dict)``."""
    rounds = settings_record["rounds"]
    cells = report.aggregate(runs)
    ratio_info = report.ratios(cells)
    latest = report.latest_json(version, rounds, cells, ratio_info)
    header = [
        "hzgreen benchmarks: Hazelcast %s members on loopback (one; for mixed_3_members, cp_atomic_3_members "
        "and the fleets a cluster of 3, all CP members), %d round(s) x %.1f s measured "
        "(+ %.1f s warm-up) per contender and scenario; medians over rounds. Run took %.1f min%s."
        % (
            version,
            rounds,
            settings_record["duration"],
            settings_record["warmup"],
            minutes,
            "" if not info.get("started") else ", started %s" % info["started"],
        ),
        "",
        "Machine: %s. Load average at start %s, at end %s."
        % (machine.summary_line(info), _load(info["loadavg_start"]), _load(info["loadavg_end"])),
        "",
        "Clients: hazelcast-python-client %s (official), its asyncio client %s (official-asyncio), "
        "Java client %s (java, the member jar)."
        % tuple(
            info.get(k, "?") for k in ("hazelcast-python-client", "hazelcast-python-client-asyncio", "java-client")
        ),
    ]
    merged = info.get("merged")
    if merged:
        header += [
            "",
            "Merged (--merge): %s come from an earlier full run on this machine (hzgreen %s, %s min; clients %s, "
            "%s, %s); the other scenarios from this run."
            % (
                ", ".join(merged["earlier_scenarios"]),
                merged["earlier_clients"].get("hzgreen"),
                merged.get("earlier_minutes"),
                merged["earlier_clients"].get("hazelcast-python-client"),
                merged["earlier_clients"].get("hazelcast-python-client-asyncio"),
                merged["earlier_clients"].get("java-client"),
            ),
        ]
    text = report.markdown(cells, ratio_info, header, cpus=info.get("cpus"))

    os.makedirs(out, exist_ok=True)
    _write_json(os.path.join(out, "latest.json"), latest)
    _write_json(
        os.path.join(out, "latest-detail.json"),
        {
            "machine": info,
            "settings": settings_record,
            "member_version": version,
            "cells": cells,
            "ratios": ratio_info,
            "runs": runs,
            "minutes": round(minutes, 2),
        },
    )
    with open(os.path.join(out, "latest.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(out, "latest.rst"), "w", encoding="utf-8") as f:
        f.write(report.rst(cells, ratio_info, cpus=info.get("cpus")))
    png = os.path.join(out, "latest.png")
    title = "Ratios to the best official client (%s): Hazelcast %s members, %d round(s) x %g s; %s, %s CPUs" % (
        info["hazelcast-python-client"],
        version,
        rounds,
        settings_record["duration"],
        info["cpu_model"],
        info["cpus"],
    )
    if not report.chart(ratio_info, png, title):
        log("matplotlib is not installed: no chart (pip install -e '.[bench]')")
    errors = [r for r in runs if "error" in r]
    if errors:
        log("%d run(s) failed; see the table and %s" % (len(errors), os.path.join(out, "latest-detail.json")))
    return (1 if errors else 0), text, latest


def _pids(cluster):
    return [pid for pid in (cluster.pid(i) for i in range(len(cluster.addresses))) if pid is not None]


def merge_runs(out, scenarios, runs, info):
    """``runs`` plus the runs of every other scenario in ``out``'s latest-detail.json (an
    earlier run on this machine); records in ``info["merged"]`` which scenarios came from
    where, so the report says it.  Returns the merged list."""
    with open(os.path.join(out, "latest-detail.json"), encoding="utf-8") as f:
        earlier = json.load(f)
    kept = [r for r in earlier["runs"] if r.get("scenario") not in scenarios]
    kept_scenarios = sorted({r["scenario"] for r in kept}, key=lambda s: SCENARIOS.index(s) if s in SCENARIOS else 99)
    info["merged"] = {
        "earlier_scenarios": kept_scenarios,
        "earlier_started": earlier["machine"].get("started"),
        "earlier_minutes": earlier.get("minutes"),
        "earlier_clients": {
            k: earlier["machine"].get(k)
            for k in ("hazelcast-python-client", "hazelcast-python-client-asyncio", "java-client", "hzgreen")
        },
    }
    return kept + runs


def render(out):
    """Write the result files of ``out`` again from its latest-detail.json, with the report code
    (targets, tables, chart) as it is now; returns what :func:`write_outputs` returns."""
    with open(os.path.join(out, "latest-detail.json"), encoding="utf-8") as f:
        detail = json.load(f)
    return write_outputs(
        out, detail["machine"], detail["settings"], detail["member_version"], detail["runs"], detail["minutes"]
    )


def _load(values):
    return "/".join("%.2f" % v for v in values)


def _write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=False, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    settings = parse_args(argv)
    code, text, _ = render(settings.out) if settings.render else benchmark(settings)
    sys.stdout.write(text)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
