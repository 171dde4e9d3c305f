"""A TLS connection for greenlets: :class:`GreenTlsStream`, and its cooperative handshake.

It serves a stdlib ``ssl.SSLSocket`` in non-blocking mode, so no call ever blocks the
hub and nothing is monkey-patched: a read or write that OpenSSL cannot finish now
raises ``SSLWantReadError``/``SSLWantWriteError``, and the calling greenlet parks on a
hub watcher of the descriptor until it can go on. Greenlets of one hub never run at the
same time, so OpenSSL never sees two calls at once on the connection.

The stream has the shape of :class:`~hzgreen.handlers.gevent_stream.GreenStream`
(``recv``, ``send_nowait``, ``sendall``): the client reads it from one greenlet and
flushes writes from the hub. ``recv`` first takes what OpenSSL already decrypted
(``pending()``, invisible to the hub's watchers) and waits only when there is none.
"""

from __future__ import annotations

import errno
import socket as _stdsocket
import ssl
from typing import Any, Callable, Optional, Tuple, Union

import gevent
from gevent.hub import get_hub

from hzgreen.handlers.tls import TlsStreamEnd, handshake_error, read_pending

__all__ = ["GreenTlsStream", "start_tls_cooperative"]

_EV_READ = 1
_EV_WRITE = 2

Bytes = Union[bytes, bytearray, memoryview]


def start_tls_cooperative(
    sock: _stdsocket.socket,
    context: ssl.SSLContext,
    server_hostname: Optional[str],
    address: Tuple[str, int],
    timeout: Optional[float],
    remaining: Callable[[], Optional[float]],
) -> "GreenTlsStream":
    """Do the TLS handshake on the connected stdlib ``sock``, parking only the calling greenlet.

    ``remaining()`` gives the seconds left of the connect's ``timeout`` (None: no limit).
    Returns the stream serving the connection; raises TlsHandshakeError (``sock`` is
    closed then).
    """
    sock.setblocking(False)
    left = remaining()
    if left is not None and left <= 0:
        sock.close()
        raise handshake_error(_stdsocket.timeout("timed out"), address, timeout)
    hub = get_hub()
    fd = sock.fileno()
    timer = gevent.Timeout(left) if left is not None else None
    if timer is not None:
        timer.start()
    try:
        tls = context.wrap_socket(sock, server_hostname=server_hostname, do_handshake_on_connect=False)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                _wait(hub, fd, _EV_READ)
            except ssl.SSLWantWriteError:
                _wait(hub, fd, _EV_WRITE)
    except gevent.Timeout as expired:
        sock.close()
        if expired is not timer:
            raise
        raise handshake_error(_stdsocket.timeout("timed out"), address, timeout) from None
    except OSError as error:
        sock.close()
        raise handshake_error(error, address, timeout) from error
    except BaseException:
        sock.close()
        raise
    finally:
        if timer is not None:
            timer.close()
    return GreenTlsStream(tls)


def _wait(hub: Any, fd: int, flag: int) -> None:
    """Park the calling greenlet until ``fd`` is ready for ``flag`` (a watcher of its own)."""
    watcher = hub.loop.io(fd, flag)
    try:
        hub.wait(watcher)
    finally:
        watcher.close()


class GreenTlsStream(TlsStreamEnd):
    """Blocking-style (for the calling greenlet) TLS connection over a non-blocking ``SSLSocket``.

    One greenlet reads (it owns the read watcher) and one flushes at a time (it owns the
    write watcher); the rare opposite wait (a read needing to write during a key update)
    uses a watcher of its own. Anything not defined here is delegated to the socket.
    """

    __slots__ = (
        "_sock",
        "_fd",
        "_hub",
        "_read_watcher",
        "_write_watcher",
    )

    def __init__(self, sock: ssl.SSLSocket) -> None:
        super().__init__(sock)
        hub = get_hub()
        fd = sock.fileno()
        self._sock = sock
        self._fd = fd
        self._hub = hub
        self._read_watcher = hub.loop.io(fd, _EV_READ)
        self._write_watcher = hub.loop.io(fd, _EV_WRITE)

    def fileno(self) -> int:
        """Returns the socket's file descriptor. Raises nothing."""
        return self._fd

    def gettimeout(self) -> None:
        """None: calls block the calling greenlet (never the hub) until done."""
        return None

    def recv(self, size: int) -> bytes:
        """Up to ``size`` decrypted bytes (b"" at the end of the stream), parking while none is in.

        Raises OSError (``ssl.SSLError``) when the peer breaks the protocol or sends an alert,
        ``OSError(EBADF)`` when the stream is closed meanwhile.
        """
        sock = self._sock
        while True:
            try:
                data = sock.recv(size)
                break
            except ssl.SSLWantReadError:
                self._hub.wait(self._read_watcher)
            except ssl.SSLWantWriteError:
                _wait(self._hub, self._fd, _EV_WRITE)
            except OSError as error:
                self._ended(error)
                raise
        if not data:
            self._ended(None)
            return data
        self._answered = True
        return read_pending(sock, data, size)

    def send_nowait(self, data: Bytes) -> int:
        """Encrypt and send what the kernel takes now; the number of bytes taken (maybe 0). Never blocks.

        After 0, the next call must offer the same bytes again (OpenSSL's rule), as
        :meth:`sendall` and the client's flusher do.
        """
        try:
            return self._sock.send(data)
        except (ssl.SSLWantWriteError, ssl.SSLWantReadError):
            return 0
        except OSError as error:
            self._ended(error)
            raise

    def sendall(self, data: Bytes) -> None:
        """Send all of ``data``, parking the calling greenlet while the kernel buffer is full."""
        view = memoryview(data).cast("B")
        total = len(view)
        sent = 0
        sock = self._sock
        while sent < total:
            if self.closed:
                raise OSError(errno.EBADF, "socket closed")
            try:
                sent += sock.send(view[sent:])
            except ssl.SSLWantWriteError:
                self._hub.wait(self._write_watcher)
            except ssl.SSLWantReadError:
                _wait(self._hub, self._fd, _EV_READ)
            except OSError as error:
                self._ended(error)
                raise

    def pending(self) -> int:
        """Decrypted bytes OpenSSL holds that a ``recv`` returns at once."""
        return self._sock.pending()

    def shutdown(self, how: int) -> None:
        """Shut the TCP connection down (no TLS close_notify)."""
        self._answered = True  # the end is ours: no refusal to note
        _stdsocket.socket.shutdown(self._sock, how)

    def close(self) -> None:
        """Close the socket; a greenlet waiting to read or write gets ``OSError(EBADF)``."""
        if self.closed:
            return
        self.closed = True
        error = OSError(errno.EBADF, "socket closed")
        self._hub.cancel_waits_close_and_then([self._read_watcher, self._write_watcher], error, self._sock.close)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def __repr__(self) -> str:
        return "<GreenTlsStream fd=%d%s>" % (self._fd, " closed" if self.closed else "")
