"""The near_caches option: official names and defaults, patterns, clear errors."""

import pytest

from hzgreen.config import ClientConfig
from hzgreen.near_cache import EvictionPolicy, InMemoryFormat, NearCacheConfig
from hzgreen.near_cache.config import find_near_cache_config, near_cache_configs


def test_defaults_are_the_official_ones():
    config = ClientConfig(near_caches={"m": {}}).near_caches["m"]
    assert config.invalidate_on_change is True
    assert config.in_memory_format is InMemoryFormat.BINARY
    assert config.time_to_live is None and config.max_idle is None
    assert config.eviction_policy is EvictionPolicy.LRU
    assert (config.eviction_max_size, config.eviction_sampling_count, config.eviction_sampling_pool_size) == (
        10000,
        8,
        16,
    )
    assert ClientConfig().near_caches == {}


def test_values_by_enum_name_or_number():
    configs = near_cache_configs(
        {
            "a": {"in_memory_format": InMemoryFormat.OBJECT, "eviction_policy": "lfu", "time_to_live": 60},
            "b": {"in_memory_format": 1, "eviction_policy": 3, "max_idle": 0},
        }
    )
    assert configs["a"].in_memory_format is InMemoryFormat.OBJECT and configs["a"].eviction_policy is EvictionPolicy.LFU
    assert configs["a"].time_to_live == 60.0
    assert configs["b"].eviction_policy is EvictionPolicy.RANDOM and configs["b"].max_idle is None


@pytest.mark.parametrize(
    "options, error, field",
    [
        ({"eviction_policy": "OLDEST"}, ValueError, "eviction_policy"),
        ({"in_memory_format": "NATIVE"}, ValueError, "in_memory_format"),
        ({"in_memory_format": 1.5}, TypeError, "in_memory_format"),
        ({"time_to_live": -1}, ValueError, "time_to_live"),
        ({"max_idle": "1"}, TypeError, "max_idle"),
        ({"eviction_max_size": 0}, ValueError, "eviction_max_size"),
        ({"eviction_sampling_count": True}, TypeError, "eviction_sampling_count"),
        ({"eviction_sampling_pool_size": -3}, ValueError, "eviction_sampling_pool_size"),
        ({"invalidate_on_change": "yes"}, TypeError, "invalidate_on_change"),
        ({"reconciliation_interval": 0}, ValueError, "reconciliation_interval"),
        ({"size": 5}, TypeError, "unknown option"),
    ],
)
def test_bad_values_name_the_map_and_the_field(options, error, field):
    with pytest.raises(error, match=r"near_caches\['users'\].*%s" % field):
        ClientConfig(near_caches={"users": options})


def test_bad_shapes():
    with pytest.raises(TypeError, match="near_caches must be a dict"):
        near_cache_configs(["m"])
    with pytest.raises(TypeError, match=r"near_caches\['m'\] must be a dict"):
        near_cache_configs({"m": 5})
    with pytest.raises(ValueError, match="one '\\*'"):
        near_cache_configs({"a*b*": {}})
    with pytest.raises(ValueError, match="NearCacheConfig named 'x'"):
        near_cache_configs({"m": NearCacheConfig("x")})
    assert near_cache_configs({"m": NearCacheConfig("m", eviction_max_size=5)})["m"].eviction_max_size == 5


def test_wildcards_pick_the_most_specific_pattern():
    configs = near_cache_configs({"users": {}, "user*": {"eviction_max_size": 1}, "users-*": {"eviction_max_size": 2}})
    assert find_near_cache_config(configs, "users").name == "users"
    assert find_near_cache_config(configs, "users-eu").name == "users-*"
    assert find_near_cache_config(configs, "userx").name == "user*"
    assert find_near_cache_config(configs, "orders") is None
    assert find_near_cache_config(near_cache_configs({"*-cache": {}}), "a-cache").name == "*-cache"
