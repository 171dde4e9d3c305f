"""Generates ``hzgreen/protocol/codecs/<service>.py``: constants and codecs of every method."""

from __future__ import annotations

import keyword
import re
from typing import Dict, List, Tuple

from .emit import HEADER, Emitter, py_type
from .methods import MethodGen
from .model import Param
from .typemap import TypeResolver, Unsupported


def gen_service_module(
    service: dict, custom: Dict[str, dict], unsupported: Dict[str, str], hashable: Dict[str, bool], notes: List[str]
) -> Tuple[str, int, List[str]]:
    R = TypeResolver(custom, "_c.", unsupported, hashable)
    body = Emitter()
    structs: List[str] = []
    constants: List[str] = []
    generated = 0
    skipped = []
    typed_dicts: List[Tuple[str, List[Param]]] = []
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
        typed_dicts.extend(mg.typed_dicts)
        body.extend(sub.lines)
        generated += 1
    E = Emitter()
    E(HEADER.rstrip())
    E('"""Codecs of the %s service (id %d, definitions/%s.yaml).' % (service["name"], service["id"], service["name"]))
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
    dict_lines = typed_dict_lines(typed_dicts, R)
    E("from __future__ import annotations")
    E()
    E("from struct import Struct as _Struct")
    E("from typing import TYPE_CHECKING")
    E()
    E("from hzgreen.protocol import builtin as _b")
    if "_c." in used:
        E("from hzgreen.protocol import custom as _c")
    if "_s." in used:
        E("from hzgreen.protocol import sql as _s")
    frame_imports = [
        imp
        for imp, alias in (("FrameIterator as _FI", "_FI("), ("Frame as _F", "_F("), ("NULL_FRAME as _NULL", "_NULL"))
        if alias in used
    ]
    if frame_imports:
        E("from hzgreen.protocol.frame import " + ", ".join(frame_imports))
    E("from hzgreen.protocol.message import ClientMessage as _M")
    E()
    E.extend(type_imports(used + "\n" + "\n".join(dict_lines)))
    E()
    E("_ERRORS = _b.DECODE_ERRORS")
    for alias, target in (
        ("_up", "uuid_parts"),
        ("_uf", "uuid_from"),
        ("_ufr", "required_uuid_from"),
        ("_b_count", "count_present"),
    ):
        if alias + "(" in used:
            E("%s = _b.%s" % (alias, target))
    E()
    E("SERVICE_ID = %d" % service["id"])
    E("SERVICE_NAME = %r" % service["name"])
    E()
    E.extend(constants)
    E()
    E.extend(structs)
    if dict_lines:
        E()
        E("if TYPE_CHECKING:")
        E("    # The decoded dicts, for type checkers only (no run-time cost).")
        E.extend(dict_lines, 1)
    for helper in R.helpers.values():
        E()
        E()
        E.extend(helper)
    E()
    E()
    E.extend(body.lines)
    text = "\n".join(E.lines).rstrip() + "\n"
    return text, generated, skipped


def typed_dict_lines(typed_dicts: List[Tuple[str, List[Param]]], R: TypeResolver) -> List[str]:
    """TypedDict classes of the decoded dicts (the functional form when a key is a keyword)."""
    lines: List[str] = []
    seen = set()
    for name, params in typed_dicts:
        if name in seen:
            raise ValueError("two decoded dicts named %s" % name)
        seen.add(name)
        lines.append("")
        if any(keyword.iskeyword(p.key) for p in params):
            fields = ", ".join("%r: %s" % (p.key, py_type(p, R)) for p in params)
            lines.append("%s = TypedDict(%r, {%s})" % (name, name, fields))
            continue
        lines.append("class %s(TypedDict):" % name)
        for p in params:
            lines.append("    %s: %s" % (p.key, py_type(p, R)))
        if not params:
            lines.append("    pass")
    return lines[1:]


def type_imports(text: str) -> List[str]:
    """The ``if TYPE_CHECKING:`` imports of the names the annotations in ``text`` use."""
    lines = ["if TYPE_CHECKING:"]
    if "_uuid." in text:
        lines.append("    import uuid as _uuid")
    typing_names = [n for n in ("Callable", "Iterable", "Mapping", "TypedDict") if re.search(r"\b%s\b" % n, text)]
    if typing_names:
        lines.append("    from typing import " + ", ".join(typing_names))
    lines.append("")
    frame_names = [n for n in ("Frame", "FrameIterator") if re.search(r"\b%s\b" % n, text)]
    if frame_names:
        lines.append("    from hzgreen.protocol.frame import " + ", ".join(frame_names))
    lines.append("    from hzgreen.protocol.message import ClientMessage")
    return lines
