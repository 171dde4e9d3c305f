"""The authentication request a new connection sends first, and who the client says it is."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from hzgreen.protocol.codecs import client as client_codec
from hzgreen.runtime.invocation import Invocation

if TYPE_CHECKING:
    from hzgreen.config import ClientConfig
    from hzgreen.handler_types import Handler
    from hzgreen.runtime.connection import Connection

__all__ = ["CLIENT_TYPE", "CLIENT_VERSION", "SERIALIZATION_VERSION", "authentication_invocation"]

#: The client type members show for hzgreen (the Python clients' code).
CLIENT_TYPE = "PYH"
CLIENT_VERSION = "5.4.0"
SERIALIZATION_VERSION = 1


def authentication_invocation(
    config: ClientConfig, client_uuid: uuid.UUID, smart: bool, connection: Connection, handler: Handler
) -> Invocation:
    """The urgent invocation authenticating the client on ``connection``; returns it, not sent yet.

    Its answer is the decoded authentication response; its deadline is ``connection_timeout``
    from now, and a timeout names that option.
    """
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
    invocation = Invocation(
        request,
        handler.async_result(),
        connection=connection,
        response_handler=client_codec.decode_authentication_response,
        urgent=True,
    )
    invocation.deadline = handler.monotonic() + config.connection_timeout
    invocation.timeout_source = "connection_timeout"
    return invocation
