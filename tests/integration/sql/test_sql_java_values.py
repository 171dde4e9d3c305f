"""SQL over IdentifiedDataSerializable values: the module's own member has the Java class
(tests/java/hzgreen/interop/Address.java) on its classpath and its factory registered."""

import os
import sys

import pytest

from hzgreen.sql import SqlColumnType
from hzgreen.testing import Cluster
from tests.integration.private_cluster import keep_workdir, serve

sys.path.append(os.path.join(os.path.dirname(__file__), os.pardir, "serialization"))
from interop_twins import (  # noqa: E402
    DATA_SERIALIZABLE_FACTORIES,
    JAVA_DATA_SERIALIZABLE_FACTORIES,
    JAVA_SOURCES,
    Address,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def java_cluster(request):
    cluster = Cluster(
        java_sources=[JAVA_SOURCES],
        data_serializable_factories=JAVA_DATA_SERIALIZABLE_FACTORIES,
        keep_workdir=keep_workdir(request),
    )
    yield from serve(cluster)


def test_identified_data_serializable_values(java_cluster, hz_client_factory, unique_name):
    client = hz_client_factory(cluster=java_cluster, data_serializable_factories=DATA_SERIALIZABLE_FACTORIES)
    addresses = client.get_map(unique_name)
    addresses.put_all({1: Address("Main Street", 15), 2: Address("High Street", 3), 3: Address("Elm Row", 40)})
    client.sql.execute(
        'CREATE MAPPING "%s" (__key INT, street VARCHAR, number INT) TYPE IMap OPTIONS '
        "('keyFormat'='int', 'valueFormat'='java', 'valueJavaClass'='hzgreen.interop.Address')" % unique_name
    )
    rows = client.sql.execute('SELECT street, number FROM "%s" WHERE number > ? ORDER BY number DESC' % unique_name, 10)
    assert [row.to_list() for row in rows] == [["Elm Row", 40], ["Main Street", 15]]
    count = next(iter(client.sql.execute('SELECT COUNT(*), MAX(number) FROM "%s"' % unique_name)))
    assert count.to_list() == [3, 40]
    whole = next(iter(client.sql.execute('SELECT this FROM "%s" WHERE __key = 2' % unique_name)))
    assert whole.metadata.get_column(0).type is SqlColumnType.OBJECT
    assert whole[0] == Address("High Street", 3)
