"""The client the examples use: cluster address in HZGREEN_MEMBERS (comma separated,
default 127.0.0.1:5701), cluster name in HZGREEN_CLUSTER_NAME (default "dev");
HZGREEN_HANDLER=gevent runs the client under gevent.

A script run as ``python examples/x.py`` finds this module from any directory (Python puts
the script's folder first on the import path).
"""

import os

from hzgreen import HzClient


def client_options():
    """Returns the HzClient keyword arguments the environment asks for: cluster_members,
    cluster_name and, for HZGREEN_HANDLER=gevent, a fresh gevent handler."""
    options = dict(
        cluster_members=os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(","),
        cluster_name=os.environ.get("HZGREEN_CLUSTER_NAME", "dev"),
    )
    if os.environ.get("HZGREEN_HANDLER") == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler

        options["handler"] = SequentialGeventHandler()
    return options


def example_client(**settings):
    """Returns a new, not yet started HzClient for the cluster the environment names, with
    ``settings`` as further options; ``with example_client() as client:`` starts it and
    stops it at the end."""
    return HzClient(**client_options(), **settings)
