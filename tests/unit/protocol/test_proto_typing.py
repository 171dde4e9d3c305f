"""The static types of the protocol layer: annotations of the generated codecs, the TypedDicts of
the decoded dicts, what mypy infers for a caller, and the lenient run-time decoding behind the
protocol-contract types (see tools/gen_codecs.py, "Types")."""

import ast
import importlib
import inspect
import pkgutil
import uuid
from pathlib import Path

import pytest

import hzgreen.protocol.codecs as codecs_pkg
from hzgreen.protocol import FrameIterator
from hzgreen.protocol import builtin as b
from hzgreen.protocol import custom as c
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.frame import BEGIN_FRAME, END_FRAME, NULL_FRAME, Frame
from tests.typecheck import mypy_lines

ROOT = Path(__file__).resolve().parents[3]
GENERATED = ["hzgreen.protocol.custom"] + sorted(
    "hzgreen.protocol.codecs." + m.name for m in pkgutil.iter_modules(codecs_pkg.__path__) if m.name != "error"
)


def own_functions(module):
    """Functions defined in ``module``: top level and methods of its classes."""
    for name, value in vars(module).items():
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            yield name, value
        elif inspect.isclass(value) and value.__module__ == module.__name__:
            for attr, member in vars(value).items():
                if inspect.isfunction(member):
                    yield "%s.%s" % (name, attr), member


@pytest.mark.parametrize("module_name", GENERATED)
def test_every_generated_function_is_fully_annotated(module_name):
    module = importlib.import_module(module_name)
    checked = 0
    for name, fn in own_functions(module):
        code = fn.__code__
        params = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        missing = [p for p in params if p != "self" and p not in fn.__annotations__]
        assert not missing, "%s.%s: parameters without a type: %s" % (module_name, name, missing)
        assert "return" in fn.__annotations__, "%s.%s: no return type" % (module_name, name)
        checked += 1
    assert checked > 0


def typed_dicts(tree):
    """``{name: [field, ...]}`` of the TypedDicts defined under ``if TYPE_CHECKING:``."""
    out = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            continue
        for item in node.body:
            if isinstance(item, ast.ClassDef) and [base.id for base in item.bases] == ["TypedDict"]:
                out[item.name] = [f.target.id for f in item.body if isinstance(f, ast.AnnAssign)]
            elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Call):
                name, fields = item.value.args
                out[name.value] = [k.value for k in fields.keys]
    return out


@pytest.mark.parametrize("module_name", GENERATED[1:])
def test_typed_dicts_have_the_keys_the_decoders_return(module_name):
    path = ROOT / (module_name.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text())
    shapes = typed_dicts(tree)
    used = set()
    for fn in tree.body:
        if not (isinstance(fn, ast.FunctionDef) and fn.name.startswith("decode_")):
            continue
        returned = [n.value for n in ast.walk(fn) if isinstance(n, ast.Return) and isinstance(n.value, ast.Dict)]
        if not returned:
            continue
        assert isinstance(fn.returns, ast.Name) and fn.returns.id in shapes, (
            "%s returns a dict but is not typed by a TypedDict of the module" % fn.name
        )
        (literal,) = returned
        assert [k.value for k in literal.keys] == shapes[fn.returns.id], fn.name
        used.add(fn.returns.id)
    assert used == set(shapes), "TypedDicts no decoder returns: %s" % sorted(set(shapes) - used)


def test_contract_typed_names_are_the_lenient_runtime_functions():
    # The static types state the protocol; at run time these are the very same functions.
    assert b.required_uuid_from is b.uuid_from
    assert b.decode_list is b.decode_list_cn
    assert b.decode_list_data is b.decode_list_cn_data
    assert b.decode_entry_list is b.decode_entry_list_nullable
    assert client_codec._ufr is client_codec._uf is b.uuid_from


def test_decoders_stay_lenient_where_the_types_follow_the_protocol():
    # a NULL item of a List_Data, a NULL value of an EntryList_Data_Data
    assert b.decode_list_data(FrameIterator([BEGIN_FRAME, NULL_FRAME, END_FRAME])) == [None]
    pairs = [BEGIN_FRAME, Frame(b"k", 0), NULL_FRAME, END_FRAME]
    assert b.decode_entry_list_data_data(FrameIterator(pairs)) == [(b"k", None)]
    # a null UUID in MemberInfo.uuid, which the YAML declares non-nullable
    frames = []
    member = c.MemberInfo(c.Address("h", 1), uuid.UUID(int=5), False, {}, c.MemberVersion(5, 4, 0))
    c.encode_member_info(frames, member)
    frames[1] = Frame(b"\x01" + bytes(16) + b"\x00", 0)
    assert c.decode_member_info(FrameIterator(frames)).uuid is None


CALLER = """
import uuid
from hzgreen.protocol import ClientMessage
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.codecs import map as map_codec

def read(msg: ClientMessage) -> None:
    reveal_type(map_codec.decode_get_response(msg))
    auth = client_codec.decode_authentication_response(msg)
    reveal_type(auth["cluster_id"])
    reveal_type(auth["member_uuid"])
    reveal_type(auth["member_infos"])
    reveal_type(map_codec.decode_add_entry_listener_entry_event(msg)["event_type"])

def write() -> None:
    map_codec.encode_get_request("m", b"key", 1)
    map_codec.encode_get_request("m", "not bytes", 1)
    map_codec.encode_put_all_request("m", {b"k": b"v"}, True)
    map_codec.encode_put_all_request("m", [(b"k", b"v")])
    client_codec.decode_authentication_response(ClientMessage())["no_such_key"]
"""


def test_a_caller_sees_precise_codec_types(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # mypy finds hzgreen here
    lines = mypy_lines(tmp_path, {"caller.py": CALLER})
    out = "\n".join(lines)
    revealed = [line.split("Revealed type is ")[1].strip('"') for line in lines if "Revealed" in line]
    assert revealed == [
        "bytes | None",
        "uuid.UUID",
        "uuid.UUID | None",
        "list[hzgreen.protocol.custom.MemberInfo] | None",
        "int",
    ]
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 2, out
    assert 'Argument 2 to "encode_get_request" has incompatible type "str"; expected "bytes"' in errors[0]
    assert '"AuthenticationResponse" has no key "no_such_key"' in errors[1]
