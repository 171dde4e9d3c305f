"""NearCachedMap on a member-less context: argument checks before sending, own writes and
member events invalidating, a read racing a write not caching the old value."""

import types
import uuid

import pytest

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.lifecycle import StateTracker
from hzgreen.near_cache.config import near_cache_configs
from hzgreen.near_cache.map import NearCachedMap
from hzgreen.protocol.codecs import map as codec
from hzgreen.states import HzState
from tests.unit.proxy.fakes import answer_received, as_received, make_context

PARTITION_UUID = uuid.uuid4()


@pytest.fixture
def handler():
    handler = SequentialThreadingHandler()
    handler.start()
    yield handler
    handler.stop()


@pytest.fixture
def setup(handler):
    context = make_context(handler, near_caches=near_cache_configs({"m": {}}))
    context.invocations.answers[codec.FETCH_NEAR_CACHE_INVALIDATION_METADATA_REQUEST_TYPE] = as_received(
        codec.encode_fetch_near_cache_invalidation_metadata_response(
            [("m", [(pid, 0) for pid in range(271)])], [(pid, PARTITION_UUID) for pid in range(271)]
        ),
        request=False,
    )
    context.state = StateTracker(handler, [])
    context.state.transition(HzState.CONNECTED)
    context.add_shutdown_hook = lambda hook: None
    context.connections = types.SimpleNamespace(active_connections=[], client_uuid=uuid.uuid4())
    context.cluster.members = [context.member]
    m = NearCachedMap("m", context)
    yield m, context
    m.near_cache.close()


def _sent(context, message_type):
    return [i for i in context.invocations.sent if i.request.get_message_type() == message_type]


def test_bad_arguments_fail_before_sending(setup):
    m, context = setup
    before = len(context.invocations.sent)
    with pytest.raises(ValueError, match="key must not be None"):
        m.get(None)
    with pytest.raises(ValueError, match="key must not be None"):
        m.contains_key_async(None)
    with pytest.raises(ValueError, match="keys must not be None"):
        m.get_all(None)
    with pytest.raises(TypeError, match="keys must be a collection"):
        m.get_all("abc")
    with pytest.raises(ValueError, match="key must not be None"):
        m.get_all([1, None])
    assert len(context.invocations.sent) == before


def _answer_get(context, value_data):
    invocation = _sent(context, codec.GET_REQUEST_TYPE)[-1]
    answer_received(invocation, codec.encode_get_response(value_data))


def test_get_caches_and_a_racing_own_write_wins(setup, handler):
    m, context = setup
    value = context.serialization.to_data("old")
    future = m.get_async("k")
    m.put_async("k", "new")  # this client's write while the read is on its way
    _answer_get(context, value)
    assert future.get(5) == "old"
    assert len(m.near_cache) == 0  # the old value was not cached
    m.get_async("k")
    _answer_get(context, value)
    assert len(m.near_cache) == 1
    assert m.get("k") == "old" and m.contains_key("k")
    assert m.get_near_cache_stats().hits == 2


def test_member_events_invalidate_single_and_batch(setup):
    m, context = setup
    _, on_event = context.listeners.registered[-1]
    keys = [context.serialization.to_data(k) for k in ("a", "b", "c")]
    for key in keys:
        m.get_async(key and context.serialization.to_object(key))
        _answer_get(context, context.serialization.to_data(1))
    assert len(m.near_cache) == 3
    source = uuid.uuid4()
    on_event(
        as_received(
            codec.encode_add_near_cache_invalidation_listener_i_map_invalidation_event(
                keys[0], source, PARTITION_UUID, 1
            ),
            request=False,
        )
    )
    assert len(m.near_cache) == 2
    on_event(
        as_received(
            codec.encode_add_near_cache_invalidation_listener_i_map_batch_invalidation_event(
                keys[1:], [source, source], [PARTITION_UUID, PARTITION_UUID], [1, 1]
            ),
            request=False,
        )
    )
    assert len(m.near_cache) == 0
    assert m.get_near_cache_stats().invalidations == 3


def test_invalidations_of_own_writes_only_advance_the_sequence(setup):
    """Members echo this client's own writes, batched and late; the write already dropped the
    key here, so the echo must not drop a value read since."""
    m, context = setup
    _, on_event = context.listeners.registered[-1]
    own = context.connections.client_uuid
    key = context.serialization.to_data("k")
    partition_id = context.partitions.partition_id_of(key)
    m.get_async("k")
    _answer_get(context, context.serialization.to_data(1))
    assert len(m.near_cache) == 1
    # the next sequence of each partition: no gap, so nothing is marked stale either
    clear_sequence = 2 if m.near_cache._name_partition == partition_id else 1
    on_event(
        as_received(
            codec.encode_add_near_cache_invalidation_listener_i_map_batch_invalidation_event(
                [key, None], [own, own], [PARTITION_UUID, PARTITION_UUID], [1, clear_sequence]
            ),
            request=False,
        )
    )
    assert len(m.near_cache) == 1
    assert m.get("k") == 1
    assert m.near_cache.repair.current(partition_id) == (PARTITION_UUID, clear_sequence)


def test_destroy_deregisters_the_listener(setup):
    m, context = setup
    m.near_cache.close()
    assert context.listeners.deregistered == ["registration-1"]
    assert m.near_cache.closed


def test_leaving_connected_drops_every_entry_at_once(setup):
    m, context = setup
    m.get_async("k")
    _answer_get(context, context.serialization.to_data("old"))
    assert len(m.near_cache) == 1
    context.state.transition(HzState.SUSPENDED)
    assert len(m.near_cache) == 0  # inside the transition, not later on the callback worker
