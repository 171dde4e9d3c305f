"""BigDecimal, java.time types, primitive arrays and per-value Java type hints."""

import array
import datetime
import decimal

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import JavaType, SerializationService, typed

H = bytes.fromhex
UTC2 = datetime.timezone(datetime.timedelta(hours=2))


@pytest.fixture
def service():
    return SerializationService()


def type_id(data):
    return int.from_bytes(data[4:8], "big", signed=True)


@pytest.mark.parametrize(
    "value, blob_hex",
    [
        # BigDecimal: BigInteger unscaled (length + two's complement) + int32 scale
        (decimal.Decimal("1.25"), "00000000ffffffe5000000017d00000002"),
        (decimal.Decimal("-1"), "00000000ffffffe500000001ff00000000"),
        (decimal.Decimal("128"), "00000000ffffffe500000002008000000000"),
        (decimal.Decimal("1E+3"), "00000000ffffffe50000000101fffffffd"),
        # LocalDate: int32 year, byte month, byte day
        (datetime.date(2024, 2, 29), "00000000ffffffcd000007e8021d"),
        # LocalTime: byte h, m, s, int32 nanos
        (datetime.time(13, 14, 15, 1), "00000000ffffffcc0d0e0f000003e8"),
        # LocalDateTime (naive datetime): LocalDate + LocalTime
        (datetime.datetime(2024, 2, 29, 13, 14, 15), "00000000ffffffcb000007e8021d0d0e0f00000000"),
        # OffsetDateTime (aware datetime): LocalDateTime + int32 offset seconds
        (datetime.datetime(2024, 2, 29, 13, 14, 15, tzinfo=UTC2), "00000000ffffffca000007e8021d0d0e0f0000000000001c20"),
    ],
)
def test_java_time_and_decimal_bytes(service, value, blob_hex):
    assert service.to_data(value) == H(blob_hex)
    back = service.to_object(H(blob_hex))
    assert back == value and type(back) is type(value)
    if isinstance(value, datetime.datetime):
        assert back.tzinfo == value.tzinfo


def test_naive_datetime_is_local_date_time_and_aware_is_offset(service):
    assert type_id(service.to_data(datetime.datetime(2020, 1, 1))) == -53
    assert type_id(service.to_data(datetime.datetime(2020, 1, 1, tzinfo=UTC2))) == -54
    values = [datetime.datetime(2020, 1, 1), datetime.datetime(2020, 1, 1, tzinfo=UTC2)]
    nested = service.to_object(service.to_data(values))
    assert nested[0].tzinfo is None and nested[1].utcoffset() == datetime.timedelta(hours=2)


def test_nanoseconds_from_java_are_truncated_to_microseconds(service):
    # LocalTime 00:00:00.000001999 (1999 ns)
    assert service.to_object(H("00000000ffffffcc000000000007cf")) == datetime.time(0, 0, 0, 1)


def test_aware_time_is_rejected(service):
    with pytest.raises(HzSerializationError, match="timezone-aware datetime.time"):
        service.to_data(datetime.time(1, 2, tzinfo=UTC2))


def test_decimal_specials_are_rejected(service):
    with pytest.raises(HzSerializationError, match="NaN"):
        service.to_data(decimal.Decimal("NaN"))


def test_zero_length_big_integer_is_corrupt(service):
    with pytest.raises(HzSerializationError, match="-26"):
        service.to_object(H("00000000ffffffe600000000"))


def test_dates_java_can_hold_but_python_cannot(service):
    with pytest.raises(HzSerializationError, match="-51"):
        service.to_object(H("00000000ffffffcd000027100101"))  # year 10000


@pytest.mark.parametrize(
    "typecode, values, java_type_id",
    [
        ("b", [1, -2], -12),
        ("h", [1, -300], -15),
        ("i", [1, 70000], -16),
        ("q", [2**40], -17),
        ("f", [0.5], -18),
        ("d", [2.5], -19),
    ],
)
def test_array_array_writes_java_primitive_arrays(service, typecode, values, java_type_id):
    data = service.to_data(array.array(typecode, values))
    assert type_id(data) == java_type_id
    back = service.to_object(data)
    assert list(back) == [v & 0xFF for v in values] if typecode == "b" else back == values


def test_unsigned_array_is_rejected(service):
    with pytest.raises(HzSerializationError, match="unsigned"):
        service.to_data(array.array("H", [1]))


def test_object_array_and_class_read(service):
    # Object[] {1, "a"} and Class "java.lang.String"
    assert service.to_object(H("00000000ffffffe400000002fffffff900000001fffffff50000000161")) == [1, "a"]
    assert service.to_object(H("00000000ffffffe800000010") + b"java.lang.String") == "java.lang.String"


# -- hints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hint, value, blob_hex",
    [
        ("short", 7, "00000000fffffffa0007"),
        (JavaType.SHORT, 7, "00000000fffffffa0007"),
        ("Short", -1, "00000000faffffff"[:0] + "00000000fffffffaffff"),
        ("byte", -128, "00000000fffffffd80"),
        ("int", 7, "00000000fffffff900000007"),
        ("long", 7, "00000000fffffff80000000000000007"),
        ("float", 1.5, "00000000fffffff73fc00000"),
        ("double", 1, "00000000fffffff63ff0000000000000"),
        ("char", "A", "00000000fffffffb0041"),
        ("boolean", True, "00000000fffffffc01"),
        ("BigInteger", 5, "00000000ffffffe60000000105"),
        ("BigDecimal", "1.25", "00000000ffffffe5000000017d00000002"),
        ("String", "k", "00000000fffffff5000000016b"),
        ("short[]", [1, 2], "00000000fffffff10000000200010002"),
        ("int[]", (1,), "00000000fffffff00000000100000001"),
        ("byte[]", [1, -1], "00000000fffffff40000000201ff"),
        ("boolean[]", [True], "00000000fffffff30000000101"),
        ("String[]", ["a"], "00000000ffffffec000000010000000161"),
        ("LocalDate", datetime.date(2024, 2, 29), "00000000ffffffcd000007e8021d"),
        (
            "OffsetDateTime",
            datetime.datetime(2024, 2, 29, 13, 14, 15),
            "00000000ffffffca000007e8021d0d0e0f0000000000000000",
        ),
    ],
)
def test_typed_values(service, hint, value, blob_hex):
    assert service.to_data(typed(value, hint)) == H(blob_hex)


def test_typed_reads_back_natural_python_types(service):
    assert service.to_object(service.to_data(typed(7, "short"))) == 7
    assert service.to_object(service.to_data(typed(1.5, "float"))) == 1.5
    assert service.to_object(service.to_data(typed([1, 2], "long[]"))) == [1, 2]


def test_typed_values_nest_in_lists_and_predicates(service):
    data = service.to_data([typed(1, "short"), 1])
    # ArrayList of 2: short 1, int 1
    assert data == H("00000000ffffffe300000002fffffffa0001fffffff900000001")


@pytest.mark.parametrize(
    "hint, value, words",
    [
        ("short", 70000, ["short", "70000", "-32768..32767"]),
        ("byte", 200, ["byte", "200"]),
        ("int", 2**31, ["int", "out of range"]),
        ("long", 2**63, ["long"]),
        ("float", 1e39, ["float", "out of range"]),
        ("short", "x", ["short", "not an integer"]),
        ("char", "ab", ["char"]),
        ("int[]", [1, 2**40], ["int[]", "out of range"]),
        ("LocalDateTime", datetime.datetime(2020, 1, 1, tzinfo=UTC2), ["LocalDateTime", "aware"]),
    ],
)
def test_typed_out_of_range_names_the_java_type(service, hint, value, words):
    with pytest.raises(HzSerializationError) as info:
        service.to_data(typed(value, hint))
    for word in words:
        assert word in str(info.value)


def test_unknown_hint():
    with pytest.raises(ValueError, match="unknown Java type hint"):
        typed(1, "unsigned")
    with pytest.raises(TypeError):
        typed(1, 3)
    with pytest.raises(ValueError, match="None"):
        typed(None, "int")


def test_hint_names_are_flexible():
    for name in ("short", "SHORT", "Short", "java.lang.Short"):
        assert typed(1, name).java_type is JavaType.SHORT
    assert typed(1, "Integer").java_type is JavaType.INT
    assert typed(typed(1, "int"), "long").java_type is JavaType.LONG
