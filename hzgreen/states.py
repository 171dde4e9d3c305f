"""Connection states of a client and the lifecycle events it reports.

``HzState`` is the Kazoo-style view a recipe reacts to; ``LifecycleState`` mirrors the
official Hazelcast client's lifecycle events for users coming from it.
"""

from __future__ import annotations

import enum


class HzState(str, enum.Enum):
    """Where the client stands with its cluster.

    ``LOST``: initial; after ``stop()``; or when the client reconnected to a *different*
    cluster (its id changed) or its CP session expired: server-side state tied to this
    client (CP locks, sessions, listener registrations of the old cluster) is gone.
    ``SUSPENDED``: every connection dropped; the client is reconnecting; requests wait
    (or fail fast, per ``reconnect_mode``). ``CONNECTED``: connected and authenticated.
    """

    LOST = "LOST"
    SUSPENDED = "SUSPENDED"
    CONNECTED = "CONNECTED"

    def __str__(self) -> str:
        return self.value


class LifecycleState(str, enum.Enum):
    """Lifecycle events, named as the official client names them."""

    STARTING = "STARTING"
    STARTED = "STARTED"
    CONNECTED = "CONNECTED"
    DISCONNECTED = "DISCONNECTED"
    SHUTTING_DOWN = "SHUTTING_DOWN"
    SHUTDOWN = "SHUTDOWN"

    def __str__(self) -> str:
        return self.value


# Transitions DESIGN.md allows; anything else is a bug in the runtime.
ALLOWED_TRANSITIONS = frozenset(
    {
        (HzState.LOST, HzState.CONNECTED),
        (HzState.CONNECTED, HzState.SUSPENDED),
        (HzState.SUSPENDED, HzState.CONNECTED),
        (HzState.SUSPENDED, HzState.LOST),
        (HzState.CONNECTED, HzState.LOST),
    }
)
