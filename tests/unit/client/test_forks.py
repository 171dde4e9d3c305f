"""ClientForkedError and the pid checks of hzgreen.forks, without a cluster."""

from __future__ import annotations

import os
import pickle

import pytest

from hzgreen import forks
from hzgreen.exceptions import ClientForkedError, ClientNotActiveError, HzError


def test_the_error_names_both_processes_and_says_what_to_do():
    error = ClientForkedError(1234, 5678)
    assert isinstance(error, ClientNotActiveError) and isinstance(error, HzError)
    assert (error.owner_pid, error.pid) == (1234, 5678)
    text = str(error)
    assert "created in process 1234 before fork()" in text
    assert "cannot be used in process 5678" in text
    assert "Create clients after fork()" in text and "post_fork" in text


def test_the_error_survives_pickling():
    # multiprocessing sends a worker's exceptions back to the parent pickled.
    error = pickle.loads(pickle.dumps(ClientForkedError(1, 2)))
    assert type(error) is ClientForkedError
    assert (error.owner_pid, error.pid) == (1, 2) and str(error) == str(ClientForkedError(1, 2))


def test_check_and_inherited_compare_the_creating_pid():
    own = forks.ForkGuard(state=None, connections=None, io_loop=None)
    assert not own.inherited()
    own.check()
    assert own.release() is False
    other = forks.ForkGuard(state=None, connections=None, io_loop=None)
    other.pid = os.getpid() + 1
    assert other.inherited()
    with pytest.raises(ClientForkedError) as raised:
        other.check()
    assert (raised.value.owner_pid, raised.value.pid) == (os.getpid() + 1, os.getpid())
