"""Clients inherited through ``fork()``: refused in the child, cut off from the parent's sockets.

A process that forks (gunicorn or uWSGI preloading an application, ``multiprocessing``,
celery's prefork pool) gives the child a copy of every client, connections included.
Those TCP connections remain the parent's: a byte the child writes interleaves with the
parent's frames, a read in the child steals the parent's responses, and none of the
parent's threads survives in the child to answer the child's calls (it would hang). So
a client is usable only in the process that created it:

* every request sent from another process fails at once with
  :class:`~hzgreen.exceptions.ClientForkedError` (the invocation service compares pids
  before each send); ``start()`` raises it too, and ``state`` reads LOST there;
* right after ``fork()`` (``os.register_at_fork``) the child cuts every inherited client
  off: the descriptor of each of its connections is replaced with the read end of an
  empty pipe whose write end is closed. The parent's sockets are untouched (only the
  child's references to them go), and whatever of the client still runs in the child
  (greenlets survive a fork, with the hub re-initialised by gevent) sees its connections
  fail instead of reading or writing the parent's data; reconnecting is switched off;
* ``stop()``/``close()`` in the child drop the client's local state only: nothing is
  sent (CP sessions are the parent's too), no socket is shut down.

A server that forks without running Python's at-fork hooks (uWSGI without
``py-call-osafterfork``) gets the pid checks only: calls still fail clearly.
"""

from __future__ import annotations

import logging
import os
import weakref
from typing import TYPE_CHECKING

from hzgreen.exceptions import ClientForkedError
from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.lifecycle import StateTracker
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.connection import _IOLoopBase as IOLoop
    from hzgreen.runtime.connection_manager import ConnectionManager

log = logging.getLogger("hzgreen.client")

#: The guard of every client created in this process or inherited by it, until garbage-collected.
_guards: "weakref.WeakSet[ForkGuard]" = weakref.WeakSet()


class ForkGuard:
    """One client's protection against use in a forked child.

    Holds what cutting the client off touches (its state tracker, connection manager
    and I/O loop) so nothing here reaches into the client itself. Created with the
    client; the process it is created in is the only one the client works in.
    """

    def __init__(self, state: "StateTracker", connections: "ConnectionManager", io_loop: "IOLoop") -> None:
        self.pid = os.getpid()
        self._state = state
        self._connections = connections
        self._io_loop = io_loop
        _guards.add(self)

    def inherited(self) -> bool:
        """True in a process other than the one that created the client."""
        return self.pid != os.getpid()

    def check(self) -> None:
        """Return None in the process that created the client; raise ClientForkedError elsewhere."""
        pid = os.getpid()
        if self.pid != pid:
            raise ClientForkedError(self.pid, pid)

    def release(self) -> bool:
        """``stop()`` of an inherited client: drop its local state, touching none of the parent's sockets.

        Closes the child's copies of the descriptors (never ``shutdown()``, which would end
        the parent's connections), sends nothing and runs no shutdown hook. Returns False,
        having done nothing, in the process that created the client; True elsewhere.
        """
        if not self.inherited():
            return False
        self._cut_off_now()  # in case the at-fork hook did not run (a server forking from C)
        for connection in self._io_loop.connections():
            connection.release()
        return True

    def cut_off(self, dead_end: int) -> None:
        """Make the client harmless in this (child) process: no lock taken, nothing sent, no switch."""
        self._state.state = HzState.LOST  # no transition: listeners must not run for the parent's client
        self._connections.abandon()
        for connection in self._io_loop.connections():
            fd = _open_descriptor(connection)
            if fd >= 0:
                os.dup2(dead_end, fd, inheritable=False)

    def _cut_off_now(self) -> None:
        dead_end = _dead_end()
        try:
            self.cut_off(dead_end)
        finally:
            os.close(dead_end)


def _open_descriptor(connection: "Connection") -> int:
    """The descriptor of ``connection``'s socket, or -1 once that socket was closed."""
    sock = connection.sock
    if getattr(sock, "closed", False):
        return -1
    try:
        return int(sock.fileno())
    except OSError:
        return -1


def _dead_end() -> int:
    """The read end of a pipe whose write end is closed: reads end, socket calls fail."""
    read_end, write_end = os.pipe()
    os.close(write_end)
    return read_end


def _after_fork_in_child() -> None:
    guards = list(_guards)
    if not guards:
        return
    dead_end = _dead_end()
    try:
        for guard in guards:
            try:
                guard.cut_off(dead_end)
            except Exception:
                log.exception("could not cut off a client inherited through fork()")
    finally:
        os.close(dead_end)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
