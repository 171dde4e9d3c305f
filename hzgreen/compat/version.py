"""``hazelcast.version`` for hzgreen: the client version string."""

from hzgreen import __version__

__all__ = ["CLIENT_VERSION"]

#: hzgreen's version (the official client reports its own here).
CLIENT_VERSION = __version__
