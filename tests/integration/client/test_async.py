"""The _async twins and IAsyncResult, under both handlers."""

import pytest

from hzgreen.exceptions import HzTimeoutError


@pytest.fixture
def m(hz_client, unique_name):
    the_map = hz_client.get_map(unique_name)
    yield the_map
    the_map.destroy()


ASYNC_METHODS = [
    "put",
    "set",
    "get",
    "remove",
    "delete",
    "contains_key",
    "contains_value",
    "size",
    "is_empty",
    "clear",
    "put_if_absent",
    "replace",
    "replace_if_same",
    "get_all",
    "put_all",
    "key_set",
    "values",
    "entry_set",
]


def test_every_method_has_an_async_twin(m):
    for name in ASYNC_METHODS:
        assert callable(getattr(m, name)) and callable(getattr(m, name + "_async")), name


def test_async_result_api(m):
    m.put("a", 1)
    result = m.get_async("a")
    assert result.get(timeout=10) == 1
    assert result.ready() and result.successful()
    assert result.value == 1 and result.exception is None
    assert result.result(1) == 1


def test_done_callbacks_run_on_the_callback_worker(hz_client, m):
    handler = hz_client.handler
    done = handler.event_object()
    seen = []

    def callback(result):
        seen.append((result.value, handler.in_callback_worker()))
        done.set()

    m.put_async("b", 2).get(10)
    m.get_async("b").add_done_callback(callback)
    assert done.wait(10)
    assert seen == [(2, True)]

    linked = handler.event_object()
    later = m.get_async("b")
    later.get(10)
    later.rawlink(lambda r: linked.set())  # already ready: still called, on the worker
    assert linked.wait(10)


def test_member_error_becomes_the_results_exception(hz_client):
    from hzgreen.exceptions import HazelcastServerError
    from hzgreen.protocol.codecs import client as client_codec
    from hzgreen.runtime.invocation import Invocation

    request = client_codec.encode_create_proxy_request("x", "hz:impl:noSuchService")
    result = hz_client.invocations.invoke(Invocation(request, hz_client.handler.async_result()))
    with pytest.raises(HazelcastServerError) as info:
        result.get(10)
    assert result.ready() and not result.successful()
    assert result.exception is info.value
    assert info.value.class_name  # the Java class travels with the error
    assert hz_client.get_map("still-works").size() == 0  # the connection is unaffected


def test_many_in_flight_at_once(m):
    results = [m.put_async("k%d" % i, i) for i in range(2000)]
    for result in results:
        assert result.get(30) is None
    assert m.size() == 2000
    gets = [m.get_async("k%d" % i) for i in range(2000)]
    assert [g.get(30) for g in gets] == list(range(2000))


def test_get_with_timeout_raises_hz_timeout(hz_client):
    pending = hz_client.handler.async_result()
    with pytest.raises(HzTimeoutError):
        pending.get(timeout=0.05)


def test_pipelined_writes_keep_their_order(m):
    # put then get of the same key without waiting: the get must see the put,
    # whatever coalescing the connection does with concurrent writes.
    results = []
    for i in range(500):
        m.put_async("same", i)
        results.append(m.get_async("same"))
    assert [r.get(30) for r in results] == list(range(500))
