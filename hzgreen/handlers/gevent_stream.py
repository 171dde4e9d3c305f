"""A connected TCP socket for greenlets, leaner than ``gevent.socket`` on the hot path.

The client reads each connection from one greenlet and flushes its writes from the
hub, so the stream needs little of what a general cooperative socket offers; what it
saves is system calls, which dominate a request's cost on a loopback round trip:

* ``recv`` waits for readability *before* reading once the previous read drained
  the kernel buffer, instead of failing a read with EAGAIN first;
* ``send_nowait`` sends what the kernel takes without ever blocking, so the writes of
  every greenlet in one loop iteration go out in one ``send`` from the hub;
* ``sendall`` does not query ``SO_SNDBUF`` on every call (gevent's does).

Waiting uses one persistent read and one write watcher. ``close`` interrupts a
greenlet parked on either with ``OSError(EBADF)`` before the descriptor is closed.
"""

from __future__ import annotations

import errno
import socket as _stdsocket
from typing import Any, Union

from gevent.hub import get_hub

__all__ = ["GreenStream"]

_EV_READ = 1
_EV_WRITE = 2


class GreenStream:
    """Blocking-style (for the calling greenlet) wrapper of a connected TCP socket.

    Anything not defined here (``getsockopt``, ``getsockname``, ...) is delegated to
    the underlying socket.
    """

    __slots__ = ("_sock", "_fd", "_hub", "_read_watcher", "_write_watcher", "_drained", "closed")

    def __init__(self, sock: _stdsocket.socket) -> None:
        sock.setblocking(False)
        hub = get_hub()
        fd = sock.fileno()
        self._sock = sock
        self._fd = fd
        self._hub = hub
        self._read_watcher = hub.loop.io(fd, _EV_READ)
        self._write_watcher = hub.loop.io(fd, _EV_WRITE)
        self._drained = False
        self.closed = False

    def fileno(self) -> int:
        """Returns the socket's file descriptor. Raises nothing."""
        return self._fd

    def gettimeout(self) -> None:
        """None: calls block the calling greenlet (never the hub) until done."""
        return None

    def recv(self, size: int) -> bytes:
        """Returns up to ``size`` bytes (b"" at the end of the stream), parking the calling greenlet while
        none is in. Raises OSError when the connection fails, ``OSError(EBADF)`` when the stream is
        closed meanwhile."""
        sock = self._sock
        if self._drained:
            self._hub.wait(self._read_watcher)
        while True:
            try:
                data = sock.recv(size)
            except (BlockingIOError, InterruptedError):
                self._hub.wait(self._read_watcher)
                continue
            self._drained = len(data) < size
            return data

    def send_nowait(self, data: Union[bytes, bytearray, memoryview]) -> int:
        """Send what the kernel accepts now; the number of bytes sent (maybe 0). Never blocks."""
        try:
            return self._sock.send(data)
        except (BlockingIOError, InterruptedError):
            return 0

    def sendall(self, data: Union[bytes, bytearray, memoryview]) -> None:
        """Send all of ``data``, parking the calling greenlet while the kernel buffer is full."""
        sent = self.send_nowait(data)
        total = len(data)
        if sent == total:
            return
        view = memoryview(data)
        while sent < total:
            more = self.send_nowait(view[sent:])
            if more:
                sent += more
            else:
                self._hub.wait(self._write_watcher)

    def shutdown(self, how: int) -> None:
        """Shuts the TCP connection down in direction ``how`` (``socket.SHUT_*``); returns None. Raises
        OSError from the socket."""
        self._sock.shutdown(how)

    def close(self) -> None:
        """Close the socket; a greenlet waiting to read or write gets ``OSError(EBADF)``."""
        if self.closed:
            return
        self.closed = True
        error = OSError(errno.EBADF, "socket closed")
        self._hub.cancel_waits_close_and_then([self._read_watcher, self._write_watcher], error, self._sock.close)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def __repr__(self) -> str:
        return "<GreenStream fd=%d%s>" % (self._fd, " closed" if self.closed else "")
