"""Run code written for the official Hazelcast Python client on hzgreen with one import.

``import hzgreen.compat as hazelcast`` gives ``hazelcast.HazelcastClient(...)``, which
connects in its constructor and whose proxies return futures (``.blocking()`` returns
the native hzgreen proxy). The submodules mirror the official ones
(``hazelcast.config``, ``hazelcast.errors``, ``hazelcast.predicate``, ...) and, as with the
official package, are reachable as attributes once ``hazelcast`` is imported.
docs/migrating.rst lists what still differs. hzgreen's native API is unchanged: this
package only wraps it from the outside.
"""

import importlib
import logging
from typing import Any

from hzgreen import __version__
from hzgreen.compat.client import HazelcastClient

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["HazelcastClient", "__version__"]

_SUBMODULES = frozenset(
    {
        "aggregator",
        "client",
        "config",
        "core",
        "cp",
        "errors",
        "future",
        "lifecycle",
        "predicate",
        "projection",
        "proxy",
        "serialization",
        "sql",
        "transaction",
        "util",
        "version",
    }
)


def __getattr__(name: str) -> Any:
    """Returns the submodule ``name`` (``hazelcast.errors``, ...), imported on first use.

    Raises AttributeError for any other name.
    """
    if name in _SUBMODULES:
        return importlib.import_module("hzgreen.compat." + name)
    raise AttributeError("module 'hzgreen.compat' has no attribute %r" % (name,))
