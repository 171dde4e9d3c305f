"""What the benchmarks ran on: CPU, memory, JDK, Python, versions, load."""

import os
import platform
import re
import subprocess
import sys
import time


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def cpu_model():
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def virtual_machine():
    """True when the CPU flags say we run under a hypervisor."""
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("flags"):
            return "hypervisor" in line.split()
    return None


def memory_gib():
    match = re.search(r"^MemTotal:\s+(\d+) kB", _read("/proc/meminfo"), re.M)
    return round(int(match.group(1)) / 1024 / 1024, 1) if match else None


def usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def java_version(java):
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return "unavailable (%s)" % error
    lines = (out.stderr or out.stdout).strip().splitlines()
    return " / ".join(line.strip() for line in lines[:2]) if lines else "unknown"


def package_version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return None


def git_revision(root):
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (rev + ("+uncommitted changes" if dirty else "")) if rev else None


def describe(java, root):
    """A dict describing the machine and the software under test."""
    return {
        "cpu_model": cpu_model(),
        "cpus": usable_cpus(),
        "virtual_machine": virtual_machine(),
        "memory_gib": memory_gib(),
        "kernel": platform.release(),
        "os": platform.platform(terse=True),
        "python": "%s %s" % (platform.python_implementation(), platform.python_version()),
        "python_executable": sys.executable,
        "java": java_version(java),
        "hzgreen": git_revision(root),
        "hazelcast-python-client": package_version("hazelcast-python-client"),
        "gevent": package_version("gevent"),
        "greenlet": package_version("greenlet"),
        "loadavg_start": list(os.getloadavg()),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def summary_line(machine):
    return "%s%s, %s CPUs, %s GiB RAM; %s; %s" % (
        machine["cpu_model"],
        " (virtual machine)" if machine.get("virtual_machine") else "",
        machine["cpus"],
        machine["memory_gib"],
        machine["python"],
        machine["java"],
    )
