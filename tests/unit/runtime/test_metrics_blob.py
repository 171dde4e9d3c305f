"""The compressed metrics blob: golden bytes written out by hand from the format description."""

from __future__ import annotations

import struct
import zlib

import pytest

from hzgreen.near_cache.stats import NearCacheStats
from hzgreen.runtime.metrics_blob import MetricDescriptor, MetricsBlobWriter, MetricTarget, ProbeUnit
from hzgreen.runtime.statistics import add_near_cache_blob, add_system_blob, near_cache_metrics


def _split(blob):
    """(version, inflated dictionary part, metric count, inflated metrics part) of ``blob``."""
    version = struct.unpack(">H", blob[:2])[0]
    dict_size = struct.unpack(">i", blob[2:6])[0]
    dictionary = zlib.decompress(blob[6 : 6 + dict_size])
    count = struct.unpack(">i", blob[6 + dict_size : 10 + dict_size])[0]
    metrics = zlib.decompress(blob[10 + dict_size :])
    return version, dictionary, count, metrics


def test_two_metrics_sharing_a_prefix_golden_bytes():
    writer = MetricsBlobWriter()
    writer.add_long(MetricDescriptor("hits", prefix="nc", unit=ProbeUnit.COUNT), 5)
    writer.add_double(MetricDescriptor("ha", prefix="nc", unit=ProbeUnit.COUNT), 1.5)
    version, dictionary, count, metrics = _split(writer.blob())
    assert (version, count, writer.count) == (1, 2, 2)
    # words by first use: nc=0, hits=1, ha=2; sorted: ha(2), hits(1), nc(0)
    assert dictionary == bytes.fromhex(
        "00000003"  # three words
        " 00000002 00 02 0068 0061"  # id 2: nothing shared, "ha"
        " 00000001 01 03 0069 0074 0073"  # id 1: shares "h", then "its"
        " 00000000 00 02 006e 0063"  # id 0: "nc"
    )
    assert metrics == bytes.fromhex(
        "00"  # mask: the first metric writes every field
        " 00000000 00000001 ffffffff ffffffff"  # prefix nc, metric hits, no discriminator / value
        " 04 00 00"  # unit COUNT, no excluded targets, no tags
        " 00 0000000000000005"  # long 5
        " 7d"  # mask: all but the metric name equal the previous one (0x7f & ~0x02)
        " 00000002"  # metric ha
        " 01 3ff8000000000000"  # double 1.5
    )


def test_discriminator_targets_and_tags_golden_bytes():
    writer = MetricsBlobWriter()
    descriptor = MetricDescriptor(
        "m",
        discriminator="name",
        discriminator_value="x",
        excluded_targets=frozenset({MetricTarget.JMX, MetricTarget.DIAGNOSTICS}),
        tags=(("t", "v"),),
    )
    writer.add_long(descriptor, -1)
    writer.add_long(descriptor, 2)
    _, dictionary, count, metrics = _split(writer.blob())
    assert count == 2
    # ids by first use: m=0, name=1, x=2, t=3, v=4; written sorted: m, name, t, v, x
    assert dictionary == bytes.fromhex(
        "00000005"
        " 00000000 00 01 006d"
        " 00000001 00 04 006e 0061 006d 0065"
        " 00000003 00 01 0074"
        " 00000004 00 01 0076"
        " 00000002 00 01 0078"
    )
    assert metrics == bytes.fromhex(
        "00 ffffffff 00000000 00000001 00000002"  # no prefix, m, name, x
        " ff 06 01"  # no unit, JMX|DIAGNOSTICS, one tag
        " 00000003 00000004"  # t=v
        " 00 ffffffffffffffff"
        " 7f"  # everything as before, but the tag pairs are always written
        " 00000003 00000004"
        " 00 0000000000000002"
    )


def test_empty_blob_has_the_headers_and_no_metric():
    version, dictionary, count, metrics = _split(MetricsBlobWriter().blob())
    assert (version, dictionary, count, metrics) == (1, b"\x00\x00\x00\x00", 0, b"")


def test_non_ascii_words_are_utf16_units():
    writer = MetricsBlobWriter()
    writer.add_long(MetricDescriptor("\u00e9\U0001f600"), 1)
    _, dictionary, _, _ = _split(writer.blob())
    assert dictionary == bytes.fromhex("00000001 00000000 00 03 00e9 d83d de00")  # é, then 😀 as a surrogate pair


def test_bad_values_are_refused_and_nothing_is_recorded():
    writer = MetricsBlobWriter()
    with pytest.raises(ValueError, match="longer than 255"):
        writer.add_long(MetricDescriptor("a" * 256), 1)
    with pytest.raises(ValueError, match="64-bit"):
        writer.add_long(MetricDescriptor("m"), 1 << 63)
    with pytest.raises(TypeError, match="int"):
        writer.add_long(MetricDescriptor("m"), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="number"):
        writer.add_double(MetricDescriptor("m"), "1")  # type: ignore[arg-type]
    writer.add_long(MetricDescriptor("a" * 255), 1)
    assert writer.count == 1
    _, dictionary, count, _ = _split(writer.blob())
    assert count == 1 and struct.unpack(">i", dictionary[:4])[0] == 1


def test_statistics_near_cache_and_gauges_use_the_official_descriptors():
    writer = MetricsBlobWriter()
    stats = NearCacheStats(1700000000.5, 3, 2, 1, 4, 5, 6, 7, 800)
    add_near_cache_blob(writer, near_cache_metrics("users.eu", stats), "users.eu")
    add_system_blob(writer, [("os.systemLoadAverage", 0.25), ("runtime.uptime", 9)])
    _, dictionary, count, metrics = _split(writer.blob())
    assert count == 11
    words = []
    position, total = 4, struct.unpack(">i", dictionary[:4])[0]
    last = ""
    for _ in range(total):
        common, diff = dictionary[position + 4], dictionary[position + 5]
        word = last[:common] + dictionary[position + 6 : position + 6 + 2 * diff].decode("utf-16-be")
        words.append(word)
        position += 6 + 2 * diff
        last = word
    assert set(words) == {
        "nearcache", "name", "users.eu", "creationTime", "evictions", "hits", "misses", "ownedEntryCount",
        "expirations", "invalidations", "invalidationRequests", "ownedEntryMemoryCost",
        "os", "systemLoadAverage", "runtime", "uptime",
    }  # fmt: skip
    assert words == sorted(words)
    # the first near cache metric: nearcache / creationTime / name / users.eu, unit MS
    assert metrics[:1] == b"\x00" and metrics[17:20] == b"\x01\x00\x00"
    assert metrics[20:29] == b"\x00" + struct.pack(">q", 1700000000500)
    # the last metric is runtime.uptime, a long 9; the one before a double 0.25
    assert metrics[-9:] == b"\x00" + struct.pack(">q", 9)
    assert struct.pack(">Bd", 1, 0.25) in metrics
