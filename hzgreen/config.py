"""Client options, checked once at construction.

Option names follow the official Hazelcast Python client. A wrong type raises
``TypeError`` and a wrong value raises ``ValueError``; either names the option, so a typo
in a deployment's settings fails loudly at start-up instead of in the middle of the night.
"""

from __future__ import annotations

import enum
import inspect
import itertools
import operator
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Collection,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    TypeVar,
    Union,
    get_type_hints,
)

from hzgreen.config_checks import (
    MAX_SECONDS,
    _bool,
    _cluster_connect_timeout,
    _finite,
    _optional_str,
    _seconds,
    check_seconds,
)
from hzgreen.config_connection import (
    CONNECTION_OPTIONS,
    ConnectionOptions,
    LoadBalancer,
    MembershipListenerPair,
    TokenSource,
    connection_options,
)
from hzgreen.config_discovery import DISCOVERY_OPTIONS, DiscoveryConfig, FailoverOptions, discovery_config
from hzgreen.config_operations import OPERATIONS_OPTIONS, OperationsConfig, operations_config
from hzgreen.config_structures import (
    FlakeIdGeneratorConfig,
    ReliableTopicConfig,
    TopicOverloadPolicy,
    _flake_id_generators,
    reliable_topic_configs,
)
from hzgreen.near_cache.config import NearCacheConfig, near_cache_configs
from hzgreen.network.tls import SSL_OPTIONS, SSLProtocol, TlsConfig, parse_tls_options
from hzgreen.retry import HzRetry
from hzgreen.runtime.address import parse_address
from hzgreen.states import LifecycleState

__all__ = [
    "DEFAULTS",
    "MAX_SECONDS",
    "RECONNECT_MODES",
    "SERIALIZATION_OPTIONS",
    "ClientConfig",
    "ClientOptions",
    "FlakeIdGeneratorConfig",
    "IntType",
    "ReliableTopicConfig",
    "TopicOverloadPolicy",
    "check_seconds",
    "with_option_signature",
]

if TYPE_CHECKING:
    from typing_extensions import Unpack

RECONNECT_MODES = ("ON", "ASYNC", "OFF")

# Options handed to SerializationService unchanged; it validates them (naming the option).
SERIALIZATION_OPTIONS: Dict[str, Any] = {
    "default_int_type": "INT",
    "custom_serializers": None,
    "global_serializer": None,
    "data_serializable_factories": None,
    "portable_factories": None,
    "class_definitions": None,
    "portable_version": 0,
    "check_class_definition_errors": True,
    "compact_serializers": None,
    "pickle_enabled": False,
    "pickle_allowed_classes": None,
    "pickle_protocol": 0,
}

_client_counter = itertools.count()


DEFAULTS: Dict[str, Any] = {
    "cluster_members": None,
    "cluster_name": "dev",
    "connection_timeout": 5.0,
    "invocation_timeout": 120.0,
    "invocation_retry_pause": 1.0,
    "heartbeat_interval": 5.0,
    "heartbeat_timeout": 60.0,
    "smart_routing": True,
    "redo_operation": False,
    "creds_username": None,
    "creds_password": None,
    "client_name": None,
    "labels": None,
    "lifecycle_listeners": None,
    "retry_initial_backoff": 1.0,
    "retry_max_backoff": 30.0,
    "retry_multiplier": 1.05,
    "retry_jitter": 0.0,
    "cluster_connect_timeout": -1,
    "reconnect_mode": "ON",
    "command_retry": None,
    "max_frame_size": 128 * 1024 * 1024,
    "flake_id_generators": None,
    "reliable_topics": None,
    "near_caches": None,
}
DEFAULTS.update(SERIALIZATION_OPTIONS)
DEFAULTS.update(DISCOVERY_OPTIONS)
DEFAULTS.update(CONNECTION_OPTIONS)
DEFAULTS.update(OPERATIONS_OPTIONS)
DEFAULTS.update(SSL_OPTIONS)


class ClientOptions(TypedDict, total=False):
    """The keyword options of :class:`~hzgreen.client.HzClient` (all optional; defaults in ``DEFAULTS``).

    ``HzClient(**options: Unpack[ClientOptions])`` lets type checkers and IDEs check option
    names and value types; :class:`ClientConfig` checks them again at run time.

    Connection: ``cluster_members`` (``"host:port"`` strings, ``"host"`` meaning ports
    5701-5703; default 127.0.0.1), ``cluster_name`` ("dev"), ``connection_timeout`` (5.0 s
    to connect and authenticate one connection), ``smart_routing`` (True: one connection
    per member, key operations to the owner), ``creds_username`` / ``creds_password``
    (None; given together), ``client_name`` (generated: the name shown on the members),
    ``labels`` (none).

    Requests: ``invocation_timeout`` (120.0 s a request may take, retries included),
    ``invocation_retry_pause`` (1.0 s before re-sending a retryable request),
    ``redo_operation`` (False: also retry non-idempotent requests after a connection
    loss), ``command_retry`` (an ``HzRetry`` or a dict of its arguments for
    ``client.retry``; default 3 tries), ``max_frame_size`` (128 MiB: a larger frame from a
    peer is a ProtocolError).

    Flake ID generators: ``flake_id_generators`` (``{name: {"prefetch_count": 1..100000
    (100), "prefetch_validity": seconds (600; 0: no limit)}}``; a name may hold one ``*``).

    Liveness and reconnection: ``heartbeat_interval`` (5.0 s: ping a connection idle this
    long), ``heartbeat_timeout`` (60.0 s: drop a connection silent this long),
    ``retry_initial_backoff`` (1.0 s), ``retry_max_backoff`` (30.0 s),
    ``retry_multiplier`` (1.05) and ``retry_jitter`` (0.0, in [0, 1]) shape the pause
    between reconnect rounds; ``cluster_connect_timeout`` (-1: never give up; otherwise
    seconds without a connection after which ``start()`` raises and a disconnected client
    shuts down); ``reconnect_mode`` ("ON": requests wait while reconnecting, "ASYNC":
    they fail fast with ClientOfflineError, "OFF": shut down on disconnection);
    ``lifecycle_listeners`` (callables receiving each ``LifecycleState``).

    Serialization (see docs/serialization.rst): ``default_int_type`` ("INT", or an
    :class:`IntType`), ``custom_serializers``, ``global_serializer``,
    ``data_serializable_factories``, ``portable_factories``, ``class_definitions``,
    ``portable_version`` (0), ``check_class_definition_errors`` (True),
    ``compact_serializers``, ``pickle_enabled`` (False), ``pickle_allowed_classes``,
    ``pickle_protocol`` (0).

    TLS (see docs/security.rst): ``ssl_enabled`` (False), ``ssl_cafile`` (None: the system's
    CAs verify the member's certificate), ``ssl_certfile`` / ``ssl_keyfile`` /
    ``ssl_password`` (the client's certificate for mutual authentication; None),
    ``ssl_protocol`` (``SSLProtocol.TLSv1_2``; a name works too), ``ssl_ciphers`` (None: an
    OpenSSL cipher list), ``ssl_check_hostname`` (False: also match the certificate with
    the member's host).

    Reliable topics: ``reliable_topics`` (``{topic name: {"read_batch_size": 10,
    "overload_policy": "BLOCK"}}`` or a :class:`ReliableTopicConfig` per name).

    Connection strategy, credentials and logging (see docs/network.rst): ``async_start``
    (False: ``start()`` waits for the cluster; True: it returns at once and requests raise
    ClientOfflineError until CONNECTED), ``load_balancer`` (a RoundRobinLB: which member
    carries requests bound to no partition; smart routing only), ``membership_listeners``
    (``[(member_added, member_removed)]``, registered before the first connection),
    ``token_provider`` (None; an object with ``token(address) -> bytes``: authenticate
    with that token instead of ``creds_username`` / ``creds_password``), ``logging_level``
    (None: leave the ``hzgreen`` logger alone) and ``logging_config`` (None; a
    ``logging.config.dictConfig`` dict, which wins over ``logging_level``).

    Backup acknowledgements and statistics (see docs/operations.rst):
    ``backup_ack_to_client_enabled`` (True: a smart client waits for the backup acks of a
    mutating call itself), ``operation_backup_timeout`` (5.0 s to wait for them after the
    response), ``fail_on_indeterminate_operation_state`` (False: complete anyway after that
    timeout; True: raise IndeterminateOperationStateError), ``statistics_enabled`` (False)
    and ``statistics_period`` (3.0 s: how often the client sends its metrics).

    Cloud discovery and failover (see docs/failover.rst): ``cloud_discovery_token`` (None;
    a Hazelcast Cloud token: members are found by the discovery service and dialled at
    their public addresses; ``cluster_members`` must then be empty),
    ``cloud_discovery_url`` ("https://api.viridian.hazelcast.com": the service's base URL),
    ``cloud_discovery_cafile`` (None: the system's CAs verify the service), ``failover``
    (None; ``{"client_configs": [options, ...], "try_count": 2**31-1}``: clusters gone
    round in order when the current one is unreachable; only cluster-level options may
    differ between them; see ``HzClient.create_failover_client``).
    """

    cluster_members: Optional[Sequence[str]]
    cluster_name: str
    connection_timeout: float
    invocation_timeout: float
    invocation_retry_pause: float
    heartbeat_interval: float
    heartbeat_timeout: float
    smart_routing: bool
    redo_operation: bool
    creds_username: Optional[str]
    creds_password: Optional[str]
    client_name: Optional[str]
    labels: Optional[Collection[str]]
    lifecycle_listeners: Optional[Sequence[Callable[[LifecycleState], Any]]]
    retry_initial_backoff: float
    retry_max_backoff: float
    retry_multiplier: float
    retry_jitter: float
    cluster_connect_timeout: float
    reconnect_mode: str
    command_retry: Union[HzRetry, Dict[str, Any], None]
    max_frame_size: int
    flake_id_generators: Optional[Mapping[str, Mapping[str, Any]]]
    reliable_topics: Optional[Mapping[str, Union["ReliableTopicConfig", Mapping[str, Any]]]]
    near_caches: Optional[Mapping[str, Any]]
    default_int_type: Union[str, IntType]
    custom_serializers: Optional[Mapping[type, Any]]
    global_serializer: Any
    data_serializable_factories: Optional[Mapping[int, Any]]
    portable_factories: Optional[Mapping[int, Any]]
    class_definitions: Optional[Iterable[Any]]
    portable_version: int
    check_class_definition_errors: bool
    compact_serializers: Optional[Iterable[Any]]
    pickle_enabled: bool
    pickle_allowed_classes: Optional[Iterable[Any]]
    pickle_protocol: int
    ssl_enabled: bool
    ssl_cafile: Optional[str]
    ssl_certfile: Optional[str]
    ssl_keyfile: Optional[str]
    ssl_password: Union[str, bytes, Callable[[], Union[str, bytes]], None]
    ssl_protocol: Union[SSLProtocol, str, int]
    ssl_ciphers: Optional[str]
    ssl_check_hostname: bool
    cloud_discovery_token: Optional[str]
    cloud_discovery_url: str
    cloud_discovery_cafile: Optional[str]
    failover: Optional[FailoverOptions]
    async_start: bool
    load_balancer: Optional[LoadBalancer]
    membership_listeners: Optional[Sequence[MembershipListenerPair]]
    token_provider: Optional[TokenSource]
    logging_level: Union[int, str, None]
    logging_config: Optional[Mapping[str, Any]]
    backup_ack_to_client_enabled: bool
    operation_backup_timeout: float
    fail_on_indeterminate_operation_state: bool
    statistics_enabled: bool
    statistics_period: float


_F = TypeVar("_F", bound=Callable[..., Any])


def with_option_signature(init: _F) -> _F:
    """Decorate ``init`` (taking ``**options``) so ``help()`` and ``inspect.signature`` list the options.

    Returns ``init`` itself, its ``__signature__`` replacing ``**options`` by one
    keyword-only parameter per :class:`ClientOptions` entry, annotated and with its
    default from ``DEFAULTS``. Raises TypeError if ``init`` has no ``**`` parameter.
    """
    signature = inspect.signature(init)
    kept = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    if len(kept) == len(signature.parameters):
        raise TypeError("%s takes no **options" % init.__qualname__)
    hints = get_type_hints(ClientOptions)
    options = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=DEFAULTS[name], annotation=hints[name])
        for name in DEFAULTS
    ]
    init.__signature__ = signature.replace(parameters=kept + options)  # type: ignore[attr-defined]
    return init


_T = TypeVar("_T")

#: The checked, frozen config of an option group at its defaults (made on first use), with
#: the option values it was made from: a client that sets none of the group's options
#: shares it instead of checking the same defaults again.
_DEFAULT_GROUPS: Dict[str, Tuple[Tuple[Any, ...], Any]] = {}


def _default_group(
    key: str,
    given: Mapping[str, Any],
    options: Mapping[str, Any],
    group: Mapping[str, Any],
    build: Callable[[Mapping[str, Any]], _T],
) -> _T:
    """Returns ``build(options)``, or, when ``given`` (the caller's own options) sets none of
    ``group``'s names, the value an earlier ``build`` made from the very same option values.

    ``key`` names the group; ``options`` are the merged options. On the shared path ``build``
    is handed the group's options alone, so a builder that reads an option outside its group
    fails at once (KeyError) instead of sharing a value made from another client's options;
    ``build`` must return a frozen value. Raises what ``build`` raises.
    """
    if not given.keys().isdisjoint(group):
        return build(options)
    values = tuple(map(options.__getitem__, group))
    cached = _DEFAULT_GROUPS.get(key)
    if cached is not None and all(map(operator.is_, cached[0], values)):
        made: _T = cached[1]
        return made
    made = build(dict(zip(group, values)))
    _DEFAULT_GROUPS[key] = (values, made)
    return made


class ClientConfig:
    """The validated options of one client; attributes carry the option names.

    Every timeout, interval and backoff is a finite number of seconds (NaN, infinity,
    negatives, bools and strings are refused, naming the option). The only "forever" is
    ``cluster_connect_timeout=-1`` (the default, as in the official client): keep trying
    to reach the cluster. With a positive ``cluster_connect_timeout`` the client gives up
    after that long without a connection: ``start()`` raises, and a client that lost its
    cluster shuts down (lifecycle SHUTDOWN, state LOST; calls raise ClientNotActiveError).
    """

    cluster_members: List[str]
    addresses: List[Tuple[str, int]]
    cluster_name: str
    connection_timeout: float
    invocation_timeout: float
    invocation_retry_pause: float
    heartbeat_interval: float
    heartbeat_timeout: float
    smart_routing: bool
    redo_operation: bool
    creds_username: Optional[str]
    creds_password: Optional[str]
    client_name: str
    labels: List[str]
    lifecycle_listeners: List[Callable[..., Any]]
    retry_initial_backoff: float
    retry_max_backoff: float
    retry_multiplier: float
    retry_jitter: float
    cluster_connect_timeout: float
    reconnect_mode: str
    command_retry: HzRetry
    max_frame_size: int
    flake_id_generators: Dict[str, "FlakeIdGeneratorConfig"]
    reliable_topics: Dict[str, "ReliableTopicConfig"]
    near_caches: Dict[str, NearCacheConfig]
    serialization_options: Dict[str, Any]
    tls: TlsConfig
    discovery: DiscoveryConfig
    connection_options: ConnectionOptions
    operations: OperationsConfig

    def __init__(self, **kwargs: Unpack[ClientOptions]) -> None:
        unknown = sorted(set(kwargs) - set(DEFAULTS))
        if unknown:
            raise TypeError("unknown client option(s): %s" % ", ".join(unknown))
        options: Dict[str, Any] = {**DEFAULTS, **kwargs}

        members = options["cluster_members"]
        if members is None:
            members = ["127.0.0.1"]
        if isinstance(members, str) or not isinstance(members, Sequence):
            raise TypeError("cluster_members must be a list of 'host:port' strings, got %r" % (members,))
        if not members and not options["cloud_discovery_token"]:
            raise ValueError("cluster_members must not be empty")
        self.cluster_members = list(members)
        self.addresses = []
        for entry in self.cluster_members:
            for address in parse_address(entry):
                if address not in self.addresses:
                    self.addresses.append(address)

        name = options["cluster_name"]
        if not isinstance(name, str):
            raise TypeError("cluster_name must be a str, got %r" % (name,))
        if not name:
            raise ValueError("cluster_name must not be empty")
        self.cluster_name = name

        self.connection_timeout = _seconds(options, "connection_timeout")
        self.invocation_timeout = _seconds(options, "invocation_timeout")
        self.invocation_retry_pause = _seconds(options, "invocation_retry_pause", allow_zero=True)
        self.heartbeat_interval = _seconds(options, "heartbeat_interval")
        self.heartbeat_timeout = _seconds(options, "heartbeat_timeout")
        if self.heartbeat_interval >= self.heartbeat_timeout:
            raise ValueError(
                "heartbeat_interval (%r) must be smaller than heartbeat_timeout (%r)"
                % (self.heartbeat_interval, self.heartbeat_timeout)
            )
        self.smart_routing = _bool(options, "smart_routing")
        self.redo_operation = _bool(options, "redo_operation")
        self.creds_username = _optional_str(options, "creds_username")
        self.creds_password = _optional_str(options, "creds_password")
        if (self.creds_username is None) != (self.creds_password is None):
            raise ValueError("creds_username and creds_password must be given together")

        client_name = _optional_str(options, "client_name")
        self.client_name = client_name or "hzgreen.client_%d" % next(_client_counter)

        labels = options["labels"]
        if labels is None:
            labels = []
        if isinstance(labels, str) or not isinstance(labels, (list, tuple, set, frozenset)):
            raise TypeError("labels must be a list of str, got %r" % (labels,))
        for label in labels:
            if not isinstance(label, str):
                raise TypeError("labels must be a list of str, got an entry %r" % (label,))
        self.labels = list(labels)

        listeners = options["lifecycle_listeners"]
        if listeners is None:
            listeners = []
        if not isinstance(listeners, (list, tuple)):
            raise TypeError("lifecycle_listeners must be a list of callables, got %r" % (listeners,))
        for listener in listeners:
            if not callable(listener):
                raise TypeError("lifecycle_listeners entries must be callable, got %r" % (listener,))
        self.lifecycle_listeners = list(listeners)

        self.retry_initial_backoff = _seconds(options, "retry_initial_backoff", allow_zero=True)
        self.retry_max_backoff = _seconds(options, "retry_max_backoff", allow_zero=True)
        if self.retry_max_backoff < self.retry_initial_backoff:
            raise ValueError(
                "retry_max_backoff (%r) must be >= retry_initial_backoff (%r)"
                % (self.retry_max_backoff, self.retry_initial_backoff)
            )
        self.retry_multiplier = _finite(options["retry_multiplier"], "retry_multiplier")
        if self.retry_multiplier < 1:
            raise ValueError("retry_multiplier must be >= 1, got %r" % (options["retry_multiplier"],))
        self.retry_jitter = _finite(options["retry_jitter"], "retry_jitter")
        if not 0 <= self.retry_jitter <= 1:
            raise ValueError("retry_jitter must be in [0, 1], got %r" % (options["retry_jitter"],))
        self.cluster_connect_timeout = _cluster_connect_timeout(options["cluster_connect_timeout"])

        mode = options["reconnect_mode"]
        if not isinstance(mode, str):
            raise TypeError("reconnect_mode must be one of %s, got %r" % (", ".join(RECONNECT_MODES), mode))
        if mode.upper() not in RECONNECT_MODES:
            raise ValueError("reconnect_mode must be one of %s, got %r" % (", ".join(RECONNECT_MODES), mode))
        self.reconnect_mode = mode.upper()

        retry = options["command_retry"]
        if retry is None:
            retry = HzRetry(max_tries=3, delay=0.1, backoff=2, max_delay=5)
        elif isinstance(retry, dict):
            try:
                retry = HzRetry(**retry)
            except TypeError as error:
                raise TypeError("command_retry: %s" % error) from None
            except ValueError as error:
                raise ValueError("command_retry: %s" % error) from None
        elif not isinstance(retry, HzRetry):
            raise TypeError("command_retry must be an HzRetry or a dict of its arguments, got %r" % (retry,))
        self.command_retry = retry

        size = options["max_frame_size"]
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError("max_frame_size must be an int, got %r" % (size,))
        if not 64 <= size <= 2**31 - 1:
            raise ValueError("max_frame_size must be in [64, 2**31-1], got %r" % (size,))
        self.max_frame_size = size
        self.flake_id_generators = _flake_id_generators(options["flake_id_generators"])
        self.reliable_topics = reliable_topic_configs(options["reliable_topics"])
        self.near_caches = near_cache_configs(options["near_caches"])
        self.connection_options = connection_options(options)
        self.operations = _default_group("operations", kwargs, options, OPERATIONS_OPTIONS, operations_config)

        self.serialization_options = {name: options[name] for name in SERIALIZATION_OPTIONS}
        self.tls = _default_group("tls", kwargs, options, SSL_OPTIONS, parse_tls_options)
        if options["cloud_discovery_token"] is None and options["failover"] is None:
            self.discovery = _default_group(
                "discovery", kwargs, options, DISCOVERY_OPTIONS, lambda group: discovery_config(group, ClientConfig, "")
            )
        else:  # the check reads cluster_members, the client's name and class too
            self.discovery = discovery_config(options, type(self), self.client_name)


class IntType(enum.Enum):
    """How a Python ``int`` is stored (the ``default_int_type`` option; the names work too).

    ``INT`` (default): Java int, or long / BigInteger when the value does not fit.
    ``BYTE``, ``SHORT``, ``LONG``: always that type; values out of its range raise
    :class:`~hzgreen.exceptions.HzSerializationError`. ``VAR``: the smallest of
    byte, short, int, long, BigInteger. ``BIG_INT``: always BigInteger.
    """

    BYTE = "BYTE"
    SHORT = "SHORT"
    INT = "INT"
    LONG = "LONG"
    VAR = "VAR"
    BIG_INT = "BIG_INT"
