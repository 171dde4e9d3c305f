"""The threading handler's async results still work in a child forked mid-resolution."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from hzgreen.handlers import threading as threading_handler

pytestmark = pytest.mark.timeout(60)

CHILD_DEADLINE = 20.0


def test_a_fork_while_another_thread_resolves_a_result_leaves_results_usable_in_the_child():
    # The holder stands for the I/O thread inside a result's critical section at the
    # moment another thread forks; it leaves it only when the timer says so.
    inside, leave = threading.Event(), threading.Event()

    def holder():
        with threading_handler._guard:
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    assert inside.wait(10)
    timer = threading.Timer(1.0, leave.set)
    timer.start()
    try:
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                handler = threading_handler.SequentialThreadingHandler()
                result = handler.async_result()
                result.set(42)
                code = 0 if result.get(timeout=5) == 42 else 71
            finally:
                os._exit(code)
        deadline = time.monotonic() + CHILD_DEADLINE
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail("resolving a result hung in the child")
            time.sleep(0.02)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    finally:
        leave.set()
        timer.cancel()
        thread.join(10)
