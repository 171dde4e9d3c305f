"""Raw SQL column values become Python values: exact decimals, dates and times, JSON, objects."""

import datetime
import decimal

import pytest

from hzgreen import HazelcastJsonValue
from hzgreen.serialization import SerializationService
from hzgreen.sql.row import SqlColumnType as T
from hzgreen.sql.values import convert_value, to_decimal


def no_objects(data):
    raise AssertionError("nothing should be deserialized")


@pytest.mark.parametrize(
    "unscaled, scale, text",
    [
        (15, 1, "1.5"),
        (-15, 1, "-1.5"),
        (0, 0, "0"),
        (123, -2, "1.23E+4"),
        (10**40 + 1, 3, "10000000000000000000000000000000000000.001"),  # past the default 28-digit context
    ],
)
def test_decimals_are_exact(unscaled, scale, text):
    value = convert_value(T.DECIMAL, (unscaled, scale), no_objects)
    assert value == decimal.Decimal(text)
    assert isinstance(value, decimal.Decimal)
    assert to_decimal(unscaled, scale).as_tuple().exponent == -scale


def test_dates_and_times():
    assert convert_value(T.DATE, (2024, 2, 29), no_objects) == datetime.date(2024, 2, 29)
    assert convert_value(T.TIME, (10, 11, 12, 500_000_999), no_objects) == datetime.time(10, 11, 12, 500_000)
    stamp = convert_value(T.TIMESTAMP, (2024, 1, 2, 3, 4, 5, 6000), no_objects)
    assert stamp == datetime.datetime(2024, 1, 2, 3, 4, 5, 6) and stamp.tzinfo is None


def test_timestamp_with_time_zone_keeps_its_offset():
    value = convert_value(T.TIMESTAMP_WITH_TIME_ZONE, (2024, 1, 2, 3, 4, 5, 0, -5400), no_objects)
    assert value.utcoffset() == datetime.timedelta(hours=-1, minutes=-30)
    assert value == datetime.datetime(2024, 1, 2, 4, 34, 5, tzinfo=datetime.timezone.utc)


def test_json_and_plain_values():
    assert convert_value(T.JSON, '{"a": 1}', no_objects) == HazelcastJsonValue('{"a": 1}')
    assert convert_value(T.VARCHAR, "x", no_objects) == "x"
    assert convert_value(T.BIGINT, 2**40, no_objects) == 2**40
    assert convert_value(T.BOOLEAN, True, no_objects) is True


@pytest.mark.parametrize("column_type", list(T))
def test_null_is_none_in_every_column_type(column_type):
    assert convert_value(column_type, None, no_objects) is None


def test_objects_are_deserialized():
    serialization = SerializationService()
    data = serialization.to_data(["a", 1])
    assert convert_value(T.OBJECT, data, serialization.to_object) == ["a", 1]
