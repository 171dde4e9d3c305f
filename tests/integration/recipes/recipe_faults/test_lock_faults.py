"""Locked increments from several processes and greenlets while a CP member is SIGKILLed.

Two worker processes (threading handler) and greenlets of this process (gevent handler)
each do locked read-pause-write increments of a plain map value. When a third of the
increments are done, member 1 is SIGKILLed, then restarted (re-promoted to CP). No
increment may be lost (a lost update means two holders at once): the final value is at
least the number of increments, and exceeds it by at most the number of puts whose outcome
was unknown (a put can be applied by the member and still fail on the client when the
connection dies; the worker then increments again). The fences, in acquisition order, must
strictly increase (no two holds share or reorder a fence).

Every hold is also recorded as a critical section with its fence in one
``hzgreen.testing.safety`` history file (the worker processes and this process append to
it), the kill and the restart are done by a ``Nemesis`` that records them there too, and
the safety checks must find no overlapping sections and no fence out of order.
"""

import pytest

from .workers import spawn

pytestmark = [pytest.mark.cp3, pytest.mark.slow]

PROCESSES = 2
PER_PROCESS = 40
GREENLETS = 4
PER_GREENLET = 10
WAIT = 180


def test_locked_increments_survive_member_kill(hz_cluster_factory, unique_name, tmp_path):
    gevent = pytest.importorskip("gevent")
    from hzgreen import HzClient
    from hzgreen.exceptions import HzError
    from hzgreen.handlers.gevent import SequentialGeventHandler
    from hzgreen.testing.safety import (
        Action,
        History,
        Nemesis,
        check_fence_monotonicity,
        check_mutual_exclusion,
    )

    cluster = hz_cluster_factory(members=3, cp_members=3)
    lock_name, map_name = unique_name + "-lock", unique_name + "-map"
    history_path = str(tmp_path / "lock-history.jsonl")
    history = History(history_path)
    workers = [
        spawn(cluster, "increments", lock_name, map_name, PER_PROCESS, "p%d" % i, history_path)
        for i in range(PROCESSES)
    ]
    client = HzClient(
        cluster_members=cluster.addresses, cluster_name=cluster.cluster_name, handler=SequentialGeventHandler()
    )
    client.start(timeout=60)
    records = []
    unknown_puts = []  # puts that failed on the client: applied or not, nobody can tell
    total = PROCESSES * PER_PROCESS + GREENLETS * PER_GREENLET
    try:
        lock, values = client.Lock(lock_name), client.get_map(map_name)

        def greenlet_worker(tag):
            for _ in range(PER_GREENLET):
                while True:  # as workers.run_increments: a failover is retried
                    putting = False
                    try:
                        with lock:
                            start = __import__("time").time()
                            fence = lock.fence
                            with history.critical_section(tag, fence):
                                current = values.get("n") or 0
                                putting = True
                                values.put("n", current + 1)
                                putting = False
                                gevent.sleep(0.01)  # the "pause" of get-pause-put, not synchronisation
                            end = __import__("time").time()
                        break
                    except HzError:
                        # A put lost with the killed member's connection is not re-sent
                        # (it is not idempotent): the client reports it, the worker retries.
                        # The member may have applied it all the same.
                        if putting:
                            unknown_puts.append(tag)
                        continue
                records.append({"tag": tag, "fence": fence, "start": start, "end": end})

        greenlets = [gevent.spawn(greenlet_worker, "g%d" % i) for i in range(GREENLETS)]
        # kill a member once a third of the work is done (progress, not time)
        deadline = client.handler.monotonic() + WAIT
        while (values.get("n") or 0) < total // 3:
            assert client.handler.monotonic() < deadline, "no progress before the kill"
            gevent.sleep(0.05)
        killer = Nemesis(history, [Action(0, "kill", 1)], cluster=cluster)
        killer.run()
        killed_at = values.get("n")
        # the restart blocks (subprocess, log polling) for seconds: run it off the hub so
        # this client keeps heartbeating its CP session (it expired once when the hub waited)
        restarter = Nemesis(history, [Action(0, "restart", 1)], cluster=cluster)
        gevent.get_hub().threadpool.spawn(restarter.run).get()
        assert killer.errors == [] and restarter.errors == []
        gevent.joinall(greenlets, timeout=WAIT, raise_error=True)
        for worker in workers:
            finished = worker.finish(WAIT)
            records.extend(record for record in finished if "fence" in record)
            unknown_puts.extend(record["tag"] for record in finished if record.get("unknown_put"))
        final = values.get("n")
    finally:
        for worker in workers:
            worker.kill()
        client.stop()
        client.close()
        history.close()
    records.sort(key=lambda r: r["start"])
    fences = [r["fence"] for r in records]
    violations = sum(1 for a, b in zip(fences, fences[1:]) if not a < b)
    overlaps = sum(1 for a, b in zip(records, records[1:]) if b["start"] < a["end"])
    print(
        "\nLOCK FAULT: increments=%d final=%d unknown_puts=%d killed_at=%s fence_violations=%d overlaps=%d"
        % (len(records), final, len(unknown_puts), killed_at, violations, overlaps)
    )
    assert len(records) == total
    assert total <= final <= total + len(unknown_puts)
    assert violations == 0
    assert overlaps == 0
    recorded = History.load(history_path)
    sections = recorded.operations("cs")
    assert sum(1 for section in sections if section.outcome == "ok") == total
    assert check_mutual_exclusion(recorded) == []
    assert check_fence_monotonicity(recorded) == []
    assert [(o.op, o.outcome) for o in recorded.operations() if o.process == "nemesis"] == [
        ("kill", "ok"),
        ("restart", "ok"),
    ]
