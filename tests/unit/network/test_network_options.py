"""Option checks, token providers, load balancers and membership listener registration, without a member."""

import logging
import uuid

import pytest

from hzgreen.config import DEFAULTS, ClientConfig
from hzgreen.exceptions import AuthenticationError
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.network.credentials import BasicTokenProvider, TokenProvider, check_token_provider, token_for
from hzgreen.network.load_balancer import RandomLB, RoundRobinLB, choose
from hzgreen.protocol.custom import Address, MemberInfo, MemberVersion
from hzgreen.runtime.cluster import ClusterService


def member(port):
    return MemberInfo(Address("127.0.0.1", port), uuid.uuid4(), False, {}, MemberVersion(5, 4, 0))


class Live:
    def __init__(self, alive=True):
        self.alive = alive


@pytest.fixture
def handler():
    handler = SequentialThreadingHandler()
    handler.start()
    yield handler
    handler.stop()


def run_callbacks(handler):
    """Returns once every callback queued so far ran (the worker is sequential)."""
    done = handler.event_object()
    handler.dispatch_callback(done.set)
    assert done.wait(10)


def test_defaults_are_the_official_ones():
    assert DEFAULTS["async_start"] is False
    assert DEFAULTS["load_balancer"] is None
    assert DEFAULTS["membership_listeners"] is None
    assert DEFAULTS["token_provider"] is None
    config = ClientConfig()
    assert isinstance(config.connection_options.load_balancer, RoundRobinLB)
    assert config.connection_options.load_balancer is not ClientConfig().connection_options.load_balancer


@pytest.mark.parametrize(
    "options, error, name",
    [
        ({"async_start": 1}, TypeError, "async_start"),
        ({"load_balancer": "RoundRobinLB"}, TypeError, "load_balancer"),
        ({"membership_listeners": (print, print)}, TypeError, "membership_listeners"),
        ({"membership_listeners": [(None, None)]}, ValueError, "membership_listeners"),
        ({"token_provider": "token"}, TypeError, "token_provider"),
        ({"logging_level": -1}, ValueError, "logging_level"),
        ({"logging_level": 1.5}, TypeError, "logging_level"),
        ({"logging_config": {"version": 2}}, ValueError, "logging_config"),
    ],
)
def test_bad_values_name_the_option(options, error, name):
    with pytest.raises(error, match=name):
        ClientConfig(**options)


def test_logging_level_names_are_accepted():
    assert ClientConfig(logging_level="debug").connection_options.logging_level == logging.DEBUG


def test_basic_token_provider_encodes_text_as_utf8():
    assert BasicTokenProvider("tök").token() == "tök".encode("utf-8")
    assert BasicTokenProvider(b"\x00\xff").token(Address("h", 1)) == b"\x00\xff"


def test_token_for_refuses_a_provider_returning_text():
    class Text(TokenProvider):
        def token(self, address=None):
            return "not bytes"

    with pytest.raises(AuthenticationError, match="token_provider"):
        token_for(check_token_provider(Text()), "127.0.0.1", 5701)
    with pytest.raises(NotImplementedError):
        TokenProvider().token()


def test_round_robin_cycles_over_the_members(handler):
    cluster = ClusterService(handler)
    balancer = RoundRobinLB()
    balancer.init(cluster)
    assert balancer.next() is None
    members = [member(5701), member(5702), member(5703)]
    cluster.handle_members_view(1, members)
    run_callbacks(handler)
    picks = [balancer.next() for _ in range(6)]
    assert picks[:3] == picks[3:] and {m.uuid for m in picks} == {m.uuid for m in members}


def test_random_lb_follows_leaves(handler):
    cluster = ClusterService(handler)
    balancer = RandomLB()
    balancer.init(cluster)
    first, second = member(5701), member(5702)
    cluster.handle_members_view(1, [first, second])
    cluster.handle_members_view(2, [second])
    run_callbacks(handler)
    assert {balancer.next().uuid for _ in range(20)} == {second.uuid}


def test_choose_skips_dead_and_unknown_connections():
    picked = member(5701)

    class Fixed:
        def next(self):
            return picked

    other, dead, live = Live(), Live(False), Live()
    assert choose(Fixed(), {picked.uuid: dead}, [other, Live()]) is not dead
    assert choose(Fixed(), {}, [other]) is other
    assert choose(Fixed(), {picked.uuid: live}, [other, live]) is live
    assert choose(None, {picked.uuid: live}, [other]) is other


def test_fire_for_existing_and_registration_ids(handler):
    cluster = ClusterService(handler)
    members = [member(5701), member(5702)]
    cluster.handle_members_view(1, members)
    silent, existing, removed = [], [], []
    silent_id = cluster.add_listener(silent.append)
    existing_id = cluster.add_listener(existing.append, removed.append, fire_for_existing=True)
    run_callbacks(handler)
    assert silent == [] and [m.uuid for m in existing] == [m.uuid for m in members]
    cluster.handle_members_view(2, members[:1])
    run_callbacks(handler)
    assert [m.uuid for m in removed] == [members[1].uuid]
    assert cluster.remove_listener(existing_id) is True
    assert cluster.remove_listener(existing_id) is False
    assert cluster.remove_listener(silent_id) is True
    assert cluster.get_members(lambda m: m.address.port == 5701) == members[:1]
    with pytest.raises(TypeError, match="callable"):
        cluster.add_listener("not callable")
