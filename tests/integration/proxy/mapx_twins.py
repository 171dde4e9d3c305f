"""Python twins of tests/java/hzgreen/mapx (same ids, same fields) and a cluster that knows them.

``mapx_cluster(**kwargs)`` is a one-member :class:`~hzgreen.testing.Cluster` whose classpath
holds the interceptor, MapLoader and journal predicate/projection classes and whose
serialization configuration registers their factory; ``kwargs`` add to that.
"""

import os

from hzgreen.serialization.api import IdentifiedDataSerializable
from hzgreen.testing import Cluster

JAVA_SOURCES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "java", "hzgreen", "mapx")
FACTORY_ID = 1100


def mapx_cluster(**kwargs):
    """A one-member Cluster (not started) with the classes of tests/java/hzgreen/mapx."""
    return Cluster(
        java_sources=[JAVA_SOURCES],
        data_serializable_factories={FACTORY_ID: "hzgreen.mapx.MapxDataSerializableFactory"},
        **kwargs,
    )


class _Mapx(IdentifiedDataSerializable):
    class_id = 0

    def get_factory_id(self):
        return FACTORY_ID

    def get_class_id(self):
        return self.class_id


class _PrefixMapx(_Mapx):
    """A twin whose only field is the string ``prefix``."""

    def __init__(self, prefix=""):
        self.prefix = prefix

    def write_data(self, out):
        out.write_string(self.prefix)

    def read_data(self, inp):
        self.prefix = inp.read_string()


class UpperCaseInterceptor(_PrefixMapx):
    """hzgreen.mapx.UpperCaseInterceptor: stores strings upper-cased, reads them back prefixed."""

    class_id = 1


class KeyPrefixPredicate(_PrefixMapx):
    """hzgreen.mapx.KeyPrefixPredicate: journal events whose string key starts with ``prefix``."""

    class_id = 2


class KeyValueProjection(_Mapx):
    """hzgreen.mapx.KeyValueProjection: a journal event as ``"<TYPE> <key>=<new value>"``."""

    class_id = 3

    def write_data(self, out):
        pass

    def read_data(self, inp):
        pass
