"""Compile user Java classes for test members (serializers, entry processors, comparators...).

>>> classes = compile_java_sources(["tests/java"], jar)      # doctest: +SKIP

``javac`` compiles every ``.java`` file found under the given files and folders against
the member jar. The output folder is cached under :func:`hzgreen.testing.jar.cache_dir`
by a hash of the sources, the jar and the JDK, so a test session compiles once and
parallel sessions share the result (a file lock serialises them).
:class:`hzgreen.testing.Cluster` uses this for its ``java_sources`` option and puts the
folder on the members' classpath.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from typing import Iterable, List, Optional, Sequence

from hzgreen.testing.jar import cache_dir

__all__ = ["JavaCompileError", "compile_java_sources", "find_java_sources", "javac_executable"]

_JAVAC_TIMEOUT = 300


class JavaCompileError(RuntimeError):
    """javac is missing or rejected the sources."""


def javac_executable() -> str:
    """``$HZGREEN_JAVAC``, else ``$JAVA_HOME/bin/javac``, else ``javac`` on PATH."""
    explicit = os.environ.get("HZGREEN_JAVAC")
    if explicit:
        return explicit
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "javac"), os.X_OK):
        return os.path.join(home, "bin", "javac")
    found = shutil.which("javac")
    if not found:
        raise JavaCompileError("no javac: install a JDK (17+) or set JAVA_HOME or HZGREEN_JAVAC")
    return found


def find_java_sources(paths: Iterable[str]) -> List[str]:
    """Every ``.java`` file of ``paths`` (files as given, folders recursively), sorted."""
    found: List[str] = []
    for path in paths:
        path = os.path.abspath(os.fspath(path))
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                found.extend(os.path.join(folder, n) for n in names if n.endswith(".java"))
        elif os.path.isfile(path) and path.endswith(".java"):
            found.append(path)
        else:
            raise JavaCompileError("java_sources: %s is neither a .java file nor a folder" % path)
    if not found:
        raise JavaCompileError("java_sources: no .java file in %s" % ", ".join(map(str, paths)))
    return sorted(set(found))


def _fingerprint(sources: Sequence[str], jar: str, javac: str) -> str:
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.encode("utf-8"))
        with open(path, "rb") as handle:
            digest.update(handle.read())
    digest.update(os.path.abspath(jar).encode("utf-8"))
    digest.update(str(os.path.getsize(jar)).encode("ascii"))
    digest.update(os.path.realpath(javac).encode("utf-8"))
    return digest.hexdigest()[:20]


def compile_java_sources(paths: Iterable[str], jar: str, cache: Optional[str] = None) -> str:
    """Compile the ``.java`` files of ``paths`` against ``jar``; return the classes folder."""
    sources = find_java_sources(paths)
    javac = javac_executable()
    base = os.path.join(cache or cache_dir(), "java-classes")
    os.makedirs(base, exist_ok=True)
    target = os.path.join(base, _fingerprint(sources, jar, javac))
    if os.path.isdir(target):
        return target
    with open(os.path.join(base, ".compile.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if os.path.isdir(target):
                return target
            staging = tempfile.mkdtemp(prefix=".javac-", dir=base)
            try:
                command = [javac, "-nowarn", "-encoding", "UTF-8", "-cp", jar, "-d", staging, *sources]
                try:
                    done = subprocess.run(
                        command,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        timeout=_JAVAC_TIMEOUT,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    raise JavaCompileError("javac timed out after %ss" % _JAVAC_TIMEOUT) from None
                if done.returncode != 0:
                    raise JavaCompileError(
                        "javac failed (exit status %d):\n%s" % (done.returncode, done.stdout.decode("utf-8", "replace"))
                    )
                os.replace(staging, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    return target
