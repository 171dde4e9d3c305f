"""Fixtures of the CP integration tests.

Besides the shared ``hz_cluster`` (unsafe mode) and ``hz_cluster3`` (Raft), some tests
need a member configured beyond what :func:`hzgreen.testing.config.member_config_xml`
generates: ``cp_custom_cluster`` is a one-member cluster (unsafe mode) whose
configuration adds, inside ``<cp-subsystem>``, JDK-compatible (sessionless) semaphores
for names ``jdk*`` and a reentrancy limit of 2 for locks named ``limited*``, and whose
classpath holds two Java ``IFunction`` classes (compiled here with ``javac``) with
their serializers, for ``alter``/``apply``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import types

import pytest

from hzgreen.serialization import StreamSerializer
from hzgreen.testing import Cluster
from hzgreen.testing.jar import ensure_member_jar

JAVA_SOURCES = os.path.join(os.path.dirname(__file__), "java", "hzgreentest")

#: Goes inside <cp-subsystem>: the generated configuration already has that element and
#: Hazelcast refuses a second one, so it cannot travel through ``extra_config_xml``.
CP_SUBSYSTEM_EXTRA = (
    "<semaphores><semaphore><name>jdk*</name><jdk-compatible>true</jdk-compatible></semaphore>"
    "</semaphores>"
    "<locks><fenced-lock><name>limited*</name><lock-acquire-limit>2</lock-acquire-limit></fenced-lock>"
    "</locks>"
)

SERIALIZERS_XML = (
    "<serialization><serializers>"
    '<serializer type-class="hzgreentest.AddFunction" class-name="hzgreentest.AddFunctionSerializer"/>'
    '<serializer type-class="hzgreentest.AppendFunction" class-name="hzgreentest.AppendFunctionSerializer"/>'
    "</serializers></serialization>"
)


# -- Python twins of the Java functions ------------------------------------------------


class AddFunction:
    """hzgreentest.AddFunction: ``value + delta`` (for AtomicLong)."""

    def __init__(self, delta):
        self.delta = delta


class AppendFunction:
    """hzgreentest.AppendFunction: ``str(value or "") + suffix`` (for AtomicReference)."""

    def __init__(self, suffix):
        self.suffix = suffix


class AddFunctionSerializer(StreamSerializer):
    def get_type_id(self):
        return 7301

    def write(self, out, obj):
        out.write_long(obj.delta)

    def read(self, inp):
        return AddFunction(inp.read_long())


class AppendFunctionSerializer(StreamSerializer):
    def get_type_id(self):
        return 7302

    def write(self, out, obj):
        out.write_string(obj.suffix)

    def read(self, inp):
        return AppendFunction(inp.read_string())


@pytest.fixture(scope="session")
def cp_functions():
    return types.SimpleNamespace(
        AddFunction=AddFunction,
        AppendFunction=AppendFunction,
        serializers={AddFunction: AddFunctionSerializer, AppendFunction: AppendFunctionSerializer},
    )


# -- the custom cluster ------------------------------------------------------------------


@pytest.fixture(scope="session")
def cp_java_classes(tmp_path_factory):
    javac = shutil.which("javac")
    assert javac, "javac is needed to build the test functions (a JDK, like the member's java)"
    out = tmp_path_factory.mktemp("cp-java-classes")
    sources = sorted(os.path.join(JAVA_SOURCES, name) for name in os.listdir(JAVA_SOURCES) if name.endswith(".java"))
    subprocess.run(
        [javac, "-nowarn", "--release", "8", "-cp", ensure_member_jar(), "-d", str(out)] + sources,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return str(out)


@pytest.fixture(scope="session")
def cp_custom_cluster(cp_java_classes):
    cluster = Cluster(members=1, classpath=[cp_java_classes], extra_config_xml=SERIALIZERS_XML)
    generated = cluster.config_xml

    def config_xml(i):
        xml = generated(i)
        assert xml.count("</cp-subsystem>") == 1
        return xml.replace("</cp-subsystem>", CP_SUBSYSTEM_EXTRA + "</cp-subsystem>")

    cluster.config_xml = config_xml
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def custom_client(cp_custom_cluster, hz_client_factory, cp_functions):
    """A client (of the test's handler) of ``cp_custom_cluster`` that serializes the functions."""
    return hz_client_factory(cluster=cp_custom_cluster, custom_serializers=cp_functions.serializers)


# -- helpers -------------------------------------------------------------------------------


def run_elsewhere(client, func, *args):
    """Run ``func(*args)`` in another thread/greenlet of the client's handler; its outcome."""
    result = client.handler.async_result()

    def run():
        try:
            result.set(func(*args))
        except BaseException as error:  # handed to the caller
            result.set_exception(error)

    client.handler.spawn(run)
    return result


@pytest.fixture
def elsewhere():
    return run_elsewhere


@pytest.fixture
def recorder():
    """``recorder(handler)`` -> a callable list with ``wait_for(pred, timeout)``, for listeners.

    Waits with the handler's own event, so under gevent the callback worker keeps running.
    """
    return Recorder


class Recorder:
    def __init__(self, handler):
        self.items = []
        self._handler = handler
        self._event = handler.event_object()

    def __call__(self, item):
        self.items.append(item)
        self._event.set()

    def wait_for(self, predicate, timeout):
        deadline = self._handler.monotonic() + timeout
        while not predicate(list(self.items)):
            remaining = deadline - self._handler.monotonic()
            assert remaining > 0, "condition not met within %.1fs; recorded %r" % (timeout, self.items)
            self._event.wait(remaining)
            self._event.clear()
        return list(self.items)
