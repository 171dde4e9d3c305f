"""default_int_type modes."""

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import SerializationService

H = bytes.fromhex


def type_id(data):
    return int.from_bytes(data[4:8], "big", signed=True)


@pytest.mark.parametrize(
    "value, expected_type",
    [
        (0, -7),
        (2**31 - 1, -7),
        (-(2**31), -7),
        (2**31, -8),
        (-(2**31) - 1, -8),
        (2**63 - 1, -8),
        (-(2**63), -8),
        (2**63, -26),
        (-(2**63) - 1, -26),
    ],
)
def test_int_mode_promotes(value, expected_type):
    service = SerializationService()
    assert service.default_int_type == "INT"
    data = service.to_data(value)
    assert type_id(data) == expected_type
    assert service.to_object(data) == value


@pytest.mark.parametrize(
    "value, expected_type, blob_hex",
    [
        (0, -3, "00000000fffffffd00"),
        (-128, -3, "00000000fffffffd80"),
        (127, -3, "00000000fffffffd7f"),
        (128, -6, "00000000fffffffa0080"),
        (-32768, -6, "00000000fffffffa8000"),
        (32768, -7, "00000000fffffff900008000"),
        (2**31, -8, "00000000fffffff80000000080000000"),
        (2**63, -26, "00000000ffffffe600000009008000000000000000"),
    ],
)
def test_var_mode_picks_smallest(value, expected_type, blob_hex):
    service = SerializationService(default_int_type="VAR")
    data = service.to_data(value)
    assert type_id(data) == expected_type
    assert data == H(blob_hex)
    assert service.to_object(data) == value


@pytest.mark.parametrize(
    "mode, value, blob_hex",
    [
        ("BYTE", 5, "00000000fffffffd05"),
        ("BYTE", -128, "00000000fffffffd80"),
        ("SHORT", 5, "00000000fffffffa0005"),
        ("SHORT", -32768, "00000000fffffffa8000"),
        ("LONG", 5, "00000000fffffff80000000000000005"),
        ("LONG", -(2**63), "00000000fffffff88000000000000000"),
        ("BIG_INT", 5, "00000000ffffffe60000000105"),
    ],
)
def test_forced_modes(mode, value, blob_hex):
    service = SerializationService(default_int_type=mode)
    data = service.to_data(value)
    assert data == H(blob_hex)
    assert service.to_object(data) == value


@pytest.mark.parametrize(
    "mode, value, java, bounds",
    [
        ("BYTE", 128, "byte", "-128..127"),
        ("BYTE", -129, "byte", "-128..127"),
        ("SHORT", 32768, "short", "-32768..32767"),
        ("SHORT", -32769, "short", "-32768..32767"),
        ("LONG", 2**63, "long", "-9223372036854775808..9223372036854775807"),
        ("LONG", -(2**63) - 1, "long", "-9223372036854775808..9223372036854775807"),
    ],
)
def test_forced_mode_range_errors(mode, value, java, bounds):
    service = SerializationService(default_int_type=mode)
    with pytest.raises(HzSerializationError) as info:
        service.to_data(value)
    message = str(info.value)
    assert mode in message and java in message and bounds in message and str(value) in message
    # nested ints follow the same rule
    with pytest.raises(HzSerializationError, match=mode):
        service.to_data([1, value])


def test_nested_ints_follow_mode():
    service = SerializationService(default_int_type="VAR")
    data = service.to_data([1, 300])
    assert data == H("00000000ffffffe300000002fffffffd01fffffffa012c")
    assert service.to_object(data) == [1, 300]


def test_bool_is_not_an_int():
    for mode in ("BYTE", "SHORT", "INT", "LONG", "VAR", "BIG_INT"):
        assert SerializationService(default_int_type=mode).to_data(True) == H("00000000fffffffc01")


def test_mode_name_is_case_insensitive_and_accepts_enum_like():
    class IntType:
        name = "LONG"

    assert SerializationService(default_int_type="long").default_int_type == "LONG"
    assert SerializationService(default_int_type=IntType()).default_int_type == "LONG"


@pytest.mark.parametrize("bad", ["INTEGER", "", None, 7, "DOUBLE"])
def test_invalid_mode(bad):
    with pytest.raises(ValueError, match="default_int_type"):
        SerializationService(default_int_type=bad)
