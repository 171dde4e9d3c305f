"""ReliableTopic without a member: config, the stored envelope, listener kinds and the runner's decisions."""

import pytest

from hzgreen.config import ClientConfig, ReliableTopicConfig, TopicOverloadPolicy
from hzgreen.exceptions import ClientNotActiveError, ClientOfflineError, HzSerializationError
from hzgreen.protocol.codecs import ringbuffer as rb_codec
from hzgreen.proxy.reliable_topic import ReliableMessageListener, ReliableTopic, as_listener
from hzgreen.proxy.reliable_topic_message import OutgoingMessage, read_message
from hzgreen.proxy.reliable_topic_runner import MessageRunner
from hzgreen.serialization import SerializationService
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.server_errors import IllegalArgumentError, TopicOverloadError
from tests.unit.proxy.fakes import ringbuffer_context

WAIT = 10


# -- config ---------------------------------------------------------------------------


def test_reliable_topics_option_defaults_and_names():
    config = ClientConfig(reliable_topics={"a": {}, "b": {"read_batch_size": 3, "overload_policy": "error"}})
    assert config.reliable_topics["a"].read_batch_size == 10
    assert config.reliable_topics["a"].overload_policy is TopicOverloadPolicy.BLOCK
    assert config.reliable_topics["b"].read_batch_size == 3
    assert config.reliable_topics["b"].overload_policy is TopicOverloadPolicy.ERROR
    assert ClientConfig().reliable_topics == {}
    given = ReliableTopicConfig(overload_policy=TopicOverloadPolicy.DISCARD_OLDEST)
    assert ClientConfig(reliable_topics={"c": given}).reliable_topics["c"] is given
    assert ReliableTopicConfig(overload_policy=1).overload_policy is TopicOverloadPolicy.DISCARD_NEWEST


@pytest.mark.parametrize(
    "option, error, words",
    [
        (["t"], TypeError, "reliable_topics must be a dict"),
        ({"t": 5}, TypeError, "reliable_topics['t'] must be a dict"),
        ({"t": {"batch": 1}}, TypeError, "unknown setting(s) batch"),
        ({"t": {"read_batch_size": 0}}, ValueError, "reliable_topics['t']: read_batch_size must be in [1, 1000]"),
        ({"t": {"read_batch_size": "3"}}, TypeError, "read_batch_size must be an int"),
        ({"t": {"overload_policy": "WAIT"}}, ValueError, "overload_policy must be one of DISCARD_OLDEST"),
        ({"t": {"overload_policy": 9}}, ValueError, "overload_policy"),
        ({"t": {"overload_policy": None}}, TypeError, "overload_policy"),
        ({"": {}}, TypeError, "topic names"),
    ],
)
def test_reliable_topics_option_errors(option, error, words):
    with pytest.raises(error) as raised:
        ClientConfig(reliable_topics=option)
    assert words in str(raised.value)


# -- the envelope ---------------------------------------------------------------------


def test_envelope_round_trip():
    service = SerializationService()
    data = service.to_data(OutgoingMessage(1_700_000_000_123, service.to_data({"k": [1, 2]})))
    publish_time, publisher, payload = read_message(data, service.to_object)
    assert publish_time == 1_700_000_000.123 and publisher is None and payload == {"k": [1, 2]}


def test_envelope_with_a_member_address():
    service = SerializationService()
    out = ObjectDataOutput(service, bytes(8))
    out.write_byte(1)
    out.write_int(-9)
    out.write_int(2)
    out.write_long(5000)
    out.write_int(-2)  # the publisher address, an IdentifiedDataSerializable
    out.write_byte(1)
    out.write_int(0)
    out.write_int(1)
    out.write_int(5701)
    out.write_byte(4)
    out.write_string("10.0.0.7")
    out.write_byte_array(service.to_data("hi"))
    data = bytearray(out.to_byte_array())
    data[4:8] = (-2).to_bytes(4, "big", signed=True)
    assert read_message(bytes(data), service.to_object) == (5.0, ("10.0.0.7", 5701), "hi")


def test_something_else_in_the_ringbuffer_is_an_error():
    service = SerializationService()
    with pytest.raises(HzSerializationError, match="other than topic messages"):
        read_message(service.to_data("plain string"), service.to_object)


# -- listener kinds -------------------------------------------------------------------


def test_listener_kinds():
    def func(message):
        return None

    plain = as_listener(func)
    assert plain.retrieve_initial_sequence() == -1 and plain.is_loss_tolerant() is False
    assert plain.is_terminal(RuntimeError()) is False

    class Duck:
        def on_message(self, message): ...
        def retrieve_initial_sequence(self):
            return 3

        def store_sequence(self, sequence): ...
        def is_loss_tolerant(self):
            return True

        def is_terminal(self, error):
            return True

    duck = Duck()
    assert as_listener(duck) is duck
    with pytest.raises(ValueError, match="listener must not be None"):
        as_listener(None)
    with pytest.raises(TypeError, match="listener must be callable"):
        as_listener(object())


def test_bad_initial_sequence_is_refused(handler):
    topic = ReliableTopic("t", ringbuffer_context(handler))

    class Bad(ReliableMessageListener):
        def retrieve_initial_sequence(self):
            return -5

    with pytest.raises(ValueError, match="retrieve_initial_sequence"):
        topic.add_listener(Bad())
    assert topic._context.invocations.sent == []


# -- publishing -----------------------------------------------------------------------


def test_error_policy_raises_topic_overload(handler):
    context = ringbuffer_context(handler, reliable_topics={"t": ReliableTopicConfig(overload_policy="ERROR")})
    context.invocations.answers[rb_codec.ADD_REQUEST_TYPE] = rb_codec.encode_add_response(-1)
    topic = ReliableTopic("t", context)
    with pytest.raises(TopicOverloadError, match="ringbuffer is full"):
        topic.publish("m")
    request = rb_codec.decode_add_request(context.invocations.sent[0].request)
    assert request["name"] == "_hz_rb_t" and request["overflow_policy"] == 1


@pytest.mark.parametrize("policy, overflow", [("DISCARD_OLDEST", 0), ("DISCARD_NEWEST", 1)])
def test_discard_policies(handler, policy, overflow):
    context = ringbuffer_context(handler, reliable_topics={"t": ReliableTopicConfig(overload_policy=policy)})
    context.invocations.answers[rb_codec.ADD_ALL_REQUEST_TYPE] = rb_codec.encode_add_all_response(-1)
    ReliableTopic("t", context).publish_all(["a", "b"])
    request = rb_codec.decode_add_all_request(context.invocations.sent[0].request)
    assert request["overflow_policy"] == overflow and len(request["value_list"]) == 2


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda t: t.publish(None), ValueError, "message must not be None"),
        (lambda t: t.publish_all([]), ValueError, "messages must not be empty"),
        (lambda t: t.publish_all(["a", None]), ValueError, "a message of messages"),
        (lambda t: t.publish_all(list(range(1001))), ValueError, "at most 1000"),
        (lambda t: t.publish_all_async("abc"), TypeError, "messages"),
    ],
)
def test_bad_publish_arguments_raise_before_sending(handler, call, error, words):
    context = ringbuffer_context(handler)
    with pytest.raises(error) as raised:
        call(ReliableTopic("t", context))
    assert words in str(raised.value)
    assert context.invocations.sent == []


# -- the runner -----------------------------------------------------------------------


class FakeRingbuffer:
    """Hands out one pending result per read, for the test to settle."""

    def __init__(self, handler):
        self.handler = handler
        self.reads = []
        self.heads = []
        self.read_sent = handler.event_object()

    def _read_many_data_async(self, start, min_count, max_count, filter_data, convert):
        result = self.handler.async_result()
        self.reads.append((start, min_count, max_count, result))
        self.read_sent.set()
        return result

    def head_sequence_async(self):
        result = self.handler.async_result()
        self.heads.append(result)
        return result

    def wait_reads(self, count):
        deadline = self.handler.monotonic() + WAIT
        while len(self.reads) < count:
            self.read_sent.clear()
            assert self.handler.monotonic() < deadline, "expected %d reads" % count
            self.read_sent.wait(0.5)
        return self.reads[count - 1]


class Log(ReliableMessageListener):
    def __init__(self, tolerant=False, terminal=True):
        self.events = []
        self.tolerant = tolerant
        self.terminal = terminal

    def on_message(self, message):
        self.events.append(("message", message))
        if message == "bad":
            raise RuntimeError("bad message")

    def store_sequence(self, sequence):
        self.events.append(("sequence", sequence))

    def is_loss_tolerant(self):
        return self.tolerant

    def is_terminal(self, error):
        self.events.append(("error", str(error)))
        return self.terminal

    def on_cancel(self):
        self.events.append(("cancel",))


def _runner(handler, listener, ringbuffer, runners):
    return MessageRunner("r1", listener, ringbuffer, "t", 10, lambda seq, data: data, runners, handler)


def _batch(items, first, next_seq=None):
    return {
        "read_count": len(items),
        "items": items,
        "item_seqs": list(range(first, first + len(items))),
        "next_seq": first + len(items) if next_seq is None else next_seq,
    }


def test_runner_stores_each_sequence_before_its_message_and_reads_on(handler):
    ringbuffer, listener, runners = FakeRingbuffer(handler), Log(), {}
    _runner(handler, listener, ringbuffer, runners).begin(4)
    start, min_count, max_count, read = ringbuffer.wait_reads(1)
    assert (start, min_count, max_count) == (4, 1, 10) and "r1" in runners
    read.set(_batch(["a", "b"], 4))
    assert ringbuffer.wait_reads(2)[0] == 6
    assert listener.events == [("sequence", 4), ("message", "a"), ("sequence", 5), ("message", "b")]


def test_runner_cancels_a_listener_that_is_not_loss_tolerant(handler):
    ringbuffer, listener, runners = FakeRingbuffer(handler), Log(tolerant=False), {}
    runner = _runner(handler, listener, ringbuffer, runners)
    runner.begin(0)
    ringbuffer.wait_reads(1)[3].set(_batch(["x"], 7))  # 0..6 were overwritten
    _wait_for(handler, lambda: runner.cancelled)
    assert listener.events == [("cancel",)] and runners == {}
    assert len(ringbuffer.reads) == 1


def test_runner_goes_on_after_loss_when_tolerant(handler):
    ringbuffer, listener, runners = FakeRingbuffer(handler), Log(tolerant=True), {}
    _runner(handler, listener, ringbuffer, runners).begin(0)
    ringbuffer.wait_reads(1)[3].set(_batch(["x"], 7))
    assert ringbuffer.wait_reads(2)[0] == 8
    assert listener.events == [("sequence", 7), ("message", "x")]


def test_runner_terminal_error_cancels_and_other_errors_do_not(handler):
    ringbuffer, listener, runners = FakeRingbuffer(handler), Log(terminal=False), {}
    _runner(handler, listener, ringbuffer, runners).begin(0)
    ringbuffer.wait_reads(1)[3].set(_batch(["bad", "ok"], 0))
    assert ringbuffer.wait_reads(2)[0] == 2
    assert ("message", "ok") in listener.events and ("error", "bad message") in listener.events

    ringbuffer2, strict = FakeRingbuffer(handler), Log(terminal=True)
    runner = _runner(handler, strict, ringbuffer2, {})
    runner.begin(0)
    ringbuffer2.wait_reads(1)[3].set(_batch(["bad", "never"], 0))
    _wait_for(handler, lambda: runner.cancelled)
    assert ("message", "never") not in strict.events and strict.events[-1] == ("cancel",)


def test_runner_retries_when_offline_and_stops_with_the_client(handler):
    ringbuffer, listener = FakeRingbuffer(handler), Log()
    runner = _runner(handler, listener, ringbuffer, {})
    runner.begin(3)
    ringbuffer.wait_reads(1)[3].set_exception(ClientOfflineError("offline"))
    assert ringbuffer.wait_reads(2)[0] == 3  # the same sequence again, after a pause
    ringbuffer.reads[1][3].set_exception(ClientNotActiveError("stopped"))
    _wait_for(handler, lambda: runner.cancelled)
    assert listener.events == [("cancel",)]


def test_runner_jumps_to_the_head_on_a_bad_sequence_when_tolerant(handler):
    ringbuffer, listener = FakeRingbuffer(handler), Log(tolerant=True)
    _runner(handler, listener, ringbuffer, {}).begin(50)
    ringbuffer.wait_reads(1)[3].set_exception(IllegalArgumentError("sequence too large"))
    _wait_for(handler, lambda: ringbuffer.heads)
    ringbuffer.heads[0].set(12)
    assert ringbuffer.wait_reads(2)[0] == 12


def test_cancel_is_called_once(handler):
    listener = Log()
    runner = _runner(handler, listener, FakeRingbuffer(handler), {})
    runner.cancel()
    runner.cancel()
    assert listener.events == [("cancel",)]


def _wait_for(handler, condition):
    deadline = handler.monotonic() + WAIT
    event = handler.event_object()
    while not condition():
        assert handler.monotonic() < deadline, "condition not met"
        event.wait(0.02)
