"""A local Hazelcast Cloud discovery endpoint (HTTPS, trustme CA) and TCP relays standing in for public addresses.

``DiscoveryFront`` answers ``GET /cluster/discovery?token=...`` with the JSON list the
real service gives; ``Relay`` forwards a local port to a member, so a "public" address
differs from the address the member announces and a client can only reach it through
translation.
"""

import http.server
import json
import os
import ssl
import threading
import urllib.parse

import trustme


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        front = self.server.front
        front.requests.append(self.path)
        status, body = front.answer(self.path)
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class DiscoveryFront:
    """An HTTPS discovery service on 127.0.0.1 with its own CA (``cafile``); ``entries`` is what it serves.

    ``token`` is the only token accepted (401 with a JSON message otherwise); ``requests``
    lists the paths asked for. Close it with :meth:`close`.
    """

    def __init__(self, directory, entries, token="secret-token"):
        self.entries = list(entries)
        self.token = token
        self.requests = []
        ca = trustme.CA()
        self.cafile = os.path.join(directory, "discovery-ca.pem")
        ca.cert_pem.write_to_path(self.cafile)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._server.front = self
        self.url = "https://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="discovery-front", daemon=True)
        self._thread.start()

    def answer(self, path):
        """``(status, body)`` for a request path."""
        parts = urllib.parse.urlsplit(path)
        tokens = urllib.parse.parse_qs(parts.query).get("token")
        if not parts.path.endswith("/cluster/discovery") or tokens != [self.token]:
            return 401, {"message": "Invalid token"}
        return 200, self.entries

    def close(self):
        self._server.shutdown()
        self._server.server_close()
