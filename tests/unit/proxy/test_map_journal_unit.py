"""The Map event journal without a member: decoding journal events, counting lost events,
argument checks, and the follower's order, loss reports, saved sequences and retries."""

import struct
import threading

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.event_journal import EventJournalMapEvent, journal_event_parts
from hzgreen.proxy.event_journal_follower import EventJournalFollower
from hzgreen.proxy.map_listeners import EntryEventType
from hzgreen.server_errors import IllegalArgumentError
from tests.unit.proxy.fakes import answer, make_map

WAIT = 10


def journal_blob(to_data, event_type, key, new=None, old=None, class_id=132, versioned=False):
    """The bytes a member sends for one map journal event (IdentifiedDataSerializable)."""

    def data(value):
        if value is None:
            return struct.pack(">i", -1)
        blob = bytes(to_data(value))
        return struct.pack(">i", len(blob)) + blob

    flags = 1 | (2 if versioned else 0)
    out = struct.pack(">ii", 0, -2) + struct.pack(">bii", flags, -4, class_id)
    if versioned:
        out += b"\x05\x04"
    return out + struct.pack(">i", event_type) + data(key) + data(new) + data(old)


def test_journal_event_parts_reads_the_members_event(handler):
    m, _ = make_map(handler)
    blob = journal_blob(m._to_data, 4, "k", new=2, old=1)
    event_type, key, new, old = journal_event_parts(blob)
    assert (event_type, m._to_object(key), m._to_object(new), m._to_object(old)) == (4, "k", 2, 1)
    event_type, key, new, old = journal_event_parts(journal_blob(m._to_data, 1, "k", new=5, versioned=True))
    assert (event_type, m._to_object(new), old) == (1, 5, None)


@pytest.mark.parametrize(
    "blob, words",
    [
        (b"\x00\x00", "at least"),
        (struct.pack(">ii", 0, -11) + b"abc", "type id"),
        (struct.pack(">ii", 0, -2) + struct.pack(">biiiiii", 1, -4, 132, 1, -1, -1, -1) + b"\x00", "1 bytes left"),
        (struct.pack(">ii", 0, -2) + struct.pack(">b", 0), "DataSerializable"),
        (struct.pack(">ii", 0, -2) + struct.pack(">bii", 1, -10, 144) + b"\x00", "end of data"),
    ],
)
def test_journal_event_parts_rejects_other_data(blob, words):
    with pytest.raises(HzSerializationError, match=words):
        journal_event_parts(blob)


def test_read_decodes_events_and_counts_lost_ones(handler):
    m, context = make_map(handler)
    future = m.read_from_event_journal_async(3, 10, 0, 50)
    invocation = context.invocations.sent[0]
    assert invocation.partition_id == 3 and invocation.deadline == 0.0
    items = [journal_blob(m._to_data, 1, "a", new=1), journal_blob(m._to_data, 4, "a", new=2, old=1)]
    # the journal lost sequences 10..14: the member answers from 15
    answer(invocation, codec.encode_event_journal_read_response(2, items, [15, 16], 17))
    batch = future.get(WAIT)
    assert (batch.lost_count, batch.read_count, batch.next_sequence_to_read_from, len(batch)) == (5, 2, 17, 2)
    assert [(e.key, e.new_value, e.old_value, e.event_type, e.sequence) for e in batch] == [
        ("a", 1, None, EntryEventType.ADDED, 15),
        ("a", 2, 1, EntryEventType.UPDATED, 16),
    ]
    assert batch.get_sequence(1) == 16


def test_a_waiting_read_has_no_deadline_and_a_projected_read_is_plain_values(handler):
    m, context = make_map(handler)
    future = m.read_from_event_journal_async(0, 0, 1, 10, projection="a projection")
    invocation = context.invocations.sent[0]
    assert invocation.deadline == float("inf")
    request = codec.decode_event_journal_read_request(invocation.request)
    assert m._to_object(request["projection"]) == "a projection" and request["predicate"] is None
    answer(invocation, codec.encode_event_journal_read_response(1, [m._to_data("x")], [0], 1))
    assert future.get(WAIT).items == ["x"]


@pytest.mark.parametrize(
    "args, error",
    [
        ((None, 0, 0, 1), ValueError),
        ((-1, 0, 0, 1), ValueError),
        ((271, 0, 0, 1), ValueError),
        (("0", 0, 0, 1), TypeError),
        ((0, -1, 0, 1), ValueError),
        ((0, 0, -1, 1), ValueError),
        ((0, 0, 0, 0), ValueError),
        ((0, 0, 5, 2), ValueError),
        ((0, 1.5, 0, 1), TypeError),
    ],
)
def test_read_arguments_are_checked_before_sending(handler, args, error):
    m, context = make_map(handler)
    with pytest.raises(error):
        m.read_from_event_journal_async(*args)
    with pytest.raises(TypeError if args[0] == "0" else ValueError):
        m.subscribe_to_event_journal_async(args[0] if args[0] != 0 else -1)
    assert context.invocations.sent == []


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(on_event=None), ValueError),
        (dict(on_event=3), TypeError),
        (dict(start="middle"), ValueError),
        (dict(start=5), TypeError),
        (dict(start={0: -1}), ValueError),
        (dict(start={"0": 1}), TypeError),
        (dict(on_lost="x"), TypeError),
        (dict(batch_size=0), ValueError),
        (dict(retry_delay=-1), ValueError),
    ],
)
def test_follower_arguments_are_checked(handler, kwargs, error):
    m, context = make_map(handler)
    kwargs.setdefault("on_event", print)
    with pytest.raises(error):
        EventJournalFollower(m, **kwargs)
    assert context.invocations.sent == []


def test_follower_delivers_in_order_reports_loss_and_saves_sequences(handler):
    m, context = make_map(handler, partitions=2)
    sent = context.invocations.sent
    got, lost, done = [], [], threading.Event()

    def on_event(event):
        assert handler.in_callback_worker()
        got.append((event.partition_id, event.sequence, event.new_value))
        if len(got) == 3:
            done.set()

    follower = EventJournalFollower(m, on_event, start={0: 5, 1: 0}, on_lost=lambda *a: lost.append(a))
    follower.start()
    assert [(i.partition_id, codec.decode_event_journal_read_request(i.request)["start_sequence"]) for i in sent] == [
        (0, 5),
        (1, 0),
    ]
    blob = journal_blob(m._to_data, 1, "k", new="p0-7")
    answer(sent[0], codec.encode_event_journal_read_response(1, [blob], [7], 8))
    two = [journal_blob(m._to_data, 1, "k%d" % i, new="p1-%d" % i) for i in range(2)]
    answer(sent[1], codec.encode_event_journal_read_response(2, two, [0, 1], 2))
    assert done.wait(WAIT)
    assert sorted(got) == [(0, 7, "p0-7"), (1, 0, "p1-0"), (1, 1, "p1-1")]
    assert lost == [(0, 2, 5)]
    # each partition's next read starts after its last delivered event
    deadline = threading.Event()
    for _ in range(1000):
        if len(sent) == 4:
            break
        deadline.wait(0.01)
    assert {
        (i.partition_id, codec.decode_event_journal_read_request(i.request)["start_sequence"]) for i in sent[2:]
    } == {
        (0, 8),
        (1, 2),
    }
    assert follower.sequences == {0: 8, 1: 2}
    assert (follower.delivered_count, follower.lost_count) == (3, 2)
    follower.close()
    answer(sent[2], codec.encode_event_journal_read_response(1, [blob], [8], 9))
    assert follower.sequences == {0: 8, 1: 2}


def test_follower_retries_a_failed_read_from_the_same_sequence(handler):
    m, context = make_map(handler, partitions=1)
    sent = context.invocations.sent
    errors = []
    follower = EventJournalFollower(
        m, print, start={0: 4}, on_error=lambda pid, e: errors.append((pid, e)), retry_delay=0
    )
    follower.start()
    sent[0].future.set_exception(IllegalArgumentError("boom"))
    waiter = threading.Event()
    for _ in range(1000):
        if len(sent) == 2 and errors:
            break
        waiter.wait(0.01)
    assert codec.decode_event_journal_read_request(sent[1].request)["start_sequence"] == 4
    assert errors[0][0] == 0 and isinstance(errors[0][1], IllegalArgumentError)
    follower.close()


def test_follower_start_subscribes_for_oldest_or_newest(handler):
    m, context = make_map(handler, partitions=2)
    sent = context.invocations.sent
    follower = EventJournalFollower(m, print, start="newest")
    thread = threading.Thread(target=follower.start)
    thread.start()
    waiter = threading.Event()
    for _ in range(1000):
        if len(sent) == 2:
            break
        waiter.wait(0.01)
    answer(sent[0], codec.encode_event_journal_subscribe_response(3, 9))
    answer(sent[1], codec.encode_event_journal_subscribe_response(0, -1))
    thread.join(WAIT)
    assert follower.sequences == {0: 10, 1: 0}
    assert [codec.decode_event_journal_read_request(i.request)["start_sequence"] for i in sent[2:]] == [10, 0]
    follower.close()


def test_event_repr_and_unknown_types():
    event = EventJournalMapEvent("k", 1, None, 4096, 3, 2)
    assert event.event_type == 4096 and "4096" in repr(event)
