"""``hazelcast.lifecycle`` for hzgreen: LifecycleService and LifecycleState.

:class:`LifecycleState` is hzgreen's own (a ``str`` enum, so ``state == "CONNECTED"`` holds
as with the official string constants). Listeners run on the handler's callback worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from hzgreen.states import LifecycleState

if TYPE_CHECKING:
    from hzgreen.client import HzClient

__all__ = ["LifecycleService", "LifecycleState"]


class LifecycleService:
    """The lifecycle of one compat client: ``is_running``, ``add_listener``, ``remove_listener``."""

    def __init__(self, client: "HzClient") -> None:
        self._client = client
        self._running = False
        client.add_lifecycle_listener(self._track)

    def _track(self, state: LifecycleState) -> None:
        if state == LifecycleState.STARTED:
            self._running = True
        elif state in (LifecycleState.SHUTTING_DOWN, LifecycleState.SHUTDOWN):
            self._running = False

    def _set_running(self, running: bool) -> None:
        self._running = running

    def is_running(self) -> bool:
        """Returns True from the client's start until it begins to shut down."""
        return self._running

    def add_listener(self, on_state_change: Callable[[LifecycleState], Any]) -> str:
        """Call ``on_state_change(state)`` on every lifecycle event; returns the registration id.

        Raises TypeError if ``on_state_change`` is not callable.
        """
        return self._client.add_lifecycle_listener(on_state_change)

    def remove_listener(self, registration_id: str) -> bool:
        """Stop the listener registered under ``registration_id``; returns whether it was registered."""
        return self._client.remove_lifecycle_listener(registration_id)
