"""Process control for member JVMs: spawning, the registry of live JVMs, ports.

Every JVM started here:

* is spawned directly (no shell) in a new session, so its process group id
  is its pid and a signal to the group reaches nothing else;
* asks the kernel (Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to kill it
  when the thread that spawned it goes away, so a ``kill -9`` of the test
  run still leaves no JVM behind;
* is recorded in a module-level registry that an ``atexit`` handler empties
  with SIGKILL.

Only processes from the registry are ever signalled, and only while they
are un-reaped children of this process (so their pid cannot have been
reused by somebody else).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import errno
import fcntl
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from hzgreen.testing.logs import cap_log_size

__all__ = [
    "PortReservation",
    "kill_all_members",
    "live_member_pids",
    "process_state",
    "reserve_ports",
    "signal_member",
    "spawn_member",
    "wait_exit",
]

_PR_SET_PDEATHSIG = 1

_registry: Dict[int, "subprocess.Popen[bytes]"] = {}
_registry_lock = threading.Lock()


def _load_prctl() -> Optional[Callable[..., int]]:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return prctl


# Loaded once in the parent: the child must not do anything complicated
# between fork and exec.
_prctl = _load_prctl()


def _child_setup(parent_pid: int) -> Callable[[], None]:
    def setup() -> None:
        if _prctl is not None:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            # The parent may have died between fork and prctl.
            if os.getppid() != parent_pid:
                os._exit(1)

    return setup


def spawn_member(
    argv: Sequence[str],
    log_path: str,
    env: Optional[Dict[str, str]] = None,
    cwd: Optional[str] = None,
    die_with_parent: bool = True,
) -> "subprocess.Popen[bytes]":
    """Start ``argv`` (a java command line) with output appended to ``log_path``, which
    it may grow to :data:`~hzgreen.testing.logs.LOG_SIZE_CAP` bytes.

    With ``die_with_parent`` (the default) the kernel kills the JVM when this
    process dies, even by SIGKILL.  The kernel ties that to the *thread* that
    forks, so it is only requested from the main OS thread (where greenlets
    run too): a JVM started from a worker thread must not die when that
    thread ends, and relies on the atexit handler instead.
    """
    if die_with_parent and threading.get_native_id() != os.getpid():
        die_with_parent = False
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            close_fds=True,
            start_new_session=True,
            preexec_fn=_child_setup(os.getpid()) if die_with_parent else None,
        )
    cap_log_size(process.pid)  # a member stuck in a loop of errors must not fill the disk
    with _registry_lock:
        _registry[process.pid] = process
    return process


def _alive(process: "subprocess.Popen[bytes]") -> bool:
    return process.poll() is None


def signal_member(process: "subprocess.Popen[bytes]", signum: int, group: bool = False) -> bool:
    """Send ``signum`` to a JVM started by :func:`spawn_member`.

    Returns False (and sends nothing) when the process has already exited:
    once reaped, its pid may belong to somebody else.
    """
    with _registry_lock:
        if _registry.get(process.pid) is not process or not _alive(process):
            return False
        if group:
            try:
                os.killpg(process.pid, signum)
                return True
            except OSError:
                pass  # not a group leader after all: signal the process itself
        try:
            os.kill(process.pid, signum)
        except ProcessLookupError:
            return False
        return True


def wait_exit(process: "subprocess.Popen[bytes]", timeout: Optional[float]) -> bool:
    """Wait for the process to exit, reap it and drop it from the registry.

    Returns True if it exited within ``timeout``.
    """
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    with _registry_lock:
        if _registry.get(process.pid) is process:
            del _registry[process.pid]
    return True


def live_member_pids() -> List[int]:
    """Pids of the JVMs this process started that are still running."""
    with _registry_lock:
        return [pid for pid, process in _registry.items() if _alive(process)]


def kill_all_members() -> None:
    """SIGKILL every JVM this process started and still runs (atexit handler)."""
    with _registry_lock:
        processes = list(_registry.values())
    for process in processes:
        signal_member(process, signal.SIGKILL, group=True)
    for process in processes:
        wait_exit(process, 10)


atexit.register(kill_all_members)


def process_state(pid: int) -> Optional[str]:
    """The one-letter state from ``/proc/<pid>/stat`` (R, S, T, Z, ...), or None."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            data = stat.read().decode("ascii", "replace")
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces.
    return data[data.rindex(")") + 2 :].split(" ", 1)[0]


# --- ports -----------------------------------------------------------------


class PortReservation:
    """Free loopback TCP ports held for the life of a cluster.

    A port is chosen below the kernel's ephemeral range (so no outgoing
    connection can be given it while its member is down, which would also
    allow a TCP self-connect) and locked with ``flock`` on a file in a
    per-user folder, so concurrent test runs on the same machine never pick
    the same port.
    """

    def __init__(self, ports: List[int], locks: List[int]) -> None:
        self.ports = ports
        self._locks = locks

    def release(self) -> None:
        locks, self._locks = self._locks, []
        for fd in locks:
            try:
                os.close(fd)
            except OSError:
                pass

    def __del__(self) -> None:
        self.release()


def _ephemeral_range() -> Tuple[int, int]:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
            low, high = (int(part) for part in handle.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _candidate_range() -> range:
    low, high = _ephemeral_range()
    if low - 1 > 20000:
        return range(20000, low - 1)
    return range(high + 1, 65535)


def _bindable(host: str, port: int) -> bool:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind((host, port))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _lock_dir() -> str:
    path = os.path.join(tempfile.gettempdir(), "hzgreen-ports-%d" % os.getuid())
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def reserve_ports(count: int, host: str = "127.0.0.1", attempts: int = 2000) -> PortReservation:
    """Reserve ``count`` distinct free TCP ports on ``host``."""
    folder = _lock_dir()
    candidates = _candidate_range()
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    ports: List[int] = []
    locks: List[int] = []
    for _ in range(attempts):
        if len(ports) == count:
            break
        port = rng.choice(candidates)
        if port in ports:
            continue
        fd = os.open(os.path.join(folder, "%d.lock" % port), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                continue
            raise
        if not _bindable(host, port):
            os.close(fd)
            continue
        ports.append(port)
        locks.append(fd)
    else:
        if len(ports) < count:
            for fd in locks:
                os.close(fd)
            raise RuntimeError("could not find %d free TCP ports on %s" % (count, host))
    return PortReservation(ports, locks)
