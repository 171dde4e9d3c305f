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

A float ``default`` (``client.Counter("load", default=0.0)``) makes a float counter, as in
Kazoo, where the type of ``default`` is the type of the counter. It lives in a CP
AtomicReference ``name`` (a namespace apart from the int counters' AtomicLongs): a value
never set reads as ``default``, and every change is a compare-and-set loop on the current
value, so concurrent changes are neither lost nor applied twice. It changes by floats or
ints (Kazoo accepts floats only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from hzgreen.client import HzClient

Number = Union[int, float]


class Counter:
    """``client.Counter(name, default=0)``: ``counter += n``, ``counter -= n``, ``value``.

    Raises TypeError for a ``default`` that is neither an int nor a float."""

    def __init__(self, client: HzClient, name: str, default: Number = 0) -> None:
        if not isinstance(default, (int, float)) or isinstance(default, bool):
            raise TypeError("default must be an int or a float, got %r" % (default,))
        self.client = client
        self.name = name
        self.default = default
        self._float = isinstance(default, float)
        #: The value before and after this object's last change (None before any change).
        self.pre_value: Optional[Number] = None
        self.post_value: Optional[Number] = None
        if self._float:
            self._reference = client.cp.get_atomic_reference(name)
        else:
            self._value = client.cp.get_atomic_long(name)
            self._ensure_default()

    def _ensure_default(self) -> None:
        flag = self.client.cp.get_atomic_long(self.name + ".__init")
        if flag.compare_and_set(0, 1) and self.default:
            self._value.add_and_get(int(self.default))

    @property
    def value(self) -> Number:
        """The current value on the cluster (a round trip)."""
        if self._float:
            current = self._reference.get()
            return float(self.default if current is None else current)
        return self._value.get()

    def _change(self, delta: object) -> "Counter":
        """Add ``delta`` on the cluster; returns self. Raises TypeError for a delta that
        is not an int (int counter) or not an int or float (float counter)."""
        if self._float:
            if not isinstance(delta, (int, float)) or isinstance(delta, bool):
                raise TypeError("a float Counter changes by numbers only, got %r" % (delta,))
            while True:
                current = self._reference.get()
                pre = float(self.default if current is None else current)
                post = pre + delta
                if self._reference.compare_and_set(current, post):
                    self.pre_value, self.post_value = pre, post
                    return self
        if not isinstance(delta, int) or isinstance(delta, bool):
            raise TypeError("an int Counter changes by ints only, got %r" % (delta,))
        after = self._value.add_and_get(delta)
        self.pre_value, self.post_value = after - delta, after
        return self

    def __add__(self, delta: Number) -> "Counter":
        return self._change(delta)

    def __sub__(self, delta: Number) -> "Counter":
        return self._change(-delta)

    __iadd__ = __add__
    __isub__ = __sub__

    def __int__(self) -> int:
        return int(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return "Counter(name=%r)" % (self.name,)
