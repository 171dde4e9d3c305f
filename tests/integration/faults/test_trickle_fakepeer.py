"""A peer that trickles bytes but never a whole message is dropped at heartbeat_timeout.

A real member cannot be made to do this, so a fault proxy stands between the client and a
real member: once told to, it stops forwarding the member's bytes and instead sends the
client one byte of a never-finished frame every 0.3 s.
"""

import socket
import struct
import threading

import pytest

from hzgreen import HzClient, HzState

from .fakepeer import FaultProxy

pytestmark = [pytest.mark.fault, pytest.mark.fakepeer]


class TrickleProxy(FaultProxy):
    """Forwards both ways until :meth:`trickle`; then feeds the client a byte at a time."""

    def __init__(self, host, port):
        self._trickling = threading.Event()
        self._stopped = threading.Event()
        super().__init__(host, port)

    def _pump(self, source, sink, gate=None):
        with self._lock:
            from_member = any(member is source for _, member in self._pairs)
        if from_member:
            self._pump_member(source, sink)
        else:
            super()._pump(source, sink, gate)

    def _pump_member(self, member_side, client_side):
        member_side.settimeout(0.1)
        try:
            while not self._trickling.is_set():
                try:
                    data = member_side.recv(65536)
                except socket.timeout:
                    continue
                if not data:
                    return
                with self._lock:
                    client_side.sendall(data)
            # A frame header announcing 4 KiB that never arrives, one byte at a time.
            partial = struct.pack("<iH", 4096, 0xC000) + bytes(4090)
            for byte in partial:
                if self._stopped.wait(0.3):
                    return
                client_side.sendall(bytes([byte]))
        except OSError:
            pass

    def trickle(self):
        self._trickling.set()

    def close(self):
        self._stopped.set()
        super().close()


def test_fakepeer_trickling_bytes_without_a_message_is_dropped(hz_cluster, hz_handler):
    host, port = hz_cluster.addresses[0].split(":")
    proxy = TrickleProxy(host, int(port))
    suspended = hz_handler.event_object()
    client = HzClient(
        cluster_members=[proxy.address],
        cluster_name=hz_cluster.cluster_name,
        handler=hz_handler,
        heartbeat_interval=0.5,
        heartbeat_timeout=3.0,
    )
    client.add_listener(lambda state: suspended.set() if state == HzState.SUSPENDED else None)
    client.start(timeout=30)
    try:
        [connection] = client._connections.active_connections
        proxy.trickle()
        started = hz_handler.monotonic()
        assert suspended.wait(20), "a peer trickling bytes but no message was never dropped"
        elapsed = hz_handler.monotonic() - started
        assert not connection.alive
        assert "heartbeat" in str(connection.close_reason)
        # heartbeat_timeout is 3 s; the 50 ms sweep and a loaded machine add a little.
        assert elapsed < 10, "dropped after %.1fs" % elapsed
    finally:
        client.close()
        proxy.close()
