"""Worker client processes for the recipe fault tests, and the test-side plumbing.

Run as a script, one client process per invocation (threading handler), printing one
JSON record per line on stdout::

    workers.py MODE MEMBERS CLUSTER ARG...

    increments LOCK MAP COUNT TAG [HISTORY]
                                      locked get-put increments of MAP["n"]; a record
                                      {"tag", "fence", "start", "end"} per increment; with
                                      HISTORY, each hold is also recorded as a critical
                                      section (value: its fence) in that safety history file
    lock-hold LOCK                    acquire LOCK, report {"event": "acquired"}, then obey
                                      stdin: "stop" -> client.stop(), {"event": "stopped"}
    lead-hold NAME TAG [HISTORY]      Election NAME: when leading report {"event": "leading",
                                      "fence"} and lead until killed (or stdin closes); with
                                      HISTORY, the leadership is recorded there as
                                      ok(TAG, "lead", fence)
    elect-runs NAME ROUNDS HOLD TAG [HISTORY]
                                      ROUNDS x Election.run(func); func records
                                      {"tag", "start", "end", "fence"} around a HOLD s hold;
                                      with HISTORY, each leadership is also recorded there as
                                      a critical section "lead" (value: the fence)
    sem-runs NAME PERMITS ROUNDS HOLD TAG [HISTORY]
                                      ROUNDS x acquire / hold HOLD s / release of
                                      Semaphore(NAME, PERMITS): {"tag", "acquired", "released"};
                                      with HISTORY, each hold is also recorded there as a
                                      critical section "permit" (value: 1 permit)

Every mode ends with {"event": "done"} when it returns normally. The test side starts
workers with :func:`spawn` and reads their records through :class:`Worker`.
"""

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time

HERE = os.path.abspath(__file__)


# --- worker side ---------------------------------------------------------------------


def emit(**record):
    print(json.dumps(record), flush=True)


def connect(members, cluster_name):
    from hzgreen import HzClient

    client = HzClient(cluster_members=members.split(","), cluster_name=cluster_name)
    client.start(timeout=60)
    return client


def run_increments(client, lock_name, map_name, count, tag, history_path=None):
    from hzgreen.testing.safety import History

    history = History(history_path) if history_path else None
    lock = client.Lock(lock_name)
    values = client.get_map(map_name)
    for _ in range(int(count)):
        done = False
        while not done:
            putting = False
            try:
                with lock:
                    start = time.time()
                    fence = lock.fence
                    section = history.critical_section(tag, fence) if history is not None else contextlib.nullcontext()
                    with section:
                        current = values.get("n") or 0
                        putting = True
                        values.put("n", current + 1)
                        putting = False
                    done = True
                    end = time.time()
            except Exception as error:  # a failover: retried unless the put was made
                # A put that failed on the client may still have been applied by the member.
                emit(tag=tag, error=repr(error), unknown_put=putting)
        emit(tag=tag, fence=fence, start=start, end=end)
    if history is not None:
        history.close()


def run_lock_hold(client, lock_name):
    lock = client.Lock(lock_name)
    lock.acquire()
    emit(event="acquired", fence=lock.fence, at=time.time())
    for line in sys.stdin:
        if line.strip() == "stop":
            at = time.time()
            client.stop()
            emit(event="stopped", at=at, took=time.time() - at)
            return


def optional_history(history_path):
    """A safety History appending to ``history_path``, or None without a path."""
    from hzgreen.testing.safety import History

    return History(history_path) if history_path else None


def run_lead_hold(client, name, tag, history_path=None):
    history = optional_history(history_path)
    election = client.Election(name, tag)

    def lead():
        if history is not None:
            history.ok(tag, "lead", election.fence)
        emit(event="leading", tag=tag, fence=election.fence, at=time.time())
        sys.stdin.read()  # lead until stdin closes (or the process is killed)

    election.run(lead)


def run_elect_runs(client, name, rounds, hold, tag, history_path=None):
    history = optional_history(history_path)
    election = client.Election(name, tag)

    def lead():
        start = time.time()
        fence = election.fence
        section = history.critical_section(tag, fence, op="lead") if history is not None else contextlib.nullcontext()
        with section:
            time.sleep(float(hold))  # the leadership itself, not synchronisation
        emit(tag=tag, start=start, end=time.time(), fence=fence)

    for _ in range(int(rounds)):
        election.run(lead)
    if history is not None:
        history.close()


def run_sem_runs(client, name, permits, rounds, hold, tag, history_path=None):
    history = optional_history(history_path)
    sem = client.Semaphore(name, max_leases=int(permits))
    for _ in range(int(rounds)):
        sem.acquire()
        acquired = time.time()
        section = history.critical_section(tag, 1, op="permit") if history is not None else contextlib.nullcontext()
        with section:
            time.sleep(float(hold))  # the hold itself, not synchronisation
        released = time.time()
        sem.release()
        emit(tag=tag, acquired=acquired, released=released)
    if history is not None:
        history.close()


MODES = {
    "increments": run_increments,
    "lock-hold": run_lock_hold,
    "lead-hold": run_lead_hold,
    "elect-runs": run_elect_runs,
    "sem-runs": run_sem_runs,
}


def main(mode, members, cluster_name, *args):
    client = connect(members, cluster_name)
    try:
        MODES[mode](client, *args)
        emit(event="done")
    finally:
        client.stop()
        client.close()


# --- test side -----------------------------------------------------------------------


class Worker:
    """A worker process whose stdout records are read by a thread into a queue."""

    def __init__(self, proc):
        self.proc = proc
        self.records = []
        self._queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.strip()
            if line:
                self._queue.put(json.loads(line))
        self._queue.put(None)  # end of output

    def expect(self, event, timeout):
        """The next record with ``event`` (earlier records are kept in ``records``)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "worker never reported %r; got %r" % (event, self.records)
            try:
                record = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            assert record is not None, "worker exited (rc=%s) before %r; got %r" % (
                self.proc.poll(),
                event,
                self.records,
            )
            self.records.append(record)
            if record.get("event") == event:
                return record

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self, timeout):
        """Wait for the process to exit cleanly; return every record it printed."""
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout)
        while True:
            record = self._queue.get_nowait()
            if record is None:
                break
            self.records.append(record)
        assert self.proc.returncode == 0, "worker failed: rc=%s" % self.proc.returncode
        return self.records

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def spawn(cluster, mode, *args):
    proc = subprocess.Popen(
        [sys.executable, HERE, mode, ",".join(cluster.addresses), cluster.cluster_name] + [str(arg) for arg in args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return Worker(proc)


if __name__ == "__main__":
    main(*sys.argv[1:])
