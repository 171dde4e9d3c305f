"""The cluster-connect task against addresses that fail in every way, on a simulated clock.

No member is needed: every connection attempt fails inside ``create_connection``, so
these tests pin down what the task does with failures (skip, log, retry, give up).
"""

import logging
import socket
import threading
import types

import pytest

from hzgreen.config import ClientConfig
from hzgreen.exceptions import HzTimeoutError
from hzgreen.runtime.connection_manager import ConnectionManager
from tests.unit.runtime.strict_lock import NonReentrantLock


class FailingHandler:
    """Just what the connect task uses; time moves only when the task sleeps."""

    def __init__(self, failures):
        self.failures = failures
        self.now = 0.0
        self.attempts = []

    def lock_object(self):
        return NonReentrantLock()

    def event_object(self):
        return threading.Event()

    def monotonic(self):
        return self.now

    def sleep_func(self, seconds):
        assert seconds >= 0
        self.now += seconds

    def create_connection(self, address, timeout):
        self.attempts.append(address[0])
        raise self.failures[address[0]]


def make_manager(failures, gave_up=None, **options):
    members = ["%s:5701" % host for host in failures]
    config = ClientConfig(cluster_members=members, retry_initial_backoff=1.0, retry_max_backoff=1.0, **options)
    handler = FailingHandler(failures)
    manager = ConnectionManager(
        config,
        handler,
        io_loop=None,
        cluster=types.SimpleNamespace(members=[]),
        partitions=None,
        on_connected=lambda changed: None,
        on_disconnected=lambda: None,
        on_gave_up=gave_up,
    )
    manager._core.start()
    return manager, handler


FAILURES = {
    "bad-idna.example": UnicodeError("encoding with 'idna' codec failed"),
    "unresolvable.invalid": socket.gaierror(-2, "Name or service not known"),
    "surprising.example": RuntimeError("a handler bug"),
    "refused.example": ConnectionRefusedError(111, "Connection refused"),
}


def test_no_address_failure_ends_the_task_before_cluster_connect_timeout(caplog):
    manager, handler = make_manager(FAILURES, cluster_connect_timeout=3.5)
    with caplog.at_level(logging.DEBUG, logger="hzgreen.runtime.connection"):
        manager._connect_to_cluster(True)
    rounds = handler.attempts.count("refused.example")
    assert rounds >= 4  # one round per second of backoff until 3.5 s ran out, then a last one
    assert handler.attempts == list(FAILURES) * rounds
    assert handler.now == pytest.approx(3.5)
    error = manager._start_error
    assert isinstance(error, HzTimeoutError) and "cluster_connect_timeout=3.5 s" in str(error)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    unresolved = [text for text in warnings if "unresolvable.invalid" in text]
    assert len(unresolved) == 1, warnings  # said once, not on every round
    assert any("bad-idna.example" in text for text in warnings)
    assert any("surprising.example" in text for text in warnings)
    assert not any("refused.example" in text for text in warnings)  # a member that is down is routine


def test_giving_up_while_reconnecting_tells_the_client():
    calls = []
    manager, handler = make_manager(
        {"refused.example": FAILURES["refused.example"]},
        gave_up=lambda: calls.append(handler.now),
        cluster_connect_timeout=2.0,
    )
    manager._connect_to_cluster(False)
    assert calls == [pytest.approx(2.0)]


def test_initial_give_up_is_left_to_start():
    calls = []
    manager, _ = make_manager(
        {"refused.example": FAILURES["refused.example"]},
        gave_up=lambda: calls.append(True),
        cluster_connect_timeout=2.0,
    )
    manager._connect_to_cluster(True)
    assert calls == [] and isinstance(manager._start_error, HzTimeoutError)
