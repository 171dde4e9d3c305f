"""FlakeIdGenerator without a member: the option's checks, batching, expiry, one fetch at a time."""

import threading

import pytest
from cnt_fakes import WAIT, answer, fail, fake_context

from hzgreen.client import HzClient
from hzgreen.config import FlakeIdGeneratorConfig
from hzgreen.exceptions import HazelcastServerError
from hzgreen.protocol.codecs import flake_id_generator as codec
from hzgreen.proxy.flake_id_generator import FlakeIdGenerator, config_for


@pytest.fixture
def make():
    contexts = []

    def build(name="ids", **options):
        context = fake_context(**options)
        contexts.append(context)
        return FlakeIdGenerator(name, context), context

    yield build
    for context in contexts:
        context.handler.stop()


@pytest.mark.parametrize(
    "option, error, words",
    [
        ([("a", {})], TypeError, "flake_id_generators must be a dict"),
        ({"": {}}, TypeError, "non-empty generator names"),
        ({"a": 5}, TypeError, r"flake_id_generators\['a'\] must be a dict"),
        ({"a": {"prefetch_size": 3}}, TypeError, "unknown option.*prefetch_size"),
        ({"a": {"prefetch_count": "3"}}, TypeError, "prefetch_count must be an int"),
        ({"a": {"prefetch_count": 0}}, ValueError, r"prefetch_count must be in \[1, 100000\]"),
        ({"a": {"prefetch_count": 100001}}, ValueError, "prefetch_count"),
        ({"a": {"prefetch_validity": -1}}, ValueError, "prefetch_validity"),
        ({"a": {"prefetch_validity": "10"}}, TypeError, "prefetch_validity"),
    ],
)
def test_bad_options_are_refused_naming_them(option, error, words):
    with pytest.raises(error, match=words):
        HzClient(flake_id_generators=option)


def test_config_lookup_defaults_and_patterns():
    client = HzClient(
        flake_id_generators={
            "orders": {"prefetch_count": 5},
            "ord*": {"prefetch_count": 6, "prefetch_validity": 0},
            "*": {"prefetch_validity": 30},
        }
    )
    configs = client.config.flake_id_generators
    assert (configs["orders"].prefetch_count, configs["orders"].prefetch_validity) == (5, 600.0)
    assert config_for("ordinals", configs).prefetch_count == 6  # the longest matching pattern
    assert config_for("other", configs).prefetch_validity == 30
    default = config_for("x", {})
    assert (default.prefetch_count, default.prefetch_validity) == (100, 600.0)
    assert isinstance(default, FlakeIdGeneratorConfig)


def test_ids_come_from_one_batch_fetched_with_prefetch_count(make):
    generator, context = make("ids", flake_id_generators={"ids": {"prefetch_count": 3}})
    first = generator.new_id_async()
    fetch = context.invocations.wait_sent(1)[0]
    assert codec.decode_new_id_batch_request(fetch.request) == {"name": "ids", "batch_size": 3}
    answer(fetch, codec.encode_new_id_batch_response(1000, 10, 3))
    assert first.get(timeout=WAIT) == 1000
    assert generator.new_id() == 1010
    assert generator.new_id_async().get(timeout=WAIT) == 1020
    assert len(context.invocations.sent) == 1
    later = generator.new_id_async()  # the batch is used up: the next one is fetched
    answer(context.invocations.wait_sent(2)[1], codec.encode_new_id_batch_response(5000, 1, 3))
    assert later.get(timeout=WAIT) == 5000


def test_a_batch_expires_after_prefetch_validity(make):
    generator, context = make("ids", flake_id_generators={"ids": {"prefetch_validity": 60}})
    clock = [100.0]
    context.handler.monotonic = lambda: clock[0]
    first = generator.new_id_async()
    answer(context.invocations.wait_sent(1)[0], codec.encode_new_id_batch_response(1, 1, 100))
    assert first.get(timeout=WAIT) == 1
    clock[0] += 59
    assert generator.new_id() == 2
    clock[0] += 1
    late = generator.new_id_async()
    answer(context.invocations.wait_sent(2)[1], codec.encode_new_id_batch_response(900, 1, 100))
    assert late.get(timeout=WAIT) == 900


def test_concurrent_callers_share_one_fetch_and_get_distinct_ids(make):
    generator, context = make("ids", flake_id_generators={"ids": {"prefetch_count": 4}})
    results = [generator.new_id_async() for _ in range(10)]
    first = context.invocations.wait_sent(1)
    assert len(first) == 1  # ten callers, one request on its way
    answer(first[0], codec.encode_new_id_batch_response(0, 1, 4))  # serves four of them
    answer(context.invocations.wait_sent(2)[1], codec.encode_new_id_batch_response(100, 1, 4))
    answer(context.invocations.wait_sent(3)[2], codec.encode_new_id_batch_response(200, 1, 4))
    values = [r.get(timeout=WAIT) for r in results]
    assert values == [0, 1, 2, 3, 100, 101, 102, 103, 200, 201]
    assert len(context.invocations.sent) == 3
    assert generator.new_id() == 202  # the rest of the last batch is kept


def test_a_failed_fetch_fails_the_waiting_callers_and_the_next_call_fetches_again(make):
    generator, context = make()
    waiting = [generator.new_id_async() for _ in range(3)]
    fail(context.invocations.wait_sent(1)[0], HazelcastServerError("no"))
    for result in waiting:
        with pytest.raises(HazelcastServerError):
            result.get(timeout=WAIT)
    again = generator.new_id_async()
    answer(context.invocations.wait_sent(2)[1], codec.encode_new_id_batch_response(7, 1, 100))
    assert again.get(timeout=WAIT) == 7


def test_threads_racing_get_unique_ids(make):
    generator, context = make("ids", flake_id_generators={"ids": {"prefetch_count": 5}})
    stop = threading.Event()
    base = [0]

    def member():  # answers every fetch with the next range
        answered = 0
        while not stop.is_set():
            sent = context.invocations.sent
            if len(sent) > answered:
                answer(sent[answered], codec.encode_new_id_batch_response(base[0], 1, 5))
                base[0] += 5
                answered += 1
            else:
                stop.wait(0.001)

    server = threading.Thread(target=member)
    server.start()
    got = []
    lock = threading.Lock()

    def worker():
        mine = [generator.new_id() for _ in range(50)]
        with lock:
            got.extend(mine)

    workers = [threading.Thread(target=worker) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(WAIT)
    stop.set()
    server.join(WAIT)
    assert len(got) == 400 and len(set(got)) == 400
    assert len(context.invocations.sent) == base[0] // 5 <= 81
