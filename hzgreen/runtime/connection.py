"""One TCP connection to a member, and the loop that reads every connection.

A :class:`Connection` owns its socket and its protocol reader. Writes go straight from
the caller under a per-connection lock, or, under gevent, are queued and flushed from
the hub once per loop iteration (one ``send`` for every request of that iteration);
reads happen only on the client's I/O loop,
which also runs the periodic housekeeping (heartbeats, invocation deadlines). The loop
takes the shape the handler asks for: a thread polling every socket
(:class:`SelectIOLoop`), or, under gevent, the hub multiplexing one reader greenlet
per connection (:class:`TaskIOLoop`), which saves a poll-set rebuild per read.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Protocol, Sequence, Tuple, Union

from hzgreen.exceptions import ProtocolError
from hzgreen.protocol.message import ClientMessage
from hzgreen.protocol.reader import ClientMessageReader

if TYPE_CHECKING:
    from hzgreen.handler_types import Event, Handler

log = logging.getLogger("hzgreen.runtime.connection")
_getpid = os.getpid

RECV_SIZE = 256 * 1024
#: Under deferred writes, a writer waits once this much is queued behind a flush the
#: kernel could not take at once (a member that stopped reading).
MAX_QUEUED_BYTES = 16 * 1024 * 1024
PREAMBLE = b"CP2"

Bytes = Union[bytes, bytearray, memoryview]


class Stream(Protocol):
    """What a connection needs of the socket ``handler.create_connection`` returns.

    A stream may also have ``send_nowait(data) -> int`` (send what the kernel takes now,
    never block): under a handler whose ``io_style`` is ``"tasks"`` writes are then
    deferred to the event loop.
    """

    def fileno(self) -> int: ...
    def recv(self, size: int) -> bytes: ...
    def sendall(self, data: Bytes) -> Any: ...
    def shutdown(self, how: int) -> Any: ...
    def close(self) -> Any: ...


OnMessage = Callable[["Connection", ClientMessage], None]
OnClose = Callable[["Connection", str, Optional[BaseException]], None]


class Connection:
    """An authenticated (or authenticating) connection to one member.

    ``on_message(connection, message)`` is called on the I/O loop for every whole
    message read; ``on_close(connection, reason, error)`` once, when the connection ends.
    """

    def __init__(
        self,
        connection_id: int,
        sock: Stream,
        address: Tuple[str, int],
        handler: "Handler",
        max_frame_size: int,
        on_message: OnMessage,
        on_close: OnClose,
        on_forked_writes: Optional[Callable[[List[Any]], None]] = None,
    ) -> None:
        self.connection_id = connection_id
        self.sock = sock
        self.address = address
        self.member_uuid: Optional[uuid.UUID] = None
        self.remote_address: Optional[Tuple[str, int]] = None
        self.server_version: Optional[str] = None
        self.alive = True
        self.close_reason: Optional[str] = None
        self.close_error: Optional[BaseException] = None
        self._handler = handler
        self._reader = ClientMessageReader(max_frame_size)
        self._write_lock = handler.lock_object()
        self._outbox: List[bytes] = []
        # Deferred writes (a stream with send_nowait, under a handler with run_soon):
        # callers queue, the event loop flushes once per iteration.
        send_nowait: Optional[Callable[[Bytes], int]] = getattr(sock, "send_nowait", None)
        deferred = send_nowait is not None and getattr(handler, "io_style", None) == "tasks"
        self._send_nowait = send_nowait
        self._run_soon: Optional[Callable[..., None]] = handler.run_soon if deferred else None
        #: True when writes are queued and flushed by the event loop. Such a connection
        #: checks the process id once per flush, so its callers need not check it per write.
        self.deferred = deferred
        self._pid = _getpid()
        self._on_forked_writes = on_forked_writes
        self._outbox_bytes = 0
        self._outbox_owners: List[Any] = []
        self._in_flight: Sequence[Any] = ()  # owners of the chunk being flushed
        #: Owners of deferred writes a failed flush did not deliver (see :meth:`write`).
        self.unsent: List[Any] = []
        self._flush_scheduled = False
        self._flusher_busy = False
        self._room: "Event" = handler.event_object()
        self._room.set()
        self._on_message = on_message
        self._on_close = on_close
        now = handler.monotonic()
        self.last_read = now
        self.last_write = now
        self._fileno: int = sock.fileno()

    def fileno(self) -> int:
        """The socket's descriptor, as it was when the connection was made (for select)."""
        return self._fileno

    def write(self, data: bytes, owner: Any = None) -> None:
        """Send ``data`` after everything written before it on this connection.

        Raises OSError if the connection is closed, or if this caller's own flush fails.
        Under deferred writes, a flush that fails later closes the connection and lists
        the ``owner`` of every write it carried in :attr:`unsent` (their bytes did not all
        reach the kernel, as when a caller's own flush raises).
        """
        if not self.alive:
            raise OSError(errno.EPIPE, "connection %s is closed" % self)
        outbox = self._outbox
        outbox.append(data)
        if self._run_soon is not None:
            self._outbox_bytes += len(data)
            self._outbox_owners.append(owner)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._run_soon(self._flush_from_loop)
            if self._flusher_busy and self._outbox_bytes > MAX_QUEUED_BYTES:
                self._room.wait()
            return
        self._flush_now(outbox)

    def write_first(self, data: bytes, owner: Any = None) -> None:
        """Send ``data`` ahead of every write still queued in this process (heartbeats).

        Bytes already handed to the kernel, or being flushed, go first: a message is never
        split. Raises OSError as :meth:`write` does.
        """
        if not self.alive:
            raise OSError(errno.EPIPE, "connection %s is closed" % self)
        outbox = self._outbox
        outbox.insert(0, data)
        if self._run_soon is not None:
            self._outbox_bytes += len(data)
            self._outbox_owners.insert(0, owner)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._run_soon(self._flush_from_loop)
            return
        self._flush_now(outbox)

    def _flush_now(self, outbox: List[bytes]) -> None:
        # Whoever holds the write lock sends everything queued so far in one sendall;
        # a caller that finds the lock taken leaves its bytes to the holder, which
        # looks again after releasing, so nothing is stranded.
        lock = self._write_lock
        sock = self.sock
        while outbox:
            if not lock.acquire(False):
                return
            try:
                if len(outbox) == 1:
                    chunk = outbox.pop(0)  # oldest first: per-connection order is FIFO
                else:
                    chunks = outbox[:]
                    del outbox[: len(chunks)]
                    chunk = b"".join(chunks)
                sock.sendall(chunk)
            finally:
                lock.release()
        self.last_write = self._handler.monotonic()

    def _take_outbox(self) -> bytes:
        outbox = self._outbox
        chunk = outbox[0] if len(outbox) == 1 else b"".join(outbox)
        outbox.clear()
        self._outbox_bytes = 0
        self._in_flight, self._outbox_owners = self._outbox_owners, []
        return chunk

    def _flush_failed(self, error: OSError) -> None:
        self.unsent = [owner for owner in self._in_flight if owner is not None]
        self.close("write failed: %s" % error, error)

    def _flush_from_loop(self) -> None:
        """Send everything queued with one non-blocking send; runs in the event loop.

        What the kernel does not take now goes to a flusher task (the loop must not
        block); writes queued meanwhile wait for that task, keeping the order.
        """
        self._flush_scheduled = False
        if self._flusher_busy or not self._outbox or not self.alive:
            return
        if _getpid() != self._pid:
            self._drop_writes_in_child()
            return
        chunk = self._take_outbox()
        send_nowait = self._send_nowait
        assert send_nowait is not None  # deferred writes only run with a stream that has it
        try:
            sent = send_nowait(chunk)
        except OSError as error:
            self._handler.spawn(self._flush_failed, error)
            return
        self.last_write = self._handler.monotonic()
        if sent == len(chunk):
            self._in_flight = ()  # all sent: the owners need not outlive their requests
        else:
            self._flusher_busy = True
            self._room.clear()
            self._handler.spawn(self._flush_rest, memoryview(chunk)[sent:])

    def _drop_writes_in_child(self) -> None:
        """In a process forked from the one that made the connection (the socket is the
        parent's): send nothing, hand the owners of the queued writes to
        ``on_forked_writes`` (the invocation service fails them with ClientForkedError).
        Returns None."""
        self._take_outbox()
        owners, self._in_flight = [owner for owner in self._in_flight if owner is not None], ()
        if self._on_forked_writes is not None:
            self._on_forked_writes(owners)

    def _flush_rest(self, rest: memoryview) -> None:
        try:
            self.sock.sendall(rest)
            while self._outbox and self.alive:
                self.sock.sendall(self._take_outbox())
            self.last_write = self._handler.monotonic()
        except OSError as error:
            self._flush_failed(error)
        finally:
            self._flusher_busy = False
            self._room.set()

    def read_available(self) -> None:
        """Read what the socket has and dispatch whole messages; called by the I/O loop."""
        try:
            data = self.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as error:
            self.close("read failed: %s" % error, error)
            return
        if not data:
            self.close("connection closed by the member", None)
            return
        try:
            messages = self._reader.feed(data)
        except ProtocolError as error:
            log.warning("closing %s: %s", self, error)
            self.close("protocol error: %s" % error, error)
            return
        if messages:
            # Liveness counts whole messages, not bytes: a peer trickling bytes that never
            # complete a message must still be dropped at heartbeat_timeout.
            self.last_read = self._handler.monotonic()
        on_message = self._on_message
        for message in messages:
            try:
                on_message(self, message)
            except ProtocolError as error:
                log.warning("closing %s: %s", self, error)
                self.close("protocol error: %s" % error, error)
                return
            except Exception:  # a bug in a dispatch path must not kill the loop
                log.exception("error while dispatching a message from %s", self)

    def close(self, reason: str, error: Optional[BaseException] = None) -> None:
        """End the connection once; the socket is shut down so any blocked reader or writer wakes."""
        if not self.alive:
            return
        self.alive = False
        self.close_reason = reason
        self.close_error = error
        if self._run_soon is not None:
            self._outbox.clear()
            self._outbox_owners = []
            self._room.set()  # a writer waiting for room sees the connection closed
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self._on_close(self, reason, error)
        except Exception:
            log.exception("error in the close callback of %s", self)

    def release(self) -> None:
        """Free the socket; done by the I/O loop once it no longer polls it."""
        try:
            self.sock.close()
        except OSError:
            pass

    def __repr__(self) -> str:
        return "Connection(id=%d, address=%s:%d, member=%s, alive=%s)" % (
            self.connection_id,
            self.address[0],
            self.address[1],
            self.member_uuid,
            self.alive,
        )


class _IOLoopBase:
    """What both loop styles share: the registry of connections and the periodic ticks.

    ``tick`` callbacks run every ``tick_interval`` seconds on the loop; they must be
    quick and must not block.
    """

    def __init__(self, handler: "Handler", tick_interval: float = 0.05) -> None:
        self._handler = handler
        self._tick_interval = tick_interval
        self._connections: Dict[int, Connection] = {}
        self._ticks: List[Callable[[float], None]] = []
        self._running = False
        self._loop_identity: Optional[int] = None
        self._stopped: "Event" = handler.event_object()

    def start(self) -> None:
        """Start the loop on the handler's tasks; returns None."""
        raise NotImplementedError

    def stop(self, timeout: float = 5.0) -> None:
        """End the loop (waiting up to ``timeout`` s unless called from it) and close what it reads; returns None."""
        raise NotImplementedError

    def register(self, connection: Connection) -> None:
        """Read ``connection`` from now on; returns None."""
        raise NotImplementedError

    def add_tick(self, func: Callable[[float], None]) -> None:
        """Call ``func(now)`` every tick interval on the loop; returns None."""
        self._ticks.append(func)

    def unlink(self) -> None:
        """Drop the periodic callbacks, which point into the client (it was closed: the loop
        never runs again). Returns None."""
        self._ticks.clear()

    def connections(self) -> List[Connection]:
        """Every connection the loop reads, authenticated or not (a new list)."""
        return list(self._connections.values())

    def _run_ticks(self, now: float) -> None:
        for tick in self._ticks:
            try:
                tick(now)
            except Exception:
                log.exception("error in a periodic task")

    def _close_all(self) -> None:
        for connection in list(self._connections.values()):
            connection.close("client stopped")
            connection.release()
        self._connections.clear()


class SelectIOLoop(_IOLoopBase):
    """One task polls every connection with ``handler.select``; for thread handlers.

    A socket pair wakes the poll when connections are added, so a new connection is
    read at once rather than at the next tick.
    """

    def __init__(self, handler: "Handler", tick_interval: float = 0.05) -> None:
        super().__init__(handler, tick_interval)
        self._wake_r: Any = None  # the handler's socket pair, made at start()
        self._wake_w: Any = None
        self._wake_pending = False
        self._version = 0  # bumped whenever the set of polled connections changes

    def start(self) -> None:
        self._wake_r, self._wake_w = self._handler.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._wake_pending = False
        self._stopped = self._handler.event_object()
        self._running = True
        self._handler.spawn(self._run)

    def stop(self, timeout: float = 5.0) -> None:
        """End the loop and close what it still reads; returns None."""
        if not self._running:
            return
        self._running = False
        self._wake()
        if self._handler.current_identity() != self._loop_identity:
            self._stopped.wait(timeout)
        self._close_all()
        for sock in (self._wake_r, self._wake_w):
            try:
                sock.close()
            except OSError:
                pass

    def register(self, connection: Connection) -> None:
        self._connections[connection.connection_id] = connection
        self._version += 1
        self._wake()

    def _wake(self) -> None:
        if self._wake_pending or self._wake_w is None:
            return
        self._wake_pending = True
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _drain_wakeups(self) -> None:
        # Drain first, then clear: a wake that lands in between is at worst seen one
        # tick late, whereas the other order could leave the flag stuck and lose wakes.
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError, OSError):
            pass
        self._wake_pending = False

    def _run(self) -> None:
        handler = self._handler
        self._loop_identity = handler.current_identity()
        monotonic = handler.monotonic
        select = handler.select
        next_tick = monotonic() + self._tick_interval
        readers: List[Any] = []
        known = -1  # version of the connection set that ``readers`` reflects
        try:
            while self._running:
                if known != self._version:
                    known = self._version
                    readers = [c for c in self._connections.values() if c.alive]
                    readers.append(self._wake_r)
                timeout = max(0.0, next_tick - monotonic())
                try:
                    readable, _, _ = select(readers, [], [], timeout)
                except (OSError, ValueError):
                    # A socket was closed under us between building the list and polling it.
                    self._forget_dead()
                    readable = []
                for item in readable:
                    if item is self._wake_r:
                        self._drain_wakeups()
                        continue
                    if item.alive:
                        item.read_available()
                    if not item.alive:  # closed here or elsewhere: its socket polls readable
                        self._forget_dead()
                now = monotonic()
                if now >= next_tick:
                    next_tick = now + self._tick_interval
                    self._forget_dead()
                    self._run_ticks(now)
        except BaseException:  # the loop dying silently would hang every caller
            log.exception("I/O loop crashed")
            raise
        finally:
            self._stopped.set()

    def _forget_dead(self) -> None:
        dead = [c for c in self._connections.values() if not c.alive]
        for connection in dead:
            self._connections.pop(connection.connection_id, None)
            connection.release()
        if dead:
            self._version += 1


class TaskIOLoop(_IOLoopBase):
    """A reader task per connection, blocking in ``recv``; for greenlet handlers.

    The handler's event hub is then the client's single I/O loop: it multiplexes the
    readers, so a response costs one wake-up of the reader greenlet and no poll set is
    rebuilt per read.
    """

    def start(self) -> None:
        self._stopped = self._handler.event_object()
        self._wake_ticker = self._handler.event_object()
        self._running = True
        self._handler.spawn(self._tick_forever)

    def stop(self, timeout: float = 5.0) -> None:
        if not self._running:
            return
        self._running = False
        self._wake_ticker.set()  # do not make stop() wait out the rest of a tick interval
        self._close_all()
        if self._handler.current_identity() != self._loop_identity:
            self._stopped.wait(timeout)

    def register(self, connection: Connection) -> None:
        self._connections[connection.connection_id] = connection
        self._handler.spawn(self._read_forever, connection)

    def _read_forever(self, connection: Connection) -> None:
        try:
            while connection.alive and self._running:
                connection.read_available()
        finally:
            self._connections.pop(connection.connection_id, None)
            connection.release()

    def _tick_forever(self) -> None:
        handler = self._handler
        self._loop_identity = handler.current_identity()
        try:
            wake = self._wake_ticker
            while self._running:
                wake.wait(self._tick_interval)
                if self._running:
                    self._run_ticks(handler.monotonic())
        finally:
            self._stopped.set()


def create_io_loop(handler: "Handler", tick_interval: float = 0.05) -> _IOLoopBase:
    """The loop style the handler asks for (see ``IHandler.io_style``); returns it, not started."""
    if getattr(handler, "io_style", "select") == "tasks":
        return TaskIOLoop(handler, tick_interval)
    return SelectIOLoop(handler, tick_interval)
