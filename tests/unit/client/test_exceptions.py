import pytest

from hzgreen import exceptions


def test_every_error_is_an_hz_error():
    for value in vars(exceptions).values():
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, exceptions.HzError)


@pytest.mark.parametrize(
    "code,cls",
    [
        (27, exceptions.IllegalStateError),
        (33, exceptions.MemberLeftError),
        (85, exceptions.SessionExpiredError),
        (3, exceptions.AuthenticationServerError),
    ],
)
def test_codes_map_to_named_errors(code, cls):
    error = exceptions.error_from_code(code, "java.lang.Foo", "bar")
    assert type(error) is cls
    assert error.class_name == "java.lang.Foo" and error.server_message == "bar"
    assert "java.lang.Foo: bar" in str(error)


def test_unknown_code_gives_the_base_class():
    error = exceptions.error_from_code(4242, "x.Y", None)
    assert type(error) is exceptions.HazelcastServerError and error.error_code == 4242


def test_retryable_flags():
    assert exceptions.is_retryable(exceptions.error_from_code(39, None, None))
    assert not exceptions.is_retryable(exceptions.error_from_code(27, None, None))
    assert issubclass(exceptions.AuthenticationServerError, exceptions.AuthenticationError)
    assert issubclass(exceptions.HzTimeoutError, TimeoutError)


def test_a_lost_connection_is_retried_by_hz_retry():
    from hzgreen.retry import HzRetry

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise exceptions.TargetDisconnectedError("connection lost")
        return "ok"

    assert issubclass(exceptions.TargetDisconnectedError, exceptions.ConnectionLoss)
    assert exceptions.error_from_code(52, None, None).__class__ is exceptions.TargetDisconnectedError
    assert HzRetry(max_tries=2, sleep_func=lambda s: None)(flaky) == "ok"


def test_server_error_context_names_operation_and_member():
    error = exceptions.error_from_code(23, "java.lang.IllegalArgumentException", "bad name")
    assert error.operation is None and error.member is None
    error.add_context("Map.get on 'users'", "127.0.0.1:5701")
    assert str(error) == ("Map.get on 'users' failed on 127.0.0.1:5701: java.lang.IllegalArgumentException: bad name")
    assert (error.operation, error.member) == ("Map.get on 'users'", "127.0.0.1:5701")
    assert error.server_message == "bad name" and error.class_name == "java.lang.IllegalArgumentException"


def test_operation_names_come_from_the_codecs():
    from hzgreen.protocol.codecs import fenced_lock
    from hzgreen.protocol.codecs import map as map_codec
    from hzgreen.runtime.operations import operation_name

    assert operation_name(map_codec.GET_REQUEST_TYPE, "users") == "Map.get on 'users'"
    assert operation_name(map_codec.PUT_IF_ABSENT_REQUEST_TYPE, "m") == "Map.put_if_absent on 'm'"
    assert operation_name(fenced_lock.TRY_LOCK_REQUEST_TYPE, "lock@g") == "FencedLock.try_lock on 'lock@g'"
    assert operation_name(map_codec.SIZE_REQUEST_TYPE) == "Map.size"
    assert operation_name(0x7F0100, "x") == "message type 0x7f0100 on 'x'"


def test_a_codec_module_loaded_after_a_miss_is_named_and_misses_do_not_rescan_unchanged_modules(monkeypatch):
    import sys
    import types

    from hzgreen.runtime import operations

    assert operations.method_name(0x7F0200) == "message type 0x7f0200"
    scans = []
    real_items = sys.modules.items

    class CountingModules(dict):
        def items(self):
            scans.append(1)
            return real_items()

    module = types.ModuleType("hzgreen.protocol.codecs.late_test_codec")
    module.SERVICE_NAME = "Late"
    module.PING_PONG_REQUEST_TYPE = 0x7F0200
    monkeypatch.setitem(sys.modules, module.__name__, module)
    assert operations.method_name(0x7F0200) == "Late.ping_pong"
    assert operations.method_name(0x7F0300) == "message type 0x7f0300"  # scanned: nothing new
    monkeypatch.setattr(operations, "sys", types.SimpleNamespace(modules=CountingModules(sys.modules)))
    operations._modules_scanned = len(sys.modules)
    assert operations.method_name(0x7F0300) == "message type 0x7f0300"
    assert scans == []  # the module count did not change: no walk over sys.modules
