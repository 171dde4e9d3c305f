"""The statistics text: escaping, the near cache metric names, the gauges."""

from __future__ import annotations

from hzgreen.near_cache.stats import NearCacheStats
from hzgreen.runtime.statistics import (
    NEAR_CACHE_METRICS,
    escape_name,
    escape_value,
    format_metrics,
    near_cache_metrics,
    system_metrics,
)


def test_names_escape_the_separators_and_drop_a_leading_slash():
    assert escape_name("plain") == "plain"
    assert escape_name("a.b,c=d\\e") == "a\\.b\\,c\\=d\\\\e"
    assert escape_name("/hz/map") == "hz/map"


def test_values_keep_dots_but_escape_the_separators():
    assert escape_value("hzgreen.client_1") == "hzgreen.client_1"
    assert escape_value("a,b=c") == "a\\,b\\=c"


def test_format_joins_name_value_pairs():
    assert format_metrics([("a", 1), ("b", "x"), ("c", 2.5)]) == "a=1,b=x,c=2.5"
    assert format_metrics([]) == ""


def test_near_cache_metrics_use_the_official_names():
    stats = NearCacheStats(1700000000.5, 3, 2, 1, 4, 5, 6, 7, 800)
    metrics = dict(near_cache_metrics("users.eu", stats))
    assert metrics == {
        "nc.users\\.eu.creationTime": 1700000000500,
        "nc.users\\.eu.evictions": 1,
        "nc.users\\.eu.hits": 3,
        "nc.users\\.eu.misses": 2,
        "nc.users\\.eu.ownedEntryCount": 7,
        "nc.users\\.eu.expirations": 4,
        "nc.users\\.eu.invalidations": 5,
        "nc.users\\.eu.invalidationRequests": 6,
        "nc.users\\.eu.ownedEntryMemoryCost": 800,
    }
    assert len(NEAR_CACHE_METRICS) == len(metrics)


def test_system_metrics_have_the_official_names_and_sane_values():
    metrics = dict(system_metrics(started=0.0))
    assert metrics["runtime.availableProcessors"] >= 1
    assert metrics["os.processCpuTime"] > 0
    assert metrics["runtime.uptime"] > 0
    assert all(name.startswith(("os.", "runtime.")) for name in metrics)
