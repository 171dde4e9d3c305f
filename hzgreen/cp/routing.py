"""Which member to send a CP group's calls to: the one that answers them fastest.

Any member accepts a CP call and forwards it to the group's Raft leader, which costs a
member-to-member round trip on every call that does not reach the leader first. The
client protocol tells a Community client nothing about leaders, but the leader is the
member that answers without that extra hop: :class:`LeaderRouter` keeps, per group, a
moving average of each member connection's answer time and prefers the quickest.

It learns as it goes. The first ``WARMUP`` calls of a group, and one call in every
``EXPLORE_EVERY`` after that, take the client's normal route (the load balancer), so
every member keeps being sampled; when the leader moves, the old one starts forwarding,
its average grows, and the new leader's samples win. Routing never affects what a call
does, only where it enters the cluster; a preferred connection that is gone is ignored.
With one member (or smart routing off) there is no other way in: the owner clears
:attr:`LeaderRouter.enabled` and the calls skip the router, its timing included.

Sans-IO: callers pass the answer times in; the router keeps no clock and starts nothing.
"""

from __future__ import annotations

from typing import Dict, Generic, Hashable, List, Optional, Protocol, Tuple, TypeVar


class Link(Protocol):
    """What the router needs of a connection: whether it is still usable."""

    @property
    def alive(self) -> bool:
        """True while the connection can carry calls."""
        ...


L = TypeVar("L", bound=Link)

#: Calls of a group routed the normal way before the router prefers a member.
WARMUP = 24
#: After the warm-up, one call in this many takes the normal route (keeps the averages fresh).
EXPLORE_EVERY = 16
#: Weight of a new sample in a connection's moving average.
WEIGHT = 0.2


class _Group(Generic[L]):
    __slots__ = ("calls", "averages", "best")

    def __init__(self) -> None:
        self.calls = 0
        self.averages: Dict[L, float] = {}
        self.best: Optional[L] = None


class LeaderRouter(Generic[L]):
    """Per CP group, the connection that has answered its calls fastest (see the module)."""

    def __init__(self) -> None:
        self._groups: Dict[Hashable, _Group[L]] = {}
        #: Whether a call has more than one member to go to; while False, callers neither
        #: pick nor observe (nothing to learn). The router itself does not read it.
        self.enabled = True

    def pick(self, group: Hashable) -> Optional[L]:
        """The connection to send ``group``'s next call on, or None for the normal route
        (warming up, exploring, or no live favourite). Never raises."""
        state = self._groups.get(group)
        if state is None:
            state = self._groups[group] = _Group()
        state.calls += 1
        calls = state.calls
        if calls <= WARMUP or calls % EXPLORE_EVERY == 0:
            return None
        best = state.best
        if best is None or not best.alive:
            return None
        return best

    def observe(self, group: Hashable, link: Optional[L], seconds: float) -> None:
        """``link`` answered a call of ``group`` in ``seconds`` (from the send to the answer);
        returns None. A call that waited on the member (a lock acquire) must not be
        reported: its time is not the route's."""
        if link is None:
            return
        state = self._groups.get(group)
        if state is None:
            state = self._groups[group] = _Group()
        averages = state.averages
        old = averages.get(link)
        averages[link] = seconds if old is None else old + WEIGHT * (seconds - old)
        state.best = _quickest(list(averages.items()), averages)

    def averages(self, group: Hashable) -> List[Tuple[L, float]]:
        """``group``'s connections with their average answer time in seconds, quickest first
        (for tests and diagnostics)."""
        state = self._groups.get(group)
        if state is None:
            return []
        return sorted(state.averages.items(), key=lambda item: item[1])

    def forget(self, group: Hashable) -> None:
        """Drop what was learnt about ``group`` (it was destroyed); returns None."""
        self._groups.pop(group, None)


def _quickest(items: List[Tuple[L, float]], averages: Dict[L, float]) -> Optional[L]:
    """The live link with the lowest average; dead ones are dropped from ``averages``."""
    best: Optional[L] = None
    best_time = 0.0
    for link, seconds in items:
        if not link.alive:
            averages.pop(link, None)
            continue
        if best is None or seconds < best_time:
            best, best_time = link, seconds
    return best
