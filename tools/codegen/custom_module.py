"""Generates ``hzgreen/protocol/custom.py``: one class and one encode/decode pair per custom type."""

from __future__ import annotations

from typing import Dict, List

from .emit import (
    HEADER,
    SPECIAL,
    Emitter,
    declare_locals,
    fixed_decode_struct,
    gen_fixed_block,
    gen_fixed_decode,
    gen_var_decode_iter,
    gen_var_encode,
    optional_structs,
    py_type,
)
from .model import Param, split_params
from .naming import snake
from .typemap import TypeResolver

# Constructor order overrides for custom classes (by YAML field name).  Fields not listed keep
# their YAML order after the listed ones.
FIELD_ORDER_OVERRIDES = {
    "MemberInfo": ["address", "uuid", "liteMember", "attributes", "version", "addressMap"],
}

# Extra methods added to some custom classes.
CLASS_EXTRAS = {
    "Address": [
        "def __str__(self) -> str:",
        "    if ':' in self.host:",
        "        return '[%s]:%d' % (self.host, self.port)",
        "    return '%s:%d' % (self.host, self.port)",
    ],
    "MemberVersion": [
        "def __str__(self) -> str:",
        "    return '%d.%d.%d' % (self.major, self.minor, self.patch)",
    ],
    "Version": [
        "def __str__(self) -> str:",
        "    return '%d.%d' % (self.major, self.minor)",
    ],
}


def gen_custom_module(custom: Dict[str, dict], unsupported: Dict[str, str], hashable: Dict[str, bool]) -> str:
    R = TypeResolver(custom, "", unsupported, hashable)
    E = Emitter()
    structs: List[str] = []
    classes = Emitter()
    codecs = Emitter()
    names = []
    for name, t in custom.items():
        if name in unsupported:
            continue
        names.append(name)
        params = [Param(p, t["since"]) for p in t.get("params", [])]
        fixed, var = split_params(params)
        s = snake(name)
        # -- class
        order = FIELD_ORDER_OVERRIDES.get(name)
        ordered = params
        if order:
            by_name = {p.name: p for p in params}
            ordered = [by_name[n] for n in order] + [p for p in params if p.name not in order]
        ordered = [p for p in ordered if not p.optional] + [p for p in ordered if p.optional]
        # Fields hold what the decoder produces (lists and dicts, not any iterable).
        sig = ", ".join(
            ["self"] + ["%s: %s%s" % (p.ident, py_type(p, R), " = None" if p.optional else "") for p in ordered]
        )
        classes("class %s:" % name)
        classes(
            '    """Custom type %s (since %s); fields: %s."""'
            % (name, t["since"], ", ".join(p.ident for p in ordered) or "none")
        )
        classes()
        classes("    __slots__ = (%s)" % "".join("%r, " % p.ident for p in ordered))
        classes()
        classes("    def __init__(%s) -> None:" % sig)
        for p in ordered:
            classes("        self.%s = %s" % (p.ident, p.ident))
        if not ordered:
            classes("        pass")
        classes()
        classes("    def __repr__(self) -> str:")
        classes(
            "        return '%s(%s)' %% (%s)"
            % (name, ", ".join("%s=%%r" % p.ident for p in ordered), "".join("self.%s, " % p.ident for p in ordered))
        )
        classes()
        classes("    def __eq__(self, other: object) -> bool:")
        classes("        if other.__class__ is not self.__class__:")
        classes("            return NotImplemented")
        if ordered:
            classes("        return (%s)" % " and ".join("self.%s == other.%s" % (p.ident, p.ident) for p in ordered))
        else:
            classes("        return True")
        classes()
        if hashable.get(name):
            classes("    def __hash__(self) -> int:")
            classes("        return hash((%s))" % "".join("self.%s, " % p.ident for p in ordered))
        else:
            # None makes instances unhashable (typeshed types __hash__ as a method only).
            classes("    __hash__ = None  # type: ignore[assignment]  # mutable container fields")
        extras = CLASS_EXTRAS.get(name)
        if extras:
            classes()
            for line in extras:
                classes("    " + line)
        classes()
        classes()
        # -- struct
        sname = "_%s_FIXED" % s.upper()
        if fixed:
            structs.extend(optional_structs(sname, "", fixed))
        # -- encoder
        codecs("def encode_%s(frames: list[Frame], obj: %s) -> None:" % (s, name))
        codecs('    """Append the frames of ``obj`` (%s) to ``frames``; returns None."""' % name)
        codecs("    frames.append(_BEGIN)")
        if fixed:
            gen_fixed_block(codecs, 1, sname, "", [], fixed, lambda p: "obj." + p.ident, False, "_content")
            codecs("    frames.append(_F(_content, 0))")
        gen_var_encode(codecs, 1, var, lambda p: "obj." + p.ident, R, "frames")
        codecs("    frames.append(_END)")
        codecs()
        codecs()
        # -- decoder
        codecs("def decode_%s(it: FrameIterator) -> %s:" % (s, name))
        codecs(
            '    """Read the %s at the cursor and return it; raises ProtocolError (or struct.error,'
            ' IndexError, UnicodeDecodeError) if malformed."""' % name
        )
        declare_locals(codecs, 1, ordered, R)
        codecs("    it.next_begin()")
        if fixed:
            codecs("    _f = it.next()")
            codecs("    if _f.flags & %d:" % SPECIAL)
            codecs("        raise _b.unexpected_null(_f, 'the initial frame of %s')" % name)
            codecs("    _content = _f.content")
            dstruct = fixed_decode_struct(sname + "_D", fixed)
            if dstruct:
                structs.append(dstruct)
            gen_fixed_decode(codecs, 1, sname + "_D", fixed, "_content", 0, lambda p: p.ident)
        gen_var_decode_iter(codecs, 1, var, R, lambda p: p.ident, "it", in_struct=True)
        codecs("    it.skip_to_end_frame()")
        codecs("    return %s(%s)" % (name, ", ".join(p.ident for p in ordered)))
        codecs()
        codecs()
    E(HEADER.rstrip())
    E('"""Custom types of the Open Client Protocol (definitions/custom/Custom.yaml).')
    E()
    E("Each type is a class with ``__slots__``, ``__repr__`` and ``__eq__`` (and ``__hash__`` when all")
    E("fields are immutable), plus ``encode_<type>(frames, obj)`` / ``decode_<type>(it)``: ")
    E("``BEGIN [fixed fields frame] variable-size field frames... END`` (NOTES.md §5.4).  Decoders")
    E("skip unknown trailing fields up to the matching END frame and read fields newer than the")
    E("type only when present (absent -> None).")
    E('"""')
    E()
    E("from __future__ import annotations")
    E()
    E("from struct import Struct as _Struct")
    E("from typing import TYPE_CHECKING")
    E()
    E("from hzgreen.protocol import builtin as _b")
    E("from hzgreen.protocol.frame import BEGIN_FRAME as _BEGIN, END_FRAME as _END, NULL_FRAME as _NULL, Frame as _F")
    E()
    E("if TYPE_CHECKING:")
    E("    import uuid as _uuid")
    E("    from typing import Iterable")
    E()
    E("    from hzgreen.protocol.frame import Frame, FrameIterator")
    E()
    E("_up = _b.uuid_parts")
    E("_uf = _b.uuid_from")
    E("_ufr = _b.required_uuid_from")
    E("_b_count = _b.count_present")
    E()
    E("__all__ = [%s]" % ", ".join("%r" % n for n in names))
    E()
    E()
    E.extend(classes.lines)
    E.extend(structs)
    E()
    for helper in R.helpers.values():
        E()
        E.extend(helper)
        E()
    E()
    E.extend(codecs.lines)
    if unsupported:
        E("# Not generated (unsupported field types):")
        for name, why in unsupported.items():
            E("#   %s: %s" % (name, why))
    return "\n".join(E.lines).rstrip() + "\n"
