"""Human names of requests for error messages: ``"Map.get on 'users'"``.

Nothing here runs on the request path: an invocation keeps only its request and the
object's name, and the text is built when an error is reported. Service and method come
from the request's message type, looked up in the codec modules that are loaded (a
request can only have been encoded by a loaded codec), so no table is kept by hand.
"""

from __future__ import annotations

import sys
from typing import Dict, Optional, Set

_CODECS = "hzgreen.protocol.codecs."
_SUFFIX = "_REQUEST_TYPE"

_names: Dict[int, str] = {}
_scanned: Set[str] = set()
_modules_scanned = 0  # how many modules were loaded at the last scan


def method_name(message_type: int) -> str:
    """``"Service.method"`` of a request message type (``"Map.put_if_absent"``).

    Returns ``"message type 0x..."`` for a type no loaded codec module defines; never raises.
    """
    name = _names.get(message_type)
    if name is None:
        _scan_loaded_codecs()
        name = _names.get(message_type)
    return name if name is not None else "message type 0x%06x" % message_type


def operation_name(message_type: int, object_name: Optional[str] = None) -> str:
    """``"Map.get on 'users'"``, or just ``"Map.get"`` when the request is about no named object."""
    name = method_name(message_type)
    if object_name is None:
        return name
    return "%s on %r" % (name, object_name)


def _scan_loaded_codecs() -> None:
    global _modules_scanned
    if len(sys.modules) == _modules_scanned:
        return  # no module loaded since the last scan: nothing new to name
    _modules_scanned = len(sys.modules)
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith(_CODECS) or module_name in _scanned or module is None:
            continue
        service = getattr(module, "SERVICE_NAME", None)
        if not isinstance(service, str):
            continue
        for attribute, value in list(vars(module).items()):
            if attribute.endswith(_SUFFIX) and isinstance(value, int):
                _names.setdefault(value, "%s.%s" % (service, attribute[: -len(_SUFFIX)].lower()))
        _scanned.add(module_name)
