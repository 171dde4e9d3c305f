"""One worker process of the transform fault test (run as a script)::

    transform_worker.py MEMBERS CLUSTER HANDLER SOURCE RESULT NAME CALLS_FILE

Runs ``client.Transform(SOURCE, RESULT, double, NAME)`` under HANDLER ("threading" or
"gevent"); ``double`` appends the key of every event it transforms to CALLS_FILE (one line
each, flushed), so the test can count the events transformed more than once. Prints one
JSON record per line: {"event": "started"}; on the stdin line "stop" it closes the
transform and prints {"event": "stopped", "metrics": {...}}, then {"event": "done"}.
"""

import json
import sys


def emit(**record):
    print(json.dumps(record), flush=True)


def main(members, cluster_name, handler_name, source, result, name, calls_path):
    if handler_name == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler

        handler = SequentialGeventHandler()
    else:
        handler = None
    from hzgreen import HzClient

    client = HzClient(handler, cluster_members=members.split(","), cluster_name=cluster_name)
    client.start(timeout=60)
    calls = open(calls_path, "a", buffering=1)

    def double(key, value):
        calls.write("%d\n" % key)
        return value * 2

    transform = client.Transform(
        source, result, double, name, lease=4, time_boundary=0.5, checkpoint_interval=0.5, retry_delay=0.5
    ).start()
    emit(event="started")
    while True:  # the handler's select: a blocking read would stall gevent's hub
        readable, _, _ = client.handler.select([sys.stdin], [], [], 0.5)
        if readable and sys.stdin.readline().strip() in ("stop", ""):
            break
    transform.close()
    metrics = transform.metrics()
    emit(
        event="stopped",
        metrics={name: getattr(metrics, name) for name in ("processed", "duplicates", "lost", "errors", "takeovers")},
        failed=repr(transform.exception) if transform.exception else None,
    )
    client.stop()
    calls.close()
    emit(event="done")


if __name__ == "__main__":
    main(*sys.argv[1:])
