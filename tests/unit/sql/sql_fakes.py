"""A member-less context for the SQL unit tests.

:class:`FakeSqlMember` stands in for the invocation service: it decodes each Sql request
(after a round trip through bytes), answers ``Sql.execute`` with the rows or update count a
test scripted for that SQL text, serves further pages to ``Sql.fetch`` in pages of the
query's ``cursor_buffer_size`` and records ``Sql.close``. A real member cannot be made to
send a malformed page or lose a query on request, and unit tests need no member at all.
"""

import types
import uuid

from hzgreen.protocol.codecs import sql as codec
from hzgreen.protocol.custom import SqlColumnMetadata, SqlError
from hzgreen.protocol.reader import ClientMessageReader
from hzgreen.protocol.sql import SqlPage
from hzgreen.serialization import SerializationService


def round_trip(message, request=True):
    """Returns ``message`` as the reader would deliver it after sending it as bytes."""
    message.set_correlation_id(7)
    if request:
        message.set_partition_id(-1)
    messages = ClientMessageReader().feed(message.to_bytes())
    assert len(messages) == 1
    return messages[0]


class Script:
    """What the fake member answers for one SQL text: rows (``columns`` + ``rows``), an update
    count, or an ``error`` (a protocol SqlError)."""

    def __init__(self, columns=None, rows=(), update_count=0, error=None):
        self.columns = columns
        self.rows = list(rows)
        self.update_count = update_count
        self.error = error


class FakeSqlMember:
    """Records every request in ``requests`` (message type, decoded dict) and answers it."""

    def __init__(self):
        self.uuid = uuid.uuid4()
        self.scripts = {}
        self.requests = []
        self.cursors = {}  # query id -> (script, next row index, cursor buffer size)
        self.closed = []
        self.fetch_errors = {}  # query id -> SqlError answered to the next fetch
        self.silent = False  # when True, nothing is answered (the request stays in flight)
        self.in_flight = []

    def script(self, sql, **kwargs):
        """Returns the Script answered for ``sql`` (kwargs as Script's)."""
        self.scripts[sql] = Script(**kwargs)
        return self.scripts[sql]

    def types(self):
        """Returns the message types of the requests, in order."""
        return [message_type for message_type, _ in self.requests]

    def _page(self, query_id):
        script, position, size = self.cursors[query_id]
        rows = script.rows[position : position + size]
        position += len(rows)
        last = position >= len(script.rows)
        if last:
            del self.cursors[query_id]
        else:
            self.cursors[query_id] = (script, position, size)
        types_ = [column.type for column in script.columns]
        columns = [[row[i] for row in rows] for i in range(len(types_))]
        return SqlPage(types_, columns, last)

    def answer_for(self, request):
        """Returns the response message for ``request``."""
        message_type = request.get_message_type()
        if message_type == codec.EXECUTE_REQUEST_TYPE:
            decoded = codec.decode_execute_request(request)
            self.requests.append((message_type, decoded))
            script = self.scripts[decoded["sql"]]
            if script.error is not None:
                return codec.encode_execute_response(None, None, -1, script.error)
            if script.columns is None:
                return codec.encode_execute_response(None, None, script.update_count, None)
            self.cursors[decoded["query_id"]] = (script, 0, decoded["cursor_buffer_size"])
            return codec.encode_execute_response(script.columns, self._page(decoded["query_id"]), -1, None)
        if message_type == codec.FETCH_REQUEST_TYPE:
            decoded = codec.decode_fetch_request(request)
            self.requests.append((message_type, decoded))
            error = self.fetch_errors.pop(decoded["query_id"], None)
            if error is not None:
                self.cursors.pop(decoded["query_id"], None)
                return codec.encode_fetch_response(None, error)
            return codec.encode_fetch_response(self._page(decoded["query_id"]), None)
        if message_type == codec.CLOSE_REQUEST_TYPE:
            decoded = codec.decode_close_request(request)
            self.requests.append((message_type, decoded))
            self.closed.append(decoded["query_id"])
            self.cursors.pop(decoded["query_id"], None)
            return codec.encode_close_response()
        raise AssertionError("unexpected request type %#x" % message_type)

    def invoke(self, invocation):
        if self.silent:
            self.in_flight.append(invocation)
            return invocation.future
        response = round_trip(self.answer_for(round_trip(invocation.request)), request=False)
        try:
            value = invocation.response_handler(response)
        except Exception as error:
            invocation.future.set_exception(error)
        else:
            invocation.future.set(value)
        return invocation.future


def column(name, type_, nullable=True):
    """Returns the wire metadata of one column."""
    return SqlColumnMetadata(name, type_, nullable)


def sql_error(code, message, member_uuid, suggestion=None):
    """Returns a protocol SqlError."""
    return SqlError(code, message, member_uuid, suggestion, None)


def make_context(handler, member):
    """Returns a context whose invocations go to ``member`` over one live fake connection."""
    serialization = SerializationService()
    connection = types.SimpleNamespace(member_uuid=member.uuid, alive=True, address="127.0.0.1:5701")
    return types.SimpleNamespace(
        handler=handler,
        invocations=member,
        serialization=serialization,
        schemas=types.SimpleNamespace(to_object=serialization.to_object),
        cluster=types.SimpleNamespace(get_member=lambda member_uuid: None),
        connections=types.SimpleNamespace(active_connections=[connection], client_uuid=uuid.uuid4()),
        connection=connection,
    )
