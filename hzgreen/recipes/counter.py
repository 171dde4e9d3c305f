"""Counter: a shared integer, like Kazoo's Counter, on a CP AtomicLong.

.. code-block:: python

    counter = client.Counter("visits", default=100)
    counter += 1                 # atomic add on the cluster
    counter.pre_value, counter.post_value    # 100, 101: this client's last change
    counter.value                # the current value (a round trip)

``default`` is the value of a counter nobody changed yet. It is applied once per name, by
the first Counter created: a companion AtomicLong ``"{name}.__init"`` flips 0 -> 1 with
compare-and-set and the winner adds ``default`` to the counter. Race: a client that
changes the counter after the flag flipped but before the winner added ``default`` sees
the value without it (the final value is right either way, as additions commute).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from hzgreen.client import HzClient


class Counter:
    """``client.Counter(name, default=0)``: ``counter += n``, ``counter -= n``, ``value``."""

    def __init__(self, client: HzClient, name: str, default: int = 0) -> None:
        if not isinstance(default, int) or isinstance(default, bool):
            raise TypeError("default must be an int, got %r" % (default,))
        self.client = client
        self.name = name
        self.default = default
        self._value = client.cp.get_atomic_long(name)
        #: The value before and after this object's last change (None before any change).
        self.pre_value: Optional[int] = None
        self.post_value: Optional[int] = None
        self._ensure_default()

    def _ensure_default(self) -> None:
        flag = self.client.cp.get_atomic_long(self.name + ".__init")
        if flag.compare_and_set(0, 1) and self.default:
            self._value.add_and_get(self.default)

    @property
    def value(self) -> int:
        """The current value on the cluster."""
        return self._value.get()

    def _change(self, delta: object) -> "Counter":
        """Add ``delta`` on the cluster; returns self, raises TypeError for a non-int."""
        if not isinstance(delta, int) or isinstance(delta, bool):
            raise TypeError("a Counter changes by ints only, got %r" % (delta,))
        post = self._value.add_and_get(delta)
        self.pre_value, self.post_value = post - delta, post
        return self

    def __add__(self, delta: int) -> "Counter":
        return self._change(delta)

    def __sub__(self, delta: int) -> "Counter":
        return self._change(-delta)

    __iadd__ = __add__
    __isub__ = __sub__

    def __int__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return "Counter(name=%r)" % (self.name,)
