"""The client's state machine and its two kinds of listeners.

State listeners (Kazoo style) get an :class:`HzState` on every transition; lifecycle
listeners (official-client style) get a :class:`LifecycleState` event. Both run on the
handler's callback worker, in the order the transitions happened.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Union

from hzgreen.states import ALLOWED_TRANSITIONS, HzState, LifecycleState

if TYPE_CHECKING:
    from hzgreen.handler_types import Handler, Lock

log = logging.getLogger("hzgreen.client")


class StateTracker:
    """Holds the current HzState and tells the listeners about every change."""

    def __init__(self, handler: "Handler", lifecycle_listeners: List[Callable[[LifecycleState], Any]]) -> None:
        self._handler = handler
        self._lock = handler.rlock_object()
        self.state = HzState.LOST
        self._state_listeners: List[Callable[[HzState], Any]] = []
        self._observers: List[Callable[[HzState], Any]] = []
        self._lifecycle_listeners = list(lifecycle_listeners)
        self._lifecycle_ids: Dict[str, Callable[[LifecycleState], Any]] = {}

    def add_listener(self, listener: Callable[[HzState], Any]) -> None:
        """Call ``listener(state)`` on the callback worker after every transition; returns
        None, raises TypeError if ``listener`` is not callable."""
        if not callable(listener):
            raise TypeError("listener must be callable, got %r" % (listener,))
        with self._lock:
            if listener not in self._state_listeners:
                self._state_listeners.append(listener)

    def remove_listener(self, listener: Callable[[HzState], Any]) -> None:
        """Stop calling ``listener``; returns None."""
        with self._lock:
            if listener in self._state_listeners:
                self._state_listeners.remove(listener)

    def add_observer(self, observer: Callable[[HzState], Any]) -> None:
        """Call ``observer(state)`` inside every transition, before any listener is queued.

        For the client's own bookkeeping that user callbacks must not delay (CP session
        ownership): it runs on whatever thread or greenlet makes the transition, under
        this tracker's lock, so it must be quick, must not block and must not wait for
        the cluster. An exception it raises is logged.
        """
        if not callable(observer):
            raise TypeError("observer must be callable, got %r" % (observer,))
        with self._lock:
            if observer not in self._observers:
                self._observers.append(observer)

    def add_lifecycle_listener(self, listener: Callable[[LifecycleState], Any]) -> str:
        """Call ``listener(event)`` on the callback worker for every lifecycle event; returns
        its registration id, raises TypeError if ``listener`` is not callable."""
        if not callable(listener):
            raise TypeError("listener must be callable, got %r" % (listener,))
        registration_id = str(uuid.uuid4())
        with self._lock:
            self._lifecycle_listeners.append(listener)
            self._lifecycle_ids[registration_id] = listener
        return registration_id

    def remove_lifecycle_listener(self, listener: Union[str, Callable[[LifecycleState], Any]]) -> bool:
        """Stop calling a listener, given its registration id or the function; returns whether it was registered."""
        with self._lock:
            if isinstance(listener, str):
                found = self._lifecycle_ids.pop(listener, None)
                if found is None:
                    return False
                listener = found
            else:
                for key in [key for key, value in self._lifecycle_ids.items() if value is listener][:1]:
                    del self._lifecycle_ids[key]
            if listener in self._lifecycle_listeners:
                self._lifecycle_listeners.remove(listener)
                return True
            return False

    def locked(self) -> "Lock":
        """A context manager that keeps other transitions out while it is held (the tracker's lock).

        Reentrant: transitions made while holding it are allowed, so a caller can make a
        sequence of them (LOST then CONNECTED) that no disconnect slips into.
        """
        return self._lock

    def unlink(self) -> None:
        """Forget the observers (the client's own parts: CP sessions, near caches, an async
        start), which point back into the client (it was closed). The user's listeners stay.
        Returns None."""
        with self._lock:
            self._observers.clear()

    def remove_observer(self, observer: Callable[[HzState], Any]) -> None:
        """Stop calling ``observer`` (no effect if it was not added); returns None."""
        with self._lock:
            if observer in self._observers:
                self._observers.remove(observer)

    def transition(self, new_state: HzState) -> bool:
        """Move to ``new_state``; False (and nothing told) when already there or not allowed."""
        with self._lock:
            old = self.state
            if old == new_state:
                return False
            if (old, new_state) not in ALLOWED_TRANSITIONS:
                log.error("refusing state transition %s -> %s", old, new_state)
                return False
            self.state = new_state
            log.info("state %s -> %s", old, new_state)
            for observer in list(self._observers):
                try:
                    observer(new_state)
                except Exception:
                    log.exception("error in state observer %r", observer)
            for listener in list(self._state_listeners):
                self._handler.dispatch_callback(self._call_state_listener, listener, new_state)
        return True

    def fire_lifecycle(self, event: LifecycleState) -> None:
        """Queue ``event`` for every lifecycle listener; returns None."""
        with self._lock:
            log.info("lifecycle %s", event)
            for listener in list(self._lifecycle_listeners):
                self._handler.dispatch_callback(listener, event)

    def _call_state_listener(self, listener: Callable[[HzState], Any], state: HzState) -> None:
        # As in Kazoo, a listener that returns True has done its job and is removed.
        if listener(state) is True:
            self.remove_listener(listener)
