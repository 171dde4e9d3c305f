"""How each YAML type of the protocol is written in generated code.

Fixed-size types (:data:`FIXED`) are packed into the initial frame with ``struct``; every
variable-size type resolves (:class:`TypeResolver`) to a :class:`VarType` naming the
``hzgreen.protocol.builtin`` / custom / SQL functions that encode and decode it, with helper
functions emitted into the generated module for composite lists and entry lists.

Every type also has two annotations, written in the generated module's names (``_uuid``,
``Iterable``, ``_b``, ``_c``, ``_s``, ``Frame``, ``FrameIterator``): ``pytype``, what a decoder
returns (``list[...]``, ``dict[...]``), and ``argtype``, what an encoder accepts
(``Iterable[...]``, ``_b.Pairs[K, V]`` = a mapping or an iterable of pairs).  Items of packed UUID
lists may be None on the wire and are typed so; everything else follows the YAML nullability.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from .naming import snake


class Unsupported(Exception):
    pass


FIXED = {
    # yaml type: (struct codes, size, default-when-omitted expr, python type)
    "byte": ("b", 1, "0", "int"),
    "boolean": ("?", 1, "False", "bool"),
    "short": ("h", 2, "0", "int"),
    "int": ("i", 4, "0", "int"),
    "float": ("f", 4, "0.0", "float"),
    "long": ("q", 8, "0", "int"),
    "double": ("d", 8, "0.0", "float"),
    "UUID": ("BQQ", 17, "None", "_uuid.UUID"),
}

#: Python type of a packed UUID item (each one carries its own is-null flag).
OPT_UUID = "_uuid.UUID | None"
#: Python types of the fixed-size items of packed lists and entry lists.
PACKED_PYTYPE = {"Integer": "int", "Long": "int", "UUID": OPT_UUID}

PACKED_ELEMENT = {"Integer", "Long", "UUID"}


class VarType:
    """How a variable-size type is encoded/decoded in generated code.

    ``frame``/``from_`` are format strings (``{}`` = the value / the frame expression) for
    single-frame types; ``enc``/``dec`` are names of functions ``(frames, value)`` / ``(it)``.
    ``pytype`` is the decoded Python type, ``argtype`` what encoders accept (default: pytype).
    """

    def __init__(
        self,
        name: str,
        enc: str,
        dec: str,
        frame: Optional[str] = None,
        from_: Optional[str] = None,
        empty: Optional[str] = None,
        hashable: bool = False,
        pytype: str = "object",
        argtype: Optional[str] = None,
    ) -> None:
        self.name = name
        self.enc = enc
        self.dec = dec
        self.frame = frame
        self.from_ = from_
        self.empty = empty
        self.hashable = hashable
        self.pytype = pytype
        self.argtype = argtype or pytype

    @property
    def single(self) -> bool:
        return self.frame is not None


def _builtin_single(
    name: str,
    base: str,
    empty: Optional[str],
    hashable: bool,
    pytype: str,
    argtype: Optional[str] = None,
    frame: Optional[str] = None,
) -> VarType:
    return VarType(
        name,
        "_b.encode_" + base,
        "_b.decode_" + base,
        frame or ("_b.%s_frame({})" % base),
        "_b.%s_from({})" % base,
        empty,
        hashable,
        pytype,
        argtype,
    )


def _entry_types(
    key: str, value: str, key_arg: Optional[str] = None, value_arg: Optional[str] = None
) -> Tuple[str, str]:
    """(pytype, argtype) of an entry list of ``key`` / ``value`` Python types."""
    return ("list[tuple[%s, %s]]" % (key, value), "_b.Pairs[%s, %s]" % (key_arg or key, value_arg or value))


SINGLE_BUILTINS = {
    "String": _builtin_single("String", "string", '""', True, "str", frame='_F({}.encode("utf-8"), 0)'),
    "Data": _builtin_single("Data", "data", None, True, "bytes", frame="_F({}, 0)"),
    "byteArray": _builtin_single("byteArray", "byte_array", 'b""', True, "bytes", frame="_F({}, 0)"),
    "longArray": _builtin_single("longArray", "long_array", "[]", False, "list[int]", "Iterable[int]"),
    "floatArray": _builtin_single("floatArray", "float_array", "[]", False, "list[float]", "Iterable[float]"),
    "List_Integer": _builtin_single("List_Integer", "list_integer", "[]", False, "list[int]", "Iterable[int]"),
    "List_Long": _builtin_single("List_Long", "list_long", "[]", False, "list[int]", "Iterable[int]"),
    "List_UUID": _builtin_single(
        "List_UUID", "list_uuid", "[]", False, "list[%s]" % OPT_UUID, "Iterable[%s]" % OPT_UUID
    ),
    "Set_UUID": _builtin_single("Set_UUID", "set_uuid", "[]", False, "list[%s]" % OPT_UUID, "Iterable[%s]" % OPT_UUID),
}
for _k, _v in (
    ("Integer", "Integer"),
    ("Integer", "Long"),
    ("Integer", "UUID"),
    ("UUID", "Long"),
    ("UUID", "UUID"),
    ("Long", "Long"),
):
    _n = "EntryList_%s_%s" % (_k, _v)
    SINGLE_BUILTINS[_n] = _builtin_single(
        _n, snake(_n).replace("u_u_i_d", "uuid"), "[]", False, *_entry_types(PACKED_PYTYPE[_k], PACKED_PYTYPE[_v])
    )

# Multi-frame builtins with a dedicated function in hzgreen.protocol.builtin:
# yaml type: (function suffix, empty value, pytype, argtype).
MULTI_BUILTINS = {
    "List_Data": ("list_data", "[]", "list[bytes]", "Iterable[bytes]"),
    "ListCN_Data": ("list_cn_data", "[]", "list[bytes | None]", "Iterable[bytes | None]"),
    "List_String": ("list_string", "[]", "list[str]", "Iterable[str]"),
    "List_byteArray": ("list_byte_array", "[]", "list[bytes]", "Iterable[bytes]"),
    "EntryList_Data_Data": ("entry_list_data_data", "[]", *_entry_types("bytes", "bytes")),
    "EntryList_String_String": ("entry_list_string_string", "[]", *_entry_types("str", "str")),
    "EntryList_String_byteArray": ("entry_list_string_byte_array", "[]", *_entry_types("str", "bytes")),
    "Map_String_String": ("map_string_string", "{}", "dict[str, str]", "_b.Pairs[str, str]"),
    "Map_String_Data": ("map_string_data", "{}", "dict[str, bytes]", "_b.Pairs[str, bytes]"),
    "EntryList_UUID_List_Integer": (
        "entry_list_uuid_list_integer",
        "[]",
        *_entry_types(OPT_UUID, "list[int]", value_arg="Iterable[int]"),
    ),
    "EntryList_Long_byteArray": ("entry_list_long_byte_array", "[]", *_entry_types("int", "bytes")),
}

# Hand-written codecs for types that are not expressible from the YAML.
HAND_WRITTEN = {
    "SqlPage": VarType("SqlPage", "_s.encode_sql_page", "_s.decode_sql_page", empty=None, pytype="_s.SqlPage"),
}


class TypeResolver:
    """Resolves YAML type names to VarType, emitting helper functions into a module."""

    def __init__(
        self,
        custom_types: Dict[str, dict],
        custom_prefix: str,
        unsupported_custom: Dict[str, str],
        hashable_custom: Dict[str, bool],
    ) -> None:
        self.custom_types = custom_types
        self.custom_prefix = custom_prefix  # "" inside custom.py, "_c." elsewhere
        self.unsupported_custom = unsupported_custom
        self.hashable_custom = hashable_custom
        self.helpers: Dict[str, List[str]] = {}  # helper function name -> code lines
        self.cache: Dict[str, VarType] = {}
        self.uses_sql = False

    def is_fixed(self, t: str) -> bool:
        return t in FIXED

    def resolve(self, t: str) -> VarType:
        if t in self.cache:
            return self.cache[t]
        vt = self._resolve(t)
        self.cache[t] = vt
        return vt

    def _helper(self, name: str, lines: List[str]) -> str:
        if name not in self.helpers:
            self.helpers[name] = lines
        return name

    def _resolve(self, t: str) -> VarType:
        if t in FIXED:
            raise Unsupported("fixed-size type %s used as a variable-size item" % t)
        if t in SINGLE_BUILTINS:
            return SINGLE_BUILTINS[t]
        if t in MULTI_BUILTINS:
            base, empty, pytype, argtype = MULTI_BUILTINS[t]
            return VarType(t, "_b.encode_" + base, "_b.decode_" + base, empty=empty, pytype=pytype, argtype=argtype)
        if t in HAND_WRITTEN:
            self.uses_sql = True
            return HAND_WRITTEN[t]
        if t in self.custom_types:
            if t in self.unsupported_custom:
                raise Unsupported("custom type %s: %s" % (t, self.unsupported_custom[t]))
            s = snake(t)
            return VarType(
                t,
                "%sencode_%s" % (self.custom_prefix, s),
                "%sdecode_%s" % (self.custom_prefix, s),
                hashable=self.hashable_custom.get(t, False),
                pytype=self.custom_prefix + t,
            )
        for prefix, cn in (("List_", False), ("ListCN_", True)):
            if t.startswith(prefix):
                item = t[len(prefix) :]
                if item in PACKED_ELEMENT:
                    raise Unsupported("type %s" % t)
                it = self.resolve(item)
                base = snake(t).replace("u_u_i_d", "uuid")
                null = " | None" if cn else ""
                pytype = "list[%s%s]" % (it.pytype, null)
                argtype = "Iterable[%s%s]" % (it.argtype, null)
                enc = self._helper(
                    "_encode_" + base,
                    [
                        "def _encode_%s(frames: list[Frame], values: %s) -> None:" % (base, argtype),
                        "    _b.encode_list%s(frames, values, %s)" % ("_cn" if cn else "", it.enc),
                    ],
                )
                dec = self._helper(
                    "_decode_" + base,
                    [
                        "def _decode_%s(it: FrameIterator) -> %s:" % (base, pytype),
                        "    return _b.decode_list%s(it, %s)" % ("_cn" if cn else "", it.dec),
                    ],
                )
                return VarType(t, enc, dec, empty="[]", pytype=pytype, argtype=argtype)
        m = re.match(r"^(EntryList|Map)_([A-Za-z]+)_(.+)$", t)
        if m:
            kind, key, value = m.groups()
            is_map = kind == "Map"
            base = snake(t).replace("u_u_i_d", "uuid")
            if key in PACKED_ELEMENT and value in PACKED_ELEMENT:
                if is_map:
                    raise Unsupported("type %s" % t)
                raise Unsupported("type %s (add a packed codec to builtin.py)" % t)
            if key in PACKED_ELEMENT:
                vt = self.resolve(value)
                keys = {"Integer": "list_integer", "Long": "list_long", "UUID": "list_uuid"}[key]
                pytype, argtype = self._entry_types(is_map, PACKED_PYTYPE[key], PACKED_PYTYPE[key], vt)
                enc = self._helper(
                    "_encode_" + base,
                    [
                        "def _encode_%s(frames: list[Frame], pairs: %s) -> None:" % (base, argtype),
                        "    _b.encode_entry_list_fixed_key(frames, pairs, %s, _b.%s_frame)" % (vt.enc, keys),
                    ],
                )
                dec = self._helper(
                    "_decode_" + base,
                    [
                        "def _decode_%s(it: FrameIterator) -> %s:" % (base, pytype),
                        "    return %s(_b.decode_entry_list_fixed_key(it, %s, _b.%s_from))"
                        % ("dict" if is_map else "list", vt.dec, keys),
                    ],
                )
                return VarType(t, enc, dec, empty="{}" if is_map else "[]", pytype=pytype, argtype=argtype)
            kt = self.resolve(key)
            if value in FIXED or value in ("Integer", "Long", "Boolean"):
                raise Unsupported("type %s (variable-size key with fixed-size value)" % t)
            vt = self.resolve(value)
            pytype, argtype = self._entry_types(is_map, kt.pytype, kt.argtype, vt)
            enc = self._helper(
                "_encode_" + base,
                [
                    "def _encode_%s(frames: list[Frame], pairs: %s) -> None:" % (base, argtype),
                    "    _b.encode_entry_list(frames, pairs, %s, %s)" % (kt.enc, vt.enc),
                ],
            )
            dec = self._helper(
                "_decode_" + base,
                [
                    "def _decode_%s(it: FrameIterator) -> %s:" % (base, pytype),
                    "    return _b.decode_%s(it, %s, %s)" % ("map" if is_map else "entry_list", kt.dec, vt.dec),
                ],
            )
            return VarType(t, enc, dec, empty="{}" if is_map else "[]", pytype=pytype, argtype=argtype)
        raise Unsupported("unknown type %s" % t)

    @staticmethod
    def _entry_types(is_map: bool, key: str, key_arg: str, vt: VarType) -> Tuple[str, str]:
        """(pytype, argtype) of an entry list or map with ``key`` types and values of ``vt``."""
        argtype = "_b.Pairs[%s, %s]" % (key_arg, vt.argtype)
        if is_map:
            return "dict[%s, %s]" % (key, vt.pytype), argtype
        return "list[tuple[%s, %s]]" % (key, vt.pytype), argtype
