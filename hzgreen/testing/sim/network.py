"""An in-memory network: addresses, scripted refusals, and byte streams with latency.

:meth:`SimNetwork.connect` gives the client a :class:`SimSocket` (the blocking,
socket-like end the runtime reads and writes) whose other end, a :class:`PeerLink`, is
handed to whatever :meth:`SimNetwork.listen`-ed on that address (a scripted member).
Bytes take ``latency`` virtual seconds to cross, in order, in either direction.
"""

from __future__ import annotations

import errno
import itertools
import socket
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

from hzgreen.testing.sim.scheduler import Simulation, Waiter

__all__ = ["SimNetwork", "SimSocket", "PeerLink"]

Address = Tuple[str, int]

_fds = itertools.count(10_000)


class _Pipe:
    """One direction of a link: bytes queued with their arrival time, delivered in order."""

    __slots__ = ("_sim", "_latency", "_deliver", "_in_flight", "_scheduled")

    def __init__(self, sim: Simulation, latency: float, deliver: Callable[[Any], None]) -> None:
        self._sim = sim
        self._latency = latency
        self._deliver = deliver
        self._in_flight: Deque[Tuple[float, Any]] = deque()
        self._scheduled = False

    def push(self, item: Any) -> None:
        """Queue ``item`` (bytes, or None for end-of-stream) for delivery after the latency."""
        sim = self._sim
        self._in_flight.append((sim.now + self._latency, item))
        if not self._scheduled:
            self._scheduled = True
            sim.call_at(self._in_flight[0][0], self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        now = self._sim.now
        in_flight = self._in_flight
        while in_flight and in_flight[0][0] <= now:
            self._deliver(in_flight.popleft()[1])
        if in_flight:
            self._scheduled = True
            self._sim.call_at(in_flight[0][0], self._flush)

    def drop(self) -> None:
        """Forget what is still in flight (the link was reset)."""
        self._in_flight.clear()


class SimSocket:
    """The client's end of a simulated TCP connection (blocking for the calling task).

    ``recv`` parks until bytes, end-of-stream (``b""``) or a reset (OSError) arrives;
    sends never block (the simulated kernel buffer is unbounded). ``close`` makes a
    task parked in ``recv`` raise ``OSError(EBADF)``, as the gevent stream does.
    """

    def __init__(self, network: "SimNetwork", address: Address, local: Address) -> None:
        self._network = network
        self._sim = network.sim
        self.address = address
        self.local = local
        self._fd = next(_fds)
        self._inbox = bytearray()
        self._eof = False
        self._error: Optional[OSError] = None
        self._readers: List[Waiter] = []
        self._watchers: List[Waiter] = []
        self.closed = False
        self._blocking = True
        self._write_shut = False
        self.link: Optional["PeerLink"] = None
        self._to_peer: Optional[_Pipe] = None
        self.bytes_sent = 0
        self.bytes_received = 0

    # -- what the runtime calls --------------------------------------------------------

    def fileno(self) -> int:
        return self._fd

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` at end of stream; OSError after a reset or close.

        Parks the caller until something arrives; raises BlockingIOError instead once
        ``setblocking(False)`` was called.
        """
        while True:
            if self.closed:
                raise OSError(errno.EBADF, "socket closed")
            if self._inbox:
                data = bytes(self._inbox[:size])
                del self._inbox[:size]
                return data
            if self._error is not None:
                raise self._error
            if self._eof:
                return b""
            if not self._blocking:
                raise BlockingIOError(errno.EAGAIN, "no data")
            waiter = Waiter(self._sim)
            self._readers.append(waiter)
            try:
                waiter.wait()
            finally:
                if waiter in self._readers:
                    self._readers.remove(waiter)

    def send(self, data: Any) -> int:
        """Queue every byte of ``data`` for the peer; returns its length. OSError once closed or reset."""
        if self.closed:
            raise OSError(errno.EBADF, "socket closed")
        if self._error is not None:
            raise self._error
        if self._write_shut or self._to_peer is None:
            raise BrokenPipeError(errno.EPIPE, "broken pipe")
        chunk = bytes(data)
        if chunk:
            self.bytes_sent += len(chunk)
            self._to_peer.push(chunk)
        return len(chunk)

    def sendall(self, data: Any) -> None:
        self.send(data)

    def shutdown(self, how: int) -> None:
        """End the stream: readers see end-of-stream, the peer sees the connection close."""
        if self.closed:
            raise OSError(errno.EBADF, "socket closed")
        if how in (socket.SHUT_RD, socket.SHUT_RDWR):
            self._eof = True
            self._wake_readers()
        if how in (socket.SHUT_WR, socket.SHUT_RDWR) and not self._write_shut:
            self._write_shut = True
            if self._to_peer is not None:
                self._to_peer.push(None)

    def close(self) -> None:
        if self.closed:
            return
        if not self._write_shut and self._to_peer is not None:
            self._write_shut = True
            self._to_peer.push(None)
        self.closed = True
        self._network._forget(self)
        self._wake_readers()

    def setblocking(self, flag: bool) -> None:
        self._blocking = bool(flag)

    def settimeout(self, value: Optional[float]) -> None:
        self._blocking = value is None or value > 0

    def gettimeout(self) -> Optional[float]:
        return None if self._blocking else 0.0

    def setsockopt(self, *args: Any) -> None:
        pass

    def getsockname(self) -> Address:
        return self.local

    def getpeername(self) -> Address:
        return self.address

    def readable(self) -> bool:
        """True when ``recv`` would not park (data, end-of-stream, an error, or closed)."""
        return bool(self._inbox) or self._eof or self._error is not None or self.closed

    def watch(self, waiter: Waiter) -> None:
        """Wake ``waiter`` when something arrives (used by the handler's ``select``)."""
        self._watchers = [w for w in self._watchers if not w.fired]
        self._watchers.append(waiter)

    # -- what the link calls -------------------------------------------------------------

    def _arrive(self, item: Optional[bytes]) -> None:
        if self.closed:
            return
        if item is None:
            self._eof = True
        else:
            self.bytes_received += len(item)
            self._inbox += item
        self._wake_readers()

    def _reset(self) -> None:
        if self._error is None:
            self._error = ConnectionResetError(errno.ECONNRESET, "connection reset by peer")
        self._wake_readers()

    def _wake_readers(self) -> None:
        readers, self._readers = self._readers, []
        for waiter in readers:
            waiter.wake()
        watchers, self._watchers = self._watchers, []
        for waiter in watchers:
            waiter.wake()

    def __repr__(self) -> str:
        return "<SimSocket %s:%d fd=%d%s>" % (
            self.address[0],
            self.address[1],
            self._fd,
            " closed" if self.closed else "",
        )


class SimStream(SimSocket):
    """A :class:`SimSocket` with ``send_nowait``: the runtime then defers its writes to the loop."""

    def send_nowait(self, data: Any) -> int:
        """Send everything at once (the simulated kernel takes any amount); returns the byte count."""
        return self.send(data)


class PeerLink:
    """The member's end of a connection: push bytes with :meth:`send`, end it with :meth:`close`.

    ``on_data(bytes)`` and ``on_close()`` are set by the peer that accepted it; they run
    on the hub and must not block.
    """

    def __init__(self, network: "SimNetwork", client: SimSocket, latency: float) -> None:
        self.network = network
        self.sim = network.sim
        self.client = client
        self.link_id = client.fileno()
        self.open = True
        self.on_data: Callable[[bytes], None] = lambda data: None
        self.on_close: Callable[[], None] = lambda: None
        self._to_client = _Pipe(self.sim, latency, client._arrive)
        client._to_peer = _Pipe(self.sim, latency, self._arrive)
        client.link = self

    def send(self, data: bytes) -> bool:
        """Queue ``data`` for the client; False (nothing sent) once the link is closed."""
        if not self.open:
            return False
        self._to_client.push(bytes(data))
        return True

    def close(self) -> None:
        """Close gracefully: the client reads what is in flight, then end-of-stream."""
        if not self.open:
            return
        self.open = False
        self._to_client.push(None)
        self.on_close()

    def reset(self) -> None:
        """Abort: in-flight bytes are lost and the client's next read raises ECONNRESET."""
        if not self.open:
            return
        self.open = False
        self._to_client.drop()
        self.client._reset()
        self.on_close()

    def _arrive(self, item: Optional[bytes]) -> None:
        if not self.open:
            return
        if item is None:
            self.open = False
            self.on_close()
            return
        self.on_data(item)


class SimNetwork:
    """Who listens where, and what connecting to an address does.

    An address nobody listens on refuses (ConnectionRefusedError); a host in
    ``unresolvable`` fails name resolution (socket.gaierror); a ``blackholed`` address
    lets the connect time out (socket.timeout after the connect timeout). Every connect
    attempt is listed in :attr:`attempts` as ``(virtual time, address, outcome)``.
    """

    def __init__(self, sim: Simulation, latency: float = 0.0005, deferred_writes: bool = True) -> None:
        self.sim = sim
        self.latency = latency
        self.deferred_writes = deferred_writes
        self._listeners: Dict[Address, Any] = {}
        self.unresolvable: Set[str] = set()
        self.blackholed: Set[Address] = set()
        self.attempts: List[Tuple[float, Address, str]] = []
        self._open: List[SimSocket] = []
        self._by_fd: Dict[int, SimSocket] = {}
        self._ports = itertools.count(40_000)

    def listen(self, address: Address, acceptor: Callable[[PeerLink], None]) -> None:
        """Route connections to ``address`` to ``acceptor(link)`` (called on the connecting task)."""
        self._listeners[address] = acceptor

    def unlisten(self, address: Address) -> None:
        """Refuse connections to ``address`` from now on."""
        self._listeners.pop(address, None)

    def open_sockets(self) -> List[SimSocket]:
        """Client sockets not closed yet."""
        return list(self._open)

    def connect(self, address: Address, timeout: Optional[float]) -> SimSocket:
        """Connect to ``address`` after one latency; returns the client end.

        Raises socket.gaierror, ConnectionRefusedError or socket.timeout as scripted.
        """
        host, port = address[0], int(address[1])
        address = (host, port)
        sim = self.sim
        if host in self.unresolvable:
            self.attempts.append((sim.now, address, "unresolvable"))
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if address in self.blackholed:
            self.attempts.append((sim.now, address, "timeout"))
            sim.sleep(timeout if timeout is not None else 75.0)
            raise socket.timeout("timed out connecting to %s:%d" % address)
        sim.sleep(self.latency)
        acceptor = self._listeners.get(address)
        if acceptor is None:
            self.attempts.append((sim.now, address, "refused"))
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        self.attempts.append((sim.now, address, "accepted"))
        kind = SimStream if self.deferred_writes else SimSocket
        client = kind(self, address, ("10.255.0.1", next(self._ports)))
        link = PeerLink(self, client, self.latency)
        self._open.append(client)
        self._by_fd[client.fileno()] = client
        acceptor(link)
        return client

    def socketpair(self) -> Tuple[SimSocket, SimSocket]:
        """Two simulated sockets connected to each other (no latency); returns ``(a, b)``."""
        here = ("127.0.0.1", next(self._ports))
        a = SimSocket(self, here, here)
        b = SimSocket(self, here, here)
        a._to_peer = _Pipe(self.sim, 0.0, b._arrive)
        b._to_peer = _Pipe(self.sim, 0.0, a._arrive)
        self._by_fd[a.fileno()] = a
        self._by_fd[b.fileno()] = b
        return a, b

    def socket_of(self, obj: Any) -> Optional[SimSocket]:
        """The open SimSocket behind ``obj`` (a SimSocket, or anything with its ``fileno()``); None if closed."""
        if isinstance(obj, SimSocket):
            return None if obj.closed else obj
        return self._by_fd.get(obj if isinstance(obj, int) else obj.fileno())

    def _forget(self, sock: SimSocket) -> None:
        if sock in self._open:
            self._open.remove(sock)
        self._by_fd.pop(sock.fileno(), None)
