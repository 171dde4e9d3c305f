"""A member's log file, read with bounded memory.

A member can write gigabytes: a Hazelcast 5.4 member stuck in its partition-table recovery
after its master was killed twice in quick succession logs a stack trace every few
milliseconds (10 GB in six minutes was seen). The harness reads logs while tests run (to
wait for a line, to report a failure), so nothing here holds more than a few MiB of a log
at once, and :data:`LOG_SIZE_CAP` bounds the file itself (see :func:`cap_log_size`).
"""

from __future__ import annotations

import os
from typing import Optional

__all__ = ["LOG_SIZE_CAP", "LogScanner", "cap_log_size", "read_text", "read_tail"]

#: The most a member's log file may grow to; writes beyond it fail (the JVM ignores SIGXFSZ).
LOG_SIZE_CAP = 256 << 20
#: Bytes read from the file per step.
READ_CHUNK = 1 << 20
#: The most of a log :func:`read_text` returns; an older part is replaced by a note.
MAX_TEXT = 16 << 20
#: Bytes read from the end of the file for :func:`read_tail`.
TAIL_BYTES = 256 << 10


def cap_log_size(pid: int) -> None:
    """Limit the files process ``pid`` writes to :data:`LOG_SIZE_CAP` bytes (Linux); returns
    None, doing nothing where the limit cannot be set."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_FSIZE, (LOG_SIZE_CAP, LOG_SIZE_CAP))
    except (ImportError, AttributeError, OSError, ValueError):
        pass


def _capped_note(path: str) -> str:
    try:
        size = os.path.getsize(path)
    except OSError:
        return ""
    if size < LOG_SIZE_CAP:
        return ""
    return "\n[the log reached its cap of %d MiB: later lines were not written]" % (LOG_SIZE_CAP >> 20)


def read_text(path: str, offset: int = 0, limit: int = MAX_TEXT) -> str:
    """The log from byte ``offset`` to its end; returns "" when there is no file.

    When that is over ``limit`` bytes, only the last ``limit`` are read (from a line start),
    after a line saying how much was left out.
    """
    try:
        with open(path, "rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            start = max(offset, end - limit)
            handle.seek(start)
            data = handle.read(end - start)
    except FileNotFoundError:
        return ""
    note = ""
    if start > offset:
        data = data[data.find(b"\n") + 1 :]
        note = "[%d bytes of the log left out]\n" % (end - offset - len(data))
    return note + data.decode("utf-8", "replace") + _capped_note(path)


def read_tail(path: str, offset: int, lines: int, width: int) -> str:
    """The last ``lines`` lines of the log after byte ``offset``, each cut to ``width``
    characters; reads at most :data:`TAIL_BYTES`. Returns "" when there is no file."""
    tail = read_text(path, offset, TAIL_BYTES).splitlines()[-lines:]
    return "\n".join(line if len(line) <= width else line[:width] + " [...]" for line in tail)


class LogScanner:
    """Finds a text in a growing log file, reading each byte once, a chunk at a time."""

    def __init__(self, path: str, offset: int, text: str) -> None:
        self.path = path
        self.position = offset
        self.needle = text.encode("utf-8")
        self.pending = b""  # the unfinished last line (its end, for a line longer than a chunk)

    def find(self) -> Optional[str]:
        """The first whole line written since the last call that contains the text, or None.

        Reads what was written meanwhile in chunks of :data:`READ_CHUNK` bytes.
        """
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            return None
        with handle:
            handle.seek(self.position)
            while True:
                chunk = handle.read(READ_CHUNK)
                if not chunk:
                    return None
                self.position += len(chunk)
                data = self.pending + chunk
                cut = data.rfind(b"\n") + 1
                complete, pending = data[:cut], data[cut:]
                self.pending = pending if len(pending) <= READ_CHUNK else pending[-READ_CHUNK:]
                if self.needle in complete:
                    for line in complete.splitlines():
                        if self.needle in line:
                            return line.decode("utf-8", "replace")
