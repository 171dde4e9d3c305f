"""The protocol definitions as the generator sees them: YAML loading, parameters, custom types.

:class:`Param` is one declared parameter (or custom-type field) with its optional-ness derived
from ``since``; :func:`analyse_custom` decides which custom types can be generated and which are
hashable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import yaml

from .naming import ident, snake, version
from .typemap import FIXED, SINGLE_BUILTINS, TypeResolver, Unsupported


def load_custom(defs: Path) -> Dict[str, dict]:
    data = yaml.safe_load((defs / "custom" / "Custom.yaml").read_text())
    return {t["name"]: t for t in data["customTypes"]}


def load_service(path: Path) -> dict:
    """One service definition (``<Service>.yaml``)."""
    return yaml.safe_load(path.read_text())


class Param:
    def __init__(self, spec: dict, owner_since) -> None:
        self.name = spec["name"]
        self.type = spec["type"]
        self.nullable = bool(spec.get("nullable", False))
        self.since = version(spec.get("since", owner_since))
        self.optional = self.since > version(owner_since)
        self.ident = ident(self.name)
        self.key = snake(self.name)
        self.fixed = self.type in FIXED


def split_params(params: List[Param]):
    fixed = [p for p in params if p.fixed]
    var = [p for p in params if not p.fixed]
    return fixed, var


def check_optional_order(params: List[Param], what: str) -> None:
    """Optional fixed parameters must follow all required fixed ones (same for var)."""
    for group in split_params(params):
        seen_optional = False
        for p in group:
            if p.optional:
                seen_optional = True
            elif seen_optional:
                raise Unsupported("%s: required parameter %s after an optional one" % (what, p.name))


def custom_dependencies(t: dict) -> List[str]:
    out = []
    for p in t.get("params", []):
        out.extend(re.findall(r"[A-Za-z]+", p["type"]))
    return out


def analyse_custom(custom: Dict[str, dict]):
    """Find unsupported custom types (fixpoint) and which types are hashable."""
    unsupported: Dict[str, str] = {}
    while True:
        R = TypeResolver(custom, "", unsupported, {})
        changed = False
        for name, t in custom.items():
            if name in unsupported:
                continue
            try:
                params = [Param(p, t["since"]) for p in t.get("params", [])]
                check_optional_order(params, name)
                fixed, var = split_params(params)
                if fixed and all(p.optional for p in fixed):
                    raise Unsupported("all fixed fields are newer than the type (BEGIN-flagged initial frame)")
                for p in var:
                    R.resolve(p.type)
            except Unsupported as e:
                unsupported[name] = str(e)
                changed = True
        if not changed:
            break
    hashable: Dict[str, bool] = {}

    def is_hashable(name: str, stack=()) -> bool:
        if name in hashable:
            return hashable[name]
        if name in stack:
            return False
        ok = True
        for p in custom[name].get("params", []):
            ty = p["type"]
            if ty in FIXED:
                continue
            if ty in SINGLE_BUILTINS:
                ok = ok and SINGLE_BUILTINS[ty].hashable
            elif ty in custom:
                ok = ok and is_hashable(ty, stack + (name,))
            else:
                ok = False
        hashable[name] = ok
        return ok

    for name in custom:
        is_hashable(name)
    return unsupported, hashable
