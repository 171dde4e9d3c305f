"""Generates ``hzgreen/protocol/codecs/<service>.py``: constants and codecs of every method."""

from __future__ import annotations

from typing import Dict, List, Tuple

from .emit import HEADER, Emitter
from .methods import MethodGen
from .typemap import TypeResolver, Unsupported


def gen_service_module(service: dict, custom: Dict[str, dict], unsupported: Dict[str, str],
                       hashable: Dict[str, bool], notes: List[str]) -> Tuple[str, int, List[str]]:
    R = TypeResolver(custom, "_c.", unsupported, hashable)
    body = Emitter()
    structs: List[str] = []
    constants: List[str] = []
    generated = 0
    skipped = []
    for method in service.get("methods", []):
        mg = MethodGen(service, method, R)
        try:
            mg.check()
        except Unsupported as e:
            skipped.append("%s: %s" % (mg.mname, e))
            notes.append("skipped %s.%s: %s" % (service["name"], mg.mname, e))
            continue
        constants.extend(mg.constants())
        sub = Emitter()
        mg.generate(sub, structs)
        body.extend(sub.lines)
        generated += 1
    E = Emitter()
    E(HEADER.rstrip())
    E('"""Codecs of the %s service (id %d, definitions/%s.yaml).' % (service["name"], service["id"],
                                                                     service["name"]))
    E()
    E("See tools/gen_codecs.py for the naming and value conventions.")
    if skipped:
        E()
        E("Methods not generated (unsupported types):")
        E()
        for s in skipped:
            E("* " + s)
    E('"""')
    E()
    used = "\n".join(body.lines) + "\n" + "\n".join("\n".join(h) for h in R.helpers.values())
    E("from struct import Struct as _Struct")
    E()
    E("from hzgreen.protocol import builtin as _b")
    if "_c." in used:
        E("from hzgreen.protocol import custom as _c")
    if "_s." in used:
        E("from hzgreen.protocol import sql as _s")
    frame_imports = [imp for imp, alias in (("FrameIterator as _FI", "_FI("), ("Frame as _F", "_F("),
                                              ("NULL_FRAME as _NULL", "_NULL")) if alias in used]
    if frame_imports:
        E("from hzgreen.protocol.frame import " + ", ".join(frame_imports))
    E("from hzgreen.protocol.message import ClientMessage as _M")
    E()
    E("_ERRORS = _b.DECODE_ERRORS")
    for alias, target in (("_up", "uuid_parts"), ("_uf", "uuid_from"), ("_b_count", "count_present")):
        if alias + "(" in used:
            E("%s = _b.%s" % (alias, target))
    E()
    E("SERVICE_ID = %d" % service["id"])
    E("SERVICE_NAME = %r" % service["name"])
    E()
    E.extend(constants)
    E()
    E.extend(structs)
    for helper in R.helpers.values():
        E()
        E()
        E.extend(helper)
    E()
    E()
    E.extend(body.lines)
    text = "\n".join(E.lines).rstrip() + "\n"
    # drop unused imports of FrameIterator / NULL
    return text, generated, skipped
