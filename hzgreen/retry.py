"""HzRetry: re-run a call that failed because the connection or a deadline failed it.

Shaped like Kazoo's ``KazooRetry``: a policy object that is copied for every call, so
one policy can be shared by many callers. Only errors after which trying again can
help are retried: connection loss, a client that is offline while it reconnects, and
timeouts. Anything else (a member error, bad input) is raised at once.
"""

from __future__ import annotations

import math
import random
import time
from typing import Any, Callable, Optional, Tuple, Type, TypeVar

from hzgreen.exceptions import (
    ClientOfflineError,
    ConnectionLoss,
    HzTimeoutError,
    RetryFailedError,
    RetryInterruptedError,
)

T = TypeVar("T")

RETRYABLE_ERRORS: Tuple[Type[BaseException], ...] = (ConnectionLoss, ClientOfflineError, HzTimeoutError)


class HzRetry:
    """A retry policy.

    :param max_tries: how many attempts in all; ``-1`` for no limit.
    :param delay: seconds to wait after the first failure.
    :param backoff: factor the delay grows by after each failure.
    :param max_jitter: each wait is scaled by a random factor in ``[1 - max_jitter, 1 + max_jitter]``
        so that many clients do not retry in lock step.
    :param max_delay: upper bound of one wait, in seconds.
    :param deadline: overall time limit in seconds for all attempts, or ``None``.
    :param sleep_func: how to wait; pass ``handler.sleep_func`` under gevent.
    :param interrupt: a callable checked before each wait; when it returns true the retry
        stops with :class:`~hzgreen.exceptions.RetryInterruptedError`.
    """

    def __init__(
        self,
        max_tries: int = 1,
        delay: float = 0.1,
        backoff: float = 2.0,
        max_jitter: float = 0.4,
        max_delay: float = 60.0,
        deadline: Optional[float] = None,
        sleep_func: Callable[[float], Any] = time.sleep,
        interrupt: Optional[Callable[[], bool]] = None,
        retry_exceptions: Tuple[Type[BaseException], ...] = RETRYABLE_ERRORS,
    ) -> None:
        if not isinstance(max_tries, int) or isinstance(max_tries, bool) or max_tries < -1 or max_tries == 0:
            raise ValueError("max_tries must be -1 (no limit) or a positive int, got %r" % (max_tries,))
        for option, value in (("delay", delay), ("backoff", backoff), ("max_delay", max_delay)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < math.inf:
                raise ValueError("%s must be a finite number >= 0, got %r" % (option, value))
        if not isinstance(max_jitter, (int, float)) or not 0 <= max_jitter < 1:
            raise ValueError("max_jitter must be in [0, 1), got %r" % (max_jitter,))
        if deadline is not None and (
            not isinstance(deadline, (int, float)) or isinstance(deadline, bool) or not 0 < deadline < math.inf
        ):
            raise ValueError("deadline must be None or a finite number > 0, got %r" % (deadline,))
        if not callable(sleep_func):
            raise TypeError("sleep_func must be callable")
        if interrupt is not None and not callable(interrupt):
            raise TypeError("interrupt must be callable or None")
        self.max_tries = max_tries
        self.delay = float(delay)
        self.backoff = float(backoff)
        self.max_jitter = float(max_jitter)
        self.max_delay = float(max_delay)
        self.deadline = deadline
        self.sleep_func = sleep_func
        self.interrupt = interrupt
        self.retry_exceptions = tuple(retry_exceptions)
        self.reset()

    def reset(self) -> None:
        """Forget the attempts made so far."""
        self._attempts = 0
        self._cur_delay = self.delay
        self._started_at: Optional[float] = None

    def copy(self) -> "HzRetry":
        """A fresh policy with the same settings and no attempts made."""
        return HzRetry(
            self.max_tries,
            self.delay,
            self.backoff,
            self.max_jitter,
            self.max_delay,
            self.deadline,
            self.sleep_func,
            self.interrupt,
            self.retry_exceptions,
        )

    def __call__(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``func(*args, **kwargs)`` until it succeeds or the policy gives up."""
        self.reset()
        self._started_at = time.monotonic()
        while True:
            try:
                return func(*args, **kwargs)
            except self.retry_exceptions as error:
                self._attempts += 1
                if self.max_tries != -1 and self._attempts >= self.max_tries:
                    raise RetryFailedError("gave up after %d tries: %s" % (self._attempts, error)) from error
                wait = self._next_wait()
                if self.deadline is not None:
                    elapsed = time.monotonic() - self._started_at
                    if elapsed + wait >= self.deadline:
                        raise RetryFailedError(
                            "retry deadline of %.3fs exceeded: %s" % (self.deadline, error)
                        ) from error
                if self.interrupt is not None and self.interrupt():
                    raise RetryInterruptedError("retry interrupted") from error
                self.sleep_func(wait)

    def _next_wait(self) -> float:
        jitter = random.uniform(1.0 - self.max_jitter, 1.0 + self.max_jitter)
        wait = min(self._cur_delay * jitter, self.max_delay)
        self._cur_delay = min(self._cur_delay * self.backoff, self.max_delay)
        return wait

    def __repr__(self) -> str:
        return "HzRetry(max_tries=%r, delay=%r, backoff=%r, max_jitter=%r, max_delay=%r, deadline=%r)" % (
            self.max_tries,
            self.delay,
            self.backoff,
            self.max_jitter,
            self.max_delay,
            self.deadline,
        )
