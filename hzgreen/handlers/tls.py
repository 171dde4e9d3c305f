"""TLS streams for the threading handler, and the handshake errors both handlers raise.

:class:`ThreadTlsStream` serves a connected, handshaken ``ssl.SSLSocket`` in
non-blocking mode to two kinds of thread at once: the I/O loop, which reads after
``poll`` said the descriptor is readable, and callers, which write. OpenSSL forbids two
threads in one connection at the same time, so every ``SSL_read``/``SSL_write`` runs
under a lock; none of them blocks (the socket is non-blocking), so the lock is held for
microseconds and a writer waiting for room in the kernel buffer waits outside it.

TLS keeps decrypted bytes of its own (``SSLSocket.pending()``) that ``poll`` cannot see:
:meth:`ThreadTlsStream.recv` drains them before returning, so the I/O loop never waits
on a descriptor while whole messages sit in OpenSSL's buffer.

Under TLS 1.3 the server checks the client's certificate only after the client has
finished its side of the handshake, so a refusal arrives as the first thing read (an
alert, or just the end of the connection). Both streams note in ``refusal`` why the
peer ended a connection before its first application byte when that looks like such a
refusal (:func:`early_refusal`); the authentication step turns it into a
:class:`~hzgreen.exceptions.TlsHandshakeError`.
"""

from __future__ import annotations

import select
import socket
import ssl
import threading
from typing import Any, Callable, Optional, Tuple, Union

from hzgreen.exceptions import TlsHandshakeError

__all__ = ["ThreadTlsStream", "early_refusal", "handshake_error", "start_tls_blocking"]

Bytes = Union[bytes, bytearray, memoryview]

#: Largest piece handed to one ``SSL_write`` (a few TLS records): bounds the time the
#: lock is held, so the I/O loop's reads interleave with a large write.
WRITE_PIECE = 256 * 1024

_WANT = (ssl.SSLWantReadError, ssl.SSLWantWriteError)


def handshake_error(error: BaseException, address: Tuple[str, int], timeout: Optional[float]) -> TlsHandshakeError:
    """The :class:`TlsHandshakeError` telling why the handshake with ``address`` failed; returns it."""
    where = "%s:%d" % (address[0], address[1])
    if isinstance(error, ssl.SSLCertVerificationError):
        why = "the member's certificate was refused: %s" % (error.verify_message or error.reason or error)
    elif isinstance(error, (socket.timeout, TimeoutError)):
        why = "no answer within connection_timeout=%.1f s (is the member a TLS endpoint?)" % (timeout or 0.0)
    elif isinstance(error, ssl.SSLError) and error.reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE"):
        why = "the peer does not speak TLS (%s)" % (error.reason,)
    elif isinstance(error, (ssl.SSLEOFError, ConnectionResetError, BrokenPipeError)):
        why = (
            "the peer closed the connection during the handshake (not a TLS endpoint, or it refused the client): %s"
            % (error,)
        )
    elif isinstance(error, ssl.SSLError):
        why = "%s" % (error.reason or error,)
    else:
        why = "%s" % (error,)
    return TlsHandshakeError("TLS handshake with %s failed: %s" % (where, why))


def early_refusal(version: Optional[str], error: Optional[BaseException]) -> Optional[str]:
    """Why the peer ended a connection of TLS ``version`` (``SSLSocket.version()`` after the
    handshake: OpenSSL forgets it once the peer is gone) before sending any application
    byte, if that is a TLS refusal; None otherwise. ``error`` is what the read or write
    raised (None: the peer closed the connection).

    An SSL error (an alert: any TLS version) is one; a close or reset is one under TLS 1.3
    only (with TLS 1.2 the handshake itself would have failed).
    """
    ended = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionError)
    if isinstance(error, ssl.SSLError) and not isinstance(error, ended + _WANT):
        reason = str(error.reason or error)
        if "CERTIFICATE_REQUIRED" in reason:
            return "the member requires a client certificate (TLS alert %s received)" % reason
        return "the member refused the connection right after the handshake (TLS alert %s received)" % reason
    if version == "TLSv1.3" and (error is None or isinstance(error, ended)):
        return (
            "the member closed the TLS 1.3 connection right after the handshake, before any answer: "
            "it most likely requires a client certificate or refused the one sent"
        )
    return None


def start_tls_blocking(
    sock: socket.socket,
    context: ssl.SSLContext,
    server_hostname: Optional[str],
    address: Tuple[str, int],
    timeout: Optional[float],
    remaining: Callable[[], Optional[float]],
) -> "ThreadTlsStream":
    """Do the TLS handshake on the connected blocking ``sock``; returns the stream serving it.

    ``remaining()`` gives the seconds left of the connect's ``timeout`` (None: no limit).
    Raises TlsHandshakeError (``sock`` is closed then).
    """
    try:
        left = remaining()
        if left is not None and left <= 0:
            raise socket.timeout("timed out")
        tls = context.wrap_socket(sock, server_hostname=server_hostname, do_handshake_on_connect=False)
        tls.settimeout(left)
        tls.do_handshake()
        tls.setblocking(False)
    except OSError as error:
        sock.close()
        raise handshake_error(error, address, timeout) from error
    except BaseException:
        sock.close()
        raise
    return ThreadTlsStream(tls)


def _wait_fd(fd: int, events: int, timeout: Optional[float]) -> None:
    poller = select.poll()
    poller.register(fd, events)
    poller.poll(None if timeout is None else int(timeout * 1000))


class TlsStreamEnd:
    """What both handlers' TLS streams track to tell a peer's early refusal from a normal end.

    ``refusal`` is why the peer refused the client right after the handshake (see
    :func:`early_refusal`), else None; a stream sets ``_answered`` once the peer's first
    byte arrived (or the client ended the connection itself) and ``closed`` when closed.
    """

    __slots__ = ("closed", "_answered", "_version", "refusal")

    def __init__(self, sock: ssl.SSLSocket) -> None:
        self.closed = False
        self._answered = False
        self._version = sock.version()
        self.refusal: Optional[str] = None

    def _ended(self, error: Optional[BaseException]) -> None:
        """Note a refusal if the peer ended the connection before its first byte; returns None."""
        if not self._answered and not self.closed and self.refusal is None:
            self.refusal = early_refusal(self._version, error)


def read_pending(sock: ssl.SSLSocket, data: bytes, size: int) -> bytes:
    """``data`` (a first non-empty read) plus what TLS already decrypted, up to ``size`` bytes in all.

    Decrypted bytes wait inside the SSL object where ``poll`` cannot see them, so a read
    takes them now. Never blocks; raises OSError as ``recv`` does.
    """
    if len(data) >= size or not sock.pending():
        return data
    chunks = [data]
    got = len(data)
    while got < size and sock.pending():
        try:
            more = sock.recv(size - got)
        except _WANT:
            break
        if not more:
            break
        chunks.append(more)
        got += len(more)
    return b"".join(chunks)


class ThreadTlsStream(TlsStreamEnd):
    """A handshaken TLS connection read by the I/O loop and written by any thread.

    ``recv`` never blocks: with nothing decrypted it raises BlockingIOError (the loop polls
    again). ``sendall`` blocks the calling thread until every byte is handed to the kernel.
    Anything else (``getsockopt``, ``getpeername``, ...) is delegated to the socket.
    """

    def __init__(self, sock: ssl.SSLSocket) -> None:
        super().__init__(sock)
        self._sock = sock
        self._fd = sock.fileno()
        self._lock = threading.Lock()

    def fileno(self) -> int:
        """Returns the socket's file descriptor. Raises nothing."""
        return self._fd

    def gettimeout(self) -> None:
        """None: ``sendall`` blocks until done (reads never block)."""
        return None

    def recv(self, size: int) -> bytes:
        """Up to ``size`` decrypted bytes, b"" at the end of the stream.

        Raises BlockingIOError when no whole TLS record is in yet, OSError (``ssl.SSLError``)
        when the peer breaks the protocol or sends an alert.
        """
        sock = self._sock
        with self._lock:
            try:
                data = sock.recv(size)
            except _WANT:
                raise BlockingIOError("no whole TLS record yet") from None
            except OSError as error:
                self._ended(error)
                raise
            if not data:
                self._ended(None)
                return data
            self._answered = True
            return read_pending(sock, data, size)

    def sendall(self, data: Bytes) -> None:
        """Encrypt and send all of ``data``; returns None, raises OSError when the connection fails.

        After a would-block, OpenSSL needs the same piece again: ``sent`` only moves on success.
        """
        view = memoryview(data).cast("B")
        total = len(view)
        sent = 0
        sock = self._sock
        while sent < total:
            wait = 0
            with self._lock:
                if self.closed:
                    raise OSError(9, "TLS stream closed")
                try:
                    sent += sock.send(view[sent : sent + WRITE_PIECE])
                except ssl.SSLWantWriteError:
                    wait = select.POLLOUT
                except ssl.SSLWantReadError:  # renegotiation: the I/O loop reads what it waits for
                    wait = select.POLLIN | select.POLLOUT
                except OSError as error:
                    self._ended(error)
                    raise
            if wait:
                _wait_fd(self._fd, wait, None if wait == select.POLLOUT else 0.05)

    def pending(self) -> int:
        """Decrypted bytes OpenSSL holds that a ``recv`` returns at once."""
        return self._sock.pending()

    def shutdown(self, how: int) -> None:
        """Shut the TCP connection down (no TLS close_notify): wakes a reader or writer at once."""
        self._answered = True  # the end is ours: no refusal to note
        socket.socket.shutdown(self._sock, how)

    def close(self) -> None:
        """Close the connection; returns None."""
        self.closed = True
        self._sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def __repr__(self) -> str:
        return "<ThreadTlsStream fd=%d%s>" % (self._fd, " closed" if self.closed else "")
