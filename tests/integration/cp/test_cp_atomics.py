"""AtomicLong and AtomicReference against a real member (CP unsafe mode), both handlers."""

import pytest

from hzgreen.cp import AtomicLong, AtomicReference
from hzgreen.exceptions import HazelcastServerError


def test_atomic_long_full_method_set(hz_client, unique_name):
    counter = hz_client.cp.get_atomic_long(unique_name)
    assert isinstance(counter, AtomicLong)
    assert counter.get() == 0
    assert counter.set(5) is None
    assert counter.get() == 5
    assert counter.get_and_set(7) == 5
    assert counter.add_and_get(3) == 10
    assert counter.get_and_add(-4) == 10
    assert counter.get() == 6
    assert counter.increment_and_get() == 7
    assert counter.decrement_and_get() == 6
    assert counter.get_and_increment() == 6
    assert counter.get_and_decrement() == 7
    assert counter.get() == 6
    assert counter.compare_and_set(5, 100) is False
    assert counter.compare_and_set(6, 100) is True
    assert counter.get() == 100


def test_atomic_long_extremes_and_validation(hz_client, unique_name):
    counter = hz_client.cp.get_atomic_long(unique_name)
    counter.set(2**63 - 1)
    assert counter.get() == 2**63 - 1
    assert counter.increment_and_get() == -(2**63)  # Java long wraps around
    with pytest.raises(ValueError):
        counter.set(2**63)
    with pytest.raises(TypeError):
        counter.add_and_get("1")
    with pytest.raises(ValueError):
        counter.alter(None)


def test_atomic_long_async_twins(hz_client, unique_name):
    counter = hz_client.cp.get_atomic_long(unique_name)
    results = [counter.increment_and_get_async() for _ in range(20)]
    assert sorted(r.result(30) for r in results) == list(range(1, 21))
    assert counter.get_async().result(30) == 20
    assert counter.compare_and_set_async(20, 1).result(30) is True
    assert counter.get_and_add_async(2).result(30) == 1
    assert counter.add_and_get_async(2).result(30) == 5
    assert counter.get_and_set_async(9).result(30) == 5
    assert counter.set_async(3).result(30) is None
    assert counter.decrement_and_get_async().result(30) == 2
    assert counter.get_and_increment_async().result(30) == 2
    assert counter.get_and_decrement_async().result(30) == 3


def test_same_proxy_for_same_name_and_group_suffix(hz_client, unique_name):
    cp = hz_client.cp
    assert cp.get_atomic_long(unique_name) is cp.get_atomic_long(unique_name)
    assert cp.get_atomic_long(unique_name) is cp.get_atomic_long(" %s@Default " % unique_name)
    other = cp.get_atomic_long(unique_name + "@grp")
    assert other is not cp.get_atomic_long(unique_name)
    assert other.object_name == unique_name and other.name == unique_name + "@grp"
    other.set(11)
    assert other.get() == 11


def test_atomic_long_destroy(hz_client, unique_name):
    cp = hz_client.cp
    counter = cp.get_atomic_long(unique_name)
    counter.set(42)
    counter.destroy()
    # A destroyed CP object cannot be used again under that name.
    with pytest.raises(HazelcastServerError) as info:
        cp.get_atomic_long(unique_name).get()
    assert "destroyed" in str(info.value).lower()


def test_atomic_reference_full_method_set(hz_client, unique_name):
    ref = hz_client.cp.get_atomic_reference(unique_name)
    assert isinstance(ref, AtomicReference)
    assert ref.get() is None
    assert ref.is_null() is True
    assert ref.set(["a", [1]]) is None
    assert ref.get() == ["a", [1]]
    assert ref.is_null() is False
    assert ref.contains(["a", [1]]) is True
    assert ref.contains(["a", [2]]) is False
    assert ref.get_and_set("text") == ["a", [1]]
    assert ref.compare_and_set("other", 1) is False
    assert ref.compare_and_set("text", 12345) is True
    assert ref.get() == 12345
    assert ref.contains(None) is False
    assert ref.clear() is None
    assert ref.get() is None
    assert ref.contains(None) is True
    assert ref.compare_and_set(None, [1, 2, 3]) is True
    assert ref.get() == [1, 2, 3]
    assert ref.get_and_set(None) == [1, 2, 3]
    assert ref.is_null() is True


def test_atomic_reference_async_twins(hz_client, unique_name):
    ref = hz_client.cp.get_atomic_reference(unique_name)
    assert ref.set_async("a").result(30) is None
    assert ref.get_async().result(30) == "a"
    assert ref.get_and_set_async("b").result(30) == "a"
    assert ref.contains_async("b").result(30) is True
    assert ref.compare_and_set_async("b", "c").result(30) is True
    assert ref.is_null_async().result(30) is False
    assert ref.clear_async().result(30) is None
    assert ref.is_null_async().result(30) is True


def test_atomic_long_alter_and_apply(custom_client, cp_functions, unique_name):
    add = cp_functions.AddFunction
    counter = custom_client.cp.get_atomic_long(unique_name)
    counter.set(10)
    assert counter.alter(add(5)) is None
    assert counter.get() == 15
    assert counter.alter_and_get(add(1)) == 16
    assert counter.get_and_alter(add(4)) == 16
    assert counter.get() == 20
    assert counter.apply(add(100)) == 120
    assert counter.get() == 20  # apply leaves the value alone
    assert counter.alter_async(add(-20)).result(30) is None
    assert counter.apply_async(add(1)).result(30) == 1
    assert counter.alter_and_get_async(add(2)).result(30) == 2
    assert counter.get_and_alter_async(add(2)).result(30) == 2


def test_atomic_reference_alter_and_apply(custom_client, cp_functions, unique_name):
    append = cp_functions.AppendFunction
    ref = custom_client.cp.get_atomic_reference(unique_name)
    assert ref.apply(append("x")) == "x"  # None becomes ""
    assert ref.get() is None
    ref.set("a")
    assert ref.alter(append("b")) is None
    assert ref.get() == "ab"
    assert ref.alter_and_get(append("c")) == "abc"
    assert ref.get_and_alter(append("d")) == "abc"
    assert ref.get() == "abcd"
    assert ref.apply(append("!")) == "abcd!"
    assert ref.get() == "abcd"
    assert ref.alter_and_get_async(append("e")).result(30) == "abcde"
    assert ref.apply_async(append("?")).result(30) == "abcde?"
    assert ref.get_and_alter_async(append("f")).result(30) == "abcde"
    assert ref.alter_async(append("g")).result(30) is None
    assert ref.get() == "abcdefg"


def test_function_the_member_cannot_run_is_a_server_error(hz_client, cp_functions, unique_name):
    # hz_cluster has no hzgreentest classes: the member cannot deserialize the function.
    counter = hz_client.cp.get_atomic_long(unique_name)
    with pytest.raises(HazelcastServerError):
        counter.alter(b"not a function")
    assert counter.get() == 0
