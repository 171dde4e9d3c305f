"""Which member to send a CP group's calls to: the one that answers them fastest.

Any member accepts a CP call and forwards it to the group's Raft leader, which costs a
member-to-member round trip on every call that does not reach the leader first. The
client protocol tells a Community client nothing about leaders, but the leader is the
member that answers without that extra hop: :class:`LeaderRouter` keeps, per group, each
member connection's quickest answer time among its last ``WINDOW`` calls and prefers the
quickest connection. A minimum ignores the odd slow answer (a pause of the member or of the
client's machine), where an average would send the calls to a follower for hundreds of
calls after one spike; a follower's answers always carry the extra hop, so it never wins.

It learns as it goes. The first ``WARMUP`` calls of a group, and one call in every
``EXPLORE_EVERY`` after that, take the client's normal route (the load balancer), so
every member keeps being sampled; when the leader moves, the old one starts forwarding,
its window fills with slower answers, and the new leader's quick samples win. Routing never affects what a call
does, only where it enters the cluster; a preferred connection that is gone is ignored.
With one member (or smart routing off) there is no other way in: the owner clears
:attr:`LeaderRouter.enabled` and the calls skip the router, its timing included.

Sans-IO: callers pass the answer times in; the router keeps no clock and starts nothing.
"""

from __future__ import annotations

from collections import deque
from typing import Deque, Dict, Generic, Hashable, List, Optional, Protocol, Tuple, TypeVar


class Link(Protocol):
    """What the router needs of a connection: whether it is still usable."""

    @property
    def alive(self) -> bool:
        """True while the connection can carry calls."""
        ...


L = TypeVar("L", bound=Link)

#: Calls of a group routed the normal way before the router prefers a member.
WARMUP = 24
#: After the warm-up, one call in this many takes the normal route (keeps every window fresh).
EXPLORE_EVERY = 16
#: Answer times kept per connection; the quickest of them ranks it.
WINDOW = 8


class _Group(Generic[L]):
    __slots__ = ("calls", "samples", "quickest", "best")

    def __init__(self) -> None:
        self.calls = 0
        self.samples: Dict[L, Deque[float]] = {}  # each connection's last WINDOW answer times
        self.quickest: Dict[L, float] = {}  # the minimum of each window
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
        window = state.samples.get(link)
        if window is None:
            window = state.samples[link] = deque(maxlen=WINDOW)
        window.append(seconds)
        quickest = state.quickest
        quickest[link] = min(window)
        state.best = _quickest(state)

    def answer_times(self, group: Hashable) -> List[Tuple[L, float]]:
        """``group``'s connections with the quickest of their last ``WINDOW`` answer times in
        seconds, quickest first (for tests and diagnostics)."""
        state = self._groups.get(group)
        if state is None:
            return []
        return sorted(state.quickest.items(), key=lambda item: item[1])

    def forget(self, group: Hashable) -> None:
        """Drop what was learnt about ``group`` (it was destroyed); returns None."""
        self._groups.pop(group, None)


def _quickest(state: _Group[L]) -> Optional[L]:
    """The live link with the quickest recent answer; dead ones are dropped from ``state``."""
    best: Optional[L] = None
    best_time = 0.0
    for link, seconds in list(state.quickest.items()):
        if not link.alive:
            del state.quickest[link]
            state.samples.pop(link, None)
            continue
        if best is None or seconds < best_time:
            best, best_time = link, seconds
    return best
