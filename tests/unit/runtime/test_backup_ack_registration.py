"""A connection's backup-ack registration is settled where its answer arrives, not on the callback worker."""

import logging
from types import SimpleNamespace

from hzgreen.exceptions import ClientNotActiveError
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.runtime.backup_acks import BackupAckService


class Invocations:
    def __init__(self):
        self._pending = {}
        self.sent = []
        self.backups = None

    def invoke(self, invocation):
        self.sent.append(invocation)
        return invocation.future


class Link:
    """A connection as the service sees it: hashable, alive or not."""

    def __init__(self, alive=True):
        self.alive = alive


class Connections:
    def __init__(self):
        self.listeners = []

    def add_connection_listener(self, listener):
        self.listeners.append(listener)


def service():
    handler = SequentialThreadingHandler()  # never started: nothing may need its callback worker
    config = SimpleNamespace(
        operations=SimpleNamespace(operation_backup_timeout=5.0, fail_on_indeterminate_operation_state=False)
    )
    invocations = Invocations()
    acks = BackupAckService(config, handler, invocations, Connections(), SimpleNamespace(members=[]))
    return acks, invocations


def test_an_answer_registers_the_connection_at_once():
    acks, invocations = service()
    connection = Link()
    acks.connection_authenticated(connection)
    (invocation,) = invocations.sent
    assert invocation.connection is connection
    invocation.future.set(None)
    assert acks.registered == {connection}


def test_a_refusal_is_logged_and_registers_nothing(caplog):
    acks, invocations = service()
    connection = Link()
    acks.connection_authenticated(connection)
    with caplog.at_level(logging.WARNING, logger="hzgreen.runtime.backup_acks"):
        invocations.sent[0].future.set_exception(RuntimeError("refused"))
    assert acks.registered == set()
    assert "no backup acks" in caplog.text and "refused" in caplog.text


def test_a_closed_connection_or_stopped_client_is_neither_registered_nor_logged(caplog):
    acks, invocations = service()
    closed, stopping = Link(alive=False), Link()
    acks.connection_authenticated(closed)
    acks.connection_authenticated(stopping)
    with caplog.at_level(logging.WARNING, logger="hzgreen.runtime.backup_acks"):
        invocations.sent[0].future.set(None)
        invocations.sent[1].future.set_exception(ClientNotActiveError("stopped"))
    assert acks.registered == set()
    assert caplog.text == ""
