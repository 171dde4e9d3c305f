import pytest

from hzgreen.testing import Cluster


@pytest.fixture(scope="module")
def fault_cluster():
    """A one-member cluster of this module's own: these tests pause and restart it."""
    cluster = Cluster(members=1)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def resumed(fault_cluster):
    """Make sure a paused member is resumed even when a test fails."""
    yield fault_cluster
    fault_cluster.resume(0)
