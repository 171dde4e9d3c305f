"""The test lock used by the driver tests catches re-entrance."""

from tests.unit.runtime.strict_lock import NonReentrantLock


def test_reentering_fails_instead_of_hanging():
    lock = NonReentrantLock()
    with lock:
        try:
            with lock:
                pass
        except AssertionError as error:
            assert "acquired again" in str(error)
        else:
            raise AssertionError("re-entering the lock went unnoticed")
    with lock:  # released properly after the failed attempt
        pass
