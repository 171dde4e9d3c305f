"""Fixtures of the SQL unit tests: a started threading handler and a fake SQL member."""

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.sql.service import SqlService
from tests.unit.sql.sql_fakes import FakeSqlMember, make_context


@pytest.fixture
def handler():
    """Yields a started SequentialThreadingHandler, stopped after the test."""
    handler = SequentialThreadingHandler()
    handler.start()
    yield handler
    handler.stop()


@pytest.fixture
def member():
    """A FakeSqlMember answering every SQL request at once."""
    return FakeSqlMember()


@pytest.fixture
def sql(handler, member):
    """A SqlService over a context whose invocations go to ``member``."""
    return SqlService(make_context(handler, member))
