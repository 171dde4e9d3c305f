"""examples/gunicorn_conf.py and examples/wsgi_app.py, driven the way gunicorn drives them.

gunicorn is not needed: the test loads the configuration module, calls its hooks with
stand-ins for gunicorn's server and worker objects, and calls the WSGI application
directly, against a real member, under both handlers.
"""

import importlib.util
import io
import logging
import os
import sys
import time
import types

from hzgreen import HzState

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples")
WAIT = 30.0


def load_config(monkeypatch, hz_cluster, hz_handler_name, prefix):
    monkeypatch.setenv("HZGREEN_MEMBERS", ",".join(hz_cluster.addresses))
    monkeypatch.setenv("HZGREEN_CLUSTER_NAME", hz_cluster.cluster_name)
    monkeypatch.setenv("HZGREEN_WORKER_CLASS", "gevent" if hz_handler_name == "gevent" else "gthread")
    monkeypatch.setenv("HZGREEN_WSGI_PREFIX", prefix)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "wsgi_app", raising=False)
    path = os.path.abspath(os.path.join(EXAMPLES, "gunicorn_conf.py"))
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", path)
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    return config


def call(app, method, path, body=b""):
    """(status line, body text) of one request to the WSGI ``app``."""
    started = {}

    def start_response(status, headers):
        started["status"] = status

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    text = b"".join(app(environ, start_response)).decode("utf-8")
    return started["status"], text


def test_worker_hooks_create_use_and_stop_a_client_per_worker(
    hz_cluster, hz_client_factory, hz_handler_name, unique_name, monkeypatch
):
    config = load_config(monkeypatch, hz_cluster, hz_handler_name, unique_name)
    assert config.preload_app is True
    log = logging.getLogger("gunicorn.error")
    server = types.SimpleNamespace(log=log)
    worker = types.SimpleNamespace(pid=os.getpid(), log=log)
    import wsgi_app

    assert wsgi_app.client is None  # importing the application made no client
    assert call(wsgi_app.application, "GET", "/")[0].startswith("503")

    config.post_fork(server, worker)
    client = wsgi_app.client
    try:
        assert client.state == HzState.CONNECTED
        assert client.handler.name == ("sequential_gevent" if hz_handler_name == "gevent" else "sequential_threading")
        assert call(wsgi_app.application, "PUT", "/alice", b"31") == ("200 OK", "stored\n")
        assert call(wsgi_app.application, "GET", "/alice") == ("200 OK", "31\n")
        assert call(wsgi_app.application, "GET", "/bob")[0].startswith("404")

        other = hz_client_factory()
        assert other.get_map(unique_name).get("alice") == "31"
        other.get_map(unique_name + "-config").put("greeting", "bonjour")
        deadline = time.monotonic() + WAIT
        while "bonjour" not in call(wsgi_app.application, "GET", "/")[1]:
            assert time.monotonic() < deadline, "the EntryWatch never delivered the new greeting"
            client.handler.sleep_func(0.05)
        assert call(wsgi_app.application, "GET", "/")[1] == "bonjour from worker %d\n" % os.getpid()
    finally:
        config.worker_exit(server, worker)

    assert client.state == HzState.LOST
    assert wsgi_app.client is None
    assert call(wsgi_app.application, "GET", "/alice")[0].startswith("503")
