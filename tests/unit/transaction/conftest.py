"""Fixtures of the transaction unit tests: a member-less context whose invocation service
records each request and answers begin, commit and rollback at once."""

import types
import uuid

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.protocol.codecs import transaction as codec
from tests.unit.proxy.fakes import as_received, make_context

TRANSACTION_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.fixture
def handler():
    """Yields a started SequentialThreadingHandler, stopped after the test."""
    handler = SequentialThreadingHandler()
    handler.start()
    yield handler
    handler.stop()


@pytest.fixture
def context(handler):
    """A context with one live fake connection (``context.connection``); create, commit and
    rollback requests are answered at once, every request is in ``context.invocations.sent``."""
    context = make_context(handler)
    context.connection = types.SimpleNamespace(alive=True, remote_address=("127.0.0.1", 5701))
    context.connections = types.SimpleNamespace(connection_for=lambda partition_id: context.connection)
    answers = context.invocations.answers
    answers[codec.CREATE_REQUEST_TYPE] = as_received(codec.encode_create_response(TRANSACTION_ID), request=False)
    answers[codec.COMMIT_REQUEST_TYPE] = as_received(codec.encode_commit_response(), request=False)
    answers[codec.ROLLBACK_REQUEST_TYPE] = as_received(codec.encode_rollback_response(), request=False)
    return context
