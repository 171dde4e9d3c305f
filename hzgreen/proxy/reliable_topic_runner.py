"""Reading a reliable topic's ringbuffer for one listener, batch after batch.

A :class:`MessageRunner` keeps one blocking ``readMany`` outstanding from the
listener's next sequence. Each batch is handled on the client's callback worker: for
every message ``store_sequence(sequence)`` then ``on_message(TopicMessage)``, then the
next read is sent. So one listener sees its messages one at a time, in ringbuffer
order, never on the I/O loop.

A listener that falls behind (its next sequence was overwritten) is told: its
``on_lost(lost_count, from_sequence)``, when it has one, is called, and the gap shows in
the sequences it is given. A loss-tolerant one carries on from the oldest message still
there, another is cancelled (``on_cancel``). Read failures that a later read may not
hit (timeouts, a lost connection, the client offline) are retried from the same
sequence after a pause; the others cancel the listener.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Protocol, runtime_checkable

from hzgreen.exceptions import ClientNotActiveError, ClientOfflineError, ConnectionLoss, HzTimeoutError
from hzgreen.server_errors import IllegalArgumentError, OperationTimeoutError, StaleSequenceError

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler
    from hzgreen.protocol.codecs.ringbuffer import ReadManyResponse
    from hzgreen.proxy.ringbuffer import Ringbuffer
    from hzgreen.proxy.topic import TopicMessage

log = logging.getLogger("hzgreen.proxy.reliable_topic")

#: Pause before re-reading after a transient failure: doubles from the first to the last.
RETRY_PAUSE_FIRST = 0.1
RETRY_PAUSE_MAX = 2.0

_RETRYABLE = (ClientOfflineError, ConnectionLoss, HzTimeoutError, OperationTimeoutError)


@runtime_checkable
class ReliableListenerLike(Protocol):
    """What a reliable topic needs of a listener object (see ``ReliableMessageListener``)."""

    def on_message(self, message: TopicMessage) -> Any: ...
    def retrieve_initial_sequence(self) -> int: ...
    def store_sequence(self, sequence: int) -> Any: ...
    def is_loss_tolerant(self) -> bool: ...
    def is_terminal(self, error: Exception) -> bool: ...


class MessageRunner:
    """Feeds one listener of one reliable topic; ``runners`` maps registration ids to live runners."""

    def __init__(
        self,
        registration_id: str,
        listener: ReliableListenerLike,
        ringbuffer: Ringbuffer,
        topic_name: str,
        batch_size: int,
        decode: Callable[[int, bytes], TopicMessage],
        runners: Dict[str, "MessageRunner"],
        handler: Handler,
    ) -> None:
        self.registration_id = registration_id
        self.listener = listener
        self._ringbuffer = ringbuffer
        self._topic_name = topic_name
        self._batch_size = batch_size
        self._decode = decode
        self._runners = runners
        self._handler = handler
        self.sequence = -1
        self.cancelled = False
        self._pause = RETRY_PAUSE_FIRST

    def begin(self, sequence: int) -> None:
        """Start reading at ``sequence``; returns None."""
        self.sequence = sequence
        self._runners[self.registration_id] = self
        self.next_batch()

    def next_batch(self) -> None:
        """Send the next read (unless cancelled); its batch is handled on the callback worker. Returns None."""
        if self.cancelled:
            return
        read: AsyncResult[ReadManyResponse] = self._ringbuffer._read_many_data_async(
            self.sequence, 1, self._batch_size, None, _raw
        )
        read.rawlink(self._on_batch)

    def cancel(self) -> None:
        """Stop for good and call the listener's ``on_cancel`` (once); returns None."""
        if self.cancelled:
            return
        self.cancelled = True
        self._runners.pop(self.registration_id, None)
        on_cancel = getattr(self.listener, "on_cancel", None)
        if on_cancel is not None:
            try:
                on_cancel()
            except Exception:
                log.exception("on_cancel of %r on reliable topic %r raised", self.listener, self._topic_name)

    # -- on the callback worker ---------------------------------------------------------

    def _on_batch(self, read: AsyncResult[ReadManyResponse]) -> None:
        if self.cancelled:
            return
        try:
            response = read.get(block=False)
        except Exception as error:
            self._read_failed(error)
            return
        self._pause = RETRY_PAUSE_FIRST
        items = response["items"]
        seqs = response["item_seqs"]
        next_seq = response["next_seq"]
        first = next_seq - response["read_count"]
        lost = first - self.sequence
        if lost > 0 and not self._tolerates_loss(lost, first):
            self.cancel()
            return
        for index, data in enumerate(items):
            sequence = seqs[index] if seqs is not None else first + index
            try:
                self.listener.store_sequence(sequence)
                self.listener.on_message(self._decode(sequence, data))
            except Exception as error:
                if self._terminal(error):
                    self.cancel()
                    return
            if self.cancelled:  # the listener removed itself
                return
        self.sequence = next_seq
        self.next_batch()

    def _tolerates_loss(self, lost: int, first: int) -> bool:
        """Tell the listener that ``lost`` messages were overwritten unread (``first`` is the oldest left);
        returns whether it goes on."""
        on_lost = getattr(self.listener, "on_lost", None)
        if callable(on_lost):
            try:
                on_lost(lost, first)
            except Exception:
                log.exception("on_lost of %r on reliable topic %r raised", self.listener, self._topic_name)
        if self.listener.is_loss_tolerant():
            log.info(
                "listener %r on reliable topic %r fell behind: %d message(s) lost, going on from the oldest one left",
                self.listener,
                self._topic_name,
                lost,
            )
            return True
        log.warning(
            "cancelling listener %r on reliable topic %r: it fell behind and %d message(s) were lost",
            self.listener,
            self._topic_name,
            lost,
        )
        return False

    def _terminal(self, error: Exception) -> bool:
        """Whether ``error`` (raised by the listener) ends it: its ``is_terminal`` decides."""
        try:
            terminal = bool(self.listener.is_terminal(error))
        except Exception:
            log.exception("is_terminal of %r on reliable topic %r raised", self.listener, self._topic_name)
            return True
        if terminal:
            log.warning(
                "cancelling listener %r on reliable topic %r after its error",
                self.listener,
                self._topic_name,
                exc_info=error,
            )
        else:
            log.debug("listener %r on reliable topic %r raised", self.listener, self._topic_name, exc_info=error)
        return terminal

    def _read_failed(self, error: BaseException) -> None:
        if isinstance(error, ClientNotActiveError):
            self.cancel()
        elif isinstance(error, _RETRYABLE):
            log.debug("reading reliable topic %r failed (%s); retrying", self._topic_name, error)
            self._retry_later()
        elif isinstance(error, (StaleSequenceError, IllegalArgumentError)) and self.listener.is_loss_tolerant():
            log.info("reliable topic %r: sequence %d is gone; going on from the head", self._topic_name, self.sequence)
            self._ringbuffer.head_sequence_async().rawlink(self._restart_at_head)
        else:
            log.warning("cancelling listener %r on reliable topic %r: %s", self.listener, self._topic_name, error)
            self.cancel()

    def _restart_at_head(self, head: AsyncResult[int]) -> None:
        if self.cancelled:
            return
        try:
            head_sequence = head.get(block=False)
        except Exception as error:
            self._read_failed(error)
            return
        lost = head_sequence - self.sequence
        if lost > 0 and not self._tolerates_loss(lost, head_sequence):
            self.cancel()
            return
        self.sequence = head_sequence  # also when the old one was ahead of the ringbuffer (restarted)
        self.next_batch()

    def _retry_later(self) -> None:
        pause, self._pause = self._pause, min(self._pause * 2, RETRY_PAUSE_MAX)
        dispatch = self._handler.dispatch_callback
        self._handler.call_later(pause, dispatch, self.next_batch)


def _raw(response: ReadManyResponse) -> ReadManyResponse:
    return response


def member_of(address: Optional[tuple[str, int]], members: list[Any]) -> Any:
    """The member info among ``members`` whose address is ``address`` (host, port); None if none."""
    if address is None:
        return None
    for member in members:
        if (member.address.host, member.address.port) == address:
            return member
    return None
