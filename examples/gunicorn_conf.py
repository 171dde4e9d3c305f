"""gunicorn configuration: one hzgreen client per worker, created after fork().

From the repository root, with a member at HZGREEN_MEMBERS (default 127.0.0.1:5701) and
cluster name HZGREEN_CLUSTER_NAME (default "dev")::

    pip install gunicorn
    gunicorn -c examples/gunicorn_conf.py wsgi_app:application

or with a member started for the occasion::

    python -m hzgreen.testing run -- gunicorn -c examples/gunicorn_conf.py wsgi_app:application

The master imports the application (``preload_app``) but never creates a client: a
client made before fork() is unusable in the workers (its connections belong to the
master; every call there raises ClientForkedError). Each worker creates its own in
``post_fork``, registers its EntryWatch there, and stops it in ``worker_exit``. See
docs/deployment.rst.
"""

import os
import sys

from hzgreen import HzClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # wsgi_app lives next to this file

bind = os.environ.get("HZGREEN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("HZGREEN_WORKERS", "2"))
#: "gevent" (the client then uses the gevent handler), or "gthread"/"sync" (threading handler).
worker_class = os.environ.get("HZGREEN_WORKER_CLASS", "gevent")
worker_connections = 1000
preload_app = True  # safe: importing wsgi_app creates no client
graceful_timeout = 30


def _new_handler():
    if worker_class == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler

        return SequentialGeventHandler()
    from hzgreen.handlers.threading import SequentialThreadingHandler

    return SequentialThreadingHandler()


def post_fork(server, worker):
    """In each worker, right after fork(): its own client, then its watch."""
    import wsgi_app

    client = HzClient(
        cluster_members=os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(","),
        cluster_name=os.environ.get("HZGREEN_CLUSTER_NAME", "dev"),
        client_name="gunicorn-worker-%d" % worker.pid,
        handler=_new_handler(),
    )
    client.start(timeout=30)
    # Called once now with the current greeting, then on every change, on the client's
    # callback worker; listeners and watches must be registered on this worker's client.
    client.EntryWatch(wsgi_app.CONFIG_MAP, "greeting", func=wsgi_app.on_greeting)
    wsgi_app.install(client)
    worker.log.info("worker %d: hzgreen client connected (%s)", worker.pid, client.handler.name)


def worker_exit(server, worker):
    """In the worker, as it exits: leave the cluster cleanly (closes its CP sessions too)."""
    import wsgi_app

    client = wsgi_app.uninstall()
    if client is not None:
        client.stop()
        client.close()
