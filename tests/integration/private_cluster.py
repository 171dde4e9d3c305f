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
