"""A tiny WSGI application backed by a Hazelcast map, served by gunicorn.

Run it with the configuration next to it (one client per worker, created after fork)::

    HZGREEN_MEMBERS=127.0.0.1:5701 gunicorn -c examples/gunicorn_conf.py wsgi_app:application

    curl -X PUT --data 31 http://127.0.0.1:8000/alice    # stores "31" under "alice"
    curl http://127.0.0.1:8000/alice                     # 31
    curl http://127.0.0.1:8000/                          # the greeting and the worker's pid

The greeting comes from the entry ``greeting`` of the ``<prefix>-config`` map, kept up to
date in every worker by an EntryWatch; change it from anywhere and each worker answers
with the new one. Importing this module creates no client: gunicorn may preload it in
the master (``preload_app``) and fork workers from there safely.
"""

import os

#: Names of the maps: ``<prefix>`` holds the data, ``<prefix>-config`` the greeting.
PREFIX = os.environ.get("HZGREEN_WSGI_PREFIX", "wsgi-demo")
DATA_MAP = PREFIX
CONFIG_MAP = PREFIX + "-config"
MAX_BODY = 64 * 1024

#: The worker's client and what its watch last saw; set by the gunicorn hooks.
client = None
greeting = "hello"


def install(new_client):
    """Serve with ``new_client`` (called in the worker, after fork); returns None."""
    global client
    client = new_client


def uninstall():
    """Stop serving; returns the client that was installed (or None) for the caller to stop."""
    global client
    old, client = client, None
    return old


def on_greeting(value, event):
    """EntryWatch function: runs on the client's callback worker whenever the greeting changes."""
    global greeting
    greeting = "hello" if value is None else str(value)


def _respond(start_response, status, text):
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    current = client
    if current is None:
        return _respond(start_response, "503 Service Unavailable", "no Hazelcast client in this worker\n")
    key = environ.get("PATH_INFO", "/").strip("/")
    method = environ.get("REQUEST_METHOD", "GET")
    if not key:
        return _respond(start_response, "200 OK", "%s from worker %d\n" % (greeting, os.getpid()))
    data = current.get_map(DATA_MAP)
    if method in ("PUT", "POST"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return _respond(start_response, "413 Payload Too Large", "at most %d bytes\n" % MAX_BODY)
        value = environ["wsgi.input"].read(length).decode("utf-8")
        data.put(key, value)
        return _respond(start_response, "200 OK", "stored\n")
    if method == "GET":
        value = data.get(key)
        if value is None:
            return _respond(start_response, "404 Not Found", "no %r\n" % key)
        return _respond(start_response, "200 OK", "%s\n" % value)
    return _respond(start_response, "405 Method Not Allowed", "GET, PUT or POST\n")
