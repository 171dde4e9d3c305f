"""pytest plugin: real Hazelcast members and hzgreen clients as fixtures.

Opt-in: installing hzgreen does not change other projects' test runs. A test
suite that wants the fixtures asks for the plugin in its ``conftest.py``
(``pytest_plugins = ["hzgreen.testing.plugin"]``) or on the command line
(``pytest -p hzgreen.testing.plugin``).

Fixtures
--------
``hz_cluster``          session: one member, CP subsystem in unsafe mode
``hz_cluster3``         session: three members, Raft CP subsystem (tests get the ``cp3`` mark)
``hz_cluster_factory``  ``make(**Cluster kwargs)``: private clusters, closed at teardown
``hz_handler_name``     "threading" / "gevent" (tests are run once per handler)
``hz_handler``          a fresh handler instance of that name
``hz_client``           a started client of ``hz_cluster`` using ``hz_handler``
``hz_client_factory``   ``make(cluster=None, start=True, **HzClient kwargs)``
``unique_name``         a fresh data-structure name, "m-<hex>"

Options: ``--hz-handlers=threading,gevent`` (or env ``HZGREEN_HANDLERS``)
chooses the handlers; ``--hz-keep-logs`` keeps member logs after the run.
When a test fails, the tail of each member log of the clusters it used is
attached to the report.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator, List, Optional

import pytest

from hzgreen.testing.cluster import Cluster
from hzgreen.testing.process import kill_all_members

if TYPE_CHECKING:
    import pluggy

HANDLER_NAMES = ("threading", "gevent")

_HANDLER_CLASSES = {
    "threading": ("hzgreen.handlers.threading", "SequentialThreadingHandler"),
    "gevent": ("hzgreen.handlers.gevent", "SequentialGeventHandler"),
}

_MARKERS = (
    "slow: takes more than a few seconds",
    "cp3: needs the three-member Raft CP cluster (hz_cluster3)",
    "fault: kills, pauses or restarts members",
    "fakepeer: talks to a fake peer/proxy instead of a real member (what a real member cannot do)",
)

_clusters_key = pytest.StashKey[List[Cluster]]()
_previous_sigterm: Any = None


# --- configuration -------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hzgreen", "hzgreen real-member harness")
    group.addoption(
        "--hz-handlers",
        default=None,
        help="comma-separated handlers for the hz_handler/hz_client fixtures "
        "(default: env HZGREEN_HANDLERS or 'threading,gevent')",
    )
    group.addoption(
        "--hz-keep-logs",
        action="store_true",
        default=False,
        help="keep the member work folders (configuration and logs) after the run",
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in _MARKERS:
        config.addinivalue_line("markers", line)
    _install_sigterm_handler()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _previous_sigterm
    if _previous_sigterm is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _previous_sigterm)
        _previous_sigterm = None


def _install_sigterm_handler() -> None:
    """Turn SIGTERM into KeyboardInterrupt so fixtures tear down and JVMs stop.

    A second SIGTERM kills the members at once and exits.
    """
    global _previous_sigterm
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
        return  # somebody else handles it (e.g. a test runner wrapper)
    received: List[int] = []

    def on_sigterm(signum: int, frame: Any) -> None:
        if received:
            kill_all_members()
            os._exit(128 + signum)
        received.append(signum)
        raise KeyboardInterrupt("SIGTERM")

    _previous_sigterm = signal.signal(signal.SIGTERM, on_sigterm)


def handler_names(config: pytest.Config) -> List[str]:
    raw = config.getoption("--hz-handlers") or os.environ.get("HZGREEN_HANDLERS") or ",".join(HANDLER_NAMES)
    names = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in names if name not in _HANDLER_CLASSES]
    if unknown:
        raise pytest.UsageError("unknown hzgreen handler(s) %s; choose from %s" % (unknown, list(HANDLER_NAMES)))
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "hz_handler_name" not in metafunc.fixturenames:
        return
    for marker in metafunc.definition.iter_markers("parametrize"):
        argnames = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
        if isinstance(argnames, str):
            argnames = [name.strip() for name in argnames.split(",")]
        if "hz_handler_name" in argnames:
            return  # the test chose its handlers itself
    metafunc.parametrize("hz_handler_name", handler_names(metafunc.config), ids=str)


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if "hz_cluster3" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.cp3)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: "pytest.CallInfo[None]"
) -> Generator[None, "pluggy.Result[pytest.TestReport]", None]:
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    known: List[Cluster] = item.stash.get(_clusters_key, [])
    clusters = list(known)
    for value in getattr(item, "funcargs", {}).values():
        if isinstance(value, Cluster) and value not in clusters:
            clusters.append(value)
    for cluster in clusters:
        for name, tail in cluster.logs().items():
            if tail:
                report.sections.append(("hzgreen %s %s (log tail)" % (cluster.cluster_name, name), tail))


def _keep_logs(config: pytest.Config) -> Optional[bool]:
    return True if config.getoption("--hz-keep-logs") else None


# --- clusters ----------------------------------------------------------------------


def _session_cluster(request: pytest.FixtureRequest, **kwargs: Any) -> Iterator[Cluster]:
    cluster = Cluster(keep_workdir=_keep_logs(request.config), **kwargs)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture(scope="session")
def hz_cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """One member; CP subsystem in unsafe mode (CP structures work, no Raft)."""
    yield from _session_cluster(request, members=1, cp_members=0)


@pytest.fixture(scope="session")
def hz_cluster3(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """Three members, all of them CP members (Raft)."""
    yield from _session_cluster(request, members=3, cp_members=3)


@pytest.fixture(autouse=True)
def _hz_session_clusters_healthy(request: pytest.FixtureRequest) -> None:
    """Before each test using a shared cluster, bring back any member a
    previous test stopped or paused, and remember the cluster for reports."""
    for name in ("hz_cluster", "hz_cluster3"):
        if name in request.fixturenames:
            cluster = request.getfixturevalue(name)
            cluster.ensure_running()
            _remember(request.node, cluster)


def _remember(item: pytest.Item, cluster: Cluster) -> None:
    clusters = item.stash.setdefault(_clusters_key, [])
    if cluster not in clusters:
        clusters.append(cluster)


@pytest.fixture
def hz_cluster_factory(request: pytest.FixtureRequest) -> Iterator[Callable[..., Cluster]]:
    """``make(start=True, **kwargs)`` -> a private :class:`Cluster`, closed at teardown."""
    made: List[Cluster] = []

    def make(start: bool = True, **kwargs: Any) -> Cluster:
        kwargs.setdefault("keep_workdir", _keep_logs(request.config))
        cluster = Cluster(**kwargs)
        made.append(cluster)
        _remember(request.node, cluster)
        if start:
            cluster.start()
        return cluster

    try:
        yield make
    finally:
        errors = []
        for cluster in reversed(made):
            try:
                cluster.close()
            except Exception as exc:  # close every cluster, then complain
                errors.append(exc)
        if errors:
            raise errors[0]


# --- handlers and clients ---------------------------------------------------------


def make_handler(name: str) -> Any:
    """A fresh handler instance by name ("threading" or "gevent")."""
    try:
        module_name, class_name = _HANDLER_CLASSES[name]
    except KeyError:
        raise ValueError("unknown handler %r; choose from %s" % (name, list(HANDLER_NAMES))) from None
    if name == "gevent":
        pytest.importorskip("gevent")
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)()


def _stop_handler(handler: Any) -> None:
    stop = getattr(handler, "stop", None)
    if callable(stop) and getattr(handler, "running", False):
        stop()


@pytest.fixture
def hz_handler_name() -> str:
    """Replaced by the per-handler parametrization (see pytest_generate_tests)."""
    return HANDLER_NAMES[0]


@pytest.fixture
def hz_handler(hz_handler_name: str) -> Iterator[Any]:
    handler = make_handler(hz_handler_name)
    yield handler
    _stop_handler(handler)


def _close_client(client: Any) -> None:
    try:
        client.stop()
    finally:
        client.close()


@pytest.fixture
def hz_client(hz_cluster: Cluster, hz_handler: Any) -> Iterator[Any]:
    """A started client of ``hz_cluster``; stopped and closed at teardown."""
    from hzgreen.client import HzClient

    client = HzClient(
        cluster_members=hz_cluster.addresses,
        cluster_name=hz_cluster.cluster_name,
        handler=hz_handler,
    )
    client.start(timeout=30)
    try:
        yield client
    finally:
        _close_client(client)


@pytest.fixture
def hz_client_factory(request: pytest.FixtureRequest, hz_handler_name: str) -> Iterator[Callable[..., Any]]:
    """``make(cluster=None, start=True, start_timeout=30, **HzClient kwargs)``.

    ``cluster`` defaults to ``hz_cluster``; ``handler`` defaults to a fresh
    handler of the test's ``hz_handler_name``.  Every client is stopped and
    closed at teardown.
    """
    made: List[Any] = []

    def make(cluster: Optional[Cluster] = None, start: bool = True, start_timeout: float = 30, **kwargs: Any) -> Any:
        from hzgreen.client import HzClient

        if cluster is None and "cluster_members" not in kwargs:
            cluster = request.getfixturevalue("hz_cluster")
        if cluster is not None:
            _remember(request.node, cluster)
            kwargs.setdefault("cluster_members", cluster.addresses)
            kwargs.setdefault("cluster_name", cluster.cluster_name)
        if "handler" not in kwargs:
            kwargs["handler"] = make_handler(hz_handler_name)
        client = HzClient(**kwargs)
        made.append(client)
        if start:
            client.start(timeout=start_timeout)
        return client

    try:
        yield make
    finally:
        errors = []
        for client in reversed(made):
            try:
                _close_client(client)
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]


@pytest.fixture
def unique_name() -> str:
    """A name no other test uses, for maps, locks, topics: "m-<hex>"."""
    return "m-" + uuid.uuid4().hex[:12]
