"""The first requests on a new connection: authentication, then (on one connection) the cluster view listener."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Callable

from hzgreen.exceptions import TlsHandshakeError
from hzgreen.network.credentials import token_for
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.network.credentials import TokenSource
    from hzgreen.protocol.message import ClientMessage
    from hzgreen.runtime.cluster import ClusterService, PartitionService
    from hzgreen.runtime.connection import Connection

__all__ = [
    "CLIENT_TYPE",
    "CLIENT_VERSION",
    "SERIALIZATION_VERSION",
    "authentication_failed",
    "authentication_invocation",
    "cluster_view_invocation",
]

#: The client type members show for hzgreen (the Python clients' code).
CLIENT_TYPE = "PYH"
CLIENT_VERSION = "5.4.0"
SERIALIZATION_VERSION = 1


def authentication_invocation(
    config: ClientConfig, client_uuid: uuid.UUID, smart: bool, connection: Connection, handler: Handler
) -> Invocation:
    """The urgent invocation authenticating the client on ``connection``; returns it, not sent yet.

    Its answer is the decoded authentication response; its deadline is ``connection_timeout``
    from now, and a timeout names that option. With a ``token_provider`` it is a
    ``Client.authenticationCustom`` request carrying the provider's token for the
    connection's address (raising what the provider raises), else ``Client.authentication``.
    """
    provider = config.connection_options.token_provider
    if provider is not None:
        request = _token_request(config, provider, client_uuid, smart, connection)
        return _invocation(request, client_codec.decode_authentication_custom_response, connection, handler, config)
    request = client_codec.encode_authentication_request(
        config.cluster_name,
        config.creds_username,
        config.creds_password,
        client_uuid,
        CLIENT_TYPE,
        SERIALIZATION_VERSION,
        CLIENT_VERSION,
        config.client_name,
        config.labels,
        routing_mode=1 if smart else 0,
        cp_direct_to_leader_routing=False,
    )
    return _invocation(request, client_codec.decode_authentication_response, connection, handler, config)


def authentication_failed(connection: Connection, config: ClientConfig, error: BaseException) -> BaseException:
    """Close ``connection`` whose authentication step failed with ``error``; returns the error to raise.

    That is a TlsHandshakeError when the connection's TLS stream saw the member refuse the
    client right after the handshake (a TLS 1.3 server checks the client certificate only
    then: its alert or close arrives as the first read), else ``error`` itself.
    """
    refusal = getattr(connection.sock, "refusal", None) if isinstance(error, Exception) else None
    if isinstance(refusal, str):
        if config.tls.certfile is None:
            hint = "no client certificate is configured (ssl_certfile, ssl_keyfile)"
        else:
            hint = "check that the member trusts the certificate of ssl_certfile"
        host, port = connection.address
        refused = TlsHandshakeError("TLS handshake with %s:%d failed: %s; %s" % (host, port, refusal, hint))
        refused.__cause__ = error
        error = refused
    connection.close("authentication failed: %s" % error, error)
    return error


def _token_request(
    config: ClientConfig, provider: TokenSource, client_uuid: uuid.UUID, smart: bool, connection: Connection
) -> ClientMessage:
    """The Client.authenticationCustom request carrying ``provider``'s token for ``connection``; returns it."""
    host, port = connection.address
    return client_codec.encode_authentication_custom_request(
        config.cluster_name,
        token_for(provider, host, port),
        client_uuid,
        CLIENT_TYPE,
        SERIALIZATION_VERSION,
        CLIENT_VERSION,
        config.client_name,
        config.labels,
        routing_mode=1 if smart else 0,
        cp_direct_to_leader_routing=False,
    )


def _invocation(
    request: ClientMessage,
    decode: Callable[[ClientMessage], Any],
    connection: Connection,
    handler: Handler,
    config: ClientConfig,
) -> Invocation:
    """The urgent authentication invocation for ``request``, its answer decoded by ``decode``; returns it."""
    invocation = Invocation(
        request,
        handler.async_result(),
        connection=connection,
        response_handler=decode,
        urgent=True,
    )
    invocation.deadline = handler.monotonic() + config.connection_timeout
    invocation.timeout_source = "connection_timeout"
    return invocation


def cluster_view_invocation(
    connection: Connection,
    handler: Handler,
    cluster: ClusterService,
    partitions: PartitionService,
    on_members_changed: Callable[[], None],
) -> Invocation:
    """The urgent invocation asking ``connection``'s member for the member list and partition table, and every change.

    Returns it, not sent yet. Each members view goes to ``cluster`` and then calls
    ``on_members_changed()``; each partitions view goes to ``partitions``.
    """

    def on_event(message: ClientMessage) -> None:
        message_type = message.get_message_type()
        if message_type == client_codec.ADD_CLUSTER_VIEW_LISTENER_MEMBERS_VIEW_EVENT_TYPE:
            members = client_codec.decode_add_cluster_view_listener_members_view_event(message)
            cluster.handle_members_view(members["version"], members["member_infos"])
            on_members_changed()
        elif message_type == client_codec.ADD_CLUSTER_VIEW_LISTENER_PARTITIONS_VIEW_EVENT_TYPE:
            view = client_codec.decode_add_cluster_view_listener_partitions_view_event(message)
            partitions.handle_partitions_view(connection.connection_id, view["version"], view["partitions"])

    request = client_codec.encode_add_cluster_view_listener_request()
    return Invocation(request, handler.async_result(), connection=connection, event_handler=on_event, urgent=True)
