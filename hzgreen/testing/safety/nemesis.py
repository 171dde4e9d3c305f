"""A nemesis: kill, pause, resume and restart members and client processes on a schedule.

A :class:`Nemesis` runs a list of :class:`Action` (each at an offset in seconds from its
start) in a thread, against the members of a :class:`hzgreen.testing.Cluster` (targets are
member indexes) and against client processes (targets are names of ``subprocess.Popen``
objects). Every action is recorded in the :class:`~hzgreen.testing.safety.history.History`
as an operation of process ``"nemesis"``: invoked with ``[kind, target]`` (kind ``"member"``
or ``"process"``), completed ``ok``, or ``info`` with the error's text when it failed.
"""

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence, Tuple, Union

from hzgreen.testing.safety.history import History

NEMESIS = "nemesis"
KILL = "kill"
PAUSE = "pause"
RESUME = "resume"
RESTART = "restart"
ACTIONS = (KILL, PAUSE, RESUME, RESTART)


class MemberControl(Protocol):
    """What the nemesis needs of a cluster (``hzgreen.testing.Cluster`` has it)."""

    def kill(self, i: int) -> None: ...

    def pause(self, i: int) -> None: ...

    def resume(self, i: int) -> None: ...

    def restart(self, i: int, timeout: Optional[float] = None, promote: Optional[bool] = None) -> Any: ...


@dataclass(frozen=True)
class Action:
    """Do ``action`` to ``target`` (a member index, or a client process name) ``at`` s after the start.

    Raises ``ValueError`` for an unknown action or a negative ``at``.
    """

    at: float
    action: str
    target: Union[int, str]

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError("action must be one of %s, not %r" % (", ".join(ACTIONS), self.action))
        if self.at < 0:
            raise ValueError("at must be >= 0, not %r" % (self.at,))


class Nemesis:
    """Runs a schedule of :class:`Action` in a thread, recording each in ``history``.

    ``processes`` maps names to client processes; ``restarters`` maps names to functions
    that start a replacement process (needed only to restart one). ``clock`` must be the
    clock the schedule's offsets are measured with. Raises ``ValueError`` for an action whose
    target is missing (no cluster, an unknown process, a process restart with no restarter).
    """

    def __init__(
        self,
        history: History,
        schedule: Sequence[Action],
        cluster: Optional[MemberControl] = None,
        processes: Optional[Mapping[str, "subprocess.Popen[Any]"]] = None,
        restarters: Optional[Mapping[str, Callable[[], "subprocess.Popen[Any]"]]] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for action in schedule:
            if isinstance(action.target, int) and cluster is None:
                raise ValueError("%r targets a member but no cluster was given" % (action,))
            if isinstance(action.target, str) and action.target not in (processes or {}):
                raise ValueError("%r targets an unknown process" % (action,))
            if isinstance(action.target, str) and action.action == RESTART and action.target not in (restarters or {}):
                raise ValueError("%r needs a restarter for that process" % (action,))
        self.history = history
        self.schedule = sorted(schedule, key=lambda action: action.at)
        self.cluster = cluster
        self.processes: Dict[str, "subprocess.Popen[Any]"] = dict(processes or {})
        self.restarters = dict(restarters or {})
        self.errors: List[Tuple[Action, BaseException]] = []
        self.done = threading.Event()
        self._clock = clock
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> "Nemesis":
        """Start running the schedule in a daemon thread; return self. Raises ``RuntimeError`` if started twice."""
        if self._thread is not None:
            raise RuntimeError("this nemesis has already been started")
        self._thread = threading.Thread(target=self.run, name="hzgreen-nemesis", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the schedule to stop before its next action (one under way completes)."""
        self._stopping.set()

    def join(self, timeout: Optional[float] = None) -> bool:
        """Wait for the schedule to end; return True if it ended within ``timeout``."""
        return self.done.wait(timeout)

    def run(self) -> None:
        """Run the schedule in the calling thread, then set :attr:`done`. Errors go to :attr:`errors`."""
        try:
            began = self._clock()
            for action in self.schedule:
                remaining = began + action.at - self._clock()
                if remaining > 0 and self._stopping.wait(remaining):
                    break  # waiting for the action's time, not for another thread
                if self._stopping.is_set():
                    break
                self._perform(action)
        finally:
            self.done.set()

    def _perform(self, action: Action) -> None:
        kind = "member" if isinstance(action.target, int) else "process"
        value = [kind, action.target]
        self.history.invoke(NEMESIS, action.action, value)
        try:
            if isinstance(action.target, int):
                self._on_member(action.action, action.target)
            else:
                self._on_process(action.action, action.target)
        except Exception as error:
            self.errors.append((action, error))
            self.history.info(NEMESIS, action.action, value + [repr(error)])
            return
        self.history.ok(NEMESIS, action.action, value)

    def _on_member(self, action: str, index: int) -> None:
        cluster = self.cluster
        assert cluster is not None  # checked in __init__
        if action == KILL:
            cluster.kill(index)
        elif action == PAUSE:
            cluster.pause(index)
        elif action == RESUME:
            cluster.resume(index)
        else:
            cluster.restart(index)

    def _on_process(self, action: str, name: str) -> None:
        process = self.processes[name]
        running = process.poll() is None
        if action == KILL:
            if running:
                process.kill()
            process.wait()
        elif action == PAUSE:
            if not running:
                raise RuntimeError("process %s has exited (rc=%s)" % (name, process.returncode))
            os.kill(process.pid, signal.SIGSTOP)
        elif action == RESUME:
            if not running:
                raise RuntimeError("process %s has exited (rc=%s)" % (name, process.returncode))
            os.kill(process.pid, signal.SIGCONT)
        else:
            if running:
                process.kill()
            process.wait()
            self.processes[name] = self.restarters[name]()
