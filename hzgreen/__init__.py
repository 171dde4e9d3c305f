"""hzgreen: a Hazelcast client for gevent and threads, with Kazoo-style recipes."""

from typing import TYPE_CHECKING, Any

import hzgreen.exceptions  # noqa: F401  (first: hzgreen.server_errors subclasses its classes)
from hzgreen.retry import HzRetry
from hzgreen.states import HzState, LifecycleState

if TYPE_CHECKING:
    from hzgreen.client import HzClient
    from hzgreen.serialization.json_value import HazelcastJsonValue

__version__ = "0.1.0"

__all__ = ["HazelcastJsonValue", "HzClient", "HzRetry", "HzState", "LifecycleState", "__version__"]


def __getattr__(name: str) -> Any:  # imported lazily so `import hzgreen.protocol` stays light
    if name == "HzClient":
        from hzgreen.client import HzClient

        return HzClient
    if name == "HazelcastJsonValue":
        from hzgreen.serialization.json_value import HazelcastJsonValue

        return HazelcastJsonValue
    raise AttributeError("module 'hzgreen' has no attribute %r" % name)
