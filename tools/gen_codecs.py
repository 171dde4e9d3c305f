#!/usr/bin/env python3
"""Generate hzgreen's protocol codecs from the Open Client Protocol definitions.

Reads the service definitions (``<Service>.yaml``) and ``custom/Custom.yaml`` and writes

* ``hzgreen/protocol/custom.py``: one class per custom type plus ``encode_<type>`` /
  ``decode_<type>`` functions;
* ``hzgreen/protocol/codecs/<service>.py``: per method ``<METHOD>_REQUEST_TYPE``,
  ``<METHOD>_RESPONSE_TYPE``, ``<METHOD>_<EVENT>_EVENT_TYPE`` constants and
  ``encode_<method>_request``, ``decode_<method>_response``, ``decode_<method>_<event>_event``
  (plus the member-side directions ``decode_<method>_request``, ``encode_<method>_response`` and
  ``encode_<method>_<event>_event``, handy for tests and fake peers).

Usage: ``python tools/gen_codecs.py [--definitions DIR] [--output DIR] [--check]``.
PyYAML is needed here only; the generated code imports nothing but the standard library and
hzgreen.protocol / hzgreen.exceptions.

Naming and value conventions (the contract the runtime relies on):

* parameters in YAML declaration order, snake_cased (a Python keyword gets a trailing ``_``);
* parameters whose ``since`` is newer than their method's (or custom type's) ``since`` are
  optional: keyword arguments defaulting to None, placed after the others.  A None optional
  parameter is *omitted* from the message when no later optional parameter is given (older
  members never see it; newer members apply their own default).  If a later one is given, an
  omitted fixed-size one is written as 0/False/null-UUID, and a variable-size one as a NULL frame
  (nullable) or an empty value;
* decoders: no parameters -> None, one -> that value, several -> dict keyed by the snake_case
  names (events and member-side request decoders always return a dict).  Optional parameters
  absent from the message decode to None;
* every decoder raises ``hzgreen.exceptions.ProtocolError`` on malformed input.

Types (the generated code is ``mypy --strict`` clean):

* every function is annotated; ``codegen/typemap.py`` maps the YAML types (``int``/``long`` ->
  int, ``boolean`` -> bool, ``String`` -> str, ``Data``/``byteArray`` -> bytes, ``UUID`` ->
  uuid.UUID, ``List_X`` -> list, ``Map_K_V`` -> dict, ``EntryList_K_V`` -> list of tuples,
  custom types -> their classes in ``custom.py``); nullable and optional parameters add ``| None``.
  Encoders accept any iterable for lists and ``builtin.Pairs`` (a mapping or an iterable of
  pairs) for entry lists and maps;
* a decoded dict is typed by a TypedDict named ``<Method>Request``, ``<Method>Response`` or
  ``<Method><Event>Event`` (``PutRequest``, ``AuthenticationResponse``,
  ``AddEntryListenerEntryEvent``), defined under ``if TYPE_CHECKING:`` so that it costs nothing
  at run time: import it under ``TYPE_CHECKING`` too;
* the types state the protocol, the decoders stay lenient: a null where the YAML says
  non-nullable (a UUID flagged null, a NULL item of a ``List_X``, a NULL entry value) still
  decodes to None, through the same functions (``builtin.required_uuid_from`` *is*
  ``uuid_from``, ``decode_list`` *is* ``decode_list_cn``).  Items of packed UUID lists, which
  the YAML cannot mark, are typed ``uuid.UUID | None``;
* local variables of decoders are declared with bare annotations, which Python does not
  evaluate: the bytecode of the generated functions is what it was before the annotations.

The generator itself is the ``codegen`` package next to this file: ``naming`` (Python names),
``typemap`` (YAML type -> generated expression), ``model`` (YAML loading, parameters, custom
types), ``emit`` (shared statement emitters), ``custom_module``, ``methods`` and
``service_module`` (the generated modules).  This file is the command line and re-exports the
package's public names.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Optional

from codegen.custom_module import CLASS_EXTRAS, FIELD_ORDER_OVERRIDES, gen_custom_module
from codegen.emit import (
    FIXED_STRUCT_NAME,
    HEADER,
    SPECIAL,
    Emitter,
    all_single,
    emit_var_param,
    fixed_codes,
    fixed_decode_struct,
    fixed_size,
    gen_fixed_block,
    gen_fixed_decode,
    gen_var_decode_indexed,
    gen_var_decode_iter,
    gen_var_encode,
    optional_structs,
    pack_args,
    struct_size,
)
from codegen.methods import BACKUP_EVENTS, MethodGen
from codegen.model import (
    Param,
    analyse_custom,
    check_optional_order,
    custom_dependencies,
    load_custom,
    load_service,
    split_params,
)
from codegen.naming import ident, module_name, snake, version
from codegen.service_module import gen_service_module
from codegen.typemap import (
    FIXED,
    HAND_WRITTEN,
    MULTI_BUILTINS,
    PACKED_ELEMENT,
    SINGLE_BUILTINS,
    TypeResolver,
    Unsupported,
    VarType,
)

__all__ = [
    "BACKUP_EVENTS",
    "CLASS_EXTRAS",
    "DEFAULT_DEFINITIONS",
    "FIELD_ORDER_OVERRIDES",
    "FIXED",
    "FIXED_STRUCT_NAME",
    "HAND_WRITTEN",
    "HEADER",
    "MULTI_BUILTINS",
    "PACKED_ELEMENT",
    "ROOT",
    "SINGLE_BUILTINS",
    "SPECIAL",
    "Emitter",
    "MethodGen",
    "Param",
    "TypeResolver",
    "Unsupported",
    "VarType",
    "all_single",
    "analyse_custom",
    "check_optional_order",
    "custom_dependencies",
    "emit_var_param",
    "fixed_codes",
    "fixed_decode_struct",
    "fixed_size",
    "gen_custom_module",
    "gen_fixed_block",
    "gen_fixed_decode",
    "gen_service_module",
    "gen_var_decode_indexed",
    "gen_var_decode_iter",
    "gen_var_encode",
    "ident",
    "load_custom",
    "load_service",
    "main",
    "module_name",
    "optional_structs",
    "pack_args",
    "snake",
    "split_params",
    "struct_size",
    "version",
]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEFINITIONS = ROOT.parent / "shared" / "protocol" / "definitions"


def main(argv: Optional[List[str]] = None) -> int:
    """Generate (or with ``--check`` compare) the codec modules; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--definitions",
        type=Path,
        default=DEFAULT_DEFINITIONS,
        help="directory with <Service>.yaml and custom/Custom.yaml (default: %(default)s)",
    )
    ap.add_argument(
        "--output",
        type=Path,
        default=ROOT / "hzgreen" / "protocol",
        help="hzgreen/protocol directory to write into (default: %(default)s)",
    )
    ap.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    defs = args.definitions
    custom = load_custom(defs)
    unsupported, hashable = analyse_custom(custom)
    notes: List[str] = []
    for name, why in unsupported.items():
        notes.append("skipped custom type %s: %s" % (name, why))
    outputs: Dict[Path, str] = {}
    outputs[args.output / "custom.py"] = gen_custom_module(custom, unsupported, hashable)
    summary = []
    for path in sorted(defs.glob("*.yaml")):
        service = load_service(path)
        text, generated, skipped = gen_service_module(service, custom, unsupported, hashable, notes)
        outputs[args.output / "codecs" / (module_name(service["name"]) + ".py")] = text
        summary.append((service["name"], generated, len(skipped)))

    stale = []
    for path, text in outputs.items():
        old = path.read_text() if path.exists() else None
        if old != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if not args.quiet:
        for note in notes:
            print("note: " + note)
        for name, generated, skipped in summary:
            print("%-24s %3d methods generated, %d skipped" % (name, generated, skipped))
        print("%d files %s" % (len(stale), "out of date" if args.check else "written"))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
