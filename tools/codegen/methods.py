"""Generates the codecs of one service method: request, response and events, both directions."""

from __future__ import annotations

from typing import List, Tuple

from .emit import (
    Emitter,
    all_single,
    arg_type,
    declare_locals,
    fixed_decode_struct,
    gen_fixed_block,
    gen_fixed_decode,
    gen_var_decode_indexed,
    gen_var_decode_iter,
    gen_var_encode,
    optional_structs,
    py_type,
)
from .model import Param, check_optional_order, split_params
from .naming import camel, snake
from .typemap import TypeResolver

# Events that members send with the BACKUP_EVENT flag.
BACKUP_EVENTS = {("Client", "localBackupListener", "backup")}


class MethodGen:
    def __init__(self, service: dict, method: dict, R: TypeResolver) -> None:
        self.service = service
        self.method = method
        self.R = R
        self.sname = service["name"]
        self.mname = method["name"]
        self.msnake = snake(self.mname)
        self.const = self.msnake.upper()
        self.since = method["since"]
        req = method.get("request") or {}
        resp = method.get("response") or {}
        self.retryable = bool(req.get("retryable", False))
        self.partition_identifier = req.get("partitionIdentifier")
        self.req = [Param(p, self.since) for p in req.get("params") or []]
        self.resp = [Param(p, self.since) for p in resp.get("params") or []]
        self.events = []
        for e in method.get("events") or []:
            esince = e.get("since", self.since)
            self.events.append((e["name"], esince, [Param(p, esince) for p in e.get("params") or []]))
        self.request_type = (service["id"] << 16) | (method["id"] << 8)
        #: The TypedDicts of the decoded dicts: (class name, fields).
        self.typed_dicts: List[Tuple[str, List[Param]]] = []

    def check(self) -> None:
        for params, what in [(self.req, "request"), (self.resp, "response")] + [
            (ps, "event " + n) for n, _, ps in self.events
        ]:
            check_optional_order(params, "%s.%s %s" % (self.sname, self.mname, what))
            for p in params:
                if not p.fixed:
                    self.R.resolve(p.type)

    # -- encoding
    def gen_encoder(
        self,
        E: Emitter,
        structs: List[str],
        kind: str,
        params: List[Param],
        fn: str,
        type_const: str,
        flags: int,
        event_name: str = "",
    ) -> None:
        fixed, var = split_params(params)
        required = [p for p in params if not p.optional]
        optional = [p for p in params if p.optional]
        sig = ", ".join(
            ["%s: %s" % (p.ident, arg_type(p, self.R)) for p in required]
            + ["%s: %s = None" % (p.ident, arg_type(p, self.R)) for p in optional]
        )
        E("def %s(%s) -> ClientMessage:" % (fn, sig))
        what = "%s.%s %s" % (self.sname, self.mname, kind if kind != "event" else event_name + " event")
        since = {}
        for p in optional:
            since.setdefault(".".join(map(str, p.since)), []).append(p.ident)
        newer = "".join("; since %s, optional: %s" % (v, ", ".join(names)) for v, names in since.items())
        E('    """Encode the %s%s; returns its ClientMessage."""' % (what, newer))
        if kind == "response":
            header_codes, header_args = "iqB", [type_const, "0", "0"]
        else:
            header_codes, header_args = "iqi", [type_const, "0", "-1"]
        sname = "_%s_%s_FIXED" % (self.const, (event_name.upper() + "_EVENT" if kind == "event" else kind.upper()))
        sname = sname.replace("__", "_")
        structs.extend(optional_structs(sname, header_codes, fixed))
        gen_fixed_block(E, 1, sname, header_codes, header_args, fixed, lambda p: p.ident, True, "_buf")
        singles = []
        rest = list(var)
        while rest and not rest[0].optional and self.R.resolve(rest[0].type).single:
            p = rest.pop(0)
            vt = self.R.resolve(p.type)
            fx = vt.frame.format(p.ident)
            singles.append("_NULL if %s is None else %s" % (p.ident, fx) if p.nullable else fx)
        retry = "True" if (kind == "request" and self.retryable) else "False"
        if not rest:
            E("    return _M([%s], %s)" % (", ".join(["_F(_buf, %d)" % flags] + singles), retry))
        else:
            E("    _frames = [%s]" % ", ".join(["_F(_buf, %d)" % flags] + singles))
            gen_var_encode(E, 1, rest, lambda p: p.ident, self.R, "_frames")
            E("    return _M(_frames, %s)" % retry)
        E()
        E()

    def typed_dict_name(self, kind: str, event_name: str = "") -> str:
        """``PutRequest``, ``AuthenticationResponse``, ``AddEntryListenerEntryEvent``."""
        if kind == "event":
            return camel(self.mname) + camel(event_name) + "Event"
        return camel(self.mname) + camel(kind)

    # -- decoding
    def gen_decoder(
        self, E: Emitter, structs: List[str], kind: str, params: List[Param], fn: str, style: str, event_name: str = ""
    ) -> None:
        fixed, var = split_params(params)
        what = "%s.%s %s" % (self.sname, self.mname, kind if kind != "event" else event_name + " event")
        if style == "single" and len(params) == 1:
            rtype = py_type(params[0], self.R)
            ret = "the %s" % params[0].ident
        elif style == "single" and not params:
            rtype = ret = "None"
        else:
            rtype = self.typed_dict_name(kind, event_name)
            self.typed_dicts.append((rtype, params))
            ret = "the %s dict" % rtype
        E("def %s(msg: ClientMessage) -> %s:" % (fn, rtype))
        if not params:
            E('    """Decode the %s; returns %s."""' % (what, ret))
            E("    return None" if style == "single" else "    return {}")
            E()
            E()
            return
        E('    """Decode the %s; returns %s; raises ProtocolError if malformed."""' % (what, ret))
        declare_locals(E, 1, params, self.R)
        E("    try:")
        E("        _fs = msg.frames")
        offset = 13 if kind == "response" else 16
        dname = "_%s_%s_DFIXED" % (self.const, (event_name.upper() + "_EVENT" if kind == "event" else kind.upper()))
        dname = dname.replace("__", "_")
        if fixed:
            st = fixed_decode_struct(dname, fixed)
            if st:
                structs.append(st)
            E("        _c0 = _fs[0].content")
            gen_fixed_decode(E, 2, dname, fixed, "_c0", offset, lambda p: p.ident)
        if all_single(var, self.R):
            gen_var_decode_indexed(E, 2, var, self.R, 1, lambda p: p.ident, "_fs")
        else:
            E("        _it = _FI(_fs, 1)")
            gen_var_decode_iter(E, 2, var, self.R, lambda p: p.ident, "_it", in_struct=False)
        if style == "single" and len(params) == 1:
            E("        return %s" % params[0].ident)
        else:
            E("        return {%s}" % ", ".join("%r: %s" % (p.key, p.ident) for p in params))
        E("    except _ERRORS as _e:")
        E("        raise _b.malformed(%r, _e) from None" % what)
        E()
        E()

    def generate(self, E: Emitter, structs: List[str]) -> None:
        c = self.const
        E("# --- %s (%s) " % (self.mname, "0x%06x" % self.request_type) + "-" * max(3, 80 - 14 - len(self.mname)))
        E()
        fn = self.msnake
        self.gen_encoder(E, structs, "request", self.req, "encode_%s_request" % fn, "%s_REQUEST_TYPE" % c, 0xC000)
        self.gen_decoder(E, structs, "response", self.resp, "decode_%s_response" % fn, "single")
        for ename, _, eparams in self.events:
            es = snake(ename)
            self.gen_decoder(E, structs, "event", eparams, "decode_%s_%s_event" % (fn, es), "dict", ename)
        if self.events:
            E("%s_EVENT_DECODERS: dict[int, Callable[[ClientMessage], Mapping[str, object]]] = {" % c)
            for ename, _, _ in self.events:
                es = snake(ename)
                E("    %s_%s_EVENT_TYPE: decode_%s_%s_event," % (c, es.upper(), fn, es))
            E("}")
            E()
            E()
        # member-side directions
        self.gen_decoder(E, structs, "request", self.req, "decode_%s_request" % fn, "dict")
        self.gen_encoder(E, structs, "response", self.resp, "encode_%s_response" % fn, "%s_RESPONSE_TYPE" % c, 0xC000)
        for ename, _, eparams in self.events:
            es = snake(ename)
            flags = 0xC000 | 0x0200
            if (self.sname, self.mname, ename) in BACKUP_EVENTS:
                flags |= 0x0080
            self.gen_encoder(
                E,
                structs,
                "event",
                eparams,
                "encode_%s_%s_event" % (fn, es),
                "%s_%s_EVENT_TYPE" % (c, es.upper()),
                flags,
                ename,
            )

    def constants(self) -> List[str]:
        c = self.const
        out = [
            "%s_REQUEST_TYPE = 0x%06X" % (c, self.request_type),
            "%s_RESPONSE_TYPE = 0x%06X" % (c, self.request_type + 1),
        ]
        for i, (ename, _, _) in enumerate(self.events):
            out.append("%s_%s_EVENT_TYPE = 0x%06X" % (c, snake(ename).upper(), self.request_type + 2 + i))
        return out
