"""hzgreen demo: a map and the state listener, under the threading or the gevent handler.

Run by ``make demo`` against a local member (address in HZGREEN_MEMBERS), or by hand:
    python examples/demo.py gevent
"""

import os
import sys

from hzgreen import HzClient, HzState


def make_handler(name):
    if name == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler

        return SequentialGeventHandler()
    from hzgreen.handlers.threading import SequentialThreadingHandler

    return SequentialThreadingHandler()


def main(handler_name):
    members = os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(",")
    cluster_name = os.environ.get("HZGREEN_CLUSTER_NAME", "dev")
    handler = make_handler(handler_name)
    seen = []

    def on_state(state):
        seen.append(state)
        print("  [%s] state -> %s" % (handler_name, state))

    client = HzClient(cluster_members=members, cluster_name=cluster_name, handler=handler)
    client.add_listener(on_state)  # before start, so the first CONNECTED is seen too
    with client:
        print("[%s] connected to %s" % (handler_name, members))
        users = client.get_map("demo-users")
        users.clear()
        users.put("alice", {"age": 31, "langs": ["python", "java"]})
        users.put_all({"bob": 25, "carol": 40})
        print("  get alice      ->", users.get("alice"))
        print("  size           ->", users.size())
        print("  put_if_absent  ->", users.put_if_absent("bob", 99), "(bob kept)")
        print("  replace_if_same->", users.replace_if_same("bob", 25, 26))
        print("  get_all        ->", users.get_all(["alice", "bob", "nobody"]))
        future = users.get_async("carol")
        print("  get_async      ->", future.result(5))
        print("  with retry     ->", client.retry(users.get, "bob"))
        if handler_name == "gevent":
            import gevent

            jobs = [gevent.spawn(users.put, "k%d" % i, i) for i in range(200)]
            gevent.joinall(jobs, raise_error=True)
            print("  200 greenlets wrote; size ->", users.size())
        users.destroy()
    print("[%s] stopped; states seen: %s" % (handler_name, [str(s) for s in seen]))
    if HzState.CONNECTED not in seen:
        raise SystemExit("the state listener never saw CONNECTED")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "threading")
