"""A TCP relay in front of a real member, for tests: it forwards every connection made to its
``address`` to ``target``, counts them, and can cut them (what a real member cannot do
without losing its data)."""

import socket
import threading


class TcpRelay:
    """Forwards connections to ``127.0.0.1:<port>`` (its ``address``) to ``target``.

    ``accepted`` counts the connections forwarded; ``cut()`` drops every forwarded
    connection and refuses new ones until ``restore()``; ``close()`` ends it all.
    """

    def __init__(self, target):
        self.target = target
        self.accepted = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.address = ("127.0.0.1", self._server.getsockname()[1])
        self._lock = threading.Lock()
        self._sockets = []
        self._refusing = False
        self._closed = False
        threading.Thread(target=self._accept_loop, name="tcp-relay", daemon=True).start()

    def _accept_loop(self):
        while not self._closed:
            try:
                client_side, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                refusing = self._refusing
            if refusing:
                client_side.close()
                continue
            try:
                member_side = socket.create_connection(self.target, timeout=5)
                member_side.settimeout(None)
            except OSError:
                client_side.close()
                continue
            with self._lock:
                self.accepted += 1
                self._sockets += [client_side, member_side]
            for source, sink in ((client_side, member_side), (member_side, client_side)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        with self._lock:
            self._refusing = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def restore(self):
        with self._lock:
            self._refusing = False

    def close(self):
        self._closed = True
        self.cut()
        self._server.close()
