"""Child process of test_recipe_ownership.py: a lock holder that keeps checking its hold.

    frozen_holder.py HANDLER MEMBERS CLUSTER LOCK

Acquires the Lock ``LOCK`` with a client of handler ``HANDLER`` ("threading" or
"gevent"), prints ``{"event": "acquired", "fence": ...}``, then checks ``is_acquired``
every 20 ms for ever, printing ``{"event": "check", "at": time.time() before the check,
"held": ...}`` each time. The test freezes it (SIGSTOP), resumes it, and kills it.
"""

import json
import sys
import time


def emit(**record):
    print(json.dumps(record), flush=True)


def main(handler_name, members, cluster_name, lock_name):
    from hzgreen import HzClient

    if handler_name == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler

        handler = SequentialGeventHandler()
    else:
        from hzgreen.handlers.threading import SequentialThreadingHandler

        handler = SequentialThreadingHandler()
    client = HzClient(cluster_members=members.split(","), cluster_name=cluster_name, handler=handler)
    client.start(timeout=60)
    lock = client.Lock(lock_name)
    lock.acquire()
    emit(event="acquired", fence=lock.fence)
    while True:
        at = time.time()  # taken first: a freeze after it can only make it earlier
        held = lock.is_acquired
        emit(event="check", at=at, held=held)
        handler.sleep_func(0.02)  # the pace of the checks (cooperative under gevent)


if __name__ == "__main__":
    main(*sys.argv[1:])
