import pytest

from hzgreen import exceptions


def test_every_error_is_an_hz_error():
    for value in vars(exceptions).values():
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, exceptions.HzError)


@pytest.mark.parametrize("code,cls", [(27, exceptions.IllegalStateError), (33, exceptions.MemberLeftError),
                                      (85, exceptions.SessionExpiredError), (3, exceptions.AuthenticationServerError)])
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
