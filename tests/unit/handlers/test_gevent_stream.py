"""GreenStream (the gevent handler's connection stream) and the deferred writes of a
Connection over it: greenlet-blocking reads and writes, interruption on close, and
one ``send`` for every write of a loop iteration."""

import socket

import gevent
import gevent.event
import pytest

from hzgreen.handlers.gevent import SequentialGeventHandler
from hzgreen.handlers.gevent_stream import GreenStream
from hzgreen.runtime.connection import Connection

WAIT = 10


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    stream = GreenStream(a)
    try:
        yield stream, b
    finally:
        stream.close()
        b.close()


def read_exactly(sock, n):
    """Read n bytes from a stdlib socket, in a greenlet that gives up after WAIT seconds."""

    def read():
        peer = GreenStream(sock)
        out = bytearray()
        while len(out) < n:
            chunk = peer.recv(n - len(out))
            assert chunk, "peer closed early"
            out += chunk
        return bytes(out)

    return gevent.spawn(read).get(timeout=WAIT)


def test_recv_blocks_only_the_calling_greenlet(pair):
    stream, peer = pair
    reader = gevent.spawn(stream.recv, 100)
    other = gevent.spawn(lambda: "ran")
    assert other.get(timeout=WAIT) == "ran"
    assert not reader.ready()
    peer.sendall(b"hello")
    assert reader.get(timeout=WAIT) == b"hello"
    # The buffer was drained: the next read waits first, then returns what arrives.
    later = gevent.spawn(stream.recv, 100)
    peer.sendall(b"again")
    assert later.get(timeout=WAIT) == b"again"


def test_recv_returns_empty_at_end_of_stream(pair):
    stream, peer = pair
    peer.shutdown(socket.SHUT_WR)
    assert gevent.spawn(stream.recv, 10).get(timeout=WAIT) == b""


def test_send_nowait_never_blocks_and_sendall_waits_for_room(pair):
    stream, peer = pair
    big = b"x" * (8 * 1024 * 1024)
    sent = stream.send_nowait(big)
    assert 0 < sent < len(big)  # the kernel took what fit, nobody waited
    while sent < len(big):
        more = stream.send_nowait(big[sent:])
        if more == 0:
            break  # full: reported as 0 bytes, not raised
        sent += more
    assert sent < len(big)
    rest = big[sent:]
    writer = gevent.spawn(stream.sendall, rest)
    got = read_exactly(peer, len(big))
    writer.get(timeout=WAIT)
    assert got[:sent] == big[:sent] and got[sent : sent + len(rest)] == rest


def test_close_interrupts_a_waiting_reader_with_oserror(pair):
    stream, _ = pair
    reader = gevent.spawn(stream.recv, 10)
    gevent.sleep(0)  # let it park on the read watcher
    stream.close()
    with pytest.raises(OSError):
        reader.get(timeout=WAIT)
    assert stream.closed


def test_attributes_fall_through_to_the_socket(pair):
    stream, _ = pair
    assert stream.gettimeout() is None
    assert stream.family == socket.AF_UNIX
    assert stream.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM


class CountingStream(GreenStream):
    __slots__ = ("sends",)

    def __init__(self, sock):
        super().__init__(sock)
        self.sends = 0

    def send_nowait(self, data):
        self.sends += 1
        return GreenStream.send_nowait(self, data)


@pytest.fixture
def wired():
    """A Connection over a CountingStream, its peer socket, and the close outcome."""
    a, peer = socket.socketpair()
    stream = CountingStream(a)
    closed = gevent.event.AsyncResult()
    connection = Connection(
        1,
        stream,
        ("127.0.0.1", 0),
        SequentialGeventHandler(),
        1 << 20,
        on_message=lambda c, m: None,
        on_close=lambda c, reason, error: closed.set(reason),
    )
    try:
        yield connection, stream, peer, closed
    finally:
        connection.close("test over")
        stream.close()
        peer.close()


def test_writes_of_one_loop_iteration_go_out_in_one_send_in_order(wired):
    connection, stream, peer, _ = wired
    for i in range(100):
        connection.write(b"%03d" % i)
    assert stream.sends == 0  # queued: nothing is sent before this greenlet yields
    data = read_exactly(peer, 300)
    assert data == b"".join(b"%03d" % i for i in range(100))
    assert stream.sends == 1


def test_a_flush_the_kernel_cannot_take_at_once_keeps_order(wired):
    connection, _, peer, closed = wired
    first = b"a" * (4 * 1024 * 1024)
    connection.write(first)
    gevent.sleep(0)  # the hub flushes: part goes out, a flusher greenlet keeps the rest
    connection.write(b"tail")
    got = read_exactly(peer, len(first) + 4)
    assert got == first + b"tail"
    assert not closed.ready()


def test_a_failed_flush_closes_the_connection(wired):
    connection, _, peer, closed = wired
    peer.close()
    token = object()
    connection.write(b"x" * 1024, token)
    reason = closed.get(timeout=WAIT)
    assert "write failed" in reason
    assert connection.alive is False
    assert connection.unsent == [token]  # the invocation service may safely send it again
    with pytest.raises(OSError):
        connection.write(b"more")


def test_a_writer_waits_while_too_much_is_queued_behind_a_stalled_flush(wired, monkeypatch):
    import hzgreen.runtime.connection

    monkeypatch.setattr(hzgreen.runtime.connection, "MAX_QUEUED_BYTES", 64 * 1024)
    connection, _, peer, _ = wired
    first = b"a" * (4 * 1024 * 1024)
    connection.write(first)
    gevent.sleep(0)  # the kernel takes part; a flusher greenlet holds the rest
    second = gevent.spawn(connection.write, b"b" * (128 * 1024))
    second.join(0.3)
    assert not second.ready()  # the peer reads nothing: the writer is held back
    got = read_exactly(peer, len(first) + 128 * 1024)
    second.get(timeout=WAIT)
    assert got == first + b"b" * (128 * 1024)
