"""Pickled data on a real member runs no code in a default client, whatever the read path.

A writer that opted in (``pickle_enabled=True``) stores ``Evil`` objects (with ``set`` and
``offer``, which read nothing back), whose pickle is
``exec("open(marker, 'w').close()")``. A default client then reads them through every
path that deserializes cluster data: it gets HzSerializationError naming the pickle type
id and the option (or, for events, the error is logged and the listener not called),
and the marker file never appears. One test reads the same data with plain pickle to
show the payload is live.
"""

import logging

import pytest

from hzgreen import predicate
from hzgreen.exceptions import HzSerializationError

WAIT = 30


class Evil:
    """Unpickling it runs exec(), which creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, ("open(%r, 'w').close()" % self.marker,)


class Pet:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Pet) and other.name == self.name


class Records(logging.Handler):
    """Collects the records of one logger and wakes a waiting test (no sleeps)."""

    def __init__(self, client_handler, logger_name, level):
        super().__init__(level)
        self.records = []
        self._logger = logging.getLogger(logger_name)
        self._hz_handler = client_handler
        self._changed = client_handler.event_object()

    def __enter__(self):
        self._saved_level = self._logger.level
        self._logger.setLevel(min(self.level, self._logger.getEffectiveLevel()))
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc_info):
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved_level)

    def emit(self, record):
        self.records.append(record.getMessage())
        self._changed.set()

    def wait_for(self, text):
        deadline = self._hz_handler.monotonic() + WAIT
        while True:
            self._changed.clear()
            found = [message for message in self.records if text in message]
            if found:
                return found
            remaining = deadline - self._hz_handler.monotonic()
            assert remaining > 0, "no log record with %r; got %r" % (text, self.records)
            self._changed.wait(min(remaining, 1.0))


@pytest.fixture
def marker(tmp_path):
    return tmp_path / "pwned"


@pytest.fixture
def writer(hz_client_factory):
    return hz_client_factory(pickle_enabled=True)


@pytest.fixture
def reader(hz_client_factory):
    return hz_client_factory()


def assert_refused(read):
    with pytest.raises(HzSerializationError) as info:
        read()
    message = str(info.value)
    assert "-120 (Python pickle)" in message and "pickle_enabled=True" in message, message


VALUE_READS = {
    "get": lambda m: m.get("evil"),
    "get_all": lambda m: m.get_all(["evil", "ok"]),
    "values": lambda m: m.values(),
    "entry_set": lambda m: m.entry_set(),
    "values_with_predicate": lambda m: m.values(predicate.equal("__key", "evil")),
    "entry_set_with_predicate": lambda m: m.entry_set(predicate.true()),
    "iterate": lambda m: list(m.iterate(page_size=1)),
}


@pytest.mark.parametrize("read", list(VALUE_READS.values()), ids=list(VALUE_READS))
def test_pickled_value_is_refused(writer, reader, unique_name, marker, read):
    w = writer.get_map(unique_name)
    w.set("evil", Evil(marker))
    w.set("ok", "fine")
    m = reader.get_map(unique_name)
    assert_refused(lambda: read(m))
    assert not marker.exists()
    assert m.get("ok") == "fine" and reader.connected


KEY_READS = {
    "key_set": lambda m: m.key_set(),
    "key_set_with_predicate": lambda m: m.key_set(predicate.true()),
    "entry_set": lambda m: m.entry_set(),
    "iterate_keys": lambda m: list(m.iterate(keys_only=True)),
}


@pytest.mark.parametrize("read", list(KEY_READS.values()), ids=list(KEY_READS))
def test_pickled_key_is_refused(writer, reader, unique_name, marker, read):
    writer.get_map(unique_name).set(Evil(marker), "value")
    m = reader.get_map(unique_name)
    assert_refused(lambda: read(m))
    assert not marker.exists()
    assert m.size() == 1


def test_queue_poll_refuses_a_pickled_item(writer, reader, unique_name, marker):
    writer.get_queue(unique_name).offer(Evil(marker))
    writer.get_queue(unique_name).offer("next")
    q = reader.get_queue(unique_name)
    assert_refused(lambda: q.poll(timeout=WAIT))
    assert not marker.exists()
    assert q.poll(timeout=WAIT) == "next"


def test_entry_listener_logs_the_event_and_skips_it(writer, reader, unique_name, marker):
    received = []
    got_event = reader.handler.event_object()

    def on_added(event):
        received.append((event.key, event.value))
        got_event.set()

    m = reader.get_map(unique_name)
    with Records(reader.handler, "hzgreen.proxy.map_listeners", logging.ERROR) as errors:
        m.add_entry_listener(include_value=True, added_func=on_added)
        w = writer.get_map(unique_name)
        w.set("evil", Evil(marker))
        w.set("ok", "fine")
        logged = errors.wait_for("-120 (Python pickle)")
        assert got_event.wait(WAIT)
    assert "ADDED event not delivered" in logged[0] and "pickle_enabled" in logged[0]
    assert received == [("ok", "fine")]
    assert not marker.exists()


def test_entry_watch_never_hands_out_pickled_data(writer, reader, unique_name, marker):
    w = writer.get_map(unique_name)
    w.set("evil-from-the-start", Evil(marker))
    with pytest.raises(HzSerializationError, match="pickle_enabled"):
        reader.EntryWatch(unique_name, "evil-from-the-start")(lambda value, event: None)

    values = []
    changed = reader.handler.event_object()

    def watch(value, event):
        values.append(value)
        changed.set()

    w.set("k", "first")
    with Records(reader.handler, "hzgreen.recipes.watchers", logging.DEBUG) as watcher_log:
        entry_watch = reader.EntryWatch(unique_name, "k")
        entry_watch(watch)
        assert values == ["first"]
        w.set("k", Evil(marker))
        watcher_log.wait_for("-120 (Python pickle)")  # the watch read the pickled value and refused it
        w.set("k", "second")
        deadline = reader.handler.monotonic() + WAIT
        while values[-1] != "second":
            changed.clear()
            assert reader.handler.monotonic() < deadline, values
            changed.wait(1.0)
    entry_watch.stop()
    assert values == ["first", "second"]
    assert not marker.exists()


def test_allow_list_reads_allowed_classes_and_refuses_the_rest(writer, hz_client_factory, unique_name, marker):
    w = writer.get_map(unique_name)
    w.set("pet", Pet("rex"))
    w.set("pets", [{"names": {"a", "b"}}, Pet("b")])
    w.set("evil", Evil(marker))
    m = hz_client_factory(pickle_enabled=True, pickle_allowed_classes=[Pet]).get_map(unique_name)
    assert m.get("pet") == Pet("rex")
    assert m.get("pets") == [{"names": {"a", "b"}}, Pet("b")]
    with pytest.raises(HzSerializationError) as info:
        m.get("evil")
    assert "builtins.exec" in str(info.value) and "pickle_allowed_classes" in str(info.value)
    assert not marker.exists()


def test_writing_without_a_serializer_fails_before_sending(reader, unique_name):
    m = reader.get_map(unique_name)
    q = reader.get_queue(unique_name)
    for write in (
        lambda: m.put("k", {"a": Pet("x")}),
        lambda: m.put({1j}, "v"),
        lambda: m.put("k", [1, Pet("x")]),
        lambda: q.offer(Pet("x")),
    ):
        with pytest.raises(HzSerializationError) as info:
            write()
        assert "no serializer handles it" in str(info.value) and "pickle_enabled=True" in str(info.value)
    assert m.size() == 0 and q.size() == 0


def test_the_stored_payload_is_live(writer, unique_name, marker):
    # Control: the client that opted in to plain pickle does run it.
    w = writer.get_map(unique_name)
    w.set("evil", Evil(marker))
    assert not marker.exists()
    w.get("evil")
    assert marker.exists()
