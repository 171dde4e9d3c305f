"""Backup acknowledgements sent to the client (``backup_ack_to_client_enabled``).

A smart client with the option on (the default) registers ``Client.localBackupListener``
on each connection before the connection carries requests, and once every connection of
the current member list has it, marks its requests BACKUP_AWARE. A member then answers a
mutating call as soon as the primary copy is written, saying in the response how many
backups are outstanding, and each backup member tells the client directly when its copy
is written. The call completes when all of them did, or once ``operation_backup_timeout``
has passed since the response (failing with IndeterminateOperationStateError under
``fail_on_indeterminate_operation_state``). This spares the primary member the wait for
its backups and keeps the client informed when a backup member stalls.

:class:`BackupAckService` is the driver of the sans-IO
:class:`~hzgreen.runtime.core.backups.BackupAcks`: it sends the registrations, decodes the
backup events, and completes or fails the calls on the I/O loop (a tick of the loop
checks the timeouts).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, List, Optional, Set

from hzgreen.exceptions import ClientNotActiveError
from hzgreen.protocol.codecs.client import (
    decode_local_backup_listener_backup_event,
    decode_local_backup_listener_response,
    encode_local_backup_listener_request,
)
from hzgreen.protocol.frame import BACKUP_AWARE
from hzgreen.protocol.message import RESPONSE_BACKUP_ACKS_OFFSET, ClientMessage
from hzgreen.runtime.core.backups import BackupAcks, Complete
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.runtime.cluster import ClusterService
    from hzgreen.runtime.connection import Connection
    from hzgreen.runtime.connection_manager import ConnectionManager
    from hzgreen.runtime.invocation import InvocationService

__all__ = ["BackupAckService", "install_backup_acks"]

log = logging.getLogger("hzgreen.runtime.backup_acks")


def _describe(invocation: Invocation) -> str:
    return invocation.describe()


class BackupAckService:
    """Collects the backup acks of one client's calls (see the module docstring).

    Built only for a smart client with ``backup_ack_to_client_enabled``; registers itself
    as a connection listener and as the invocation service's ``backups``.
    """

    def __init__(
        self,
        config: "ClientConfig",
        handler: "Handler",
        invocations: "InvocationService",
        connections: "ConnectionManager",
        cluster: "ClusterService",
    ) -> None:
        options = config.operations
        self._handler = handler
        self._invocations = invocations
        self._connections = connections
        self._cluster = cluster
        self._lock = handler.lock_object()
        pending = invocations._pending
        self.core: BackupAcks[Invocation] = BackupAcks(
            options.operation_backup_timeout,
            options.fail_on_indeterminate_operation_state,
            pending.__contains__,
            _describe,
        )
        #: connections whose local backup listener the member confirmed
        self.registered: Set["Connection"] = set()
        invocations.backups = self
        connections.add_connection_listener(self)

    # -- the invocation service's hooks (I/O loop) ------------------------------------------

    def hold(self, invocation: Invocation, response: ClientMessage) -> bool:
        """A response announcing backup acks answered ``invocation``: returns True when the
        call now waits for them (it is completed later), False to complete it at once."""
        expected = response.frames[0].content[RESPONSE_BACKUP_ACKS_OFFSET]
        return not self.core.on_response(
            invocation.correlation_id, invocation, response, expected, self._handler.monotonic()
        )

    def on_backup_event(self, message: ClientMessage) -> None:
        """A backup member confirmed a call (I/O loop): complete it if that was its last ack. Returns None."""
        event = decode_local_backup_listener_backup_event(message)
        done = self.core.on_ack(event["source_invocation_correlation_id"])
        if done is not None:
            self._invocations.complete(done.invocation, done.response)

    def check_timeouts(self, now: float) -> None:
        """Settle every call whose ``operation_backup_timeout`` ran out by ``now`` and recompute
        the BACKUP_AWARE flag for the current member list (an I/O loop tick). Returns None."""
        core = self.core
        if core.waiting or core.acks:
            for outcome in core.expire(now):
                if isinstance(outcome, Complete):
                    self._invocations.complete(outcome.invocation, outcome.response)
                else:
                    self._invocations.fail(outcome.invocation, outcome.error)
        self._update_flag()

    def shutdown(self) -> List[Invocation]:
        """The client stops: returns the calls still waiting for acks (the caller fails them)."""
        return self.core.shutdown()

    # -- connection listener --------------------------------------------------------------

    def connection_authenticated(self, connection: "Connection") -> None:
        """Ask a new connection's member for backup acks; returns at once, never raises.

        The connection carries requests meanwhile: they are not BACKUP_AWARE until every
        member's registration was answered (see :meth:`_update_flag`), so nothing waits for
        acks a member was never asked for, and connecting costs no extra round trip. A
        refusal is logged; that member then sends no acks and the flag stays off.
        """
        invocation = Invocation(
            encode_local_backup_listener_request(),
            _Answer(self, connection),
            connection=connection,
            response_handler=decode_local_backup_listener_response,
            event_handler=self.on_backup_event,
        )
        self._invocations.invoke(invocation)

    def _registration_answered(self, connection: "Connection", error: Optional[BaseException]) -> None:
        """The member answered (``error`` None) or the request failed with ``error``: count the
        connection as covered on success, log a refusal. Never blocks; returns None."""
        if error is not None:
            if connection.alive and not isinstance(error, ClientNotActiveError):
                log.warning("no backup acks from %s: %s", connection, error)
            return
        with self._lock:
            if connection.alive:
                self.registered.add(connection)

    def connection_added(self, connection: "Connection") -> None:
        """A connection is usable (its listener was registered before); returns None."""

    def connection_removed(self, connection: "Connection") -> None:
        """Forget a dead connection's registration; returns None."""
        with self._lock:
            self.registered.discard(connection)
        self._invocations.backup_flag = 0  # until the next tick sees every member covered again

    def _update_flag(self) -> None:
        """Mark requests BACKUP_AWARE only while every member has a registered connection
        (a backup member without one would never send its ack). Returns None."""
        covered = len(self.registered) >= max(1, len(self._cluster.members))
        self._invocations.backup_flag = BACKUP_AWARE if covered else 0


class _Answer:
    """Stands in for the future of one connection's registration (see Invocation.future).

    The invocation service calls ``set``/``set_exception`` on the I/O loop (or on the task
    that failed the send); the outcome is recorded there at once, so a registration costs
    no trip through the callback worker.
    """

    __slots__ = ("_service", "_connection")

    def __init__(self, service: BackupAckService, connection: "Connection") -> None:
        self._service = service
        self._connection = connection

    def set(self, value: Any = None) -> None:
        """The member confirmed the registration; returns None."""
        self._service._registration_answered(self._connection, None)

    def set_exception(self, error: BaseException) -> None:
        """The registration failed with ``error``; returns None."""
        self._service._registration_answered(self._connection, error)


def install_backup_acks(
    config: "ClientConfig",
    handler: "Handler",
    invocations: "InvocationService",
    connections: "ConnectionManager",
    cluster: "ClusterService",
) -> "BackupAckService | None":
    """Returns the :class:`BackupAckService` of a smart client with ``backup_ack_to_client_enabled``
    (hooked into ``invocations`` and ``connections``), None for any other client."""
    if not (config.smart_routing and config.operations.backup_ack_to_client_enabled):
        return None
    return BackupAckService(config, handler, invocations, connections, cluster)
