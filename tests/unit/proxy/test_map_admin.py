"""Map eviction, loading, indexes, entry views, TTLs, interceptors and conditional writes
without a member: argument checks and what is sent."""

import pytest

from hzgreen.predicate import greater, paging
from hzgreen.protocol import custom
from hzgreen.protocol.codecs import map as codec
from hzgreen.proxy.map_index import BitmapIndexOptions, IndexConfig, IndexType, UniqueKeyTransformation
from tests.unit.proxy.fakes import answer, make_map


@pytest.fixture
def mapped(handler):
    return make_map(handler)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m: m.evict_async(None), ValueError, "key"),
        (lambda m: m.add_index_async(), ValueError, "attributes"),
        (lambda m: m.add_index_async("age"), ValueError, "attributes"),
        (lambda m: m.add_index_async([]), ValueError, "at least one"),
        (lambda m: m.add_index_async(["age", "this.age"]), ValueError, "duplicate"),
        (lambda m: m.add_index_async([""]), ValueError, "empty"),
        (lambda m: m.add_index_async([3]), TypeError, "attribute"),
        (lambda m: m.add_index_async(["a"], index_type="TREE"), ValueError, "index_type"),
        (lambda m: m.add_index_async(["a"], index_type=7), ValueError, "index_type"),
        (lambda m: m.add_index_async(["a"], index_type=1.5), TypeError, "index_type"),
        (lambda m: m.add_index_async(["a", "b"], IndexType.BITMAP), ValueError, "exactly one"),
        (lambda m: m.add_index_async(["a"], IndexType.HASH, bitmap_index_options={}), ValueError, "BITMAP"),
        (lambda m: m.add_index_async(["a"], IndexType.BITMAP, bitmap_index_options=3), TypeError, "bitmap"),
        (lambda m: m.add_index_async(["a"], IndexType.BITMAP, bitmap_index_options={"x": 1}), TypeError, "x"),
        (lambda m: m.add_index_async(["a"], name=5), TypeError, "name"),
        (lambda m: m.get_entry_view_async(None), ValueError, "key"),
        (lambda m: m.set_ttl_async("k", None), ValueError, "ttl"),
        (lambda m: m.set_ttl_async("k", -1), ValueError, "ttl"),
        (lambda m: m.set_ttl_async(None, 1), ValueError, "key"),
        (lambda m: m.load_all_async("abc"), TypeError, "keys"),
        (lambda m: m.load_all_async(["a", None]), ValueError, "key"),
        (lambda m: m.load_all_async(replace_existing_values="yes"), TypeError, "replace_existing_values"),
        (lambda m: m.add_interceptor_async(None), ValueError, "interceptor"),
        (lambda m: m.remove_interceptor_async(None), TypeError, "registration_id"),
        (lambda m: m.remove_if_same_async("k", None), ValueError, "value"),
        (lambda m: m.remove_all_async(None), ValueError, "predicate"),
        (lambda m: m.remove_all_async("age > 3"), TypeError, "predicate"),
        (lambda m: m.remove_all_async(paging(greater("a", 1), 10)), TypeError, "paging"),
        (lambda m: m.put_transient_async(None, 1), ValueError, "key"),
        (lambda m: m.put_transient_async("k", 1, ttl="5"), TypeError, "ttl"),
        (lambda m: m.iterate_async(page_size=0), ValueError, "page_size"),
    ],
)
def test_bad_arguments_fail_before_sending(mapped, call, error, words):
    m, context = mapped
    with pytest.raises(error, match=words):
        call(m)
    assert context.invocations.sent == []


def test_add_index_sends_the_official_index_config(mapped):
    m, context = mapped
    m.add_index_async(["this.age", "name"], IndexType.HASH, name="by-age")
    m.add_index_async(
        ["city"], "bitmap", bitmap_index_options={"unique_key": "id", "unique_key_transformation": "LONG"}
    )
    m.add_index_async(["__key"])
    configs = [codec.decode_add_index_request(i.request)["index_config"] for i in context.invocations.sent]
    assert configs[0] == custom.IndexConfig("by-age", 1, ["age", "name"], None)
    assert configs[1] == custom.IndexConfig(None, 2, ["city"], custom.BitmapIndexOptions("id", 1))
    assert configs[2] == custom.IndexConfig(None, 0, ["__key"], None)


def test_index_types_have_the_protocol_values():
    assert [int(t) for t in (IndexType.SORTED, IndexType.HASH, IndexType.BITMAP)] == [0, 1, 2]
    options = BitmapIndexOptions()
    assert (options.unique_key, options.unique_key_transformation) == ("__key", UniqueKeyTransformation.OBJECT)
    assert IndexConfig(attributes=["a"]).type is IndexType.SORTED


def test_get_entry_view_decodes_key_value_and_statistics(mapped):
    m, context = mapped
    future = m.get_entry_view_async("k")
    to_data = m._to_data
    view = custom.SimpleEntryView(to_data("k"), to_data({"v": 1}), 60, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    answer(context.invocations.sent[0], codec.encode_get_entry_view_response(view, 900))
    got = future.get(5)
    assert (got.key, got.value, got.cost, got.hits, got.version, got.ttl, got.max_idle) == (
        "k",
        {"v": 1},
        60,
        3,
        7,
        8,
        900,
    )
    missing = m.get_entry_view_async("gone")
    answer(context.invocations.sent[1], codec.encode_get_entry_view_response(None, 0))
    assert missing.get(5) is None


def test_load_all_with_and_without_keys(mapped):
    m, context = mapped
    m.load_all_async()
    m.load_all_async(["a", "b"], replace_existing_values=False)
    everything, given = context.invocations.sent
    assert codec.decode_load_all_request(everything.request)["replace_existing_values"] is True
    decoded = codec.decode_load_given_keys_request(given.request)
    assert decoded["replace_existing_values"] is False
    assert [m._to_object(k) for k in decoded["keys"]] == ["a", "b"]


def test_timed_writes_extend_the_deadline_only_when_they_wait(mapped, handler):
    m, context = mapped
    m.try_put_async("k", "v", timeout=2)
    m.try_put_async("k", "v")
    m.try_remove_async("k", timeout=1.5)
    waiting_put, immediate_put, waiting_remove = context.invocations.sent
    assert waiting_put.deadline >= handler.monotonic() + 2 + 120 - 5
    assert immediate_put.deadline == 0.0
    assert codec.decode_try_remove_request(waiting_remove.request)["timeout"] == 1500


def test_put_transient_uses_max_idle_only_when_given(mapped):
    m, context = mapped
    m.put_transient_async("k", "v", ttl=3)
    m.put_transient_async("k", "v", max_idle=4)
    plain, idle = context.invocations.sent
    assert codec.decode_put_transient_request(plain.request)["ttl"] == 3000
    assert codec.decode_put_transient_with_max_idle_request(idle.request)["max_idle"] == 4000


def test_blocking_returns_the_map_itself(mapped):
    m, _ = mapped
    assert m.blocking() is m


def test_submit_to_key_async_runs_the_processor_on_the_keys_owner(mapped):
    m, context = mapped
    future = m.submit_to_key_async("k", "a processor")
    invocation = context.invocations.sent[0]
    assert invocation.partition_id == context.partitions.partition_id_of(m._to_data("k"))
    assert m._to_object(codec.decode_execute_on_key_request(invocation.request)["entry_processor"]) == "a processor"
    answer(invocation, codec.encode_execute_on_key_response(m._to_data("result")))
    assert future.get(5) == "result"
    with pytest.raises(ValueError, match="entry_processor"):
        m.submit_to_key_async("k", None)
