"""Near caches of maps: local copies of mostly-read entries, kept fresh by member invalidations.

Configured with the client's ``near_caches`` option (:mod:`hzgreen.near_cache.config`); a map
whose name matches gets a :class:`~hzgreen.near_cache.map.NearCachedMap`. See docs/near_cache.rst.
"""

from hzgreen.near_cache.config import EvictionPolicy, InMemoryFormat, NearCacheConfig
from hzgreen.near_cache.stats import NearCacheStats

__all__ = ["EvictionPolicy", "InMemoryFormat", "NearCacheConfig", "NearCacheStats"]
