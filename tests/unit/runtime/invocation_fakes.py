"""Stand-ins for what InvocationService talks to: a handler whose clock and timers the test
moves by hand, connections that record what is written, a future that records completions."""


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Lock:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False


class FakeHandler:
    """The few handler calls InvocationService makes; timers are kept for the test to fire."""

    def __init__(self, clock=None):
        self.clock = clock if clock is not None else Clock()
        self.monotonic = self.clock
        self.timers = []

    @property
    def now(self):
        return self.clock.now

    @now.setter
    def now(self, value):
        self.clock.now = value

    def lock_object(self):
        return Lock()

    def call_later(self, delay, func, *args):
        self.timers.append((delay, func, args))

    def spawn(self, func, *args):
        func(*args)

    def fire_timers(self):
        timers, self.timers = self.timers, []
        for _, func, args in timers:
            func(*args)


class FakeConnection:
    deferred = False  # writes go out from the caller: the service checks the pid per send

    def __init__(self, port=5701, fail_writes=False):
        self.address = ("127.0.0.1", port)
        self.alive = True
        self.close_reason = None
        self.fail_writes = fail_writes
        self.written = []

    def write(self, data, invocation=None):
        if self.fail_writes:
            raise OSError(32, "Broken pipe")
        self.written.append(invocation)

    write_first = write

    def close(self, reason, error=None):
        self.alive = False
        self.close_reason = reason


class FakeConnections:
    """``connection_for`` answers from ``answers`` first, then ``connection`` while ``up`` (else
    None); ``is_connected`` is ``up``."""

    def __init__(self):
        self.connection = FakeConnection()
        self.answers = []
        self.up = True

    def connection_for(self, partition_id):
        if self.answers:
            return self.answers.pop(0)
        return self.connection if self.up else None

    def is_connected(self):
        return self.up


class Outcome:
    """A future that records every completion (a second one is a bug)."""

    def __init__(self):
        self.calls = []

    def set(self, value=None):
        self.calls.append(("value", value))

    def set_exception(self, error):
        self.calls.append(("error", error))

    @property
    def error(self):
        assert len(self.calls) == 1, self.calls
        kind, value = self.calls[0]
        assert kind == "error", self.calls
        return value
