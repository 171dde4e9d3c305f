"""Writing one batch's output: the results first, then their source markers.

The order matters for at-least-once delivery: a marker says "this result is written", so
it is stored only once the result is. A crash between the two leaves a result without
its marker, which the next owner writes again (the same value).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult, Handler
    from hzgreen.proxy.map import Map
    from hzgreen.streams.batch import BatchOutput

__all__ = ["write_output", "when_all"]


def when_all(
    handler: "Handler", results: List["AsyncResult[Any]"], on_done: Callable[[Optional[BaseException]], Any]
) -> None:
    """Call ``on_done(first error or None)`` once every result is done (at once for none);
    returns None. ``on_done`` runs where the last result completes: it must not block."""
    if not results:
        on_done(None)
        return
    mutex = handler.lock_object()
    state: List[Any] = [len(results), None]  # [remaining, first error]

    def one_done(done: "AsyncResult[Any]") -> None:
        error: Optional[BaseException] = None
        try:
            done.get_nowait()
        except BaseException as raised:
            error = raised
        with mutex:
            state[0] -= 1
            if error is not None and state[1] is None:
                state[1] = error
            last = state[0] == 0
        if last:
            on_done(state[1])

    for result in results:
        result.add_done_callback(one_done)


def write_output(
    handler: "Handler",
    results: "Map",
    markers: "Map",
    output: "BatchOutput",
    on_done: Callable[[Optional[BaseException]], Any],
) -> None:
    """Write ``output.puts`` and ``output.deletes`` to ``results``, then ``output.markers`` to
    ``markers``; calls ``on_done(error or None)`` once (from whatever completes last, so it
    must not block). Raises nothing: a request that cannot even be sent is ``on_done``'s error."""
    try:
        sent: List["AsyncResult[Any]"] = []
        if output.puts:
            sent.append(results.put_all_async(output.puts))
        sent.extend(results.delete_async(key) for key in output.deletes)
    except Exception as error:
        on_done(error)
        return

    def then_markers(error: Optional[BaseException]) -> None:
        if error is not None:
            on_done(error)
            return
        try:
            marked = markers.put_all_async(output.markers)
        except Exception as failure:
            on_done(failure)
            return
        when_all(handler, [marked], on_done)

    when_all(handler, sent, then_markers)
