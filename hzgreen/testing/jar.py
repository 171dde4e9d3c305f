"""Find or fetch the Hazelcast member jar.

The jar comes from Maven Central through ``mvn dependency:copy`` and is kept
in a cache folder, so only the first run of a machine downloads it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import zipfile
from typing import Optional

__all__ = [
    "DEFAULT_HZ_VERSION",
    "MemberJarError",
    "cache_dir",
    "ensure_member_jar",
    "ensure_sql_jar",
    "hazelcast_version",
]

#: The last Community release that still ships the CP subsystem.
DEFAULT_HZ_VERSION = "5.4.0"

_MVN_TIMEOUT = 900


class MemberJarError(RuntimeError):
    """The member jar is missing and could not be fetched."""


def hazelcast_version() -> str:
    """The member version to use: env ``HZGREEN_HZ_VERSION`` or the default."""
    return os.environ.get("HZGREEN_HZ_VERSION") or DEFAULT_HZ_VERSION


def cache_dir() -> str:
    """The cache folder: env ``HZGREEN_CACHE``, else ``$XDG_CACHE_HOME/hzgreen``
    (``~/.cache/hzgreen``)."""
    explicit = os.environ.get("HZGREEN_CACHE")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hzgreen")


def _usable(path: str) -> bool:
    return os.path.isfile(path) and os.path.getsize(path) > 0 and zipfile.is_zipfile(path)


def ensure_sql_jar(version: Optional[str] = None, cache: Optional[str] = None) -> str:
    """Return the path of the ``hazelcast-sql`` jar (the SQL engine the member jar lacks), fetching it if needed.

    Env ``HZGREEN_SQL_JAR`` (an explicit path) wins; otherwise as :func:`ensure_member_jar`.
    """
    return ensure_member_jar(version, cache, artifact="hazelcast-sql")


def ensure_member_jar(version: Optional[str] = None, cache: Optional[str] = None, artifact: str = "hazelcast") -> str:
    """Return the path of the Hazelcast member jar, fetching it if needed.

    Env ``HZGREEN_JAR`` (an explicit jar path) wins over everything.
    Otherwise the jar ``hazelcast-<version>.jar`` is looked up in the cache
    folder and, when missing, fetched with ``mvn dependency:copy``.  Parallel
    callers (several test runs at once) are serialised with a file lock so
    the jar is downloaded once.  Raises :class:`MemberJarError` with Maven's
    output when Maven is missing or fails.
    """
    env_name = "HZGREEN_JAR" if artifact == "hazelcast" else "HZGREEN_SQL_JAR"
    explicit = os.environ.get(env_name)
    if explicit:
        path = os.path.abspath(os.path.expanduser(explicit))
        if not _usable(path):
            raise MemberJarError("%s=%s is not a readable jar file" % (env_name, explicit))
        return path

    version = version or hazelcast_version()
    folder = cache or cache_dir()
    jar = os.path.join(folder, "%s-%s.jar" % (artifact, version))
    if _usable(jar):
        return jar

    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".fetch.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if _usable(jar):  # another process fetched it while we waited
                return jar
            _fetch_with_maven(version, folder, jar, artifact)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    return jar


def _fetch_with_maven(version: str, folder: str, jar: str, artifact: str = "hazelcast") -> None:
    mvn = os.environ.get("HZGREEN_MVN") or shutil.which("mvn")
    if not mvn:
        raise MemberJarError(
            "Maven (mvn) is not on PATH, so the Hazelcast member jar %s cannot be fetched. "
            "Install Maven, or download com.hazelcast:hazelcast:%s yourself and set "
            "HZGREEN_JAR to its path." % (jar, version)
        )
    staging = tempfile.mkdtemp(prefix=".fetch-", dir=folder)
    try:
        command = [
            mvn,
            "-B",
            "-q",
            "dependency:copy",
            "-Dartifact=com.hazelcast:%s:%s" % (artifact, version),
            "-DoutputDirectory=%s" % staging,
        ]
        try:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=_MVN_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise MemberJarError(
                "%s timed out after %ss; output:\n%s" % (" ".join(command), _MVN_TIMEOUT, _decode(exc.output))
            ) from None
        fetched = os.path.join(staging, "%s-%s.jar" % (artifact, version))
        if done.returncode != 0 or not _usable(fetched):
            raise MemberJarError(
                "%s failed (exit status %s); output:\n%s" % (" ".join(command), done.returncode, _decode(done.stdout))
            )
        os.replace(fetched, jar)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _decode(output: Optional[bytes]) -> str:
    return (output or b"").decode("utf-8", "replace")
