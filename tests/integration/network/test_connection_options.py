"""Connection strategy, credentials, membership listener, lifecycle and logging options against real members.

The Community member has no security realm: it refuses any username/password or token
(CREDENTIALS_FAILED), so these tests check that the refusal is a clear, prompt error; the
bytes sent are checked by tests/unit/network/test_credentials_fake_peer.py.
"""

import logging
import time

import pytest

from hzgreen import HzClient, HzState, LifecycleState
from hzgreen.exceptions import AuthenticationError, ClientOfflineError
from hzgreen.network.credentials import BasicTokenProvider
from hzgreen.testing import Cluster
from hzgreen.testing.waiting import wait_until
from tests.integration.private_cluster import keep_workdir

WAIT = 120


class Recorder:
    """Collects lifecycle events; ``wait_for(event)`` waits until that event arrived."""

    def __init__(self, handler):
        self.events = []
        self._handler = handler

    def __call__(self, event):
        self.events.append(event)

    def wait_for(self, event, timeout=WAIT):
        wait_until(self._handler, lambda: event in self.events, timeout, "no %s in %s" % (event, self.events))


# --- credentials ------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [{"creds_username": "alice", "creds_password": "s3cret"}, {"token_provider": BasicTokenProvider("s3crEt")}],
    ids=["username-password", "token"],
)
def test_credentials_are_refused_clearly_by_a_member_without_security(hz_client_factory, credentials):
    # A Community member has no security realm: it answers any credentials with CREDENTIALS_FAILED.
    began = time.monotonic()
    with pytest.raises(AuthenticationError, match="credentials failed"):
        hz_client_factory(start_timeout=WAIT, **credentials)
    assert time.monotonic() - began < WAIT / 2  # refused at once, not timed out


def test_no_credentials_connect_to_a_member_without_security(hz_client_factory, unique_name):
    client = hz_client_factory(creds_username=None, creds_password=None, token_provider=None)
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"


@pytest.mark.parametrize("bad", ["s3crEt", b"s3crEt", 42, object()])
def test_a_bad_token_provider_fails_at_construction(hz_cluster, hz_handler_name, bad):
    with pytest.raises(TypeError, match="token_provider"):
        HzClient(cluster_members=hz_cluster.addresses, token_provider=bad)


def test_basic_token_provider_refuses_a_non_text_token():
    with pytest.raises(TypeError, match="token must be a str or bytes"):
        BasicTokenProvider(42)


# --- lifecycle order and listener ids ---------------------------------------------------


def test_lifecycle_events_in_the_official_order(hz_client_factory):
    client = hz_client_factory(start=False)
    recorder = Recorder(client.handler)
    registration = client.add_lifecycle_listener(recorder)
    assert isinstance(registration, str)
    client.start(timeout=WAIT)
    recorder.wait_for(LifecycleState.CONNECTED)
    client.stop()
    recorder.wait_for(LifecycleState.SHUTDOWN)
    assert recorder.events == [
        LifecycleState.STARTING,
        LifecycleState.STARTED,
        LifecycleState.CONNECTED,
        LifecycleState.SHUTTING_DOWN,
        LifecycleState.DISCONNECTED,
        LifecycleState.SHUTDOWN,
    ]


def test_lifecycle_listener_removed_by_its_registration_id(hz_client_factory):
    client = hz_client_factory(start=False)
    removed, kept = Recorder(client.handler), Recorder(client.handler)
    registration = client.add_lifecycle_listener(removed)
    client.add_lifecycle_listener(kept)
    assert client.remove_lifecycle_listener(registration) is True
    assert client.remove_lifecycle_listener(registration) is False
    client.start(timeout=WAIT)
    kept.wait_for(LifecycleState.CONNECTED)  # the callback worker is sequential: removed would have run first
    assert removed.events == []


# --- async_start --------------------------------------------------------------------------


def test_async_start_with_a_wrong_cluster_name_shuts_the_client_down(hz_client_factory, hz_cluster):
    client = hz_client_factory(start=False, cluster_name="not-" + hz_cluster.cluster_name, async_start=True)
    recorder = Recorder(client.handler)
    client.add_lifecycle_listener(recorder)
    client.start(timeout=WAIT)
    recorder.wait_for(LifecycleState.SHUTDOWN)
    assert LifecycleState.CONNECTED not in recorder.events
    assert client.state == HzState.LOST


def test_async_start_connects_in_the_background(hz_client_factory, unique_name):
    client = hz_client_factory(start=False, async_start=True)
    recorder = Recorder(client.handler)
    client.add_lifecycle_listener(recorder)
    client.start(timeout=WAIT)
    recorder.wait_for(LifecycleState.CONNECTED)
    m = client.get_map(unique_name)
    m.put("k", 1)
    assert m.get("k") == 1
    assert recorder.events[:3] == [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]


@pytest.fixture(scope="module")
def late_cluster(request):
    """Two members, not started: the test needing them starts them (a private cluster, stopped and started again)."""
    cluster = Cluster(members=2, keep_workdir=keep_workdir(request))
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.mark.slow
def test_async_start_requests_fail_offline_until_connected_and_membership_listeners(
    late_cluster, hz_client_factory, unique_name
):
    cluster = late_cluster
    cluster.stop()  # the other handler's run left it running
    added, removed = [], []
    client = hz_client_factory(
        cluster=cluster,
        start=False,
        async_start=True,
        membership_listeners=[(added.append, removed.append)],
        retry_initial_backoff=0.2,
        retry_max_backoff=0.5,
    )
    recorder = Recorder(client.handler)
    client.add_lifecycle_listener(recorder)

    began = client.handler.monotonic()
    client.start(timeout=WAIT)
    assert client.handler.monotonic() - began < 5.0  # returns without waiting for the cluster
    recorder.wait_for(LifecycleState.STARTED)
    with pytest.raises(ClientOfflineError, match="async_start"):
        client.get_map(unique_name).put("k", "v")
    assert client.state == HzState.LOST

    cluster.start()
    recorder.wait_for(LifecycleState.CONNECTED)
    m = client.get_map(unique_name)
    m.put("k", "v")
    assert m.get("k") == "v"
    assert recorder.events[:3] == [LifecycleState.STARTING, LifecycleState.STARTED, LifecycleState.CONNECTED]

    wait_until(client.handler, lambda: len(added) == 2, WAIT, "member_added calls: %s" % added)
    assert {member.address.port for member in added} == {cluster.port(0), cluster.port(1)}
    cluster.members[1].stop()
    wait_until(client.handler, lambda: len(removed) == 1, WAIT, "member_removed calls: %s" % removed)
    assert removed[0].address.port == cluster.port(1)


# --- membership listeners -------------------------------------------------------------------


def test_membership_listeners_option_hears_every_member(hz_client_factory, hz_cluster3):
    added = []
    client = hz_client_factory(hz_cluster3, membership_listeners=[(added.append, None)])
    wait_until(client.handler, lambda: len(added) == 3, WAIT, "member_added calls: %s" % added)
    assert {member.uuid for member in added} == {member.uuid for member in client.cluster_service.get_members()}


def test_add_listener_fire_for_existing_and_remove_by_id(hz_client_factory, hz_cluster3):
    client = hz_client_factory(hz_cluster3)
    wait_until(client.handler, lambda: len(client.cluster_service.get_members()) == 3, WAIT, "3 members")
    silent, existing = [], []
    silent_id = client.cluster_service.add_listener(member_added=silent.append, fire_for_existing=False)
    existing_id = client.cluster_service.add_listener(member_added=existing.append, fire_for_existing=True)
    assert silent_id != existing_id
    wait_until(client.handler, lambda: len(existing) == 3, WAIT, "fire_for_existing calls: %s" % existing)
    assert silent == []  # callbacks run in order: silent's would have come first
    assert client.cluster_service.remove_listener(existing_id) is True
    assert client.cluster_service.remove_listener(existing_id) is False
    assert client.cluster_service.remove_listener(silent_id) is True


def test_a_bad_membership_listener_fails_at_construction(hz_cluster):
    with pytest.raises(TypeError, match="membership_listeners"):
        HzClient(cluster_members=hz_cluster.addresses, membership_listeners=[print])
    with pytest.raises(TypeError, match="membership_listeners"):
        HzClient(cluster_members=hz_cluster.addresses, membership_listeners=[(print, "not callable")])


# --- logging ---------------------------------------------------------------------------------


@pytest.fixture
def hzgreen_logger():
    """The ``hzgreen`` logger, its level and handlers restored afterwards (the options change it process-wide)."""
    logger = logging.getLogger("hzgreen")
    level, handlers = logger.level, list(logger.handlers)
    yield logger
    logger.setLevel(level)
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)


def lifecycle_records(caplog):
    return [r for r in caplog.records if r.name.startswith("hzgreen") and "lifecycle" in r.getMessage()]


def test_logging_level_thresholds_the_client_logs(hz_client_factory, hzgreen_logger, caplog):
    caplog.set_level(logging.DEBUG)  # the capture takes everything; the option decides
    hz_client_factory(logging_level=logging.WARNING)
    assert hzgreen_logger.level == logging.WARNING
    assert lifecycle_records(caplog) == []

    caplog.clear()
    hz_client_factory(logging_level="INFO")
    assert hzgreen_logger.level == logging.INFO
    messages = [r.getMessage() for r in lifecycle_records(caplog)]
    assert "lifecycle STARTING" in messages and "lifecycle CONNECTED" in messages


def test_logging_config_dict_configures_the_client_loggers(hz_client_factory, hzgreen_logger):
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    logging_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"collect": {"()": Collect, "level": "INFO"}},
        "loggers": {"hzgreen": {"handlers": ["collect"], "level": "INFO"}},
    }
    hz_client_factory(logging_config=logging_config, logging_level=logging.CRITICAL)
    messages = [r.getMessage() for r in records]
    assert "lifecycle STARTED" in messages and "lifecycle CONNECTED" in messages


@pytest.mark.parametrize(
    "options, error",
    [
        ({"logging_level": "LOUD"}, ValueError),
        ({"logging_level": True}, TypeError),
        ({"logging_config": "logging.ini"}, TypeError),
        ({"logging_config": {"handlers": {}}}, ValueError),
        ({"async_start": "yes"}, TypeError),
    ],
)
def test_bad_logging_and_strategy_options_fail_at_construction(hz_cluster, options, error):
    name = next(iter(options))
    with pytest.raises(error, match=name):
        HzClient(cluster_members=hz_cluster.addresses, **options)
