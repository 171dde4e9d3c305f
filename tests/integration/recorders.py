"""Listener functions that record what a member delivers, for the integration tests."""

WAIT = 60


class Recorder:
    """A listener function that records each event (``events``, also named ``items``) and
    whether it arrived on the callback worker (``on_worker``); ``wait_count`` and
    ``wait_for`` wait for them, failing the test after ``wait`` seconds."""

    def __init__(self, handler, wait=WAIT):
        self.events = []
        self.on_worker = []
        self._handler = handler
        self._wait = wait
        self._changed = handler.event_object()

    @property
    def items(self):
        """Returns the recorded events (the name the item listener tests use)."""
        return self.events

    def __call__(self, event):
        self.events.append(event)
        self.on_worker.append(self._handler.in_callback_worker())
        self._changed.set()

    def wait_for(self, predicate, what):
        """Returns the events for which ``predicate`` is true once there is one; fails the test
        (naming ``what``) when none came in time."""
        deadline = self._handler.monotonic() + self._wait
        while True:
            self._changed.clear()
            found = [event for event in self.events if predicate(event)]
            if found:
                return found
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "no %s among %r" % (what, self.events)
            self._changed.wait(min(remaining, 1.0))

    def wait_count(self, count):
        """Returns the events once there are at least ``count``; fails the test when fewer came in time."""
        deadline = self._handler.monotonic() + self._wait
        while True:
            self._changed.clear()
            if len(self.events) >= count:
                return self.events
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "expected %d events, got %r" % (count, self.events)
            self._changed.wait(min(remaining, 1.0))
