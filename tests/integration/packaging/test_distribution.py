"""``python -m build`` makes an sdist and a wheel; the wheel installs in a fresh venv without
the test extras, imports, serves the ``hzgreen`` command, and registers no pytest plugin
(installing hzgreen must not change other projects' test runs)."""

import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

pytestmark = [pytest.mark.slow]

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))

CHECK = """
import importlib.metadata, sys
import hzgreen
from hzgreen import HzClient
from hzgreen.handlers.threading import SequentialThreadingHandler
HzClient(SequentialThreadingHandler(), cluster_members=["127.0.0.1:5701"])
assert "pytest" not in sys.modules and "gevent" not in sys.modules, sorted(sys.modules)
plugins = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.value.startswith("hzgreen")]
assert plugins == [], plugins
# Every module imports without the test extras; only gevent (an extra of its own) and, for the
# opt-in pytest plugin, pytest may be missing.
import importlib, pkgutil
for module in pkgutil.walk_packages(hzgreen.__path__, "hzgreen."):
    try:
        importlib.import_module(module.name)
    except ModuleNotFoundError as missing:
        allowed = {"gevent"} | ({"pytest", "_pytest"} if module.name == "hzgreen.testing.plugin" else set())
        assert missing.name.split(".")[0] in allowed, (module.name, missing.name)
print("ok", hzgreen.__file__)
"""


def _run(args, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, "%s failed:\n%s\n%s" % (args, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


def test_the_wheel_installs_in_a_fresh_venv_without_test_extras(tmp_path):
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), ROOT])
    [wheel] = dist.glob("hzgreen-*.whl")
    [sdist] = dist.glob("hzgreen-*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "hzgreen/py.typed" in names and "hzgreen/client.py" in names
    assert not [name for name in names if name.startswith("tests/")]
    with tarfile.open(sdist) as archive:
        members = [name.split("/", 1)[-1] for name in archive.getnames()]
    assert {"README.rst", "setup.cfg", "pyproject.toml", "hzgreen/client.py"} <= set(members)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    _run([python, "-m", "pip", "install", "-q", str(wheel)])
    out = _run([python, "-c", CHECK], cwd=str(tmp_path))
    assert out.startswith("ok ") and str(venv) in out
    assert "usage: hzgreen" in _run([str(venv / "bin" / "hzgreen"), "--help"])
