"""What the connection strategy options do to a client: listeners and balancer set up, and ``async_start``.

:func:`prepare` runs at construction: it applies the logging options, registers the
``membership_listeners`` (so they hear the first member list) and lets the load balancer
follow the cluster service. :class:`AsyncStart` makes ``start()`` return at once when
``async_start`` is set: connecting goes on in the background, requests fail with
ClientOfflineError until the client is CONNECTED, and a start that fails for good
(refused credentials, ``cluster_connect_timeout``) shuts the client down.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Optional, Protocol

from hzgreen.states import HzState

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.lifecycle import StateTracker
    from hzgreen.runtime.cluster import ClusterService

__all__ = ["AsyncStart", "prepare"]

log = logging.getLogger("hzgreen.runtime.connection")


class _Starter(Protocol):
    def start(self, timeout: Optional[float], wait: bool = True) -> None: ...

    def wait_started(self, timeout: Optional[float]) -> None: ...


class _FailFast(Protocol):
    def set_fail_fast(self, fail_fast: bool, reason: str = ...) -> None: ...


def prepare(config: "ClientConfig", cluster: "ClusterService") -> None:
    """Apply the logging options, register the membership listeners, start the load balancer; returns None.

    Raises ValueError naming ``logging_config`` when the logging module refuses it, and
    what the load balancer's ``init`` raises.
    """
    options = config.connection_options
    options.apply_logging()
    for member_added, member_removed in options.membership_listeners:
        cluster.add_listener(member_added, member_removed)
    options.load_balancer.init(cluster)


class AsyncStart:
    """Starts a client without waiting for the cluster (``async_start=True``)."""

    def __init__(
        self,
        config: "ClientConfig",
        handler: "Handler",
        connections: _Starter,
        invocations: _FailFast,
        state: "StateTracker",
        on_failure: Callable[[], None],
    ) -> None:
        self.enabled = config.connection_options.async_start
        self._offline_fails = config.reconnect_mode == "ASYNC"
        self._handler = handler
        self._connections = connections
        self._invocations = invocations
        self._state = state
        self._on_failure = on_failure

    def begin(self) -> None:
        """Begin connecting and return at once; requests fail fast until CONNECTED. Returns None."""
        self._invocations.set_fail_fast(True, "async_start: not connected to the cluster yet")
        self._state.add_observer(self._observe)
        self._connections.start(None, wait=False)
        self._handler.spawn(self._watch)

    def unlink(self) -> None:
        """Forget the client's failure callback, which points back into the client (it was
        closed). Returns None."""
        self._on_failure = lambda: None

    def _observe(self, state: HzState) -> None:
        # A state observer: runs inside the transition, so it only flips a flag.
        if state == HzState.CONNECTED:
            self._invocations.set_fail_fast(self._offline_fails)
            self._state.remove_observer(self._observe)

    def _watch(self) -> None:
        """Wait for the background start's outcome; a failure shuts the client down. Returns None."""
        try:
            self._connections.wait_started(None)
        except Exception as error:
            log.error("could not connect to the cluster (async_start): %s; shutting down", error)
            self._on_failure()
