"""A fault-injecting TCP proxy: the only stand-in for a member in the suite.

It forwards bytes between a client and a real member and, on command, writes bytes of
its own to the client (garbage, or a frame header announcing a huge frame) — things a
real member cannot be made to do. Runs on plain OS threads; tests stop it by calling
``close()``.
"""

import socket
import threading


class FaultProxy:
    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.address = "127.0.0.1:%d" % self.port
        self._lock = threading.Lock()
        self._pairs = []
        self._closed = False
        self._to_clients = threading.Event()
        self._to_clients.set()
        self.accepted = threading.Event()
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def _accept_loop(self):
        while not self._closed:
            try:
                client_side, _ = self._server.accept()
            except OSError:
                return
            try:
                member_side = socket.create_connection(self.target, timeout=5)
                member_side.settimeout(None)
            except OSError:
                client_side.close()
                continue
            with self._lock:
                self._pairs.append((client_side, member_side))
            for source, sink, gate in ((client_side, member_side, None), (member_side, client_side, self._to_clients)):
                threading.Thread(target=self._pump, args=(source, sink, gate), daemon=True).start()
            self.accepted.set()

    def _pump(self, source, sink, gate=None):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if gate is not None:
                    gate.wait()
                with self._lock:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def hold_to_clients(self):
        """Stop forwarding member bytes to the clients (they are kept, in order) until resumed."""
        self._to_clients.clear()

    def resume_to_clients(self):
        """Forward what was held back, and everything after it."""
        self._to_clients.set()

    def inject_to_clients(self, payload):
        """Write ``payload`` to every proxied client connection, between whole forwarded chunks."""
        with self._lock:
            pairs = list(self._pairs)
            for client_side, _ in pairs:
                try:
                    client_side.sendall(payload)
                except OSError:
                    pass
        return len(pairs)

    def close(self):
        self._closed = True
        self._to_clients.set()
        try:
            self._server.close()
        except OSError:
            pass
        with self._lock:
            for pair in self._pairs:
                for sock in pair:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                        sock.close()
                    except OSError:
                        pass
            self._pairs = []
