"""Module fixtures that run a private member for their tests (one with its own classpath or configuration)."""


def keep_workdir(request):
    """Returns the ``keep_workdir`` option of a Cluster: True under ``--hz-keep-logs``, else None."""
    return True if request.config.getoption("--hz-keep-logs", default=False) else None


def serve(cluster):
    """Starts ``cluster`` and yields it, closing it afterwards (``yield from serve(...)`` in a fixture).

    Raises what ``cluster.start()`` raises (the cluster is closed all the same).
    """
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


def quick_reconnect_client(cluster, handler):
    """A client (not started) of ``cluster`` that notices a lost member and reconnects within a
    second or two: short connect timeout and reconnect backoff, for tests that kill or restart
    members."""
    from hzgreen import HzClient

    return HzClient(
        cluster_members=cluster.addresses,
        cluster_name=cluster.cluster_name,
        handler=handler,
        retry_initial_backoff=0.2,
        retry_max_backoff=1.0,
        connection_timeout=2.0,
    )
