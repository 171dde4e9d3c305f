"""Raw protocol calls for the commands that need what no proxy offers (management, CP state)."""

from __future__ import annotations

import time
from typing import Any, Callable, Optional, TypeVar
from uuid import UUID

from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.invocation import Invocation

T = TypeVar("T")

#: Seconds a raw call may take before it fails with HzTimeoutError.
CALL_TIMEOUT = 30.0
#: Seconds between two looks at the partition table while the members arrange it.
_TABLE_POLL = 0.05


def call(client: Any, request: ClientMessage, decode: Callable[[ClientMessage], T], partition_id: int = -1) -> T:
    """Send ``request`` through ``client`` (to the owner of ``partition_id``, or any member for -1).

    Returns ``decode(response)``; raises the member's error (an HzError subclass) or
    HzTimeoutError after :data:`CALL_TIMEOUT` seconds.
    """
    result = client.handler.async_result()
    client.invocations.invoke(Invocation(request, result, partition_id, None, decode))
    value: T = result.result(CALL_TIMEOUT)
    return value


def partition_of(client: Any, member_uuid: UUID) -> Optional[int]:
    """A partition the member ``member_uuid`` owns (a call to it reaches that member), or None."""
    for partition_id in range(client.partitions.partition_count):
        if client.partitions.owner_of(partition_id) == member_uuid:
            return partition_id
    return None


def owned_partitions(client: Any, member_uuid: UUID) -> int:
    """How many partitions the member ``member_uuid`` owns, as the client's partition table says."""
    partitions = client.partitions
    return sum(1 for pid in range(partitions.partition_count) if partitions.owner_of(pid) == member_uuid)


def partition_table_complete(client: Any) -> bool:
    """True when the client knows the owner of every partition."""
    partitions = client.partitions
    count = partitions.partition_count
    return count > 0 and all(partitions.owner_of(pid) is not None for pid in range(count))


def await_partition_table(client: Any, timeout: float = 10.0) -> bool:
    """Make the members assign the partitions (a fresh cluster does it on first use) and wait
    until the client's table has an owner for each; returns whether it does within ``timeout``.

    Raises the member's HzError when it refuses the request.
    """
    if partition_table_complete(client):
        return True
    call(
        client,
        client_codec.encode_trigger_partition_assignment_request(),
        client_codec.decode_trigger_partition_assignment_response,
    )
    deadline = time.monotonic() + timeout
    while not partition_table_complete(client):
        if time.monotonic() >= deadline:
            return False
        client.handler.sleep_func(_TABLE_POLL)
    return True
