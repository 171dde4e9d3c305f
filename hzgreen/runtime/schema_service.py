"""Compact schemas on the cluster: send before use, fetch on demand, re-send after a cluster change.

The serialization layer does no I/O (see :mod:`hzgreen.serialization.compact.serializer`);
this runtime module gives it:

* a ``schema_hook``: the first time this client writes data of a schema, the writing
  thread/greenlet sends it with ``Client.sendSchema`` and waits for the answer (the
  member answers once the schema is replicated), so the data never reaches a member
  before its schema. Concurrent first writers of one schema share one request.
* schema fetching for responses: a response handler that meets an unknown schema id
  raises :class:`~hzgreen.serialization.compact.SchemaNotFoundError` on the I/O loop,
  which must not block. The invocation service hands it to this service's
  ``response_error_hook``, which sends
  ``Client.fetchSchema`` and runs the response handler again when the schema arrives
  (again for each nested unknown schema); the caller just sees a slower answer, or an
  :class:`~hzgreen.exceptions.HzSerializationError` naming the schema id when the
  cluster does not know it either.
* after the client reconnects to a *different* cluster, every known schema is sent
  again (``Client.sendAllSchemas``) before the client reports CONNECTED, and every
  schema counts as unsent until then.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional

from hzgreen.exceptions import HzError, HzSerializationError
from hzgreen.protocol import custom
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.message import ClientMessage
from hzgreen.runtime.invocation import Invocation
from hzgreen.serialization.compact import FieldDescriptor, Schema, SchemaNotFoundError

if TYPE_CHECKING:
    from hzgreen.handler_types import AsyncResult
    from hzgreen.runtime.context import RuntimeContext

log = logging.getLogger("hzgreen.schemas")

__all__ = ["SchemaService", "schema_from_wire", "schema_to_wire"]

#: How many nested unknown schemas one response may make us fetch.
_MAX_FETCHES = 64


def schema_to_wire(schema: Schema) -> custom.Schema:
    """``schema`` as the protocol's custom type, ready to encode; returns it."""
    return custom.Schema(schema.type_name, [custom.FieldDescriptor(f.name, int(f.kind)) for f in schema.fields])


def schema_from_wire(wire: custom.Schema) -> Schema:
    """The Schema a member sent; returns it. Raises HzSerializationError for a malformed one."""
    return Schema(wire.type_name, [FieldDescriptor(f.field_name, f.kind) for f in wire.fields])


class SchemaService:
    """Owns the Compact schema traffic of one client.

    Built from the client's :class:`~hzgreen.runtime.context.RuntimeContext`; installs itself
    as the Compact serializer's ``schema_hook`` and as the invocation service's
    ``response_error_hook``.
    """

    def __init__(self, context: "RuntimeContext") -> None:
        self._serialization = context.serialization
        self._handler = context.handler
        self._invocations = context.invocations
        self._compact = context.serialization.compact
        self._timeout = context.config.invocation_timeout
        self._lock = self._handler.lock_object()
        self._sending: Dict[int, "AsyncResult[Any]"] = {}
        self._compact.schema_hook = self.replicate
        self._fetch_attempts: Dict[int, int] = {}  # id(invocation) -> schemas fetched for it
        self._invocations.response_error_hook = self._on_response_error

    def unlink(self) -> None:
        """Leave the Compact serializer, whose ``schema_hook`` points back here (the client was
        closed: see ``HzClient.close``). Returns None."""
        self._compact.schema_hook = None

    def _invoke(self, request: ClientMessage, response_handler: Callable[[ClientMessage], Any]) -> "AsyncResult[Any]":
        invocation = Invocation(request, self._handler.async_result(), -1, None, response_handler)
        result: "AsyncResult[Any]" = self._invocations.invoke(invocation)
        return result

    # -- sending ------------------------------------------------------------------------

    def replicate(self, schema: Schema) -> None:
        """Send ``schema`` to the cluster and wait until it has it (the serialization hook).

        Returns None once the cluster has it; raises what the request raised (an HzError,
        HzTimeoutError after ``invocation_timeout``).
        """
        schema_id = schema.schema_id
        with self._lock:
            if self._compact.is_replicated(schema_id):
                return
            pending = self._sending.get(schema_id)
            owner = pending is None
            if pending is None:
                request = client_codec.encode_send_schema_request(schema_to_wire(schema))
                pending = self._invoke(request, client_codec.decode_send_schema_response)
                self._sending[schema_id] = pending
        try:
            pending.get(timeout=self._timeout + 1.0)
        finally:
            if owner:
                with self._lock:
                    if pending.successful():
                        self._compact.mark_replicated(schema_id)
                    self._sending.pop(schema_id, None)
        log.debug("schema %d (%s) is on the cluster", schema.schema_id, schema.type_name)

    def on_connected(self, cluster_changed: bool) -> None:
        """Called before the client reports CONNECTED; re-sends every schema to a new cluster.

        Returns None; a failure is logged (each schema is then sent again before its next use).
        """
        if not cluster_changed:
            return
        self._compact.forget_replication()
        schemas = self._compact.schemas()
        if not schemas:
            return
        request = client_codec.encode_send_all_schemas_request([schema_to_wire(s) for s in schemas])
        try:
            self._invoke(request, client_codec.decode_send_all_schemas_response).get(timeout=self._timeout)
        except HzError as error:
            log.warning(
                "could not re-send %d Compact schema(s) to the new cluster (%s); each is sent "
                "again before its next use",
                len(schemas),
                error,
            )
            return
        for schema in schemas:
            self._compact.mark_replicated(schema.schema_id)

    # -- fetching -----------------------------------------------------------------------

    def fetch(self, schema_id: int, done: Callable[[Optional[BaseException]], None]) -> None:
        """Fetch a schema without blocking; ``done(error_or_None)`` runs once it is registered.

        ``done`` runs wherever the answer is handled (usually the I/O loop), never on the
        callback worker, so a caller blocked on the callback worker can wait for it.
        Returns None.
        """

        def on_response(message: ClientMessage) -> Optional[BaseException]:
            wire = client_codec.decode_fetch_schema_response(message)
            if wire is None:
                return SchemaNotFoundError(
                    schema_id,
                    "; the cluster does not know it either (was the data "
                    "written by a client that never sent its schema?)",
                )
            schema = schema_from_wire(wire)
            if schema.schema_id != schema_id:
                return HzSerializationError(
                    "the cluster answered schema id %d with schema %r (id %d)"
                    % (schema_id, schema.type_name, schema.schema_id)
                )
            self._compact.register_schema(schema)
            self._compact.mark_replicated(schema_id)
            return None

        request = client_codec.encode_fetch_schema_request(schema_id)
        self._invocations.invoke(Invocation(request, _Completion(schema_id, done), -1, None, on_response))

    def _on_response_error(self, invocation: Invocation, message: ClientMessage, error: BaseException) -> bool:
        """Response-handler errors: an unknown schema is fetched, then the handler runs again.

        Returns True when it took the invocation over, False to let the error fail it.
        """
        if not isinstance(error, SchemaNotFoundError) or invocation.done:
            return False
        attempts = self._fetch_attempts
        key = id(invocation)
        attempt = attempts.get(key, 0) + 1
        if attempt > _MAX_FETCHES:
            attempts.pop(key, None)
            return False
        attempts[key] = attempt

        def fetched(fetch_error: Optional[BaseException]) -> None:
            if fetch_error is not None:
                self._invocations.fail(invocation, fetch_error)
            elif not invocation.done:
                self._invocations.complete(invocation, message)
            if invocation.done:
                attempts.pop(key, None)

        self.fetch(error.schema_id, fetched)
        return True

    def to_object(self, data: Optional[bytes]) -> Any:
        """``serialization.to_object`` for callers that may block: fetches unknown schemas first.

        Returns the object. Raises HzSerializationError when the cluster does not know a
        schema either, or after too many nested unknown schemas; HzTimeoutError when a fetch
        takes longer than ``invocation_timeout``.
        """
        to_object = self._serialization.to_object
        for _ in range(_MAX_FETCHES):
            try:
                return to_object(data)
            except SchemaNotFoundError as error:
                outcome = self._handler.async_result()
                self.fetch(error.schema_id, _settle(outcome))
                outcome.get(timeout=self._timeout + 1.0)
        raise HzSerializationError("too many unknown Compact schemas in one value")


def _settle(outcome: "AsyncResult[Any]") -> Callable[[Optional[BaseException]], None]:
    """A ``done`` callback for :meth:`SchemaService.fetch` that completes ``outcome``; returns it."""

    def done(error: Optional[BaseException]) -> None:
        if error is not None:
            outcome.set_exception(error)
        else:
            outcome.set(None)

    return done


class _Completion:
    """Stands in for the async result of a fetch: the invocation service completes it directly."""

    __slots__ = ("_schema_id", "_done")

    def __init__(self, schema_id: int, done: Callable[[Optional[BaseException]], None]) -> None:
        self._schema_id = schema_id
        self._done = done

    def set(self, error: Optional[BaseException] = None) -> None:
        self._done(error)

    def set_exception(self, error: BaseException) -> None:
        self._done(
            HzSerializationError("could not fetch Compact schema %d from the cluster: %s" % (self._schema_id, error))
        )
