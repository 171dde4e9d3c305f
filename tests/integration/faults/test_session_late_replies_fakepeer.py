"""Late CP heartbeat replies never make the client close its own live session (fake peer).

A real member cannot be made to answer late while it keeps receiving on time, so the
client talks to it through a proxy (a delay line, unlike fakepeer.FaultProxy) that forwards what the client sends at once and holds
back what the member sends by a settable delay (in order). With a 5 s session TTL and
replies 7 s late (the report: 6.7 s with a 6 s TTL, under 10,000 lock waiters), the
member keeps the session alive; the client must stop vouching for its lock meanwhile but
must neither presume the session expired nor close it.
"""

import collections
import socket
import threading
import time

import pytest

from hzgreen import HzClient, HzState
from hzgreen.cp import CPSessionEvent
from hzgreen.testing import Cluster
from hzgreen.testing.waiting import wait_until

pytestmark = [pytest.mark.fault, pytest.mark.fakepeer]

TTL = 5
WAIT = 30


class DelayingProxy:
    """A TCP proxy to one member: client → member at once, member → client ``delay``
    seconds late (in order; settable at any time).

    ``late`` counts the chunks delivered to the client at least a TTL after they arrived.
    Plain OS threads; ``close()`` ends it.
    """

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.delay = 0.0
        self.late = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self._server.getsockname()[1]
        self._sockets = []
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self):
        while not self._closed:
            try:
                client_side, _ = self._server.accept()
                member_side = socket.create_connection(self.target, timeout=5)
            except OSError:
                continue
            member_side.settimeout(None)
            self._sockets += [client_side, member_side]
            threading.Thread(target=self._forward, args=(client_side, member_side), daemon=True).start()
            threading.Thread(target=self._hold_back, args=(member_side, client_side), daemon=True).start()

    def _forward(self, source, sink):
        try:
            data = source.recv(65536)
            while data:
                sink.sendall(data)
                data = source.recv(65536)
        except OSError:
            pass
        self._shut(source, sink)

    def _hold_back(self, source, sink):
        line = collections.deque()
        ready = threading.Condition()
        ended = []

        def deliver():
            while True:
                with ready:
                    while not line and not ended:
                        ready.wait()
                    if not line:
                        break
                    arrived, due, data = line[0]
                    if due > time.monotonic():
                        ready.wait(due - time.monotonic())  # the injected delay itself
                        continue
                    line.popleft()
                try:
                    sink.sendall(data)
                except OSError:
                    break
                if time.monotonic() - arrived >= TTL:
                    self.late += 1
            self._shut(source, sink)

        threading.Thread(target=deliver, daemon=True).start()
        last_due = 0.0
        try:
            data = source.recv(65536)
            while data:
                now = time.monotonic()
                with ready:
                    last_due = max(last_due, now + self.delay)
                    line.append((now, last_due, data))
                    ready.notify()
                data = source.recv(65536)
        except OSError:
            pass
        with ready:
            ended.append(True)
            ready.notify()

    @staticmethod
    def _shut(*socks):
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self._closed = True
        try:
            self._server.close()
        except OSError:
            pass
        for sock in self._sockets:
            self._shut(sock)
            sock.close()


@pytest.fixture(scope="module")
def lease_cluster():
    cluster = Cluster(members=1, cp_session_ttl_seconds=TTL, cp_session_heartbeat_seconds=1)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


def test_fakepeer_late_heartbeat_replies_never_close_the_session(
    lease_cluster, hz_handler, hz_client_factory, unique_name
):
    host, port = lease_cluster.addresses[0].split(":")
    proxy = DelayingProxy(host, int(port))
    client = HzClient(
        cluster_members=[proxy.address],
        cluster_name=lease_cluster.cluster_name,
        handler=hz_handler,
        smart_routing=False,
    )
    states, events = [], []
    client.add_listener(states.append)
    client.start(timeout=30)
    try:
        client.cp.add_session_listener(events.append)
        lock = client.Lock(unique_name)
        assert lock.acquire(timeout=WAIT)
        sessions = client.cp.session_manager
        ((group_id, (session_id, _)),) = sessions.sessions().items()

        proxy.delay = TTL + 2
        # No reply for longer than the lease: the holder stops claiming the lock...
        wait_until(hz_handler, lambda: not lock.is_acquired, 3 * TTL, "the lease never ran out")
        # ...while heartbeat replies keep arriving, each more than a TTL late.
        wait_until(hz_handler, lambda: proxy.late >= 3, 4 * TTL, "no late replies delivered")
        assert sessions.sessions()[group_id][0] == session_id
        assert events == [] and states == [HzState.CONNECTED]
        assert client.state == HzState.CONNECTED

        proxy.delay = 0.0
        # Prompt acknowledgements renew the lease: the same hold is vouched for again.
        wait_until(hz_handler, lambda: lock.is_acquired, 3 * TTL, "the lease was never renewed")
        lock.release()  # no LockOwnershipLostError: the member never lost the session
        assert sessions.sessions()[group_id][0] == session_id
        other = hz_client_factory(cluster=lease_cluster).cp.get_lock(unique_name)
        assert other.try_lock() > 0
        other.unlock()
        assert [e for e in events if e.reason == CPSessionEvent.EXPIRED] == []
        assert HzState.LOST not in states
    finally:
        client.close()
        proxy.close()
