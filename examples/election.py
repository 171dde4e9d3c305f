"""hzgreen Election under gevent: three contenders, one leader at a time.

Against a running member (HZGREEN_MEMBERS, HZGREEN_CLUSTER_NAME; defaults
127.0.0.1:5701 and "dev"):  python examples/election.py
"""

import os

import gevent

from hzgreen import HzClient
from hzgreen.handlers.gevent import SequentialGeventHandler


def main():
    members = os.environ.get("HZGREEN_MEMBERS", "127.0.0.1:5701").split(",")
    cluster_name = os.environ.get("HZGREEN_CLUSTER_NAME", "dev")
    client = HzClient(cluster_members=members, cluster_name=cluster_name, handler=SequentialGeventHandler())
    with client:
        terms = []
        elections = [client.Election("demo-election", "node-%d" % i) for i in range(3)]

        def lead(election):
            print(
                "  %s leads (fence %d); contenders: %s" % (election.identifier, election.fence, election.contenders())
            )
            terms.append(election.identifier)
            gevent.sleep(0.2)  # do the leader's work
            return election.identifier

        gevent.joinall([gevent.spawn(e.run, lead, e) for e in elections], raise_error=True)
        print("leaders in turn:", terms)
        print("leader now:", elections[0].leader())


if __name__ == "__main__":
    main()
