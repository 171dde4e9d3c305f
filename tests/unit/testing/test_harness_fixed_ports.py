"""Cluster(ports=...): members on ports the caller chose (no JVM started)."""

import os

import pytest

from hzgreen.testing.cluster import Cluster


def test_fixed_ports_become_the_member_addresses():
    cluster = Cluster(members=2, ports=[23456, 23457], cluster_name="fixed")
    try:
        assert cluster.addresses == ["127.0.0.1:23456", "127.0.0.1:23457"]
        assert '<port auto-increment="false" port-count="1">23457</port>' in cluster.config_xml(1)
    finally:
        cluster.close()
    assert not os.path.exists(cluster.workdir)


def test_one_port_per_member_is_required():
    with pytest.raises(ValueError, match="one port per member"):
        Cluster(members=2, ports=[23456])
