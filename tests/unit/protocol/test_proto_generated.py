"""Every generated codec against the YAML definitions.

For each method / event of every service: build sample values from the declared types, encode,
push the bytes through ClientMessageReader, decode, compare.  Skipped when PyYAML or the
definitions (../shared/protocol/definitions) are not available.
"""

import importlib
import sys
import uuid
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[3]
DEFS = ROOT.parent / "shared" / "protocol" / "definitions"
if not DEFS.is_dir():  # pragma: no cover
    pytest.skip("protocol definitions not available", allow_module_level=True)

sys.path.insert(0, str(ROOT / "tools"))
import gen_codecs as gen  # noqa: E402

from hzgreen.protocol import ClientMessageReader, custom  # noqa: E402
from hzgreen.protocol.sql import SqlPage  # noqa: E402

U1 = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
U2 = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")

CUSTOM = gen.load_custom(DEFS)
SERVICES = [yaml.safe_load(p.read_text()) for p in sorted(DEFS.glob("*.yaml"))]

FIXED_SAMPLES = {
    "byte": -3,
    "boolean": True,
    "short": -2,
    "int": -123456,
    "long": 2**40 + 5,
    "float": 1.5,
    "double": 2.25,
    "UUID": U1,
    "Integer": 7,
    "Long": 2**33,
    "Boolean": True,
}
SINGLE_SAMPLES = {
    "String": "s\u00e9",
    "Data": b"\x00\x00\x00\x00\xff\xff\xff\xf9\x00\x00\x00\x36",
    "byteArray": b"\x01\x02",
    "longArray": [1, -2],
    "floatArray": [0.5, -4.0],
    "List_Integer": [1, 2],
    "List_Long": [3],
    "List_UUID": [U1, U2],
    "Set_UUID": [U2],
    "SqlPage": SqlPage(
        [0, 1, 4, 5, 6, 9, 13, 14, 15],
        [
            ["a", None],
            [True, None],
            [1, 2],
            [None, None],
            [(12345, 2), None],
            [(2024, 2, 29), None],
            [b"\x00\x01", None],
            [None, None],
            ['{"a":1}', None],
        ],
        True,
    ),
}


def sample(t: str):
    if t in FIXED_SAMPLES:
        return FIXED_SAMPLES[t]
    if t in SINGLE_SAMPLES:
        return SINGLE_SAMPLES[t]
    if t in CUSTOM:
        spec = CUSTOM[t]
        kwargs = {gen.ident(p["name"]): sample(p["type"]) for p in spec.get("params", [])}
        return getattr(custom, t)(**kwargs)
    if t.startswith("ListCN_"):
        return [sample(t[len("ListCN_") :]), None]
    if t.startswith("List_"):
        item = sample(t[len("List_") :])
        return [item, item]
    if t.startswith("EntryList_") or t.startswith("Map_"):
        kind, rest = t.split("_", 1)
        key, value = rest.split("_", 1)
        pairs = [(sample(key), sample(value))]
        return dict(pairs) if kind == "Map" else pairs
    raise AssertionError("no sample for " + t)


def through_wire(msg):
    (got,) = ClientMessageReader().feed(msg.to_bytes())
    return got


def cases():
    for service in SERVICES:
        for method in service["methods"]:
            yield pytest.param(service, method, id="%s.%s" % (service["name"], method["name"]))


def params_of(spec, since):
    return [gen.Param(p, since) for p in (spec or {}).get("params") or []]


def call(fn, params, values):
    args = [values[p.key] for p in params if not p.optional]
    kwargs = {p.ident: values[p.key] for p in params if p.optional}
    return fn(*args, **kwargs)


def value_sets(params):
    full = {p.key: sample(p.type) for p in params}
    # nullable params as None, optional ones omitted (None)
    sparse = {p.key: (None if (p.nullable and not p.fixed) or p.optional else full[p.key]) for p in params}
    return [full, sparse]


@pytest.mark.parametrize("service,method", list(cases()))
def test_generated_method_roundtrip(service, method):
    mod = importlib.import_module("hzgreen.protocol.codecs." + gen.module_name(service["name"]))
    s = gen.snake(method["name"])
    const = s.upper()
    since = method["since"]
    request_type = (service["id"] << 16) | (method["id"] << 8)
    assert getattr(mod, const + "_REQUEST_TYPE") == request_type
    assert getattr(mod, const + "_RESPONSE_TYPE") == request_type + 1

    req = params_of(method.get("request"), since)
    for values in value_sets(req):
        msg = call(getattr(mod, "encode_%s_request" % s), req, values)
        assert msg.retryable is bool(method["request"].get("retryable"))
        assert msg.get_message_type() == request_type and msg.get_partition_id() == -1
        assert msg.frames[0].flags == 0xC000
        assert getattr(mod, "decode_%s_request" % s)(through_wire(msg)) == values

    resp = params_of(method.get("response"), since)
    for values in value_sets(resp):
        msg = call(getattr(mod, "encode_%s_response" % s), resp, values)
        got = getattr(mod, "decode_%s_response" % s)(through_wire(msg))
        if not resp:
            assert got is None
        elif len(resp) == 1:
            assert got == values[resp[0].key]
        else:
            assert got == values

    for index, event in enumerate(method.get("events") or []):
        es = gen.snake(event["name"])
        event_type = getattr(mod, "%s_%s_EVENT_TYPE" % (const, es.upper()))
        assert event_type == request_type + 2 + index
        assert getattr(mod, const + "_EVENT_DECODERS")[event_type] is getattr(mod, "decode_%s_%s_event" % (s, es))
        eps = params_of(event, event.get("since", since))
        for values in value_sets(eps):
            msg = call(getattr(mod, "encode_%s_%s_event" % (s, es)), eps, values)
            got = through_wire(msg)
            assert got.is_event() and got.get_message_type() == event_type
            assert getattr(mod, "decode_%s_%s_event" % (s, es))(got) == values


def test_generated_files_are_up_to_date():
    assert gen.main(["--definitions", str(DEFS), "--check", "--quiet"]) == 0


def test_required_service_modules_exist():
    for name in [
        "client",
        "map",
        "cp_group",
        "cp_session",
        "fenced_lock",
        "semaphore",
        "count_down_latch",
        "atomic_long",
        "atomic_ref",
        "cp_subsystem",
        "queue",
        "list",
        "set",
        "topic",
        "multi_map",
        "replicated_map",
        "ringbuffer",
        "pn_counter",
        "flake_id_generator",
        "transaction",
        "transactional_map",
    ]:
        importlib.import_module("hzgreen.protocol.codecs." + name)
