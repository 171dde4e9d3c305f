"""Option validation: every bad option fails at construction and names itself."""

import fractions

import pytest

from hzgreen.config import ClientConfig, check_seconds, parse_address
from hzgreen.retry import HzRetry


def test_defaults_follow_the_official_client():
    config = ClientConfig()
    assert config.cluster_name == "dev"
    assert config.addresses == [("127.0.0.1", 5701), ("127.0.0.1", 5702), ("127.0.0.1", 5703)]
    assert config.smart_routing is True
    assert config.invocation_timeout == 120.0
    assert isinstance(config.command_retry, HzRetry)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("10.0.0.1:5702", [("10.0.0.1", 5702)]),
        ("[::1]:5701", [("::1", 5701)]),
        ("example", [("example", 5701), ("example", 5702), ("example", 5703)]),
    ],
)
def test_parse_address(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize(
    "options,error,name",
    [
        (dict(cluster_members="127.0.0.1:5701"), TypeError, "cluster_members"),
        (dict(cluster_members=[]), ValueError, "cluster_members"),
        (dict(cluster_members=["h:99999"]), ValueError, "cluster_members"),
        (dict(cluster_members=["h:x"]), ValueError, "cluster_members"),
        (dict(cluster_name=5), TypeError, "cluster_name"),
        (dict(connection_timeout=0), ValueError, "connection_timeout"),
        (dict(connection_timeout="5"), TypeError, "connection_timeout"),
        (dict(invocation_timeout=-1), ValueError, "invocation_timeout"),
        (dict(heartbeat_interval=10, heartbeat_timeout=5), ValueError, "heartbeat_interval"),
        (dict(smart_routing="yes"), TypeError, "smart_routing"),
        (dict(redo_operation=1), TypeError, "redo_operation"),
        (dict(creds_username="u"), ValueError, "creds_username"),
        (dict(labels="a"), TypeError, "labels"),
        (dict(labels=[1]), TypeError, "labels"),
        (dict(lifecycle_listeners=[1]), TypeError, "lifecycle_listeners"),
        (dict(retry_initial_backoff=5, retry_max_backoff=1), ValueError, "retry_max_backoff"),
        (dict(retry_multiplier=0.5), ValueError, "retry_multiplier"),
        (dict(retry_jitter=2), ValueError, "retry_jitter"),
        (dict(cluster_connect_timeout=0), ValueError, "cluster_connect_timeout"),
        (dict(reconnect_mode="sometimes"), ValueError, "reconnect_mode"),
        (dict(command_retry=5), TypeError, "command_retry"),
        (dict(command_retry={"max_tries": 0}), ValueError, "command_retry"),
        (dict(command_retry={"bogus": 1}), TypeError, "command_retry"),
        (dict(max_frame_size=10), ValueError, "max_frame_size"),
        (dict(max_frame_size=1.5), TypeError, "max_frame_size"),
        (dict(no_such_option=1), TypeError, "no_such_option"),
    ],
)
def test_bad_options_raise_naming_the_option(options, error, name):
    with pytest.raises(error) as info:
        ClientConfig(**options)
    assert name in str(info.value)


def test_command_retry_from_dict():
    config = ClientConfig(command_retry={"max_tries": 7, "delay": 0.5})
    assert config.command_retry.max_tries == 7
    assert config.command_retry.delay == 0.5


def test_cluster_connect_timeout_minus_one_means_forever():
    assert ClientConfig(cluster_connect_timeout=-1).cluster_connect_timeout == -1


# Every duration option and whether 0 is a valid value for it.
DURATIONS = [
    ("connection_timeout", False),
    ("invocation_timeout", False),
    ("invocation_retry_pause", True),
    ("heartbeat_interval", False),
    ("heartbeat_timeout", False),
    ("retry_initial_backoff", True),
    ("retry_max_backoff", True),
    ("cluster_connect_timeout", False),
]
NAN, INF = float("nan"), float("inf")
BAD_VALUES = [
    pytest.param(NAN, ValueError, id="nan"),
    pytest.param(INF, ValueError, id="inf"),
    pytest.param(-INF, ValueError, id="-inf"),
    pytest.param(-0.5, ValueError, id="negative"),
    pytest.param(1e12, ValueError, id="above-ten-years"),
    pytest.param("5", TypeError, id="str"),
    pytest.param(True, TypeError, id="bool"),
    pytest.param(None, TypeError, id="none"),
    pytest.param([5], TypeError, id="list"),
]


@pytest.mark.parametrize("name", [name for name, _ in DURATIONS])
@pytest.mark.parametrize("value,error", BAD_VALUES)
def test_every_duration_option_refuses_bad_values_naming_itself(name, value, error):
    with pytest.raises(error) as info:
        ClientConfig(**{name: value})
    assert name in str(info.value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize("name,zero_ok", DURATIONS)
def test_zero_is_refused_where_it_would_mean_never_or_always(name, zero_ok):
    if zero_ok:
        kwargs = {name: 0}
        if name == "retry_max_backoff":
            kwargs["retry_initial_backoff"] = 0
        assert getattr(ClientConfig(**kwargs), name) == 0.0
    else:
        with pytest.raises(ValueError, match=name):
            ClientConfig(**{name: 0})


@pytest.mark.parametrize("name", ["retry_multiplier", "retry_jitter"])
@pytest.mark.parametrize(
    "value,error", [(NAN, ValueError), (INF, ValueError), (-1.0, ValueError), ("1", TypeError), (False, TypeError)]
)
def test_backoff_factors_refuse_bad_values_naming_themselves(name, value, error):
    with pytest.raises(error, match=name):
        ClientConfig(**{name: value})


def test_cluster_connect_timeout_infinity_points_at_minus_one():
    with pytest.raises(ValueError) as info:
        ClientConfig(cluster_connect_timeout=INF)
    assert "cluster_connect_timeout" in str(info.value) and "-1" in str(info.value)


def test_durations_accept_ints_floats_and_other_reals():
    fractions = pytest.importorskip("fractions")
    config = ClientConfig(
        invocation_timeout=3,
        connection_timeout=fractions.Fraction(5, 2),
        heartbeat_interval=0.5,
        cluster_connect_timeout=20,
    )
    assert config.invocation_timeout == 3.0 and isinstance(config.invocation_timeout, float)
    assert config.connection_timeout == 2.5
    assert config.cluster_connect_timeout == 20.0


@pytest.mark.parametrize(
    "value,error",
    BAD_VALUES[:-3]
    + [
        pytest.param(0, ValueError, id="zero"),
        pytest.param("5", TypeError, id="str"),
        pytest.param(True, TypeError, id="bool"),
    ],
)
def test_check_seconds_names_the_argument(value, error):
    with pytest.raises(error, match=r"start\(\) timeout"):
        check_seconds(value, "start() timeout", allow_none=True)


def test_check_seconds_allows_none_only_when_asked():
    assert check_seconds(None, "t", allow_none=True) is None
    with pytest.raises(TypeError, match="t must be a number of seconds"):
        check_seconds(None, "t")
    assert check_seconds(2, "t") == 2.0


@pytest.mark.parametrize(
    "text,expected",
    [
        ("[::1]", [("::1", 5701), ("::1", 5702), ("::1", 5703)]),
        ("::1", [("::1", 5701), ("::1", 5702), ("::1", 5703)]),
        ("no-such-host.invalid:5701", [("no-such-host.invalid", 5701)]),
        ("Member-1.example.com.:5702", [("Member-1.example.com.", 5702)]),
        ("hz_member:5701", [("hz_member", 5701)]),
        ("münchen.example:5701", [("münchen.example", 5701)]),
        ("  10.0.0.1:5701  ", [("10.0.0.1", 5701)]),
    ],
)
def test_parse_more_addresses(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("a..b:5701", "empty label"),
        (".a:5701", "empty label"),
        ("a..b", "empty label"),
        ("-bad.example:5701", "'-bad'"),
        ("bad-.example:5701", "'bad-'"),
        ("x" * 64 + ".example:5701", "label"),
        (".".join(["a" * 60] * 5) + ":5701", "253"),
        ("a b:5701", "'a b'"),
        ("host:1:2", "IPv6"),
        ("[::1]x", "':port'"),
        ("[::1", "']'"),
        ("[not-ipv6]:5701", "IPv6"),
        ("999.1.1.1:5701", "IPv4"),
        ("1.2.3:5701", "IPv4"),
        (":5701", "empty"),
        ("h:", "not a number"),
        ("h:+1", "not a number"),
        ("h:0", "out of range"),
        ("h:65536", "out of range"),
    ],
)
def test_malformed_addresses_are_refused_naming_the_entry(text, fragment):
    with pytest.raises(ValueError) as info:
        ClientConfig(cluster_members=["127.0.0.1:5701", text])
    message = str(info.value)
    assert message.startswith("cluster_members")
    assert repr(text.strip()) in message or repr(text) in message
    assert fragment in message


@pytest.mark.parametrize("name,zero_ok", DURATIONS)
def test_durations_take_any_real_number_and_refuse_a_float_zero_where_ints_are(name, zero_ok):
    """Floats in range are decided at once; everything else goes through the full check."""
    extra = {"heartbeat_interval": 1} if name == "heartbeat_timeout" else {}
    assert getattr(ClientConfig(**{name: fractions.Fraction(3, 2)}, **extra), name) == 1.5
    if not zero_ok:
        for zero in (0.0, -0.0):
            with pytest.raises(ValueError, match=name):
                ClientConfig(**{name: zero})
