"""Control traffic (heartbeats) goes ahead of the user requests queued on a connection."""

from hzgreen.runtime.connection import Connection


class StalledStream:
    """A stream whose kernel buffer takes nothing until ``drain()``; records what was sent."""

    def __init__(self):
        self.sent = []
        self.accepting = False

    def fileno(self):
        return 99

    def send_nowait(self, chunk):
        if not self.accepting:
            return 0
        self.sent.append(bytes(chunk))
        return len(chunk)

    def sendall(self, chunk):
        self.sent.append(bytes(chunk))


class ManualHandler:
    """Just enough of a handler for a Connection with deferred writes, run by hand."""

    io_style = "tasks"

    def __init__(self):
        self.soon = []
        self.spawned = []

    def run_soon(self, func, *args):
        self.soon.append((func, args))

    def spawn(self, func, *args):
        self.spawned.append((func, args))

    def monotonic(self):
        return 0.0

    def lock_object(self):
        import threading

        return threading.Lock()

    def event_object(self):
        import threading

        return threading.Event()

    def run_all(self):
        while self.soon or self.spawned:
            batch, self.soon = self.soon, []
            spawned, self.spawned = self.spawned, []
            for func, args in batch + spawned:
                func(*args)


def make(stream, handler):
    return Connection(1, stream, ("127.0.0.1", 5701), handler, 1 << 20, lambda c, m: None, lambda c, r, e: None)


def test_first_write_jumps_the_queued_user_writes_but_not_bytes_in_flight():
    stream, handler = StalledStream(), ManualHandler()
    connection = make(stream, handler)
    connection.write(b"user-1", "u1")
    handler.run_all()  # the kernel took nothing: user-1 is now with the flusher
    connection.write(b"user-2", "u2")
    connection.write(b"user-3", "u3")
    connection.write_first(b"heartbeat", "hb")
    handler.run_all()  # the flusher sends user-1, then the queue in its new order
    assert stream.sent == [b"user-1", b"heartbeatuser-2user-3"]


def test_first_write_with_caller_side_writes_is_sent_at_once():
    class Plain:
        def __init__(self):
            self.sent = []

        def fileno(self):
            return 98

        def sendall(self, chunk):
            self.sent.append(bytes(chunk))

    handler = ManualHandler()
    handler.io_style = "select"
    stream = Plain()
    connection = make(stream, handler)
    connection.write(b"user")
    connection.write_first(b"heartbeat")
    assert stream.sent == [b"user", b"heartbeat"]


def test_a_deferred_connection_in_a_forked_child_sends_nothing_and_hands_back_the_writes(monkeypatch):
    # Under gevent the pid is checked once per flush (not per request): in a child the
    # queued writes never reach the parent's socket, and their owners are handed back.
    import hzgreen.runtime.connection as connection_module

    stream, handler = StalledStream(), ManualHandler()
    stream.accepting = True
    refused = []
    connection = Connection(
        1, stream, ("127.0.0.1", 5701), handler, 1 << 20, lambda c, m: None, lambda c, r, e: None, refused.extend
    )
    assert connection.deferred
    connection.write(b"parent", "p")
    handler.run_all()
    monkeypatch.setattr(connection_module, "_getpid", lambda: connection._pid + 1)
    connection.write(b"child-1", "c1")
    connection.write(b"child-2", None)
    connection.write(b"child-3", "c3")
    handler.run_all()
    assert stream.sent == [b"parent"]
    assert refused == ["c1", "c3"]
    assert connection.alive  # the parent's connection is not shut down from the child
