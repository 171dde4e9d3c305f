"""The named server errors are real classes generated from tools/gen_errors.py's table."""

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from hzgreen import exceptions, server_errors

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))
import gen_errors  # noqa: E402


def test_generated_module_is_up_to_date():
    assert gen_errors.main(["--check", "--quiet"]) == 0


def test_every_protocol_code_has_a_real_class_re_exported_by_exceptions():
    assert sorted(server_errors.BY_CODE) == list(range(1, 100))
    for code, cls in server_errors.BY_CODE.items():
        assert cls.error_code == code
        assert getattr(exceptions, cls.__name__) is cls
        assert issubclass(cls, exceptions.HazelcastServerError)
        # a class statement in the module's source, not a type() call
        assert inspect.getsource(cls).startswith("class %s(" % cls.__name__)


@pytest.mark.parametrize(
    "name,code,retryable,bases",
    [
        ("ArrayIndexOutOfBoundsError", 1, False, (exceptions.HazelcastServerError,)),
        ("AuthenticationServerError", 3, False, (exceptions.HazelcastServerError, exceptions.AuthenticationError)),
        ("IllegalStateError", 27, False, (exceptions.HazelcastServerError,)),
        ("PartitionMigratingError", 39, True, (exceptions.HazelcastServerError,)),
        ("TargetDisconnectedError", 52, False, (exceptions.HazelcastServerError, exceptions.ConnectionLoss)),
        ("CannotReplicateError", 90, True, (exceptions.HazelcastServerError,)),
        ("NoClassDefFoundError", 99, False, (exceptions.HazelcastServerError,)),
    ],
)
def test_names_codes_flags_and_bases(name, code, retryable, bases):
    cls = getattr(exceptions, name)
    assert (cls.error_code, cls.retryable, cls.__bases__) == (code, retryable, bases)
    assert exceptions.error_from_code(code, None, None).__class__ is cls


def test_the_retryable_codes_are_those_of_the_official_clients():
    retryable = sorted(code for code, cls in server_errors.BY_CODE.items() if cls.retryable)
    assert retryable == [8, 19, 33, 39, 46, 47, 53, 62, 82, 90]


def test_the_generated_module_imports_on_its_own():
    code = (
        "import hzgreen.server_errors as s, hzgreen.exceptions as e; "
        "assert e.SessionExpiredError is s.SessionExpiredError; print(s.BY_CODE[85].__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "SessionExpiredError"


@pytest.mark.parametrize(
    "table,message",
    [
        ("1 A X\n1 B Y\n", "duplicated codes: [1]"),
        ("1 A X\n2 A Y\n", "duplicated names: ['A']"),
        ("1 A X sometimes\n", "unknown flag 'sometimes'"),
        ("1 A\n", "malformed error table row"),
    ],
)
def test_the_generator_refuses_a_bad_table(table, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        gen_errors.parse_table(table)


def test_the_generator_check_reports_a_stale_file(tmp_path):
    target = tmp_path / "server_errors.py"
    assert gen_errors.main(["--check", "--quiet", "--output", str(target)]) == 1
    assert gen_errors.main(["--quiet", "--output", str(target)]) == 0
    assert gen_errors.main(["--check", "--quiet", "--output", str(target)]) == 0
    assert target.read_text() == (ROOT / "hzgreen" / "server_errors.py").read_text()
