"""Which hzgreen objects an action leaves in reference cycles.

An object in a reference cycle is not freed when its last outside reference goes: it waits
for the garbage collector, and the collection then runs in the middle of some later,
unrelated call. A closed client is meant to leave none (``HzClient.close`` unlinks its
parts); :func:`cyclic_garbage` is how the tests check that.
"""

from __future__ import annotations

import collections
import gc
from typing import Callable, Dict


def cyclic_garbage(action: Callable[[], None]) -> Dict[str, int]:
    """Run ``action()`` and return ``{type name: count}`` of the hzgreen objects it left
    unreachable but not freed (in reference cycles, or reachable only from one).

    Collects once before ``action`` so that older garbage is not counted; garbage of other
    libraries is not counted either. Raises what ``action`` raises.
    """
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()  # no collection may free (and so hide) a cycle before the one below
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        found = collections.Counter(
            "%s.%s" % (type(obj).__module__, type(obj).__qualname__)
            for obj in gc.garbage
            if type(obj).__module__.startswith("hzgreen.")
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    return dict(found)
