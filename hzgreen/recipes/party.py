"""Party: who is here, like Kazoo's Party, on a map of expiring entries.

.. code-block:: python

    party = client.Party("workers", "worker-7")
    party.join()
    len(party), sorted(party)        # members' identifiers
    party.leave()

Each participant is an entry of the map ``"{name}.__party"``, keyed by a participant id
unique to this object, valued with its identifier, with a time-to-live ``ttl`` (seconds;
10 by default, the CP session TTL of the test clusters) refreshed every ``ttl / 3`` by a
task of the client's handler. A client that dies stops refreshing: its identifier
disappears within ``ttl``. A participant whose entry was lost anyway (the client was cut
off for longer than ``ttl``) is put back by the next refresh once connected again.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any, Iterator, List, Optional

from hzgreen.exceptions import ClientNotActiveError, HzError

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.handler_types import Event, Handler, TaskHandle

log = logging.getLogger("hzgreen.recipes.party")

DEFAULT_TTL = 10.0


class Party:
    """``client.Party(name, identifier=None, ttl=10.0)``: join(), leave(), len(), iteration."""

    def __init__(self, client: HzClient, name: str, identifier: Any = None, ttl: float = DEFAULT_TTL) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be > 0, got %r" % (ttl,))
        self.client = client
        self.name = name
        self.identifier = identifier
        self.ttl = float(ttl)
        self.participant_id = uuid.uuid4().hex
        self.map = client.get_map(name + ".__party")
        self._handler: Handler = client.handler
        self._stop = self._handler.event_object()
        self._task: Optional[TaskHandle] = None
        self.participating = False

    def join(self) -> None:
        """Join the party (idempotent); the entry is refreshed until :meth:`leave`."""
        if self.participating:
            return
        self._refresh()
        self.participating = True
        self._stop = self._handler.event_object()
        self._task = self._handler.spawn(self._heartbeat, self._stop)

    def leave(self) -> None:
        """Leave the party: the entry is removed at once."""
        if not self.participating:
            return
        self.participating = False
        self._stop.set()
        if self._task is not None:
            self._task.join(self.ttl)  # no refresh may land after the delete
        self.map.delete(self.participant_id)

    def _refresh(self) -> None:
        self.map.set(self.participant_id, self.identifier, ttl=self.ttl)

    def _heartbeat(self, stop: Event) -> None:
        """Task: refresh the entry every ``ttl / 3`` until ``stop`` is set (or the client stops)."""
        while not stop.wait(self.ttl / 3):
            try:
                self._refresh()
            except ClientNotActiveError:
                return
            except HzError as error:  # cut off: the next round tries again
                log.debug("party %r: refresh failed: %r", self.name, error)

    def members(self) -> List[Any]:
        """The identifiers of the live participants (one round trip)."""
        return self.map.values()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.members())

    def __len__(self) -> int:
        return self.map.size()

    def __repr__(self) -> str:
        return "Party(name=%r, identifier=%r)" % (self.name, self.identifier)
