"""The official client's documentation runs on hzgreen.compat: each ```python snippet of
``../shared/seeds/001_*.txt`` (extracted into ``snippets/`` by ``tools/extract_snippets.py``)
that the catalog marks runnable runs, unchanged, as a subprocess against the session
member, under each handler.

The program run is: a harness (below) that points every ``HazelcastClient`` at the test
member (its address and cluster name replace the documentation's) and chooses the
handler, the catalog's prelude and earlier snippets, then the snippet itself; in all of
them ``import hazelcast`` becomes ``import hzgreen.compat as hazelcast`` (and
``from hazelcast.x import`` ``from hzgreen.compat.x import``). Clients the program left
open are shut down at its end.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any, Dict, List

import pytest

from tests.integration.compat.snippet_catalog import CATALOG

SNIPPETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippets")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(SNIPPETS_DIR)))
TIMEOUT = 120

HARNESS = """\
import json as _json
import os as _os

import hzgreen.compat as _compat

_MEMBERS = _json.loads(_os.environ["HZGREEN_COMPAT_TEST_MEMBERS"])
_CLUSTER_NAME = _os.environ["HZGREEN_COMPAT_TEST_CLUSTER_NAME"]
_CLIENTS = []
_HANDLERS = []


def _new_handler():
    if _os.environ["HZGREEN_HANDLER"] == "gevent":
        from hzgreen.handlers.gevent import SequentialGeventHandler as cls
    else:
        from hzgreen.handlers.threading import SequentialThreadingHandler as cls
    handler = cls()
    _HANDLERS.append(handler)
    return handler


class _TestMemberClient(_compat.HazelcastClient):
    def __init__(self, config=None, **kwargs):
        if config is not None:
            config.cluster_members = list(_MEMBERS)
            config.cluster_name = _CLUSTER_NAME
        else:
            kwargs["cluster_members"] = list(_MEMBERS)
            kwargs["cluster_name"] = _CLUSTER_NAME
        kwargs.setdefault("handler", _new_handler())
        super().__init__(config, **kwargs)
        _CLIENTS.append(self)


_compat.HazelcastClient = _TestMemberClient
"""

FOOTER = """
for _client in _CLIENTS:
    _client.shutdown()
for _handler in _HANDLERS:
    if getattr(_handler, "running", False):
        _handler.stop()
"""

_IMPORT = re.compile(r"^(\s*)import hazelcast\s*$", re.M)
_FROM = re.compile(r"^(\s*)from hazelcast(\.[\w.]+)? import ", re.M)


def compat_source(code: str) -> str:
    """Returns ``code`` with its ``hazelcast`` imports turned into ``hzgreen.compat`` ones."""
    code = _IMPORT.sub(r"\1import hzgreen.compat as hazelcast", code)
    return _FROM.sub(lambda m: "%sfrom hzgreen.compat%s import " % (m.group(1), m.group(2) or ""), code)


def snippet_files() -> Dict[int, str]:
    """Returns {snippet number: path} for every extracted snippet."""
    files = {}
    for name in sorted(os.listdir(SNIPPETS_DIR)):
        if name.endswith(".py") and name[:3].isdigit():
            files[int(name[:3])] = os.path.join(SNIPPETS_DIR, name)
    return files


def read(path: str) -> str:
    """Returns the text of ``path``."""
    with open(path, encoding="utf-8") as f:
        return f.read()


def program(number: int) -> str:
    """Returns the program that runs snippet ``number``: harness, prelude, earlier snippets, snippet."""
    files = snippet_files()
    entry = CATALOG[number]
    parts = [HARNESS, entry.prelude]
    parts.extend(read(files[n]) for n in entry.after)
    parts.append(read(files[number]))
    return compat_source("\n".join(parts)) + FOOTER


RUNNABLE: List[Any] = [
    pytest.param(n, id=os.path.basename(path)[:-3])
    for n, path in snippet_files().items()
    if CATALOG[n].status == "runs"
]


def test_catalog_covers_every_snippet() -> None:
    assert sorted(CATALOG) == sorted(snippet_files())
    assert all(entry.status in ("runs", "cannot") for entry in CATALOG.values())
    assert all(entry.reason for entry in CATALOG.values() if entry.status == "cannot")


@pytest.mark.parametrize("number", RUNNABLE)
def test_snippet_runs(number: int, hz_cluster: Any, hz_handler_name: str, tmp_path: Any) -> None:
    path = tmp_path / "snippet.py"
    path.write_text(program(number), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        HZGREEN_HANDLER=hz_handler_name,
        HZGREEN_COMPAT_TEST_MEMBERS='["%s"]' % '", "'.join(hz_cluster.running_addresses),
        HZGREEN_COMPAT_TEST_CLUSTER_NAME=hz_cluster.cluster_name,
        PYTHONPATH=os.pathsep.join([ROOT, env.get("PYTHONPATH", "")]),
    )
    proc = subprocess.run(
        [sys.executable, str(path)], cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert proc.returncode == 0, "snippet %d failed:\n--- stdout\n%s\n--- stderr\n%s" % (
        number,
        proc.stdout[-3000:],
        proc.stderr[-6000:],
    )
    for text in CATALOG[number].expect:
        assert text in proc.stdout, "snippet %d did not print %r:\n%s" % (number, text, proc.stdout[-3000:])
