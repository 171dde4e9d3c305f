"""Ringbuffer settings added to the running session cluster through dynamic configuration.

Saves a private cluster per module: a test that needs a small ringbuffer (or a
time-to-live) registers the settings for its own unique name on the shared member.
"""

from hzgreen.protocol.codecs import dynamic_config
from hzgreen.runtime.invocation import Invocation

MERGE_POLICY = "com.hazelcast.spi.merge.PutIfAbsentMergePolicy"


def add_ringbuffer_config(client, name, capacity, time_to_live_seconds=0):
    """Configure the ringbuffer ``name`` (a name or wildcard pattern) on every member; returns None."""
    request = dynamic_config.encode_add_ringbuffer_config_request(
        name, capacity, 1, 0, time_to_live_seconds, "BINARY", None, None, MERGE_POLICY, 100
    )
    context = client._context
    future = context.handler.async_result()
    context.invocations.invoke(Invocation(request, future))
    future.get(timeout=60)
