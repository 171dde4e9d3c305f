"""FlakeIdGenerator: cluster-wide unique, roughly ordered 64-bit ids.

Method names are the official Hazelcast Python client's; :meth:`FlakeIdGenerator.new_id`
has an ``_async`` twin returning an :class:`~hzgreen.interfaces.IAsyncResult`.

Ids come in batches (``FlakeIdGenerator.newIdBatch``: a base, an increment and a count)
fetched from any member. The ``flake_id_generators`` client option sets, per generator
name, how many ids one batch asks for (``prefetch_count``, 1..100000, default 100) and for
how many seconds a batch may be used (``prefetch_validity``, default 600; 0: for ever).
Only one batch is fetched at a time, however many threads or greenlets ask: callers
arriving while the batch is on its way wait for it and are served from it in order; if
it runs out before they are, the next one is fetched.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Deque, Optional

from hzgreen.config import FlakeIdGeneratorConfig
from hzgreen.protocol.codecs import flake_id_generator as codec
from hzgreen.proxy.base import Proxy
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.protocol.codecs.flake_id_generator import NewIdBatchResponse
    from hzgreen.runtime.context import RuntimeContext


def config_for(name: str, configs: "dict[str, FlakeIdGeneratorConfig]") -> FlakeIdGeneratorConfig:
    """The configuration of the generator ``name``: its own entry, else the first pattern with one
    ``*`` that matches it (the longest pattern wins), else the defaults."""
    config = configs.get(name)
    if config is not None:
        return config
    best: Optional[FlakeIdGeneratorConfig] = None
    best_length = -1
    for pattern, candidate in configs.items():
        if pattern.count("*") != 1:
            continue
        prefix, _, suffix = pattern.partition("*")
        fits = len(name) >= len(prefix) + len(suffix) and name.startswith(prefix) and name.endswith(suffix)
        if fits and len(pattern) > best_length:
            best, best_length = candidate, len(pattern)
    return best if best is not None else FlakeIdGeneratorConfig()


class _Batch:
    """The ids ``base + i * increment`` for ``i < size``, usable until ``expires`` (monotonic seconds)."""

    __slots__ = ("base", "increment", "size", "taken", "expires")

    def __init__(self, base: int, increment: int, size: int, expires: float) -> None:
        self.base = base
        self.increment = increment
        self.size = size
        self.taken = 0
        self.expires = expires

    def next_id(self, now: float) -> Optional[int]:
        """The next id, or None when the batch is used up or expired."""
        if self.taken >= self.size or now >= self.expires:
            return None
        index = self.taken
        self.taken = index + 1
        return self.base + index * self.increment


_EMPTY = _Batch(0, 0, 0, 0.0)


class FlakeIdGenerator(Proxy):
    """A Flake ID generator; see the module docstring for batching and configuration."""

    service_name = "hz:impl:flakeIdGeneratorService"

    def __init__(self, name: str, context: RuntimeContext) -> None:
        super().__init__(name, context)
        config = config_for(name, context.config.flake_id_generators)
        self._prefetch_count = config.prefetch_count
        self._validity = config.prefetch_validity if config.prefetch_validity > 0 else float("inf")
        self._lock = context.handler.lock_object()
        self._batch = _EMPTY
        self._waiting: Deque[AsyncResult[int]] = collections.deque()
        self._fetching = False

    def new_id_async(self) -> AsyncResult[int]:
        """A new id (a positive int below 2**63), unique in the cluster: from the current batch, or
        from the next one (fetched if needed). Fails with the member's error if a fetch fails."""
        future: AsyncResult[int] = self._handler.async_result()
        with self._lock:
            value = self._batch.next_id(self._handler.monotonic())
            if value is None:
                self._waiting.append(future)
                fetch = not self._fetching
                self._fetching = True
            else:
                fetch = False
        if value is not None:
            future.set(value)
        elif fetch:
            self._fetch()
        return future

    def new_id(self) -> int:
        """Like :meth:`new_id_async`, waiting for the id; returns it."""
        with self._lock:
            value = self._batch.next_id(self._handler.monotonic())
        if value is not None:
            return value
        return self.new_id_async().get()

    def _fetch(self) -> None:
        """Ask a member for a batch; returns None (:class:`_Fetch` takes the answer)."""
        request = codec.encode_new_id_batch_request(self.name, self._prefetch_count)
        self._invocations.invoke(
            Invocation(request, _Fetch(self), -1, None, codec.decode_new_id_batch_response, None, False, self.name)
        )

    def _batch_arrived(self, answer: NewIdBatchResponse) -> None:
        """Serve the waiting callers from a new batch, keep the rest of it; fetch again if it ran
        out first. Returns None."""
        batch = _Batch(
            answer["base"], answer["increment"], answer["batch_size"], self._handler.monotonic() + self._validity
        )
        served = []
        with self._lock:
            waiting = self._waiting
            while waiting:
                value = batch.next_id(self._handler.monotonic())
                if value is None:
                    break
                served.append((waiting.popleft(), value))
            more = bool(waiting)
            self._fetching = more
            if not more:
                self._batch = batch
        for future, value in served:
            future.set(value)
        if more:
            self._handler.spawn(self._fetch)

    def _fetch_failed(self, error: BaseException) -> None:
        """Fail every waiting caller with ``error``; the next call fetches again. Returns None."""
        with self._lock:
            failed = list(self._waiting)
            self._waiting.clear()
            self._fetching = False
        for future in failed:
            future.set_exception(error)


class _Fetch:
    """Stands in for the future of a batch request (completed wherever the answer is read)."""

    __slots__ = ("generator",)

    def __init__(self, generator: FlakeIdGenerator) -> None:
        self.generator = generator

    def set(self, value: NewIdBatchResponse) -> None:
        """The batch arrived; returns None."""
        self.generator._batch_arrived(value)

    def set_exception(self, error: BaseException) -> None:
        """The request failed; returns None."""
        self.generator._fetch_failed(error)
