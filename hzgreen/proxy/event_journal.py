"""A Map's event journal (mixed into Map): per-partition reads of the map's recent changes.

A map whose member configuration enables an event journal keeps, per partition, a
ring of its latest events (ADDED, UPDATED, REMOVED, EVICTED, ...), each with a
sequence number. ``subscribe_to_event_journal(partition_id)`` tells the oldest and
newest sequences a partition still holds; ``read_from_event_journal(...)`` reads a batch
from a sequence on; :meth:`MapEventJournalMixin.event_journal_reader` follows every
partition (see :mod:`hzgreen.proxy.event_journal_follower`).

When a read starts before the oldest sequence the journal still has (it was overwritten),
the member answers from its oldest one: :attr:`ReadResultSet.lost_count` says how many
events were skipped.

``predicate`` and ``projection`` run on the members, against the journal's events: they
must deserialize there into a Java ``java.util.function.Predicate`` / ``Function`` taking
an ``EventJournalMapEvent`` (typically IdentifiedDataSerializable objects whose Java
classes are on the members' classpath). Query predicates of :mod:`hzgreen.query` do not
apply here.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Union

from hzgreen.exceptions import ClientNotActiveError, HzSerializationError
from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.base import Proxy, check_not_none
from hzgreen.proxy.map_listeners import EntryEventType
from hzgreen.runtime.invocation import Invocation
from hzgreen.serialization.input import ObjectDataInput

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.proxy.event_journal_follower import EventJournalFollower, Start

_DATA_SERIALIZABLE = -2
_HEADER = struct.Struct(">ii")
_IDENTIFIED = 1
_VERSIONED = 2

FOREVER = float("inf")


class EventJournalMapEvent:
    """One event of a map's journal.

    ``key`` is the entry's key, ``new_value`` its value after the change (None for a
    removal), ``old_value`` before it (None for an addition); ``event_type`` an
    :class:`~hzgreen.proxy.map_listeners.EntryEventType` (or the plain int for a kind this
    client does not know); ``sequence`` the event's sequence in its partition's journal
    and ``partition_id`` that partition.
    """

    __slots__ = ("key", "new_value", "old_value", "event_type", "sequence", "partition_id")

    def __init__(
        self, key: Any, new_value: Any, old_value: Any, event_type: int, sequence: int, partition_id: int
    ) -> None:
        self.key = key
        self.new_value = new_value
        self.old_value = old_value
        self.event_type: Union[EntryEventType, int]
        try:
            self.event_type = EntryEventType(event_type)
        except ValueError:
            self.event_type = event_type
        self.sequence = sequence
        self.partition_id = partition_id

    def __repr__(self) -> str:
        return "EventJournalMapEvent(%s key=%r new_value=%r old_value=%r seq=%d/%d)" % (
            getattr(self.event_type, "name", self.event_type),
            self.key,
            self.new_value,
            self.old_value,
            self.partition_id,
            self.sequence,
        )


class EventJournalInitialSubscriberState:
    """The sequences one partition's journal holds: ``oldest_sequence`` to ``newest_sequence``
    (``newest_sequence`` is ``oldest_sequence - 1`` when it holds none)."""

    __slots__ = ("oldest_sequence", "newest_sequence")

    def __init__(self, oldest_sequence: int, newest_sequence: int) -> None:
        self.oldest_sequence = oldest_sequence
        self.newest_sequence = newest_sequence

    def __repr__(self) -> str:
        return "EventJournalInitialSubscriberState(oldest_sequence=%d, newest_sequence=%d)" % (
            self.oldest_sequence,
            self.newest_sequence,
        )


class ReadResultSet:
    """One batch read from a partition's journal.

    ``items`` are :class:`EventJournalMapEvent` objects (or, with a projection, the
    projected values); ``sequences[i]`` is the journal sequence of ``items[i]``.
    ``read_count`` counts the events the member went through, including those a
    predicate dropped; ``next_sequence_to_read_from`` is where the next read should start;
    ``lost_count`` how many events between the requested start and the first one read
    the journal no longer had.
    """

    __slots__ = ("items", "sequences", "read_count", "next_sequence_to_read_from", "lost_count", "partition_id")

    def __init__(
        self,
        items: List[Any],
        sequences: List[int],
        read_count: int,
        next_sequence_to_read_from: int,
        lost_count: int,
        partition_id: int,
    ) -> None:
        self.items = items
        self.sequences = sequences
        self.read_count = read_count
        self.next_sequence_to_read_from = next_sequence_to_read_from
        self.lost_count = lost_count
        self.partition_id = partition_id

    @property
    def size(self) -> int:
        """How many items the batch holds."""
        return len(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __getitem__(self, index: int) -> Any:
        return self.items[index]

    def get_sequence(self, index: int) -> int:
        """The journal sequence of ``items[index]``; raises IndexError outside the batch."""
        return self.sequences[index]

    def __repr__(self) -> str:
        return "ReadResultSet(partition=%d, size=%d, read_count=%d, next=%d, lost=%d)" % (
            self.partition_id,
            len(self.items),
            self.read_count,
            self.next_sequence_to_read_from,
            self.lost_count,
        )


def journal_event_parts(blob: bytes) -> "tuple[int, Optional[bytes], Optional[bytes], Optional[bytes]]":
    """``(event_type, key data, new value data, old value data)`` of a serialized journal event.

    Raises HzSerializationError when ``blob`` is not the member's map journal event."""
    if len(blob) < _HEADER.size:
        raise HzSerializationError("a journal event needs at least %d bytes, got %d" % (_HEADER.size, len(blob)))
    _, type_id = _HEADER.unpack_from(blob, 0)
    if type_id != _DATA_SERIALIZABLE:
        raise HzSerializationError("a map journal event is IdentifiedDataSerializable, got type id %d" % type_id)
    inp = ObjectDataInput(blob, _HEADER.size)
    flags = inp.read_byte()
    if not flags & _IDENTIFIED:
        raise HzSerializationError("a map journal event is IdentifiedDataSerializable, got a DataSerializable")
    # The factory and class ids of the journal event class differ between member versions
    # (5.4 sends -4/132): the layout, checked to the last byte, is what identifies it.
    inp.skip_bytes(8)
    if flags & _VERSIONED:
        inp.skip_bytes(2)
    event_type = inp.read_int()
    parts = (inp.read_byte_array(), inp.read_byte_array(), inp.read_byte_array())
    if inp.available():
        raise HzSerializationError("not a map journal event: %d bytes left after it" % inp.available())
    return event_type, parts[0], parts[1], parts[2]


def _subscriber_state(message: ClientMessage) -> EventJournalInitialSubscriberState:
    state = codec.decode_event_journal_subscribe_response(message)
    return EventJournalInitialSubscriberState(state["oldest_sequence"], state["newest_sequence"])


def _check_int(value: object, what: str, minimum: int) -> int:
    """``value`` as an int >= ``minimum``; raises TypeError/ValueError naming ``what``."""
    if value is None:
        raise ValueError("%s must not be None" % what)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (what, value))
    if value < minimum:
        raise ValueError("%s must be >= %d, got %r" % (what, minimum, value))
    return value


class MapEventJournalMixin(Proxy):
    """The event journal of a Map; see the module docstring."""

    def _check_partition(self, partition_id: object) -> int:
        """``partition_id`` checked; raises TypeError/ValueError for a non-int or one out of range."""
        pid = _check_int(partition_id, "partition_id", 0)
        count = self._partitions.partition_count
        if count and pid >= count:
            raise ValueError("partition_id must be < the partition count %d, got %d" % (count, pid))
        return pid

    def partition_id_of(self, key: Any) -> int:
        """The id of the partition holding ``key`` (whose journal records its events).

        Raises ValueError for None and ClientNotActiveError before the client knows the
        partition count."""
        if not self._partitions.partition_count:
            raise ClientNotActiveError("the client does not know the partition count yet: start it first")
        return self._partitions.partition_id_of(self._key_data(key))

    def subscribe_to_event_journal_async(self, partition_id: int) -> AsyncResult[EventJournalInitialSubscriberState]:
        """Starts :meth:`subscribe_to_event_journal` without waiting; returns an async result whose
        ``get()`` gives what :meth:`subscribe_to_event_journal` returns and raises what it raises
        (argument errors are raised at once)."""
        pid = self._check_partition(partition_id)
        return self._invoke_on_partition(
            codec.encode_event_journal_subscribe_request(self.name), pid, _subscriber_state
        )

    def subscribe_to_event_journal(self, partition_id: int) -> EventJournalInitialSubscriberState:
        """The oldest and newest sequences the journal of ``partition_id`` holds.

        Raises TypeError/ValueError for a bad partition id and the member's error when the
        map has no event journal configured."""
        return self.subscribe_to_event_journal_async(partition_id).get()

    def read_from_event_journal_async(
        self,
        partition_id: int,
        start_sequence: int,
        min_size: int,
        max_size: int,
        predicate: Any = None,
        projection: Any = None,
    ) -> AsyncResult[ReadResultSet]:
        """Starts :meth:`read_from_event_journal` without waiting; returns an async result whose ``get()``
        gives what :meth:`read_from_event_journal` returns and raises what it raises (argument errors
        are raised at once)."""
        pid = self._check_partition(partition_id)
        start = _check_int(start_sequence, "start_sequence", 0)
        low = _check_int(min_size, "min_size", 0)
        high = _check_int(max_size, "max_size", 1)
        if low > high:
            raise ValueError("min_size (%d) must not exceed max_size (%d)" % (low, high))
        request = codec.encode_event_journal_read_request(
            self.name,
            start,
            low,
            high,
            None if predicate is None else self._to_data(predicate),
            None if projection is None else self._to_data(projection),
        )
        decode = self._batch_decoder(pid, start, projection is not None)
        future: AsyncResult[ReadResultSet] = self._handler.async_result()
        invocation = Invocation(request, future, pid, None, decode, None, False, self.name)
        if low > 0:  # waits on the member until min_size events exist
            invocation.deadline = FOREVER
            invocation.timeout_source = "journal read waiting for min_size events"
        self._invocations.invoke(invocation)
        return future

    def read_from_event_journal(
        self,
        partition_id: int,
        start_sequence: int,
        min_size: int,
        max_size: int,
        predicate: Any = None,
        projection: Any = None,
    ) -> ReadResultSet:
        """Read between ``min_size`` and ``max_size`` events of the journal of ``partition_id``
        from ``start_sequence`` on; returns a :class:`ReadResultSet`.

        With ``min_size`` > 0 the call waits (with no deadline) until that many events
        exist. Raises TypeError/ValueError for bad arguments, before anything is sent; the
        member's error when the map has no event journal or ``start_sequence`` is beyond
        the newest sequence + 1.
        """
        return self.read_from_event_journal_async(
            partition_id, start_sequence, min_size, max_size, predicate, projection
        ).get()

    def _read_raw_async(
        self,
        partition_id: int,
        start_sequence: int,
        max_size: int,
        predicate_data: Optional[bytes] = None,
        projection_data: Optional[bytes] = None,
    ) -> AsyncResult[ReadResultSet]:
        """A long poll of the journal of ``partition_id`` from ``start_sequence``: the member
        answers once at least one event exists (no deadline). The result's items are still
        serialized (see :meth:`_raw_batch`), for the reader to deserialize off the I/O loop."""
        request = codec.encode_event_journal_read_request(
            self.name, start_sequence, 1, max_size, predicate_data, projection_data
        )

        def raw(message: ClientMessage) -> ReadResultSet:
            return self._raw_batch(message, partition_id, start_sequence)

        future: AsyncResult[ReadResultSet] = self._handler.async_result()
        invocation = Invocation(request, future, partition_id, None, raw, None, False, self.name)
        invocation.deadline = FOREVER
        invocation.timeout_source = "journal read waiting for events"
        self._invocations.invoke(invocation)
        return future

    def _batch_decoder(
        self, partition_id: int, start_sequence: int, projected: bool
    ) -> Callable[[ClientMessage], ReadResultSet]:
        """A response handler making the :class:`ReadResultSet` of a read from ``start_sequence``.

        Items are deserialized where the response is handled (the I/O loop); the follower
        uses :meth:`_raw_batch` instead, to deserialize on the callback worker."""
        to_object = self._to_object

        def decode(message: ClientMessage) -> ReadResultSet:
            batch = self._raw_batch(message, partition_id, start_sequence)
            if projected:
                batch.items = [to_object(item) for item in batch.items]
            else:
                batch.items = [
                    self._journal_event(item, seq, partition_id) for item, seq in zip(batch.items, batch.sequences)
                ]
            return batch

        return decode

    def _raw_batch(self, message: ClientMessage, partition_id: int, start_sequence: int) -> ReadResultSet:
        """The :class:`ReadResultSet` of a read response, its items still serialized."""
        response = codec.decode_event_journal_read_response(message)
        items = response["items"]
        read_count = response["read_count"]
        next_seq = response["next_seq"]
        seqs = response["item_seqs"]
        if seqs is None:  # members before 3.11 leave them out: the items are consecutive
            seqs = list(range(next_seq - len(items), next_seq))
        lost = max(0, next_seq - read_count - start_sequence)
        return ReadResultSet(list(items), list(seqs), read_count, next_seq, lost, partition_id)

    def _journal_event(self, blob: bytes, sequence: int, partition_id: int) -> EventJournalMapEvent:
        """The :class:`EventJournalMapEvent` of a serialized journal item; raises HzSerializationError."""
        event_type, key, new_value, old_value = journal_event_parts(blob)
        to_object = self._to_object
        return EventJournalMapEvent(
            None if key is None else to_object(key),
            None if new_value is None else to_object(new_value),
            None if old_value is None else to_object(old_value),
            event_type,
            sequence,
            partition_id,
        )

    def event_journal_reader(
        self,
        on_event: Callable[[Any], Any],
        start: Start = "oldest",
        on_lost: Optional[Callable[[int, int, int], Any]] = None,
        batch_size: int = 100,
        predicate: Any = None,
        projection: Any = None,
        on_error: Optional[Callable[[int, BaseException], Any]] = None,
    ) -> EventJournalFollower:
        """A started :class:`~hzgreen.proxy.event_journal_follower.EventJournalFollower` of this
        map's journal, every partition; see that class for the arguments. Raises
        TypeError/ValueError for bad ones, and the member's error if the map has no journal."""
        from hzgreen.proxy.event_journal_follower import EventJournalFollower

        follower = EventJournalFollower(self, on_event, start, on_lost, batch_size, predicate, projection, on_error)
        follower.start()
        return follower


def check_not_none_callable(func: object, what: str) -> None:
    """Returns None; raises ValueError for None and TypeError for a non-callable, naming ``what``."""
    check_not_none(func, what)
    if not callable(func):
        raise TypeError("%s must be callable, got %r" % (what, func))
