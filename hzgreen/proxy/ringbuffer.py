"""Ringbuffer: a bounded, replicated log of items addressed by sequence (``Ringbuffer`` on the member).

Method names are the official Hazelcast Python client's; every method has an ``_async``
twin returning an :class:`~hzgreen.interfaces.IAsyncResult`. Items must not be None. A
ringbuffer lives in one partition (that of its name), so every request goes to that
partition's owner.

The head is the oldest item still stored, the tail the newest; sequences start at 0
and grow by one per item. Once the ringbuffer is full, adding with
:attr:`OverflowPolicy.OVERWRITE` drops the head, while :attr:`OverflowPolicy.FAIL`
refuses the item (the result is -1) as long as the head is younger than the
ringbuffer's time-to-live.

Blocking reads (``read_one`` of a sequence not written yet, ``read_many`` with
``min_count > 0``) are not cut short by ``invocation_timeout``: they wait as long as it
takes, like ``Queue.take``. A lost connection still ends them with a
:class:`~hzgreen.exceptions.ConnectionLoss`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, List, Optional, Sequence, TypeVar, Union, overload

from hzgreen.protocol.codecs import ringbuffer as codec
from hzgreen.proxy.base import check_not_none
from hzgreen.proxy.one_partition import FOREVER, OnePartitionProxy

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.codecs.ringbuffer import ReadManyResponse
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.context import RuntimeContext

T = TypeVar("T")

#: The most items one ``add_all`` or ``read_many`` may carry.
MAX_BATCH_SIZE = 1000


class OverflowPolicy(enum.IntEnum):
    """What ``add``/``add_all`` do when the ringbuffer is full (values are the protocol's)."""

    #: Overwrite the oldest item, even one younger than the time-to-live.
    OVERWRITE = 0
    #: Refuse the item: the result is -1.
    FAIL = 1


#: The official client's names for the two policies.
OVERFLOW_POLICY_OVERWRITE = OverflowPolicy.OVERWRITE
OVERFLOW_POLICY_FAIL = OverflowPolicy.FAIL


class ReadResult(Sequence[Any]):
    """What :meth:`Ringbuffer.read_many` returns: the items read, as a sequence, and where to go on.

    ``read_count`` counts the items read before filtering (so it may exceed ``size``);
    ``next_sequence_to_read_from`` is where the next read should start (past filtered
    items too, and at the head when the requested sequence had been overwritten);
    ``get_sequence(i)`` is the sequence of the i-th item, or :attr:`SEQUENCE_UNAVAILABLE`
    when the member did not say. Compares equal to a list of the same items.
    """

    SEQUENCE_UNAVAILABLE = -1

    __slots__ = ("_read_count", "_next_seq", "_item_seqs", "_items")

    def __init__(self, read_count: int, next_seq: int, item_seqs: Optional[List[int]], items: List[Any]) -> None:
        self._read_count = read_count
        self._next_seq = next_seq
        self._item_seqs = item_seqs
        self._items = items

    @property
    def read_count(self) -> int:
        """How many items the member read, filtered ones included."""
        return self._read_count

    @property
    def size(self) -> int:
        """How many items this result holds (after filtering)."""
        return len(self._items)

    @property
    def next_sequence_to_read_from(self) -> int:
        """The sequence the next read should start at (SEQUENCE_UNAVAILABLE from old members)."""
        return self._next_seq

    @property
    def items(self) -> List[Any]:
        """The items read, oldest first (a copy)."""
        return list(self._items)

    @property
    def item_seqs(self) -> List[int]:
        """The sequence of each item (empty when the member did not send them)."""
        return list(self._item_seqs or ())

    def get_sequence(self, index: int) -> int:
        """The sequence of the item at ``index``; SEQUENCE_UNAVAILABLE if unknown; raises IndexError."""
        if self._item_seqs is None:
            self._items[index]  # the same IndexError as an item access
            return self.SEQUENCE_UNAVAILABLE
        return self._item_seqs[index]

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> List[Any]: ...

    def __getitem__(self, index: Union[int, slice]) -> Any:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadResult):
            return self._items == other._items
        if isinstance(other, (list, tuple)):
            return self._items == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by items

    def __repr__(self) -> str:
        return "ReadResult(read_count=%d, next_sequence_to_read_from=%d, items=%r)" % (
            self._read_count,
            self._next_seq,
            self._items,
        )


def _int(value: object, what: str) -> int:
    """``value`` when it is an int (not a bool); raises TypeError naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, got %r" % (what, value))
    return value


def _not_negative(value: object, what: str) -> int:
    """``value`` when it is an int >= 0; raises TypeError or ValueError naming ``what``."""
    number = _int(value, what)
    if number < 0:
        raise ValueError("%s must be >= 0, got %d" % (what, number))
    return number


def _policy(overflow_policy: object) -> int:
    """The protocol value of ``overflow_policy`` (an OverflowPolicy, 0 or 1); raises TypeError/ValueError."""
    number = _int(overflow_policy, "overflow_policy")
    try:
        return int(OverflowPolicy(number))
    except ValueError:
        raise ValueError(
            "overflow_policy must be OverflowPolicy.OVERWRITE (0) or OverflowPolicy.FAIL (1), got %r"
            % (overflow_policy,)
        ) from None


def check_read_many(start_sequence: object, min_count: object, max_count: object) -> None:
    """Check the arguments of ``read_many`` that need no member; returns None.

    Raises TypeError for a non-int and ValueError for a negative ``start_sequence`` or
    ``min_count``, a ``max_count`` below ``min_count`` or above :data:`MAX_BATCH_SIZE`.
    """
    _not_negative(start_sequence, "start_sequence")
    low = _not_negative(min_count, "min_count")
    high = _int(max_count, "max_count")
    if high < low:
        raise ValueError("max_count (%d) must be >= min_count (%d)" % (high, low))
    if high > MAX_BATCH_SIZE:
        raise ValueError("max_count must be <= %d, got %d" % (MAX_BATCH_SIZE, high))


class Ringbuffer(OnePartitionProxy):
    """A distributed ringbuffer; see the module docstring for conventions."""

    service_name = "hz:impl:ringbufferService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        self._capacity: Optional[int] = None

    def blocking(self) -> Ringbuffer:
        """This proxy: its methods without ``_async`` already wait (kept for code written for the official client)."""
        return self

    def _read_call(
        self, request: ClientMessage, response_handler: Callable[[ClientMessage], T], forever: bool
    ) -> AsyncResult[T]:
        """Send a read; ``forever`` lifts the invocation deadline (a blocking read).

        The result is ``response_handler(response)``."""
        return self._call(request, response_handler, FOREVER if forever else None, "a blocking read")

    # -- sizes and sequences ------------------------------------------------------------

    def capacity_async(self) -> AsyncResult[int]:
        """Like :meth:`capacity` (answered without a request once known)."""
        known = self._capacity
        if known is not None:
            done: AsyncResult[int] = self._handler.async_result()
            done.set(known)
            return done

        def remember(message: ClientMessage) -> int:
            self._capacity = codec.decode_capacity_response(message)
            return self._capacity

        return self._call(codec.encode_capacity_request(self.name), remember)

    def capacity(self) -> int:
        """How many items the ringbuffer holds at most (asked once, then remembered)."""
        return self.capacity_async().get()

    def size_async(self) -> AsyncResult[int]:
        """Starts :meth:`size` without waiting; returns an async result whose ``get()`` gives what
        :meth:`size` returns and raises what it raises (argument errors are raised at once)."""
        return self._call(codec.encode_size_request(self.name), codec.decode_size_response)

    def size(self) -> int:
        """How many items the ringbuffer holds now (at most its capacity)."""
        return self.size_async().get()

    def tail_sequence_async(self) -> AsyncResult[int]:
        """Starts :meth:`tail_sequence` without waiting; returns an async result whose ``get()`` gives what
        :meth:`tail_sequence` returns and raises what it raises (argument errors are raised at once)."""
        return self._call(codec.encode_tail_sequence_request(self.name), codec.decode_tail_sequence_response)

    def tail_sequence(self) -> int:
        """The sequence of the newest item; -1 while the ringbuffer is empty."""
        return self.tail_sequence_async().get()

    def head_sequence_async(self) -> AsyncResult[int]:
        """Starts :meth:`head_sequence` without waiting; returns an async result whose ``get()`` gives what
        :meth:`head_sequence` returns and raises what it raises (argument errors are raised at once)."""
        return self._call(codec.encode_head_sequence_request(self.name), codec.decode_head_sequence_response)

    def head_sequence(self) -> int:
        """The sequence of the oldest item; ``tail_sequence() + 1`` while the ringbuffer is empty."""
        return self.head_sequence_async().get()

    def remaining_capacity_async(self) -> AsyncResult[int]:
        """Starts :meth:`remaining_capacity` without waiting; returns an async result whose ``get()`` gives
        what :meth:`remaining_capacity` returns and raises what it raises (argument errors are raised at
        once)."""
        return self._call(codec.encode_remaining_capacity_request(self.name), codec.decode_remaining_capacity_response)

    def remaining_capacity(self) -> int:
        """How many items can be added before old ones must go (the capacity when no time-to-live is set)."""
        return self.remaining_capacity_async().get()

    # -- adding -------------------------------------------------------------------------

    def add_async(self, item: Any, overflow_policy: int = OverflowPolicy.OVERWRITE) -> AsyncResult[int]:
        """Like :meth:`add`; raises ValueError for a None item or an unknown policy before sending."""
        policy = _policy(overflow_policy)
        return self._add_data_async(self._value_data(item, "item"), policy)

    def add(self, item: Any, overflow_policy: int = OverflowPolicy.OVERWRITE) -> int:
        """Add ``item`` at the tail; returns its sequence, or -1 when FAIL refused it (ringbuffer full)."""
        return self.add_async(item, overflow_policy).get()

    def _add_data_async(self, data: bytes, policy: int) -> AsyncResult[int]:
        """Add an already serialized item; the result is its sequence or -1."""
        return self._call(codec.encode_add_request(self.name, policy, data), codec.decode_add_response)

    def add_all_async(self, items: Sequence[Any], overflow_policy: int = OverflowPolicy.OVERWRITE) -> AsyncResult[int]:
        """Like :meth:`add_all`; raises before sending for bad arguments."""
        check_not_none(items, "items")
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise TypeError("items must be a collection of items, got %r" % (type(items).__name__,))
        listed = list(items)
        if not listed:
            raise ValueError("items must not be empty")
        if len(listed) > MAX_BATCH_SIZE:
            raise ValueError("items must hold at most %d items, got %d" % (MAX_BATCH_SIZE, len(listed)))
        policy = _policy(overflow_policy)
        datas = [self._value_data(item, "an item of items") for item in listed]
        return self._add_all_data_async(datas, policy)

    def add_all(self, items: Sequence[Any], overflow_policy: int = OverflowPolicy.OVERWRITE) -> int:
        """Add ``items`` in order at the tail; returns the sequence of the last one, or -1 when FAIL refused them.

        Raises ValueError for None, an empty collection, a None item or more than
        :data:`MAX_BATCH_SIZE` items, TypeError for a str/bytes or a non-collection."""
        return self.add_all_async(items, overflow_policy).get()

    def _add_all_data_async(self, datas: List[bytes], policy: int) -> AsyncResult[int]:
        """Add already serialized items; the result is the last sequence or -1."""
        return self._call(codec.encode_add_all_request(self.name, datas, policy), codec.decode_add_all_response)

    # -- reading ------------------------------------------------------------------------

    def read_one_async(self, sequence: int) -> AsyncResult[Any]:
        """Like :meth:`read_one`; raises TypeError/ValueError for a non-int or negative sequence."""
        seq = _not_negative(sequence, "sequence")
        return self._read_call(
            codec.encode_read_one_request(self.name, seq),
            self._object_of(codec.decode_read_one_response),
            True,
        )

    def read_one(self, sequence: int) -> Any:
        """The item at ``sequence``, waiting as long as it takes when it is the next one to be written.

        Raises StaleSequenceError when the item was already overwritten and
        IllegalArgumentError for a sequence past ``tail_sequence() + 1``."""
        return self.read_one_async(sequence).get()

    def read_many_async(
        self, start_sequence: int, min_count: int, max_count: int, filter: Any = None
    ) -> AsyncResult[ReadResult]:
        """Like :meth:`read_many`.

        Argument errors are raised before sending; ``min_count`` above the capacity
        raises ValueError at once when the capacity is known, else fails the result
        (after one capacity request)."""
        check_read_many(start_sequence, min_count, max_count)
        filter_data = None if filter is None else self._to_data(filter)
        known = self._capacity
        if known is not None:
            _check_capacity(min_count, known)
            return self._read_many_data_async(start_sequence, min_count, max_count, filter_data, self._read_result)
        result: AsyncResult[ReadResult] = self._handler.async_result()

        def with_capacity(capacity: AsyncResult[int]) -> None:  # callback worker
            try:
                _check_capacity(min_count, capacity.get())
            except BaseException as error:
                result.set_exception(error)
                return
            read = self._read_many_data_async(start_sequence, min_count, max_count, filter_data, self._read_result)
            read.rawlink(lambda done: _settle(result, done))

        self.capacity_async().rawlink(with_capacity)
        return result

    def read_many(self, start_sequence: int, min_count: int, max_count: int, filter: Any = None) -> ReadResult:
        """Read from ``start_sequence`` between ``min_count`` and ``max_count`` items.

        Waits (as long as it takes) until ``min_count`` items are there, then returns
        a :class:`ReadResult` of up to ``max_count``. ``filter`` is a member-side object
        (an IdentifiedDataSerializable / Portable / Compact object the member can run)
        selecting the items to return. A ``start_sequence`` already overwritten reads
        from the head. Raises TypeError for a non-int and ValueError for a negative
        sequence or count, ``max_count < min_count``, ``max_count > 1000`` or
        ``min_count`` above the capacity.
        """
        check_read_many(start_sequence, min_count, max_count)
        if self._capacity is None:
            self.capacity()
        return self.read_many_async(start_sequence, min_count, max_count, filter).get()

    def _read_result(self, response: ReadManyResponse) -> ReadResult:
        to_object = self._to_object
        items = [to_object(data) for data in response["items"]]
        return ReadResult(response["read_count"], response["next_seq"], response["item_seqs"], items)

    def _read_many_data_async(
        self,
        start_sequence: int,
        min_count: int,
        max_count: int,
        filter_data: Optional[bytes],
        convert: Callable[[ReadManyResponse], T],
    ) -> AsyncResult[T]:
        """Send a checked readMany; the result is ``convert(decoded response)``."""
        return self._read_call(
            codec.encode_read_many_request(self.name, start_sequence, min_count, max_count, filter_data),
            lambda message: convert(codec.decode_read_many_response(message)),
            min_count > 0,
        )


def _check_capacity(min_count: int, capacity: int) -> None:
    """Raises ValueError when ``min_count`` exceeds ``capacity``; returns None."""
    if min_count > capacity:
        raise ValueError("min_count (%d) must be <= the capacity of the ringbuffer (%d)" % (min_count, capacity))


def _settle(target: AsyncResult[T], source: AsyncResult[T]) -> None:
    """Copy the outcome of the ready ``source`` into ``target``; returns None."""
    try:
        value = source.get(block=False)
    except BaseException as error:
        target.set_exception(error)
    else:
        target.set(value)
