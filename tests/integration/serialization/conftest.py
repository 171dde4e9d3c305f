"""Fixtures of the serialization integration tests.

``java_cluster``: a one-member cluster of this module's own whose classpath holds the Java
classes of tests/java (compiled by the harness) and whose configuration registers their
factories; ``interop_client(**options)`` makes a client of it that knows the Python twins.
"""

import os
import sys

import interop_twins as twins
import pytest

from hzgreen.testing import Cluster
from tests.integration.private_cluster import keep_workdir, serve

# The classes shared with the official client live next to the unit tests that compare
# bytes with it (tests/unit/serialization/official_twins.py); import them from there.
sys.path.append(os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "unit", "serialization")))


@pytest.fixture(scope="module")
def java_cluster(request):
    cluster = Cluster(
        java_sources=[twins.JAVA_SOURCES],
        data_serializable_factories=twins.JAVA_DATA_SERIALIZABLE_FACTORIES,
        portable_factories=twins.JAVA_PORTABLE_FACTORIES,
        keep_workdir=keep_workdir(request),
    )
    yield from serve(cluster)


@pytest.fixture
def interop_client(java_cluster, hz_client_factory):
    def make(**options):
        options.setdefault("data_serializable_factories", twins.DATA_SERIALIZABLE_FACTORIES)
        options.setdefault("portable_factories", twins.PORTABLE_FACTORIES)
        return hz_client_factory(cluster=java_cluster, **options)

    return make
