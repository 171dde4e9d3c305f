"""CountDownLatch: waiters are released when ``count`` count-downs happened.

.. code-block:: python

    latch = client.CountDownLatch("start-line", 3)   # armed with 3 if not armed yet
    latch.count_down()
    if latch.wait(timeout=30): ...

Built on the CP subsystem's count-down latch: the count lives in the CP group, not in a
session, so a latch survives the client (a dead client's count-downs are simply missing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from hzgreen.client import HzClient


class CountDownLatch:
    """``client.CountDownLatch(name, count)``: arms the latch with ``count`` when it is open."""

    def __init__(self, client: HzClient, name: str, count: Optional[int] = None) -> None:
        self.client = client
        self.name = name
        self._latch = client.cp.get_count_down_latch(name)
        #: True if this object armed the latch (False: it was armed already, or no count given).
        self.armed = bool(count and self._latch.try_set_count(count))

    def count_down(self) -> None:
        """Decrement the count; at 0 every waiter is released (no-op when already 0)."""
        self._latch.count_down()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until the count is 0; True then, False after ``timeout`` s (None: forever)."""
        return self._latch.await_latch(timeout)

    def reset(self, count: int) -> bool:
        """Arm the latch again with ``count`` if it is open now; True if it did."""
        return self._latch.try_set_count(count)

    @property
    def count(self) -> int:
        """The current count (a round trip)."""
        return self._latch.get_count()
