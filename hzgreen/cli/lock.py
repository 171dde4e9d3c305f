"""``hzgreen lock NAME status``: whether a CP FencedLock is held, its fence and owner."""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict

from hzgreen.cli.calls import call
from hzgreen.cli.connection import connect
from hzgreen.cli.errors import EXIT_OK
from hzgreen.protocol.codecs import fenced_lock as lock_codec

#: The fence the member reports for a free lock.
_INVALID_FENCE = 0


def register(commands: Any, connection: argparse.ArgumentParser) -> None:
    """Add the ``lock`` command to the ``commands`` sub-parsers; returns None."""
    parser = commands.add_parser(
        "lock",
        parents=[connection],
        help="show a CP lock: held or free, fence, owner session and thread",
        description="Show the CP FencedLock NAME ('name' or 'name@group'): held or free, and when "
        "held its fence, reentrant count and owner (CP session id and thread id).",
    )
    parser.add_argument("name", metavar="NAME", help="the lock's name")
    parser.add_argument("action", choices=("status",), metavar="status", help="what to do: status")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def lock_status(client: Any, name: str) -> Dict[str, Any]:
    """The ownership of lock ``name``: ``{"name", "group", "held"}`` plus, when held, ``fence``,
    ``count``, ``session_id`` and ``thread_id``. Raises the member's HzError."""
    lock = client.cp.get_lock(name)
    request = lock_codec.encode_get_lock_ownership_request(lock.group_id, lock.object_name)
    state = call(client, request, lock_codec.decode_get_lock_ownership_response)
    status: Dict[str, Any] = {"name": name, "group": lock.group_id.name, "held": state["fence"] != _INVALID_FENCE}
    if status["held"]:
        status.update(
            fence=state["fence"],
            count=state["lock_count"],
            session_id=state["session_id"],
            thread_id=state["thread_id"],
        )
    return status


def render(status: Dict[str, Any]) -> str:
    """The status of :func:`lock_status` as one line of text; raises KeyError for a partial status."""
    if not status["held"]:
        return "lock %s: free" % status["name"]
    return "lock %s: held (fence %d, count %d, session %d, thread %d)" % (
        status["name"],
        status["fence"],
        status["count"],
        status["session_id"],
        status["thread_id"],
    )


def run(args: argparse.Namespace) -> int:
    """Print the lock's status; returns 0 whether it is held or not."""
    with connect(args) as client:
        status = lock_status(client, args.name)
    print(json.dumps(status, sort_keys=True) if args.json else render(status))
    return EXIT_OK
