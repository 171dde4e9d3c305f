"""One member JVM: start, stop, kill, pause and its log file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from typing import TYPE_CHECKING, Dict, Optional

from hzgreen.testing.logs import LogScanner, read_tail, read_text
from hzgreen.testing.process import (
    process_state,
    signal_member,
    spawn_member,
    wait_exit,
)

if TYPE_CHECKING:  # pragma: no cover
    from hzgreen.testing.cluster import Cluster

__all__ = [
    "CP_READY_LINE",
    "ClusterError",
    "Member",
    "STARTED_LINE",
    "java_executable",
]

#: Logged by ``LifecycleService`` once a member has joined and accepts clients.
STARTED_LINE = "is STARTED"
#: Logged by ``MetadataRaftGroupManager`` on every CP member once the CP
#: subsystem's METADATA group is committed (Raft mode only).
CP_READY_LINE = "CP Subsystem is initialized with"

_POLL_INTERVAL = 0.05


class ClusterError(RuntimeError):
    """A member failed to start, exited, or did not get ready in time."""


def java_executable() -> str:
    """``$HZGREEN_JAVA``, else ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    explicit = os.environ.get("HZGREEN_JAVA")
    if explicit:
        return explicit
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    found = shutil.which("java")
    if not found:
        raise ClusterError("no java executable: install a JDK (17+) or set JAVA_HOME or HZGREEN_JAVA")
    return found


def _member_env() -> Dict[str, str]:
    # Hazelcast 5 lets HZ_* variables override the configuration file: a
    # stray one in the developer's shell must not change the test cluster.
    return {k: v for k, v in os.environ.items() if not k.startswith(("HZ_", "HAZELCAST_"))}


class Member:
    """One member JVM of a :class:`Cluster` (index, fixed port, log file)."""

    def __init__(self, cluster: "Cluster", index: int, port: int) -> None:
        self.cluster = cluster
        self.index = index
        self.host = cluster.host
        self.port = port
        self.config_path = os.path.join(cluster.workdir, "member-%d.xml" % index)
        self.log_path = os.path.join(cluster.workdir, "member-%d.log" % index)
        self.process: Optional["subprocess.Popen[bytes]"] = None
        self.paused = False
        self.start_count = 0
        self._log_offset = 0

    def __repr__(self) -> str:
        return "<Member %d %s pid=%s %s>" % (self.index, self.address, self.pid, self.state)

    @property
    def address(self) -> str:
        """Returns this member's ``host:port``. Raises nothing."""
        return "%s:%d" % (self.host, self.port)

    @property
    def pid(self) -> Optional[int]:
        """Pid of the running JVM, or None when not running."""
        process = self.process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def is_running(self) -> bool:
        """True while the JVM exists (also when paused)."""
        return self.process is not None and self.process.poll() is None

    @property
    def state(self) -> str:
        """Returns ``"running"``, ``"paused"`` or ``"stopped"``. Raises nothing."""
        if not self.is_running:
            return "stopped"
        return "paused" if self.paused else "running"

    # --- lifecycle -----------------------------------------------------------

    def start(self, wait: bool = True, timeout: Optional[float] = None) -> None:
        """Start the JVM (no-op if running); with ``wait``, until it is STARTED."""
        if self.is_running:
            if wait:
                self.wait_started(timeout)
            return
        self._reap()
        with open(self.config_path, "w") as handle:
            handle.write(self.cluster.config_xml(self.index))
        self._log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        with open(self.log_path, "a") as log:
            log.write(
                "==== hzgreen: start #%d of member %d at %s ====\n"
                % (self.start_count + 1, self.index, time.strftime("%H:%M:%S"))
            )
        self._log_offset = os.path.getsize(self.log_path)
        self.process = spawn_member(
            self.cluster.java_command(self.index),
            self.log_path,
            env=_member_env(),
            cwd=self.cluster.workdir,
            die_with_parent=self.cluster.die_with_parent,
        )
        self.paused = False
        self.start_count += 1
        if wait:
            self.wait_started(timeout)

    def wait_started(self, timeout: Optional[float] = None) -> None:
        """Waits until the log of the current run shows the member started; returns None. Raises
        ClusterError (with the log tail) when the JVM exits or ``timeout`` seconds pass first."""
        self.wait_for_log(STARTED_LINE, timeout)

    def wait_for_log(self, text: str, timeout: Optional[float] = None) -> str:
        """Wait until the log of the current run contains ``text``; return the line.

        Raises :class:`ClusterError` (with the log tail) if the JVM exits or the
        timeout (default: the cluster's ``startup_timeout``) passes first.
        """
        if timeout is None:
            timeout = self.cluster.startup_timeout
        deadline = time.monotonic() + timeout
        scanner = LogScanner(self.log_path, self._log_offset, text)
        while True:
            line = scanner.find()
            if line is not None:
                return line
            if not self.is_running:
                line = scanner.find()  # written just before the exit?
                if line is not None:
                    return line
                raise ClusterError(
                    "member %d (%s) exited with status %s before logging %r; log tail:\n%s"
                    % (self.index, self.address, self._exit_status(), text, self.log_tail())
                )
            if time.monotonic() >= deadline:
                raise ClusterError(
                    "member %d (%s) did not log %r within %.0fs; log tail:\n%s"
                    % (self.index, self.address, text, timeout, self.log_tail())
                )
            time.sleep(_POLL_INTERVAL)

    def find_in_log(self, text: str) -> Optional[str]:
        """The first line of the current run's log containing ``text``, or None."""
        return LogScanner(self.log_path, self._log_offset, text).find()

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM (Hazelcast's shutdown hook runs), SIGKILL after ``grace`` s."""
        if self.process is None:
            return
        if self.is_running:
            if self.paused:
                signal_member(self.process, signal.SIGCONT)
                self.paused = False
            signal_member(self.process, signal.SIGTERM)
        self._finish(grace)

    def kill(self) -> None:
        """SIGKILL the JVM (a crash: no shutdown hook, connections reset)."""
        if self.process is None:
            return
        signal_member(self.process, signal.SIGKILL, group=True)
        self._finish(10.0)

    def _running_process(self) -> "subprocess.Popen[bytes]":
        """The JVM's process; raises ClusterError when it is not running."""
        process = self.process
        if process is None or process.poll() is not None:
            raise ClusterError("member %d is not running" % self.index)
        return process

    def pause(self) -> None:
        """SIGSTOP the JVM: it stops answering but its sockets stay open."""
        process = self._running_process()
        signal_member(process, signal.SIGSTOP)
        self.paused = True
        self._wait_all_threads_stopped(process.pid)

    def _wait_all_threads_stopped(self, pid: int, timeout: float = 10.0) -> None:
        """kill() returns before a multi-threaded JVM has stopped: wait until every thread has.

        Otherwise a request sent right after ``pause()`` may still be answered. Returns None;
        raises ClusterError when some thread still runs after ``timeout`` seconds.
        """
        task_dir = "/proc/%d/task" % pid
        if not os.path.isdir(task_dir):
            return  # not Linux: best effort
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            running = False
            for tid in os.listdir(task_dir):
                try:
                    with open("%s/%s/stat" % (task_dir, tid)) as stat:
                        state = stat.read().rsplit(")", 1)[1].split()[0]
                except (OSError, IndexError):
                    continue
                if state not in ("T", "t", "Z", "X"):
                    running = True
                    break
            if not running:
                return
            time.sleep(0.005)
        raise ClusterError("member %d did not stop within %.0fs of SIGSTOP" % (self.index, timeout))

    def resume(self) -> None:
        """SIGCONT a paused JVM."""
        signal_member(self._running_process(), signal.SIGCONT)
        self.paused = False

    def process_state(self) -> Optional[str]:
        """The kernel's state letter for the JVM (``T`` when paused), or None."""
        pid = self.pid
        return process_state(pid) if pid is not None else None

    def _finish(self, grace: float) -> None:
        process = self.process
        if process is None:
            return
        if not wait_exit(process, grace):
            signal_member(process, signal.SIGKILL, group=True)
            if not wait_exit(process, 30.0):
                raise ClusterError("member %d (pid %d) did not die after SIGKILL" % (self.index, process.pid))
        self.paused = False

    def _reap(self) -> None:
        if self.process is not None:
            wait_exit(self.process, 0)

    def _exit_status(self) -> Optional[int]:
        return self.process.poll() if self.process is not None else None

    # --- logs ---------------------------------------------------------------

    def log(self) -> str:
        """The member's log (every run of it); of a log over 16 MiB, the end, after a note
        saying how much was left out."""
        return read_text(self.log_path)

    def current_log(self) -> str:
        """The log written since the member was last started (bounded as :meth:`log` is)."""
        return read_text(self.log_path, self._log_offset)

    def log_tail(self, lines: int = 40, width: int = 400) -> str:
        """The last ``lines`` lines of the current run, each cut to ``width``."""
        return read_tail(self.log_path, self._log_offset, lines, width)
